"""Staff add policy rules: previewed, never in the past, audited, and in force from their date."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.audit import AuditEvent
from portal.clock import local_today
from portal.obligations.models import PolicyRule
from tests import factories


def form(csrf, action, **overrides):
    start = local_today() + timedelta(days=30)
    data = {"effective_from": start.isoformat(), "effective_until": "",
            "threshold": "100.000,00", "required_level": "trede_3", "note": "Strenger",
            "action": action, "csrf_token": csrf("/staff/policy")}
    data.update(overrides)
    return data


@pytest.fixture
def staff(login_as, db):
    user = factories.staff()
    login_as(user)
    return user


def rule_count(db):
    return len(db.session.scalars(select(PolicyRule)).all())


def test_preview_counts_suppliers_that_change_status_and_saves_nothing(client, csrf, staff, db):
    today = local_today()
    big = factories.organisation()
    factories.contract(big, annual_value_cents=20_000_000)
    factories.certificate(big, level="trede_2", state="verified",
                          issued_on=today - timedelta(days=10),
                          valid_until=today + timedelta(days=500))
    middle = factories.organisation()
    factories.contract(middle, annual_value_cents=12_000_000)
    factories.organisation()  # no contracts: stays not required
    before = rule_count(db)
    response = client.post("/staff/policy", data=form(csrf, "preview"))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "2 leveranciers krijgen een andere status" in html
    assert "1 van in orde naar niet in orde" in html
    assert "1 van niet verplicht naar niet in orde" in html
    assert rule_count(db) == before


def test_save_adds_a_row_and_audits_it(client, csrf, staff, db):
    before = rule_count(db)
    response = client.post("/staff/policy", data=form(csrf, "save"))
    assert response.status_code == 303
    assert rule_count(db) == before + 1
    rule = db.session.scalars(select(PolicyRule).order_by(PolicyRule.id.desc())).first()
    assert rule.threshold_cents == 10_000_000 and rule.required_level == "trede_3"
    assert rule.created_by_id == staff.id
    event = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "policy_rule_added")).one()
    assert event.details["level"] == "trede_3"


def test_new_rule_applies_from_its_date_only(client, csrf, staff, db):
    from portal.obligations.services import Picture

    org = factories.organisation()
    factories.contract(org, annual_value_cents=12_000_000)
    client.post("/staff/policy", data=form(csrf, "save"))
    start = local_today() + timedelta(days=30)
    assert Picture(org, start - timedelta(days=1)).status == "not_required"
    assert Picture(org, start).status == "non_compliant"


@pytest.mark.parametrize("overrides, message", [
    ({"effective_from": "2020-01-01"}, "niet in het verleden"),
    ({"effective_until": "2000-01-01"}, "vóór de ingangsdatum"),
    ({"threshold": "150,000"}, "op twee manieren"),
    ({"threshold": "9" * 40}, "te groot"),
    ({"required_level": "trede_9"}, "Ongeldige keuze"),
])
def test_bad_rules_are_refused_and_nothing_changes(client, csrf, staff, db, overrides, message):
    before = rule_count(db)
    response = client.post("/staff/policy", data=form(csrf, "save", **overrides))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert rule_count(db) == before


def test_existing_rules_are_listed(client, staff, db):
    html = client.get("/staff/policy").get_data(as_text=True)
    assert html.count("data-rule=") == 2
    assert "€ 150.000,00" in html
