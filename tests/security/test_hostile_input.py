"""Odd and hostile values that once answered 500: ids past 64 bits, pages past the end, amounts
and dates past what is kept, CSV fields past the csv module's limit. Each gets a 404, a page or
the form's or the row's error in Dutch, and nothing is stored.
"""

import io

import pytest
from flask import url_for
from sqlalchemy import func, select
from werkzeug.routing import IntegerConverter

from portal.certificates.models import Certificate
from portal.contracts.models import Contract, ContractImport
from portal.routing import MAX_ID, DatabaseId
from tests import factories
from tests.conftest import csrf_token
from tests.security.test_route_matrix import MATRIX

HEADER = "kvk;leverancier;referentie;omschrijving;startdatum;einddatum;jaarbedrag\n"
HUGE_IDS = [MAX_ID, MAX_ID + 1, 2**63, 2**64, 10**30, int("9" * 400)]


def routes_with_ids(app):
    """(endpoint, method, the name of its id) for every route that takes a number."""
    found = []
    for rule in app.url_map.iter_rules():
        ids = [name for name, converter in rule._converters.items()
               if isinstance(converter, IntegerConverter)]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            found += [(rule.endpoint, method, name) for name in ids]
    return found


def test_every_id_in_a_path_is_a_bounded_number(app):
    """The `int` converter of every route is the bounded one: a route added later is covered."""
    assert all(isinstance(converter, DatabaseId) for rule in app.url_map.iter_rules()
               for converter in rule._converters.values()
               if isinstance(converter, IntegerConverter))
    with_ids = {endpoint for endpoint, _method, _name in routes_with_ids(app)}
    assert len(with_ids) >= 20
    assert with_ids == {endpoint for endpoint, (_who, values) in MATRIX.items()
                        if any(name.endswith("_id") for name in values)}


@pytest.mark.parametrize("role", ["moderator", "supplier_admin"])
@pytest.mark.parametrize("number", HUGE_IDS,
                         ids=["2^31-1", "2^31", "2^63", "2^64", "10^30", "400 nines"])
def test_an_id_that_names_nothing_is_404_however_large(app, client, login_as, db, role, number):
    """As staff and as a supplier admin, so every route is reached past its role check."""
    user = factories.staff(moderator=True) if role == "moderator" else factories.supplier_admin()
    login_as(user)
    token = {"csrf_token": csrf_token(client, "/")}
    for endpoint, method, name in routes_with_ids(app):
        with app.test_request_context():
            path = url_for(endpoint, **{name: 7}).replace("/7", f"/{number}", 1)
        response = client.open(path, method=method, data=token)
        assert response.status_code in (403, 404), f"{method} {path[:60]} as {role}"


def test_a_page_past_the_end_of_an_import_shows_its_last_page(client, csrf, login_as, db):
    login_as(factories.staff())
    rows = "".join(f"12345678;Maas;C-{n};;2026-01-01;;1000\n" for n in range(3))
    response = client.post("/staff/contracts/import", content_type="multipart/form-data", data={
        "csrf_token": csrf("/staff/contracts/import"),
        "file": (io.BytesIO((HEADER + rows).encode()), "export.csv")})
    preview = response.headers["Location"]
    for page in (str(2**63), "9" * 400, "-1", "abc"):
        answer = client.get(f"{preview}?page={page}")
        assert answer.status_code == 200, page
        assert answer.get_data(as_text=True).count('data-kind="new"') == 3, page


def contracts_page(organisation_id):
    return f"/staff/suppliers/{organisation_id}/contracts/new"


@pytest.mark.parametrize(("amount", "message"), [
    ("9" * 17, "te groot"),
    ("9" * 5000, "niet langer zijn dan 30"),
    ("1.000.000.000.000", "te groot"),
], ids=["17 digits", "5000 digits", "a trillion"])
def test_an_amount_past_what_is_kept_is_the_forms_error(client, csrf, login_as, db, amount,
                                                       message):
    login_as(factories.staff())
    organisation = factories.organisation()
    url = contracts_page(organisation.id)
    response = client.post(url, data={
        "csrf_token": csrf(url), "reference": "R-1", "description": "", "start_date": "01-01-2026",
        "end_date": "", "annual_value": amount})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Contract)) == 0


def test_150_000_is_read_as_a_hundred_and_fifty_thousand_euros(client, csrf, login_as, db):
    login_as(factories.staff())
    organisation = factories.organisation()
    url = contracts_page(organisation.id)
    response = client.post(url, data={
        "csrf_token": csrf(url), "reference": "R-1", "description": "", "start_date": "01-01-2026",
        "end_date": "", "annual_value": "150.000"})
    assert response.status_code == 303
    assert db.session.scalars(select(Contract.annual_value_cents)).one() == 15_000_000


@pytest.mark.parametrize(("field", "value", "error"), [
    ("jaarbedrag", "9" * 17, "Het jaarbedrag is te groot"),
    ("omschrijving", "x" * 200_000, "omschrijving"),
    ("jaarbedrag", "1" * 200_000, "Het jaarbedrag is te groot"),
    ("einddatum", "31-12-9999", "Loopt het contract door zonder einde"),
    ("startdatum", "01-01-0001", "De startdatum ligt niet tussen 1900 en 2199"),
], ids=["17 digits", "200,000 characters", "200,000 digits", "year 9999", "year 1"])
def test_an_odd_import_cell_is_its_rows_error(client, csrf, login_as, db, field, value, error):
    """Fields past the csv module's 131,072 characters too: the row's error, not a 500."""
    login_as(factories.staff())
    cells = {"kvk": "12345678", "leverancier": "Maas", "referentie": "C-1", "omschrijving": "",
             "startdatum": "2026-01-01", "einddatum": "", "jaarbedrag": "1000", field: value}
    data = (HEADER + ";".join(cells.values()) + "\n").encode()
    response = client.post("/staff/contracts/import", content_type="multipart/form-data", data={
        "csrf_token": csrf("/staff/contracts/import"), "file": (io.BytesIO(data), "x.csv")})
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'data-kind="error"' in page and error in page
    assert "/apply" not in page


def test_a_nul_anywhere_in_an_import_refuses_the_file(client, csrf, login_as, db):
    login_as(factories.staff())
    data = (HEADER + "12345678;Maas;C-1;;2026-01-01;;1000\n" * 2000).encode() + b"\x00x;y\n"
    response = client.post("/staff/contracts/import", content_type="multipart/form-data", data={
        "csrf_token": csrf("/staff/contracts/import"), "file": (io.BytesIO(data), "x.csv")})
    assert response.status_code == 422
    assert "geen CSV-bestand" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(ContractImport)) == 0


@pytest.mark.parametrize(("issued_on", "valid_until"), [
    ("9999-12-01", "9999-12-31"),
    ("0001-01-01", "0001-12-31"),
    ("2026-01-01", "9999-12-31"),
])
def test_certificate_dates_past_the_calendar_are_the_forms_error(client, csrf, login_as, db,
                                                                 issued_on, valid_until):
    login_as(factories.supplier_admin())
    response = client.post("/certificates/new", content_type="multipart/form-data", data={
        "level": "trede_2", "certificate_number": "PSO-1", "issued_on": issued_on,
        "valid_until": valid_until, "csrf_token": csrf("/certificates/new"),
        "file": (io.BytesIO(factories.pdf_bytes("x")), "c.pdf")})
    assert response.status_code == 422
    assert "Vul een datum tussen 1900 en 2199 in." in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Certificate)) == 0


def test_policy_dates_past_the_calendar_are_the_forms_error(client, csrf, login_as, db):
    login_as(factories.staff())
    response = client.post("/staff/policy", data={
        "csrf_token": csrf("/staff/policy"), "action": "preview", "effective_from": "9999-12-31",
        "effective_until": "", "threshold": "150.000", "required_level": "trede_3",
        "note": ""})
    assert response.status_code == 422
    assert "Vul een datum tussen 1900 en 2199 in." in response.get_data(as_text=True)


def test_what_if_reads_150_000_as_dutch_people_write_it(client, login_as, db):
    login_as(factories.supplier_admin())
    response = client.get("/obligation?expected=150.000")
    assert response.status_code == 200
    assert "€ 150.000,00" in response.get_data(as_text=True).split('class="what-if-result"')[1]


@pytest.mark.parametrize("revision", [str(2**31), str(2**63), "9" * 400, "-1", "x"])
@pytest.mark.parametrize("decision", ["approve", "reject"])
def test_a_revision_that_names_nothing_publishes_nothing(client, csrf, login_as, db, decision,
                                                         revision):
    login_as(factories.staff(moderator=True))
    story = factories.story(state="submitted")
    response = client.post(f"/staff/stories/{story.id}/{decision}", data={
        "csrf_token": csrf("/staff/moderation"), "revision": revision, "reason": "Nee"})
    db.session.refresh(story)
    if revision in ("-1", "x"):  # no id at all: the waiting revision, as without the field
        assert response.status_code == 303
    else:
        assert response.status_code == 422
        assert story.state == "submitted"
