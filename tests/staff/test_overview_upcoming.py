"""The staff overview read from stored statuses: the coming change on every row, the filter
"changes within 90 days", sorting in SQL, and a status never shown for another day."""

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import update

from portal.clock import local_today
from portal.extensions import db
from portal.obligations.models import Compliance
from tests import factories

SUM = 20_000_000  # EUR 200,000: trede 2 under the leaflet's rule


def rows(html: str) -> list[tuple[str, str, str, str]]:
    return re.findall(r'data-kvk="(\d{8})" data-status="([a-z_]+)" '
                      r'data-upcoming-status="([a-z_]*)" data-upcoming-on="([0-9-]*)"', html)


def covered(org, days: int):
    """A verified trede 2 certificate whose last day is `days` from today."""
    today = local_today()
    factories.certificate(org, level="trede_2", state="verified",
                          issued_on=today - timedelta(days=300),
                          valid_until=today + timedelta(days=days))


@pytest.fixture
def suppliers(db):
    today = local_today()
    soon = factories.organisation(name="Aannemer Soon", kvk="11111111")
    factories.contract(soon, annual_value_cents=SUM)
    covered(soon, 100)  # counts as expiring 90 days before its end: in 10 days
    later = factories.organisation(name="Bouw Later", kvk="22222222")
    factories.contract(later, annual_value_cents=SUM)
    covered(later, 400)  # expiring in 310 days
    new_year = factories.organisation(name="Dak Nieuwjaar", kvk="33333333")
    factories.contract(new_year, annual_value_cents=10_000_000,
                       start_date=date(today.year, 1, 1), end_date=date(today.year, 12, 31))
    factories.contract(new_year, annual_value_cents=SUM, start_date=date(today.year + 1, 1, 1))
    factories.organisation(name="Elektro Niets", kvk="44444444")
    return today


def test_every_row_carries_the_coming_change(client, login_as, suppliers):
    today = suppliers
    login_as(factories.staff())
    found = {kvk: rest for kvk, *rest in rows(client.get("/staff/suppliers").get_data(
        as_text=True))}
    assert found == {
        "11111111": ["compliant", "expiring", (today + timedelta(days=10)).isoformat()],
        "22222222": ["compliant", "expiring", (today + timedelta(days=310)).isoformat()],
        "33333333": ["not_required", "non_compliant", date(today.year + 1, 1, 1).isoformat()],
        "44444444": ["not_required", "", ""],
    }


def test_changes_within_90_days(client, login_as, suppliers):
    today = suppliers
    login_as(factories.staff())
    html = client.get("/staff/suppliers?upcoming=1").get_data(as_text=True)
    expected = {"11111111"}
    if (date(today.year + 1, 1, 1) - today).days <= 90:
        expected.add("33333333")
    assert {kvk for kvk, *_rest in rows(html)} == expected
    assert 'id="upcoming" name="upcoming" value="1" checked' in html
    csv_text = client.get("/staff/suppliers.csv?upcoming=1").data.decode("utf-8-sig")
    assert {line.split(";")[0] for line in csv_text.splitlines()[1:]} == expected


@pytest.mark.parametrize("query, expected", [
    ("sort=until", ["11111111", "22222222", "33333333", "44444444"]),
    ("sort=until&desc=1", ["44444444", "33333333", "22222222", "11111111"]),
    ("sort=status", ["11111111", "22222222", "33333333", "44444444"]),
    ("sort=name&desc=1", ["44444444", "33333333", "22222222", "11111111"]),
])
def test_sorting_in_sql(client, login_as, suppliers, query, expected):
    login_as(factories.staff())
    html = client.get("/staff/suppliers?" + query).get_data(as_text=True)
    assert [kvk for kvk, *_rest in rows(html)] == expected


def test_a_status_computed_for_another_day_is_computed_again_before_it_is_shown(
        client, login_as, suppliers):
    login_as(factories.staff())
    client.get("/staff/suppliers")
    yesterday = local_today() - timedelta(days=1)
    db.session.execute(update(Compliance).values(computed_for=yesterday,
                                                 status="non_compliant"))
    db.session.commit()
    for path in ("/staff/suppliers", "/staff/suppliers.csv", "/"):
        db.session.execute(update(Compliance).values(computed_for=yesterday,
                                                     status="non_compliant"))
        db.session.commit()
        html = client.get(path).get_data(as_text=True)
        if path == "/staff/suppliers":
            assert {status for _kvk, status, *_rest in rows(html)} == {
                "compliant", "not_required"}
        assert set(db.session.scalars(db.select(Compliance.computed_for))) == {local_today()}
        assert set(db.session.scalars(db.select(Compliance.status))) == {
            "compliant", "not_required"}, path
