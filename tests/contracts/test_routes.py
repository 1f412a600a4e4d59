"""The import and contract pages as staff use them: upload, preview, confirm; add and edit."""

import io
import re
from datetime import date

import pytest
from sqlalchemy import func, select

from portal.contracts.models import Contract, ContractImport
from portal.suppliers.models import Organisation
from tests import factories

HEADER = "kvk;leverancier;referentie;omschrijving;startdatum;einddatum;jaarbedrag\n"


@pytest.fixture
def staff(login_as, db):
    user = factories.staff()
    login_as(user)
    return user


def post_file(client, csrf, data: bytes, name="export.csv"):
    return client.post("/staff/contracts/import", content_type="multipart/form-data", data={
        "csrf_token": csrf("/staff/contracts/import"), "file": (io.BytesIO(data), name)})


def submit_form(client, page: str, action_part: str):
    """Submit the form on `page` whose action contains `action_part`, as it is shown."""
    match = re.search(r'<form method="post" action="([^"]*' + action_part + r'[^"]*)"[^>]*>\s*'
                      r'<input name="csrf_token" type="hidden" value="([^"]+)"',
                      page)
    assert match, f"no {action_part} form on the page"
    return client.post(match.group(1), data={"csrf_token": match.group(2)})


def count(db, model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_upload_shows_the_dry_run_and_the_shown_form_applies_it(client, csrf, staff, db):
    lines = "".join(f"8765432{n % 3};Leverancier {n % 3};C-{n};Werk {n};01-01-2026;;"
                    f"\"{n + 1}.000,00\"\n" for n in range(300))
    response = post_file(client, csrf, ("\ufeff" + HEADER + lines).encode())
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'data-kind-count="new">Nieuw: 300' in page
    assert page.count('data-new-supplier="') == 3
    assert count(db, Contract) == 0  # a dry run
    applied = submit_form(client, page, "/apply")
    assert applied.status_code == 303
    assert count(db, Contract) == 300 and count(db, Organisation) == 3
    after = client.get(applied.headers["Location"]).get_data(as_text=True)
    assert "300 contracten toegevoegd" in after and 'data-import-state="applied"' in after


def test_a_file_with_errors_shows_them_first_and_has_no_apply_form(client, csrf, staff, db):
    data = (HEADER + "12345678;A;C-1;;2026-01-01;;1000\n"
            "12345678;A;C-2;;2026-13-01;;150,000\n").encode()
    page = client.get(post_file(client, csrf, data).headers["Location"]).get_data(as_text=True)
    assert 'data-line="3" data-kind="error"' in page and 'data-line="2"' not in page
    assert "De startdatum is geen datum" in page and "twee manieren" in page
    assert "/apply" not in page
    contract_import = db.session.scalars(select(ContractImport)).one()
    response = client.post(f"/staff/contracts/imports/{contract_import.id}/apply",
                           data={"csrf_token": csrf("/staff/contracts/import")})
    assert response.status_code == 303
    assert count(db, Contract) == 0


@pytest.mark.parametrize(("data", "message"), [
    (b"", "leeg"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "geen CSV-bestand"),
    (b"Datum;Omschrijving;Bedrag\n01-01-2026;Koffie;3,50\n", "Deze ontbreken: kvk"),
])
def test_not_an_export_is_refused_with_a_message(client, csrf, staff, db, data, message):
    response = post_file(client, csrf, data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert count(db, ContractImport) == 0


def test_a_long_file_shows_progress_until_it_is_checked(app, client, csrf, staff, db):
    lines = "".join(f"12345678;A;C-{n};;2026-01-01;;{n + 1}\n" for n in range(25))
    app.config["CONTRACT_IMPORT_CHUNK_ROWS"] = 10
    try:
        location = post_file(client, csrf, (HEADER + lines).encode()).headers["Location"]
        page = client.get(location).get_data(as_text=True)
        assert '<progress id="import-progress" max="25" value="10">' in page
        assert "js/continue.js" in page and "/apply" not in page
        while "data-auto-submit" in page:
            response = submit_form(client, page, "/check")
            assert response.status_code == 303
            page = client.get(response.headers["Location"]).get_data(as_text=True)
    finally:
        app.config["CONTRACT_IMPORT_CHUNK_ROWS"] = 5000
    assert 'data-kind-count="new">Nieuw: 25' in page and "/apply" in page


def test_discard(client, csrf, staff, db):
    location = post_file(client, csrf, (HEADER + "12345678;A;C;;2026-01-01;;1\n").encode()
                         ).headers["Location"]
    page = client.get(location).get_data(as_text=True)
    assert submit_form(client, page, "/discard").status_code == 303
    assert db.session.scalars(select(ContractImport.state)).one() == "discarded"


def test_an_unknown_import_is_404(client, staff):
    assert client.get("/staff/contracts/imports/999").status_code == 404


def test_staff_add_and_edit_a_contract_on_the_supplier_page(client, csrf, staff, db):
    organisation = factories.organisation(name="Installatie Geul")
    page_url = f"/staff/suppliers/{organisation.id}"
    new_url = f"/staff/suppliers/{organisation.id}/contracts/new"
    response = client.post(new_url, data={
        "csrf_token": csrf(new_url), "reference": "G-1", "description": "Cv-ketels",
        "start_date": "01-02-2026", "end_date": "", "annual_value": "212.500,00"})
    assert response.status_code == 303 and response.headers["Location"].endswith(page_url)
    contract = db.session.scalars(select(Contract)).one()
    assert (contract.start_date, contract.end_date, contract.annual_value_cents) == (
        date(2026, 2, 1), None, 21_250_000)
    page = client.get(page_url).get_data(as_text=True)
    assert "G-1" in page and "€ 212.500,00" in page

    edit_url = f"/staff/contracts/{contract.id}/edit"
    form = client.get(edit_url).get_data(as_text=True)
    assert 'value="01-02-2026"' in form and 'value="€ 212.500,00"' in form
    response = client.post(edit_url, data={
        "csrf_token": csrf(edit_url), "reference": "G-1", "description": "Cv-ketels",
        "start_date": "2026-02-01", "end_date": "31-12-2026", "annual_value": "€ 212.500,00"})
    assert response.status_code == 303
    db.session.refresh(contract)
    assert contract.end_date == date(2026, 12, 31) and contract.annual_value_cents == 21_250_000


@pytest.mark.parametrize(("fields", "message"), [
    ({"annual_value": "150,000"}, "twee manieren"),
    ({"annual_value": "9" * 17}, "te groot"),
    ({"start_date": "31-02-2026"}, "dd-mm-jjjj"),
    ({"end_date": "01-01-2025"}, "vóór de startdatum"),
    ({"reference": "BESTAAND"}, "al een contract met referentie BESTAAND"),
])
def test_a_bad_contract_is_refused_with_its_text_kept(client, csrf, staff, db, fields, message):
    organisation = factories.organisation()
    factories.contract(organisation, reference="BESTAAND")
    url = f"/staff/suppliers/{organisation.id}/contracts/new"
    data = {"csrf_token": csrf(url), "reference": "NIEUW", "description": "Dakwerk",
            "start_date": "01-01-2026", "end_date": "", "annual_value": "1000"}
    data.update(fields)
    response = client.post(url, data=data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page and "Dakwerk" in page
    assert count(db, Contract) == 1


def test_supplier_page_shows_status_contracts_certificates_and_users(client, staff, db):
    organisation = factories.organisation(name="Schilders Roer")
    factories.contract(organisation, reference="R-7", annual_value_cents=20_000_000)
    factories.certificate(organisation, level="trede_1", state="verified", number="PSO-111")
    factories.supplier_admin(organisation, name="Eva de Vries")
    factories.story(organisation, state="rejected", title="Ons eerste verhaal")
    page = client.get(f"/staff/suppliers/{organisation.id}").get_data(as_text=True)
    assert "Ons eerste verhaal" in page and 'data-state="rejected"' in page
    assert 'data-status="non_compliant"' in page
    assert "R-7" in page and "PSO-111" in page and "Eva de Vries" in page
    assert 'class="timeline' in page


def test_unknown_supplier_or_contract_is_404(client, staff):
    assert client.get("/staff/suppliers/999").status_code == 404
    assert client.get("/staff/contracts/999/edit").status_code == 404
    assert client.get("/staff/suppliers/999/contracts/new").status_code == 404


def test_contract_changes_are_audited(client, csrf, staff, db):
    from portal.audit import AuditEvent
    organisation = factories.organisation()
    contract = factories.contract(organisation, reference="A-1", annual_value_cents=100)
    url = f"/staff/contracts/{contract.id}/edit"
    client.post(url, data={"csrf_token": csrf(url), "reference": "A-1", "description": "",
                           "start_date": contract.start_date.isoformat(), "end_date": "",
                           "annual_value": "2,00"})
    event = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "contract_changed")).one()
    assert event.details["changes"]["annual_value_cents"] == [100, 200]


def test_a_save_over_a_newer_version_is_refused_and_the_input_kept(client, csrf, staff, db):
    contract = factories.contract(reference="V-1", annual_value_cents=100_00)
    url = f"/staff/contracts/{contract.id}/edit"
    opened = client.get(url).get_data(as_text=True)
    version = re.search(r'id="version" name="version" type="hidden" value="([^"]+)"', opened)[1]
    # Meanwhile a colleague (or an import) saves the contract.
    from portal.contracts import services
    services.update(staff, contract, reference="V-1", description="Door collega",
                    start_date=contract.start_date, end_date=None, annual_value_cents=200_00)
    db.session.commit()
    response = client.post(url, data={
        "csrf_token": csrf(url), "version": version, "reference": "V-1",
        "description": "Mijn wijziging", "start_date": contract.start_date.isoformat(),
        "end_date": "", "annual_value": "300,00"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "gewijzigd nadat u het opende" in page and "Mijn wijziging" in page
    db.session.refresh(contract)
    assert (contract.description, contract.annual_value_cents) == ("Door collega", 200_00)
