"""Reminder e-mails (`portal.obligations.reminders`), run once a day by cron.

Every test passes its own day, so the outcome does not depend on the day the suite runs.
"""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import event, select

from portal import mail
from portal.extensions import db
from portal.obligations import reminder_due, reminders
from portal.obligations.models import ReminderSent
from tests import factories

END = date(2027, 9, 30)  # the last day a supplier's certificate is valid
SUM = 20_000_000  # EUR 200,000 a year: trede 2 required by the leaflet rule of 2022


@pytest.fixture(autouse=True)
def _database(db_session, outbox):
    return db_session


def supplier(name="Bouwbedrijf Maas", until=END, level="trede_2", number="PSO-1234",
             locale="nl", admin=True):
    org = factories.organisation(name=name)
    factories.contract(org, annual_value_cents=SUM, start_date=date(2026, 1, 1))
    factories.certificate(org, level=level, state="verified", number=number,
                          issued_on=until - timedelta(days=700), valid_until=until)
    person = factories.supplier_admin(org, locale=locale) if admin else None
    return org, person


def run(day):
    db.session.commit()  # what the test set up, as the command finds it
    report = reminders.send_reminders(day)
    db.session.expire_all()
    return report


def records():
    return sorted((r.organisation_id, r.kind, r.subject_key)
                  for r in db.session.scalars(select(ReminderSent)))


def bodies(outbox):
    return [m.get_content() for m in outbox]


@pytest.mark.parametrize(("days_left", "threshold"), [
    (120, None), (91, None), (90, 90), (31, 90), (30, 30), (8, 30), (7, 7), (1, 7), (0, 7),
    (-1, None), (None, None),
])
def test_the_most_urgent_threshold_reached(days_left, threshold):
    assert reminder_due.threshold_reached(days_left) == threshold


def test_daily_runs_send_the_90_30_and_7_day_reminders_once_each(outbox):
    org, admin = supplier()
    sent_on = {}
    for days_left in range(120, -1, -1):
        before = len(outbox)
        run(END - timedelta(days=days_left))
        if len(outbox) > before:
            sent_on[days_left] = len(outbox) - before
    assert sent_on == {90: 1, 30: 1, 7: 1}
    assert {m["To"] for m in outbox} == {admin.email}
    assert records() == [(org.id, "certificate_expiry", f"expires:{END}:{t}") for t in (30, 7, 90)]


def test_a_second_run_the_same_day_or_the_next_sends_nothing(outbox):
    supplier()
    first = run(END - timedelta(days=30))
    assert (first.certificate_expiry, first.emails) == (1, 1)
    again = run(END - timedelta(days=30))
    next_day = run(END - timedelta(days=29))
    assert (again.certificate_expiry, again.emails, next_day.emails) == (0, 0, 0)
    assert len(outbox) == 1 and len(records()) == 1


def test_a_first_run_after_skipped_days_sends_only_the_most_urgent(outbox):
    org, _ = supplier()
    run(END - timedelta(days=20))  # nothing ran at 90 or 30 days
    assert records() == [(org.id, "certificate_expiry", f"expires:{END}:30")]
    for days_left in range(19, -1, -1):
        run(END - timedelta(days=days_left))
    # The 90-day reminder is never sent late; the 7-day one still comes.
    assert records() == [(org.id, "certificate_expiry", f"expires:{END}:30"),
                         (org.id, "certificate_expiry", f"expires:{END}:7")]
    assert len(outbox) == 2


def test_the_reminder_says_which_certificate_ends_and_why_it_is_needed(outbox):
    supplier(name="Bouwbedrijf Maas", number="PSO-2025-118")
    run(END - timedelta(days=30))
    [message] = outbox
    body = message.get_content()
    assert message["Subject"] == "Herinnering: uw PSO-certificaat is geldig tot en met " \
                                 "30 september 2027"
    assert "Het PSO-certificaat trede 2 (nr. PSO-2025-118) van Bouwbedrijf Maas is geldig " \
           "tot en met 30 september 2027." in body
    assert "minimaal PSO trede 2" in body and "€ 150.000,00 of meer per jaar" in body
    assert "De opdrachtsom van Bouwbedrijf Maas in 2027 is € 200.000,00." in body
    assert "vanaf 1 oktober 2027 niet meer" in body
    assert "http://portal.test/obligation" in body


def test_a_renewal_already_in_place_means_no_reminder(outbox):
    org, _ = supplier()
    factories.certificate(org, level="trede_3", state="verified", number="PSO-NIEUW",
                          issued_on=END - timedelta(days=5), valid_until=END + timedelta(days=700))
    for days_left in (90, 30, 7, 0):
        run(END - timedelta(days=days_left))
    assert outbox == [] and records() == []


def test_a_renewal_verified_after_a_reminder_stops_the_next_ones(outbox):
    org, _ = supplier()
    run(END - timedelta(days=90))
    assert len(outbox) == 1
    factories.certificate(org, level="trede_2", state="verified", number="PSO-NIEUW",
                          issued_on=END + timedelta(days=1), valid_until=END + timedelta(days=700))
    for days_left in (30, 7, 0):
        run(END - timedelta(days=days_left))
    assert len(outbox) == 1


def test_the_reminder_names_the_certificate_that_ends_the_coverage(outbox):
    org, _ = supplier(until=END - timedelta(days=60), number="PSO-OUD")
    factories.certificate(org, level="pso_30plus", state="verified", number="PSO-VERVOLG",
                          issued_on=END - timedelta(days=70), valid_until=END)
    run(END - timedelta(days=80))  # the old one is still the current one
    [body] = bodies(outbox)
    assert "PSO 30+ (nr. PSO-VERVOLG)" in body and "30 september 2027" in body
    assert "PSO-OUD" not in body


def test_no_expiry_reminder_while_an_upload_continuing_it_awaits_verification(outbox):
    org, _ = supplier()
    upload = factories.certificate(org, level="trede_2", state="pending", number="PSO-NIEUW",
                                   issued_on=END - timedelta(days=10),
                                   valid_until=END + timedelta(days=700))
    run(END - timedelta(days=30))
    assert outbox == [] and records() == []
    upload.state = "rejected"
    upload.rejection_reason = "Onleesbaar"
    run(END - timedelta(days=29))
    assert records()[0] == (org.id, "certificate_expiry", f"expires:{END}:30")


def test_requirement_not_met_once_per_year(outbox):
    org, admin = supplier(level="trede_1", until=date(2028, 6, 30), number="PSO-T1")
    report = run(date(2027, 3, 1))
    assert (report.requirement_not_met, report.emails) == (1, 1)
    [message] = outbox
    body = message.get_content()
    assert message["Subject"] == "Bouwbedrijf Maas voldoet niet aan de PSO-eis van Wonen Limburg"
    assert "minimaal PSO trede 2" in body and "in 2027 is € 200.000,00" in body
    assert "Op 1 maart 2027 heeft Bouwbedrijf Maas geen goedgekeurd" in body
    assert "trede 1 (nr. PSO-T1), geldig tot en met 30 juni 2028" in body
    assert "http://portal.test/obligation" in body
    for day in (date(2027, 3, 2), date(2027, 3, 8), date(2027, 12, 31)):
        run(day)
    assert len(outbox) == 1

    run(date(2028, 1, 3))  # a new year: a new reminder
    assert len(outbox) == 2
    assert records() == [(org.id, "requirement_not_met", "not_met:2027:trede_2"),
                         (org.id, "requirement_not_met", "not_met:2028:trede_2")]


def test_compliant_for_a_while_then_not_again_in_the_same_year_gets_no_second_one(outbox):
    org, _ = supplier(level="trede_1", until=date(2028, 6, 30))
    run(date(2027, 3, 1))
    factories.certificate(org, level="trede_2", state="verified", number="PSO-KORT",
                          issued_on=date(2027, 3, 10), valid_until=date(2027, 5, 31))
    run(date(2027, 3, 15))  # compliant, ending within 90 days: the 90-day reminder
    run(date(2027, 6, 1))  # not met again, but reminded of it this year already
    kinds = [kind for _org, kind, _key in records()]
    assert sorted(kinds) == ["certificate_expiry", "requirement_not_met"]
    assert len(outbox) == 2


def test_nothing_for_suppliers_that_are_fine_or_not_required(outbox):
    supplier(until=END + timedelta(days=200))  # compliant, far from its end
    below = factories.organisation()
    factories.contract(below, annual_value_cents=14_999_999, start_date=date(2026, 1, 1))
    factories.supplier_admin(below)
    report = run(END - timedelta(days=30))
    assert outbox == [] and report.emails == 0


def test_only_admins_get_it_each_in_their_own_language(app, outbox):
    org, dutch_admin = supplier(locale="nl")
    english_admin = factories.supplier_admin(org, locale="en")
    colleague = factories.user(organisation=org)
    run(END - timedelta(days=7))
    by_recipient = {m["To"]: m for m in outbox}
    assert set(by_recipient) == {dutch_admin.email, english_admin.email}
    assert colleague.email not in by_recipient
    english = by_recipient[english_admin.email]
    assert english["Subject"] == "Reminder: your PSO certificate is valid until September 30, 2027"
    body = english.get_content()
    assert f"Dear {english_admin.name}," in body
    assert "valid until September 30, 2027" in body and "€ 200.000,00" in body
    assert "Herinnering" in by_recipient[dutch_admin.email]["Subject"]


def test_deactivated_and_not_yet_activated_people_get_nothing(outbox):
    org, admin = supplier()
    admin.active = False
    factories.supplier_admin(org, password=None)  # invited, never accepted
    colleague = factories.user(organisation=org)  # an active user: the fallback
    gone = factories.user(organisation=org, active=False)
    run(END - timedelta(days=30))
    assert [m["To"] for m in outbox] == [colleague.email]
    assert gone.email not in {m["To"] for m in outbox}


def test_with_nobody_to_tell_nothing_is_recorded_and_it_follows_later(outbox):
    org, admin = supplier()
    admin.active = False
    report = run(END - timedelta(days=30))
    assert (report.without_recipients, report.emails) == (1, 0)
    assert outbox == [] and records() == []
    newcomer = factories.supplier_admin(org)
    run(END - timedelta(days=29))
    assert [m["To"] for m in outbox] == [newcomer.email]


def test_a_reminder_recorded_meanwhile_by_another_run_is_not_sent_again(outbox, monkeypatch):
    org, _ = supplier()
    find_due = reminders.due_reminders

    def racing(today):
        due = find_due(today)
        # Another run records the same reminder between this run's reading and writing.
        for d in due:
            db.session.add(ReminderSent(organisation_id=d.organisation_id, kind=d.kind,
                                        subject_key=d.subject_key))
        db.session.commit()
        return due

    monkeypatch.setattr(reminders, "due_reminders", racing)
    other, _ = supplier(name="Schildersbedrijf Roer", level="trede_1",
                        until=END + timedelta(days=400))
    report = reminders.send_reminders(END - timedelta(days=30))
    assert (report.skipped, report.certificate_expiry, report.emails) == (2, 0, 0)
    assert outbox == []
    assert len(records()) == 2


def test_a_failed_send_is_not_recorded_and_tried_again(outbox, monkeypatch):
    supplier()
    real_send = mail.send

    def broken(*args):
        raise OSError("mail server unreachable")

    monkeypatch.setattr(mail, "send", broken)
    report = run(END - timedelta(days=30))
    assert (report.failed, report.certificate_expiry) == (1, 0) and records() == []
    monkeypatch.setattr(mail, "send", real_send)
    report = run(END - timedelta(days=29))
    assert (report.failed, report.certificate_expiry) == (0, 1) and len(outbox) == 1


def selects_of_a_run(day) -> tuple[int, reminders.Report]:
    """Forget every reminder sent, run the reminders of `day`; the SELECTs it made, its report."""
    db.session.execute(ReminderSent.__table__.delete())
    db.session.commit()
    statements = []

    def count_select(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count_select)
    try:
        report = reminders.send_reminders(day)
    finally:
        event.remove(db.engine, "before_cursor_execute", count_select)
    return len(statements), report


def test_the_number_of_queries_does_not_grow_with_the_suppliers(outbox):
    def measure():
        statements, report = selects_of_a_run(END - timedelta(days=30))
        assert report.staff_summaries == 1
        return statements, report.certificate_expiry + report.requirement_not_met

    factories.staff()
    factories.certificate(state="pending", uploaded_at=datetime(2027, 6, 1, tzinfo=UTC))
    supplier(name="Leverancier 0")
    one = measure()
    for n in range(1, 6):
        supplier(name=f"Leverancier {n}", level="trede_1" if n % 2 else "trede_2")
    six = measure()
    assert (one[1], six[1]) == (1, 6)
    assert one[0] == six[0]


# --- The weekly summary for staff -------------------------------------------------------------


MONDAY = date(2027, 6, 7)  # ISO week 2027-23


def test_staff_get_one_summary_per_iso_week_while_something_is_pending(outbox):
    staff = factories.staff(locale="nl")
    english = factories.staff(moderator=True, locale="en")
    factories.staff(active=False)
    factories.staff(password=None)
    factories.certificate(state="pending", uploaded_at=datetime(2027, 6, 1, 9, tzinfo=UTC))
    factories.certificate(state="pending", uploaded_at=datetime(2027, 6, 3, 9, tzinfo=UTC))
    factories.certificate(state="verified", uploaded_at=datetime(2027, 5, 1, 9, tzinfo=UTC))
    report = run(MONDAY)
    assert (report.staff_summaries, report.emails) == (1, 2)
    by_recipient = {m["To"]: m for m in outbox}
    assert set(by_recipient) == {staff.email, english.email}
    dutch = by_recipient[staff.email]
    assert dutch["Subject"] == "2 PSO-certificaten wachten op controle"
    assert "Het oudste is geüpload op 1 juni 2027." in dutch.get_content()
    assert "http://portal.test/staff/certificates" in dutch.get_content()
    assert by_recipient[english.email]["Subject"] == "2 PSO certificates await verification"
    assert "June 1, 2027" in by_recipient[english.email].get_content()

    for n in range(1, 7):  # the rest of the week
        run(MONDAY + timedelta(days=n))
    assert len(outbox) == 2
    run(MONDAY + timedelta(days=7))
    assert len(outbox) == 4
    assert records() == [(None, "staff_summary", "week:2027-23"),
                         (None, "staff_summary", "week:2027-24")]


def test_one_pending_certificate_is_said_in_the_singular(outbox):
    factories.staff()
    factories.certificate(state="pending", uploaded_at=datetime(2027, 6, 1, 9, tzinfo=UTC))
    run(MONDAY)
    [message] = outbox
    assert message["Subject"] == "1 PSO-certificaat wacht op controle"
    assert "Het is geüpload op 1 juni 2027." in message.get_content()


def test_no_summary_when_nothing_is_pending(outbox):
    factories.staff()
    factories.certificate(state="verified")
    factories.certificate(state="rejected", rejection_reason="Onleesbaar")
    report = run(MONDAY)
    assert report.staff_summaries == 0 and outbox == [] and records() == []


def test_a_summary_waits_for_the_first_pending_certificate_of_the_week(outbox):
    factories.staff()
    run(MONDAY)
    assert outbox == []
    factories.certificate(state="pending", uploaded_at=datetime(2027, 6, 9, 9, tzinfo=UTC))
    run(MONDAY + timedelta(days=2))
    assert len(outbox) == 1


def test_the_iso_week_key_follows_the_iso_year():
    assert reminders.week_key(date(2027, 1, 1)) == "week:2026-53"
    assert reminders.week_key(date(2026, 12, 31)) == "week:2026-53"
    assert reminders.week_key(date(2027, 1, 4)) == "week:2027-01"


# --- Links outside a request --------------------------------------------------------------------


def test_links_outside_a_request_come_from_the_base_url(app, monkeypatch):
    monkeypatch.setitem(app.config, "SERVER_NAME", None)
    monkeypatch.setitem(app.config, "BASE_URL", "https://portaal.wonenlimburg.example/")
    assert mail.external_url("obligations.obligation") == \
        "https://portaal.wonenlimburg.example/obligation"
    monkeypatch.setitem(app.config, "BASE_URL", None)
    assert mail.external_url("certificates.queue") == "http://127.0.0.1:5000/staff/certificates"
    monkeypatch.setitem(app.config, "ENV", "production")
    with pytest.raises(mail.MissingBaseURL, match="PORTAL_BASE_URL"):
        mail.external_url("obligations.obligation")


def test_links_in_a_request_still_follow_the_request(app, monkeypatch):
    monkeypatch.setitem(app.config, "BASE_URL", None)
    with app.test_request_context("/", base_url="https://portal.test"):
        assert mail.external_url("obligations.obligation") == "https://portal.test/obligation"
    monkeypatch.setitem(app.config, "BASE_URL", "https://portaal.example")
    with app.test_request_context("/", base_url="https://portal.test"):
        assert mail.external_url("obligations.obligation") == "https://portaal.example/obligation"
