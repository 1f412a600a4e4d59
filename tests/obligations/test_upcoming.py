"""The coming obligation where suppliers look: their dashboard and /obligation show the first
change of status within a year, with its day, as one `id="obligation-upcoming"` element."""

import re
from datetime import date, timedelta

import pytest

from portal.clock import local_today
from tests import factories


def upcoming(html: str) -> list[tuple[str, str]]:
    return re.findall(r'id="obligation-upcoming"[^>]*data-status="([a-z_]+)" '
                      r'data-on="([0-9-]+)"', html)


@pytest.fixture
def supplier(login_as, db):
    user = factories.supplier_admin()
    login_as(user)
    return user


def test_a_contract_for_next_year_shows_what_is_coming(client, supplier, db):
    """Below EUR 150,000 this year; next year's contract lifts the supplier over it."""
    this_year = local_today().year
    factories.contract(supplier.organisation, annual_value_cents=10_000_000,
                       start_date=date(this_year, 1, 1), end_date=date(this_year, 12, 31))
    factories.contract(supplier.organisation, annual_value_cents=20_000_000,
                       start_date=date(this_year + 1, 1, 1))
    new_year = date(this_year + 1, 1, 1).isoformat()
    for path in ("/", "/obligation"):
        html = client.get(path).get_data(as_text=True)
        assert upcoming(html) == [("non_compliant", new_year)], path
        assert 'data-status="not_required"' in html, path
    dashboard = client.get("/").get_data(as_text=True)
    assert "Er is nu niets dat u hoeft te doen." not in dashboard
    assert "Volgende stap: zorg vóór" in dashboard and "minimaal trede 2" in dashboard


def test_a_certificate_running_out_shows_when_it_becomes_expiring(client, supplier, db):
    today = local_today()
    factories.contract(supplier.organisation, annual_value_cents=20_000_000,
                       start_date=date(today.year - 1, 1, 1))
    factories.certificate(supplier.organisation, level="trede_2", state="verified",
                          issued_on=today - timedelta(days=300),
                          valid_until=today + timedelta(days=200))
    html = client.get("/obligation").get_data(as_text=True)
    assert upcoming(html) == [("expiring", (today + timedelta(days=110)).isoformat())]


def test_nothing_coming_shows_nothing(client, supplier, db):
    factories.contract(supplier.organisation, annual_value_cents=1_000_000,
                       start_date=date(local_today().year - 1, 1, 1))
    for path in ("/", "/obligation"):
        html = client.get(path).get_data(as_text=True)
        assert 'id="obligation-upcoming"' not in html, path
