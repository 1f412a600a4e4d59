"""What the fuzz test (test_fuzz.py) found, kept as plain examples."""

import io

from sqlalchemy import func, select

from portal.auth.models import LoginFailure
from portal.contracts.models import Contract
from tests import factories


def test_nul_in_a_reason_is_refused_and_changes_nothing(client, csrf, login_as, db):
    # PostgreSQL refuses NUL in text: this was a 500 there, on every form with free text.
    login_as(factories.staff(moderator=True))
    certificate = factories.certificate()
    response = client.post(f"/staff/certificates/{certificate.id}/reject", data={
        "csrf_token": csrf("/staff/certificates"), "reason": "Onleesbaar\x00"})
    assert response.status_code == 400
    db.session.refresh(certificate)
    assert certificate.state == "pending"


def test_nul_in_a_contract_field_is_refused(client, csrf, login_as, db):
    login_as(factories.staff())
    organisation = factories.organisation()
    response = client.post(f"/staff/suppliers/{organisation.id}/contracts/new", data={
        "csrf_token": csrf("/"), "reference": "C-1\x00", "start_date": "01-01-2026",
        "annual_value": "100.000,00"})
    assert response.status_code == 400
    assert db.session.scalar(select(func.count()).select_from(Contract)) == 0


def test_nul_in_a_login_or_a_search_is_refused(client, csrf, login_as, db):
    response = client.post("/login", data={"csrf_token": csrf("/login"),
                                           "email": "a\x00@example.org", "password": "x"})
    assert response.status_code == 400
    assert db.session.scalar(select(func.count()).select_from(LoginFailure)) == 0
    login_as(factories.user())
    assert client.get("/stories?q=a%00b").status_code == 400
    assert client.get("/stories?q=ab").status_code == 200


def test_nul_in_an_uploaded_file_name_is_refused_but_not_in_its_bytes(client, csrf, login_as,
                                                                       db):
    login_as(factories.staff())
    token = csrf("/staff/contracts/import")
    csv = b"kvk;leverancier;referentie;omschrijving;startdatum;einddatum;jaarbedrag\n"
    response = client.post("/staff/contracts/import", data={
        "csrf_token": token, "file": (io.BytesIO(csv), "contracten\x00.csv")})
    assert response.status_code == 400
    response = client.post("/staff/contracts/import", data={
        "csrf_token": token, "file": (io.BytesIO(csv + b"\x00"), "contracten.csv")})
    assert response.status_code == 422  # the bytes are the import's to judge, with a reason
