"""The supplier's obligation page: today's status in words, the timeline, the what-if."""

import re
from datetime import timedelta

import pytest

from portal.clock import local_today
from tests import factories


def status_of(html: str) -> str:
    found = re.findall(r'id="obligation-status" data-status="([a-z_]+)"', html)
    assert len(found) == 1, "exactly one obligation-status element"
    return found[0]


@pytest.fixture
def supplier(login_as, db):
    user = factories.supplier_admin()
    login_as(user)
    return user


def page(client, query=""):
    response = client.get("/obligation" + query)
    return response, response.get_data(as_text=True)


def test_below_threshold_is_not_required(client, supplier, db):
    factories.contract(supplier.organisation, annual_value_cents=14_999_999)
    response, html = page(client)
    assert response.status_code == 200
    assert status_of(html) == "not_required"
    assert "€ 149.999,99" in html and "vraagt geen PSO-certificaat" in html


def test_above_threshold_with_verified_trede_2_is_compliant(client, supplier, db):
    today = local_today()
    factories.contract(supplier.organisation, annual_value_cents=21_250_000)
    factories.certificate(supplier.organisation, level="trede_2", state="verified",
                          issued_on=today - timedelta(days=100),
                          valid_until=today + timedelta(days=400), number="PSO-77")
    _, html = page(client)
    assert status_of(html) == "compliant"
    assert f"Uw opdrachtsom in {today.year} is € 212.500,00." in html
    assert "Daarom vraagt Wonen Limburg minimaal PSO trede 2." in html
    assert "(nr. PSO-77)" in html


def test_only_trede_1_is_non_compliant_and_says_why(client, supplier, db):
    today = local_today()
    factories.contract(supplier.organisation, annual_value_cents=30_000_000)
    factories.certificate(supplier.organisation, level="trede_1", state="verified",
                          issued_on=today - timedelta(days=10),
                          valid_until=today + timedelta(days=500), number="PSO-1")
    _, html = page(client)
    assert status_of(html) == "non_compliant"
    assert "lager dan gevraagd" in html
    assert 'href="/certificates/new"' in html


def test_pending_upload_shows_pending(client, supplier, db):
    today = local_today()
    factories.contract(supplier.organisation)
    factories.certificate(supplier.organisation, level="trede_3", state="pending",
                          issued_on=today, valid_until=today + timedelta(days=600))
    _, html = page(client)
    assert status_of(html) == "pending"
    assert "wacht op controle" in html


def test_expiring_certificate_and_its_gap_in_the_timeline(client, supplier, db):
    today = local_today()
    factories.contract(supplier.organisation)
    ends = today + timedelta(days=30)
    factories.certificate(supplier.organisation, level="trede_2", state="verified",
                          issued_on=ends - timedelta(days=600), valid_until=ends)
    _, html = page(client)
    assert status_of(html) == "expiring"
    assert "Dat is over 30 dagen" in html
    assert 'data-kind="certificate_ends"' in html
    gap = (ends + timedelta(days=1)).isoformat()
    assert f'<time datetime="{gap}">' in html


def test_other_organisations_data_does_not_count(client, supplier, db):
    other = factories.organisation()
    factories.contract(other, annual_value_cents=50_000_000)
    _, html = page(client)
    assert status_of(html) == "not_required"


@pytest.mark.parametrize("typed, expected", [
    ("212.500,00", "minimaal trede 2"),
    ("€ 150.000,00", "minimaal trede 2"),
    ("149999.99", "geen PSO-certificaat"),
])
def test_what_if(client, supplier, db, typed, expected):
    response, html = page(client, "?expected=" + typed.replace("€", "%E2%82%AC").replace(" ", "+"))
    assert response.status_code == 200
    assert expected in html.split('class="what-if-result"')[1]


@pytest.mark.parametrize("typed", ["150,000", "veel", "-5", "9" * 17])
def test_what_if_refuses_unclear_amounts(client, supplier, db, typed):
    response, html = page(client, "?expected=" + typed)
    assert response.status_code == 422
    assert 'class="what-if-result"' not in html
    assert status_of(html) == "not_required"
