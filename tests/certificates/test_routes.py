"""Uploading, downloading and deciding on certificates through the pages."""

import io
import os
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from portal.audit import AuditEvent
from portal.certificates.models import Certificate
from tests import factories


def files_on_disk(app) -> list[str]:
    found = []
    for folder, _dirs, names in os.walk(app.config["UPLOAD_FOLDER"]):
        found += [os.path.join(folder, n) for n in names]
    return found


def upload(client, csrf, data, filename="certificaat.pdf", **fields):
    today = date.today()
    form = {
        "level": "trede_2", "certificate_number": "PSO-2026-0042",
        "issued_on": (today - timedelta(days=10)).isoformat(),
        "valid_until": (today + timedelta(days=700)).isoformat(),
        "csrf_token": csrf("/certificates/new"),
        "file": (io.BytesIO(data), filename),
    }
    form.update(fields)
    return client.post("/certificates/new", data=form, content_type="multipart/form-data")


def count(db):
    return db.session.scalar(select(func.count()).select_from(Certificate))


@pytest.fixture
def supplier(login_as, db):
    user = factories.supplier_admin()
    login_as(user)
    return user


def test_supplier_uploads_a_pdf_and_sees_it_pending(app, client, csrf, supplier, db):
    before = set(files_on_disk(app))
    response = upload(client, csrf, factories.pdf_bytes("echt"))
    assert response.status_code == 303
    certificate = db.session.scalars(select(Certificate)).one()
    assert certificate.state == "pending"
    assert certificate.organisation_id == supplier.organisation_id
    assert certificate.number == "PSO-2026-0042"
    assert len(certificate.sha256) == 64
    [stored] = set(files_on_disk(app)) - before
    assert "certificaat" not in os.path.basename(stored)  # a random name, not the upload's
    assert not stored.startswith(os.path.abspath("static"))
    page = client.get("/certificates").get_data(as_text=True)
    assert "wacht op controle" in page and "PSO-2026-0042" in page
    assert db.session.scalars(select(AuditEvent.action)).all()[-1] == "certificate_uploaded"


HOSTILE = {
    "html named .pdf": (b"<html><script>alert(1)</script></html>", "certificaat.pdf"),
    "executable named .pdf": (b"MZ\x90\x00\x03" + b"\x00" * 200, "certificaat.pdf"),
    "pdf header only": (b"%PDF-1.7\n<script>alert(1)</script>", "certificaat.pdf"),
    "html after pdf magic": (b"%PDF-1.4\n<html><body onload=alert(1)>", "x.pdf"),
    "empty file": (b"", "certificaat.pdf"),
    "text file": (b"dit is geen certificaat", "certificaat.txt"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_anything_but_a_pdf_is_refused_and_nothing_is_stored(app, client, csrf, supplier, db,
                                                              case):
    data, name = HOSTILE[case]
    before = set(files_on_disk(app))
    response = upload(client, csrf, data, filename=name)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "geen PDF" in html or "Kies het PDF-bestand" in html
    assert count(db) == 0
    assert set(files_on_disk(app)) == before


def test_path_in_file_name_is_harmless(app, client, csrf, supplier, db):
    before = set(files_on_disk(app))
    response = upload(client, csrf, factories.pdf_bytes("pad"), filename="../../etc/passwd.pdf")
    assert response.status_code == 303
    [stored] = set(files_on_disk(app)) - before
    assert os.path.realpath(stored).startswith(os.path.realpath(app.config["UPLOAD_FOLDER"]))
    assert "passwd" not in stored


def test_file_over_ten_megabytes_is_refused(app, client, csrf, supplier, db):
    big = factories.pdf_bytes("groot") + b"%" + b"0" * (10 * 1024 * 1024)
    before = set(files_on_disk(app))
    response = upload(client, csrf, big)
    assert response.status_code in (413, 422)
    assert "10 MB" in response.get_data(as_text=True) or response.status_code == 413
    assert count(db) == 0
    assert set(files_on_disk(app)) == before


def test_request_far_over_the_limit_gets_413(app, client, csrf, supplier, db):
    huge = b"%PDF-1.4" + b"0" * (app.config["MAX_CONTENT_LENGTH"] + 10)
    response = upload(client, csrf, huge)
    assert response.status_code == 413
    assert count(db) == 0


def test_same_file_twice_is_refused(client, csrf, supplier, db):
    data = factories.pdf_bytes("twee keer")
    assert upload(client, csrf, data).status_code == 303
    response = upload(client, csrf, data, certificate_number="ANDER-NR")
    assert response.status_code == 422
    assert "al geüpload" in response.get_data(as_text=True)
    assert count(db) == 1


@pytest.mark.parametrize("issued, until, message", [
    (date(2026, 1, 10), date(2026, 1, 9), "vóór de datum van afgifte"),
    (date(2026, 1, 10), date(2028, 1, 11), "hoogstens 2 jaar"),
])
def test_impossible_validity_is_refused(client, csrf, supplier, db, issued, until, message):
    response = upload(client, csrf, factories.pdf_bytes("datums"),
                      issued_on=issued.isoformat(), valid_until=until.isoformat())
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert count(db) == 0


def test_unknown_level_is_refused(client, csrf, supplier, db):
    response = upload(client, csrf, factories.pdf_bytes("trede"), level="trede_9")
    assert response.status_code == 422
    assert count(db) == 0


def test_download_is_an_attachment_for_the_organisation(client, supplier, db):
    certificate = factories.certificate(organisation=supplier.organisation)
    response = client.get(f"/certificates/{certificate.id}/file")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.data.startswith(b"%PDF-")


def test_another_organisations_certificate_is_not_found(client, supplier, db):
    other = factories.certificate()
    assert client.get(f"/certificates/{other.id}/file").status_code == 404
    assert other.number not in client.get("/certificates").get_data(as_text=True)


def test_staff_verify_and_supplier_sees_it(app, client, csrf, login_as, db):
    supplier = factories.supplier_admin()
    certificate = factories.certificate(organisation=supplier.organisation)
    login_as(factories.staff())
    queue = client.get("/staff/certificates").get_data(as_text=True)
    assert certificate.number in queue
    assert client.get(f"/certificates/{certificate.id}/file").status_code == 200
    response = client.post(f"/staff/certificates/{certificate.id}/verify",
                           data={"csrf_token": csrf("/staff/certificates")})
    assert response.status_code == 303
    assert certificate.state == "verified"
    queue_after = client.get("/staff/certificates").get_data(as_text=True)
    assert f'id="cert-{certificate.id}"' not in queue_after


def test_reject_needs_a_reason_which_the_supplier_sees(client, csrf, login_as, db):
    supplier = factories.supplier_admin()
    certificate = factories.certificate(organisation=supplier.organisation)
    login_as(factories.staff())
    token = csrf("/staff/certificates")
    refused = client.post(f"/staff/certificates/{certificate.id}/reject",
                          data={"csrf_token": token, "reason": "  "})
    assert refused.status_code == 303
    assert certificate.state == "pending"
    client.post(f"/staff/certificates/{certificate.id}/reject",
                data={"csrf_token": token, "reason": "Nummer klopt niet met de PDF"})
    assert certificate.state == "rejected"
    client.post("/logout", data={"csrf_token": token})
    login_as(supplier)
    page = client.get("/certificates").get_data(as_text=True)
    assert "afgekeurd" in page and "Nummer klopt niet met de PDF" in page
    assert "Upload een verbeterd certificaat" in page


def test_queue_is_oldest_first(client, login_as, db):
    from portal.db import utcnow

    newer = factories.certificate(uploaded_at=utcnow())
    older = factories.certificate(uploaded_at=utcnow() - timedelta(days=3))
    login_as(factories.staff())
    html = client.get("/staff/certificates").get_data(as_text=True)
    assert html.index(older.number) < html.index(newer.number)


def test_second_decision_is_told_it_lost(client, csrf, login_as, db):
    certificate = factories.certificate()
    login_as(factories.staff())
    token = csrf("/staff/certificates")
    client.post(f"/staff/certificates/{certificate.id}/verify", data={"csrf_token": token})
    response = client.post(f"/staff/certificates/{certificate.id}/reject",
                           data={"csrf_token": token, "reason": "te laat"}, follow_redirects=True)
    assert "al beslist" in response.get_data(as_text=True)
    assert certificate.state == "verified"
    assert certificate.rejection_reason is None
