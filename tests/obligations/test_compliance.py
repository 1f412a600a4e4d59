"""The stored compliance from outside: the operators' commands `refresh-compliance` and
`check-compliance` (DESIGN.md interface contract), and the pages that show stored statuses,
which never show one computed for another day."""

import csv
import io
import re
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from portal import pso
from portal.clock import local_today
from portal.extensions import db
from portal.obligations import compliance, loader
from portal.obligations.models import Compliance, ComplianceSnapshot
from tests import factories


@pytest.fixture
def run(app, db_session):
    runner = app.test_cli_runner()

    def invoke(*args):
        db.session.commit()
        result = runner.invoke(args=list(args))
        db.session.expire_all()
        return result

    return invoke


@pytest.fixture
def suppliers(db):
    """Compliant until a year from now, non-compliant, and not required: (kvk: organisation)."""
    today = local_today()
    covered = factories.organisation(name="Aannemer Alfa", kvk="11111111")
    factories.contract(covered, annual_value_cents=20_000_000,
                       start_date=today.replace(month=1, day=1) - timedelta(days=800))
    factories.certificate(covered, level="trede_2", state="verified",
                          issued_on=today - timedelta(days=10),
                          valid_until=today + timedelta(days=365))
    uncovered = factories.organisation(name="Bouw Beta", kvk="22222222")
    factories.contract(uncovered, annual_value_cents=16_000_000,
                       start_date=today.replace(month=1, day=1) - timedelta(days=800))
    small = factories.organisation(name="Klein Gamma", kvk="33333333")
    factories.contract(small, annual_value_cents=1_000_000)
    db.session.commit()
    return {org.kvk: org for org in (covered, uncovered, small)}


def stored() -> dict[int, Compliance]:
    return {row.organisation_id: row for row in db.session.scalars(select(Compliance))}


def status_on(organisation_id: int, day) -> str:
    """The status the pure rules give, computed here without the stored table."""
    return pso.assess(loader.rules(), loader.contracts([organisation_id])[organisation_id],
                      loader.certificates([organisation_id])[organisation_id], day).status.value


# --- refresh-compliance ------------------------------------------------------------------


def test_refresh_computes_every_supplier_for_today_by_default(run, suppliers):
    result = run("refresh-compliance")
    assert result.exit_code == 0, result.output
    today = local_today()
    # Every change was computed when it was committed: the run finds nothing to change.
    assert result.output.strip() == (
        f"Compliance for {today.isoformat()}: 3 suppliers computed, 0 changed. not_required 1, "
        "compliant 1, pending 0, expiring 0, non_compliant 1.")
    assert {row.computed_for for row in stored().values()} == {today}


def test_refresh_for_a_day_computes_for_that_day_and_the_check_then_passes(run, suppliers):
    today = local_today()
    day = today + timedelta(days=300)  # the certificate now ends within 90 days
    result = run("refresh-compliance", "--today", day.isoformat())
    assert result.exit_code == 0, result.output
    assert "3 suppliers computed, 1 changed." in result.output
    rows = stored()
    assert {row.computed_for for row in rows.values()} == {day}
    assert {org_id: row.status for org_id, row in rows.items()} == {
        org.id: status_on(org.id, day) for org in suppliers.values()}
    assert rows[suppliers["11111111"].id].status == "expiring"
    check = run("check-compliance")
    assert check.exit_code == 0, check.output
    assert check.output.strip() == (
        "The stored compliance of all 3 suppliers matches what is computed.")


def test_refresh_for_an_earlier_day_computes_for_that_day(run, suppliers):
    day = local_today() - timedelta(days=30)  # before the certificate was issued
    result = run("refresh-compliance", "--today", day.isoformat())
    assert result.exit_code == 0, result.output
    rows = stored()
    assert {row.computed_for for row in rows.values()} == {day}
    assert rows[suppliers["11111111"].id].status == "non_compliant"
    assert run("check-compliance").exit_code == 0


def test_refresh_is_idempotent_a_second_run_changes_nothing(run, suppliers):
    day = (local_today() + timedelta(days=400)).isoformat()  # the certificate has ended
    first = run("refresh-compliance", "--today", day)
    assert first.exit_code == 0, first.output
    assert "3 suppliers computed, 1 changed." in first.output
    before = {org_id: row_values(row) for org_id, row in stored().items()}
    second = run("refresh-compliance", "--today", day)
    assert second.exit_code == 0, second.output
    assert "3 suppliers computed, 0 changed." in second.output
    assert {org_id: row_values(row) for org_id, row in stored().items()} == before


def row_values(row: Compliance) -> tuple:
    return (row.computed_for, *(getattr(row, c) for c in compliance.COLUMNS))


def test_refresh_records_one_snapshot_per_status_for_the_day(run, suppliers):
    day = local_today() + timedelta(days=300)
    for _ in range(2):  # again on the same day: the day's counts are replaced, not added
        assert run("refresh-compliance", "--today", day.isoformat()).exit_code == 0
    snapshot = dict(db.session.execute(select(ComplianceSnapshot.status,
                                              ComplianceSnapshot.suppliers)
                                       .where(ComplianceSnapshot.day == day)).all())
    assert snapshot == {"not_required": 1, "compliant": 0, "pending": 0, "expiring": 1,
                        "non_compliant": 1}
    assert db.session.scalars(select(ComplianceSnapshot.day).distinct()).all() == [day]


def test_a_refused_day_is_told(run):
    result = run("refresh-compliance", "--today", "30-09-2027")
    assert result.exit_code == 2
    assert "--today" in result.output


# --- check-compliance --------------------------------------------------------------------


def test_check_passes_on_what_the_changes_themselves_stored(run, suppliers):
    result = run("check-compliance")
    assert result.exit_code == 0, result.output
    assert "all 3 suppliers matches" in result.output


@pytest.mark.compliance_tampered
def test_check_fails_and_names_each_value_that_was_altered(run, suppliers):
    uncovered = suppliers["22222222"]
    db.session.execute(update(Compliance).where(Compliance.organisation_id == uncovered.id)
                       .values(status="compliant", annual_sum_cents=1))
    result = run("check-compliance")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[:2] == [
        f"organisation {uncovered.id}: status is compliant, computed non_compliant",
        f"organisation {uncovered.id}: annual_sum_cents is 1, computed 16000000",
    ]
    assert "2 stored value(s) differ from what is computed" in result.stderr


@pytest.mark.compliance_tampered
def test_check_fails_on_a_supplier_without_a_row(run, suppliers):
    small = suppliers["33333333"]
    db.session.execute(Compliance.__table__.delete().where(
        Compliance.organisation_id == small.id))
    result = run("check-compliance")
    assert result.exit_code == 1
    assert f"organisation {small.id}: row is None, computed present" in result.stderr


def test_refresh_repairs_what_was_altered_and_the_check_passes_again(run, suppliers):
    uncovered, small = suppliers["22222222"], suppliers["33333333"]
    db.session.execute(update(Compliance).where(Compliance.organisation_id == uncovered.id)
                       .values(status="compliant"))
    db.session.execute(Compliance.__table__.delete().where(
        Compliance.organisation_id == small.id))
    assert run("check-compliance").exit_code == 1
    result = run("refresh-compliance")
    assert "3 suppliers computed, 2 changed." in result.output
    assert run("check-compliance").exit_code == 0
    assert stored()[uncovered.id].status == "non_compliant"


# --- pages: never a status computed for another day --------------------------------------


def overview_statuses(html: str) -> dict[str, str]:
    return dict(re.findall(r'data-kvk="(\d{8})" data-status="([a-z_]+)"', html))


def csv_statuses(body: str) -> dict[str, str]:
    rows = csv.DictReader(io.StringIO(body.lstrip("\ufeff")), delimiter=";")
    return {row["kvk"]: row["status"] for row in rows}


def dashboard_counts(html: str) -> dict[str, int]:
    return {status: int(n) for status, n in re.findall(
        r'data-status-count="([a-z_]+)">[^<]*: (\d+)<', html)}


EXPECTED = {"11111111": "compliant", "22222222": "non_compliant", "33333333": "not_required"}
PAGES = {
    "/staff/suppliers": lambda response: overview_statuses(response.get_data(as_text=True)),
    "/staff/suppliers.csv": lambda response: csv_statuses(response.get_data(as_text=True)),
    "/": lambda response: dashboard_counts(response.get_data(as_text=True)),
}


@pytest.mark.parametrize("path", PAGES)
def test_a_page_shows_no_status_computed_for_another_day(client, login_as, suppliers, path):
    """A row left by yesterday, as when the daily refresh did not run; here also wrong."""
    today = local_today()
    yesterday = today - timedelta(days=1)
    db.session.execute(update(Compliance).where(Compliance.organisation_id.in_(
        [suppliers["22222222"].id, suppliers["33333333"].id])).values(
        status="compliant", computed_for=yesterday))
    login_as(factories.staff())
    response = client.get(path)
    assert response.status_code == 200
    shown = PAGES[path](response)
    if path == "/":
        assert shown == {"non_compliant": 1, "pending": 0, "expiring": 0, "compliant": 1,
                         "not_required": 1}
    else:
        assert shown == EXPECTED
    assert {row.computed_for for row in stored().values()} == {today}
    # The counts of the day the page brought the rows up to are recorded too.
    assert dict(db.session.execute(select(ComplianceSnapshot.status,
                                          ComplianceSnapshot.suppliers)
                                   .where(ComplianceSnapshot.day == today)).all())[
        "non_compliant"] == 1
