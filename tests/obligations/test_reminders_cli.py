"""`flask --app portal send-reminders`, run daily by cron (DESIGN.md interface contract)."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from portal import mail
from portal.clock import local_today
from portal.extensions import db
from portal.obligations.models import ReminderSent
from tests import factories

END = date(2027, 9, 30)


@pytest.fixture
def run(app, db_session, outbox):
    runner = app.test_cli_runner()

    def invoke(*args):
        db.session.commit()
        result = runner.invoke(args=["send-reminders", *args])
        db.session.expire_all()
        return result

    return invoke


def expiring_supplier():
    org = factories.organisation(name="Bouwbedrijf Maas")
    factories.contract(org, annual_value_cents=20_000_000, start_date=date(2026, 1, 1))
    factories.certificate(org, level="trede_2", state="verified", number="PSO-1234",
                          issued_on=END - timedelta(days=700), valid_until=END)
    return factories.supplier_admin(org)


def recorded() -> int:
    return db.session.scalar(select(func.count()).select_from(ReminderSent))


def test_running_it_twice_is_safe(run, outbox):
    admin = expiring_supplier()
    factories.staff()
    factories.certificate(state="pending", uploaded_at=datetime(2027, 8, 30, tzinfo=UTC))
    day = (END - timedelta(days=30)).isoformat()
    first = run("--today", day)
    assert first.exit_code == 0, first.output
    assert first.output.strip() == (
        f"Reminders for {day}: 1 certificate expiry, 0 new requirement, 0 requirement not "
        "met, 1 staff summary; 2 e-mails sent.")
    assert admin.email in {m["To"] for m in outbox}
    second = run("--today", day)
    assert second.exit_code == 0, second.output
    assert "0 certificate expiry, 0 new requirement, 0 requirement not met, 0 staff summary; " \
        "0 e-mails" in second.output
    assert len(outbox) == 2 and recorded() == 2


def test_without_a_day_it_runs_for_today_in_the_netherlands(run):
    result = run()
    assert result.exit_code == 0, result.output
    assert f"Reminders for {local_today().isoformat()}:" in result.output


def test_a_day_that_is_not_a_date_is_refused(run):
    result = run("--today", "30-09-2027")
    assert result.exit_code == 2
    assert "--today" in result.output


def test_production_without_a_base_url_stops_before_sending(app, run, outbox, monkeypatch):
    expiring_supplier()
    monkeypatch.setitem(app.config, "ENV", "production")
    monkeypatch.setitem(app.config, "SERVER_NAME", None)
    monkeypatch.setitem(app.config, "BASE_URL", None)
    result = run("--today", (END - timedelta(days=30)).isoformat())
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)
    assert "PORTAL_BASE_URL must be set" in result.output
    assert outbox == [] and recorded() == 0


def test_production_links_come_from_the_base_url(app, run, outbox, monkeypatch):
    expiring_supplier()
    monkeypatch.setitem(app.config, "ENV", "production")
    monkeypatch.setitem(app.config, "SERVER_NAME", None)
    monkeypatch.setitem(app.config, "BASE_URL", "https://portaal.wonenlimburg.example")
    result = run("--today", (END - timedelta(days=30)).isoformat())
    assert result.exit_code == 0, result.output
    [message] = outbox
    assert "https://portaal.wonenlimburg.example/obligation" in message.get_content()


def test_a_failed_send_makes_the_command_fail_for_cron_to_report(run, outbox, monkeypatch):
    expiring_supplier()

    def broken(*args):
        raise OSError("mail server unreachable")

    monkeypatch.setattr(mail, "send", broken)
    result = run("--today", (END - timedelta(days=30)).isoformat())
    assert result.exit_code == 1
    assert "(1 failed)" in result.output and "tries them again" in result.output
    assert recorded() == 0
