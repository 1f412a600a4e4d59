"""Reminders before a new requirement begins (`portal.obligations.reminders`, run daily).

A contract for next year lifts a supplier over EUR 150,000, or a rule asks a higher level from
a day on, and the supplier holds nothing that meets it: its admins hear of it 90, 30 and 7 days
ahead. Every test passes its own day, so the outcome does not depend on the day the suite runs.
"""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.obligations import reminders
from portal.obligations.models import ReminderSent
from tests import factories
from tests.obligations.test_reminders import selects_of_a_run

START = date(2027, 1, 1)  # the first day of the new requirement
UPCOMING = "upcoming_requirement"


@pytest.fixture(autouse=True)
def _database(db_session, outbox):
    return db_session


def supplier(name="Bouwbedrijf Maas", locale="nl", admin=True):
    """Below the threshold this year; a contract for next year lifts it to EUR 200,000."""
    org = factories.organisation(name=name)
    factories.contract(org, annual_value_cents=10_000_000, start_date=date(2026, 1, 1),
                       end_date=date(2026, 12, 31))
    factories.contract(org, annual_value_cents=20_000_000, start_date=START)
    person = factories.supplier_admin(org, locale=locale) if admin else None
    return org, person


def run(day):
    db.session.commit()  # what the test set up, as the command finds it
    report = reminders.send_reminders(day)
    db.session.expire_all()
    return report


def before(days):
    return START - timedelta(days=days)


def upcoming_records():
    return sorted((r.organisation_id, r.subject_key) for r in db.session.scalars(
        select(ReminderSent).where(ReminderSent.kind == UPCOMING)))


def walk(first, last=1, start=START):
    """Run daily from `first` days before `start` to `last` days before it; per day, the new
    requirement reminders sent."""
    sent_on = {}
    for days in range(first, last - 1, -1):
        report = run(start - timedelta(days=days))
        if report.upcoming_requirement:
            sent_on[days] = report.upcoming_requirement
    return sent_on


def test_daily_runs_send_the_90_30_and_7_day_reminders_once_each(outbox):
    org, admin = supplier()
    assert walk(120) == {90: 1, 30: 1, 7: 1}
    assert len(outbox) == 3 and {m["To"] for m in outbox} == {admin.email}
    assert upcoming_records() == [(org.id, f"upcoming:{START}:trede_2:{t}") for t in (30, 7, 90)]
    # On the day itself the requirement is simply not met: that reminder, not this one.
    report = run(START)
    assert (report.upcoming_requirement, report.requirement_not_met) == (0, 1)


def test_a_first_run_twenty_days_before_sends_only_the_30_day_one(outbox):
    org, _ = supplier()
    report = run(before(20))
    assert (report.upcoming_requirement, report.emails) == (1, 1)
    assert upcoming_records() == [(org.id, f"upcoming:{START}:trede_2:30")]
    assert walk(19) == {7: 1}  # the 90-day one is never sent late; the 7-day one still comes
    assert upcoming_records() == [(org.id, f"upcoming:{START}:trede_2:30"),
                                  (org.id, f"upcoming:{START}:trede_2:7")]


def test_a_second_run_the_same_day_or_the_next_sends_nothing(outbox):
    supplier()
    first = run(before(30))
    again = run(before(30))
    next_day = run(before(29))
    assert (first.upcoming_requirement, first.emails) == (1, 1)
    assert (again.upcoming_requirement, again.emails) == (0, 0)
    assert (next_day.upcoming_requirement, next_day.emails) == (0, 0)
    assert len(outbox) == 1 and len(upcoming_records()) == 1


@pytest.mark.parametrize("level", ["trede_2", "trede_3"])
def test_nothing_when_a_certificate_held_meets_the_coming_level(outbox, level):
    org, _ = supplier()
    factories.certificate(org, level=level, state="verified", issued_on=date(2026, 6, 1),
                          valid_until=date(2028, 5, 31))
    _other, other_admin = supplier(name="Schildersbedrijf Roer")  # the same, without one
    for days in (90, 30, 7, 1):
        run(before(days))
    assert {m["To"] for m in outbox} == {other_admin.email}
    assert org.id not in {org_id for org_id, _key in upcoming_records()}


def test_nothing_while_an_upload_that_would_meet_it_awaits_verification(outbox):
    org, admin = supplier()
    upload = factories.certificate(org, level="trede_2", state="pending",
                                   issued_on=date(2026, 12, 1), valid_until=date(2028, 11, 30))
    _other, other_admin = supplier(name="Schildersbedrijf Roer")  # the same, without one
    for days in (90, 31):
        run(before(days))
    assert {m["To"] for m in outbox} == {other_admin.email}
    upload.state = "rejected"
    upload.rejection_reason = "Onleesbaar"
    run(before(30))  # rejected: the supplier has something to do again
    assert admin.email in {m["To"] for m in outbox}
    assert (org.id, f"upcoming:{START}:trede_2:30") in upcoming_records()


def test_a_higher_level_from_next_year_while_holding_the_lower_one(outbox):
    """The leaflet itself: trede 1 in 2021, trede 2 from 1 January 2022."""
    start = date(2022, 1, 1)
    org = factories.organisation(name="Schildersbedrijf Roer")
    factories.contract(org, annual_value_cents=20_000_000, start_date=date(2020, 1, 1))
    factories.certificate(org, level="trede_1", state="verified", number="PSO-T1",
                          issued_on=date(2021, 1, 1), valid_until=date(2022, 12, 31))
    factories.supplier_admin(org)
    assert walk(120, start=start) == {90: 1, 30: 1, 7: 1}
    assert upcoming_records() == [(org.id, f"upcoming:{start}:trede_2:{t}") for t in (30, 7, 90)]
    body = outbox[0].get_content()
    assert outbox[0]["Subject"] == \
        "Vanaf 1 januari 2022 vraagt Wonen Limburg PSO trede 2 van Schildersbedrijf Roer"
    assert "Het hoogste goedgekeurde certificaat van Schildersbedrijf Roer is trede 1 " \
           "(nr. PSO-T1), geldig tot en met 31 december 2022. Dat is niet genoeg." in body


def test_a_certificate_ending_the_day_before_a_higher_level_gets_only_this_reminder(outbox):
    """Its expiry reminder would name trede 1 and the wrong task: trede 2 is what is needed.
    91 days before 1 January 2022 the certificate's 90 days begin; the new level's a day later."""
    start = date(2022, 1, 1)
    org = factories.organisation()
    factories.contract(org, annual_value_cents=20_000_000, start_date=date(2020, 1, 1))
    factories.certificate(org, level="trede_1", state="verified",
                          issued_on=date(2020, 1, 1), valid_until=date(2021, 12, 31))
    factories.supplier_admin(org)
    reports = {days: run(start - timedelta(days=days)) for days in (91, 90, 30, 7, 1)}
    assert [days for days, r in reports.items() if r.certificate_expiry] == []
    assert [days for days, r in reports.items() if r.upcoming_requirement] == [90, 30, 7]
    assert len(outbox) == 3


def test_the_mail_names_the_day_the_level_why_and_what_to_do(outbox):
    supplier(name="Bouwbedrijf Maas")
    run(before(30))
    [message] = outbox
    assert message["Subject"] == \
        "Vanaf 1 januari 2027 vraagt Wonen Limburg PSO trede 2 van Bouwbedrijf Maas"
    body = message.get_content()
    assert "Vanaf 1 januari 2027 vraagt Wonen Limburg minimaal PSO trede 2 van Bouwbedrijf " \
           "Maas. Dat is over 30 dagen." in body
    assert "€ 150.000,00 of meer per jaar" in body
    assert "De opdrachtsom van Bouwbedrijf Maas in 2027 is € 200.000,00." in body
    assert "Upload daarom vóór 1 januari 2027 in het portaal een PSO-certificaat van " \
           "minimaal trede 2 dat op 1 januari 2027 geldig is." in body
    assert "http://portal.test/obligation" in body
    assert "Dat is niet genoeg" not in body  # it holds no certificate at all


def test_one_day_is_said_in_the_singular(outbox):
    supplier()
    run(before(1))
    assert "Dat is over 1 dag." in outbox[0].get_content()


def test_each_admin_gets_it_in_their_own_language(outbox):
    org, dutch = supplier(locale="nl")
    english = factories.supplier_admin(org, locale="en")
    run(before(7))
    by_recipient = {m["To"]: m for m in outbox}
    assert set(by_recipient) == {dutch.email, english.email}
    message = by_recipient[english.email]
    assert message["Subject"] == \
        "From January 1, 2027 Wonen Limburg requires PSO level 2 of Bouwbedrijf Maas"
    body = message.get_content()
    assert f"Dear {english.name}," in body
    assert "That is in 7 days." in body and "€ 200.000,00" in body
    assert "valid on January 1, 2027" in body
    assert "Vanaf 1 januari 2027" in by_recipient[dutch.email]["Subject"]


def test_the_number_of_queries_does_not_grow_with_the_suppliers(outbox):
    def measure():
        statements, report = selects_of_a_run(before(30))
        return statements, report.upcoming_requirement

    for n in range(3):
        supplier(name=f"Leverancier {n}")
    three = measure()
    for n in range(3, 30):
        supplier(name=f"Leverancier {n}")
    thirty = measure()
    assert (three[1], thirty[1]) == (3, 30)
    assert three[0] == thirty[0]
