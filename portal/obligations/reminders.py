"""Reminder e-mails, sent by `flask --app portal send-reminders` (run daily by cron).

- **Certificate expiry**: when a supplier's coverage (its certificate, followed through renewals
  already verified) ends within 90, 30 or 7 days, its admins get one reminder per threshold.
  Only the most urgent threshold reached is sent: a first run with 20 days left sends the
  30-day reminder, and the 90-day one is then never sent for that end date. A reminder counts
  as sent when it or a more urgent one for the same end date is recorded, so the records only
  ever name mail that really went out. A new end date (a renewal verified) starts afresh. No
  reminder while an upload that would continue the coverage awaits verification: the supplier
  has done its part and staff see the upload in their summary; should staff reject it, the
  reminder follows on the next run.
- **New requirement**: when within 90, 30 or 7 days a higher required level (or the first
  one) begins that the supplier will not meet on that day (a contract for next year lifts its
  sum over the threshold, a new policy rule asks more), its admins are told from which day
  which level is needed, why, and to upload a certificate of that level before that day. The
  thresholds work as for expiry, per first day and level (`upcoming:<day>:<level>:<threshold>`).
  None while an upload that would meet the new level awaits verification, nor when a
  certificate held meets it already; and no expiry reminder meanwhile, since the certificate
  that ends does not meet the new level anyway.
- **Requirement not met**: a supplier that is `non_compliant` gets one reminder per calendar
  year and required level. One that becomes compliant and later non-compliant again in the
  same year gets no second one (when its status changed is not recorded anywhere; the page
  and the staff overview show it every day), but it does when the required level rises.
- **Staff summary**: while certificates await verification, active staff get one summary per
  ISO week.

Every reminder is recorded as a `ReminderSent` row in the transaction that sends it, committed
per organisation: a run that crashes halfway does not resend what went out before, and a second
run (the same day, or concurrently) sends nothing twice. Mail goes to the organisation's active
admins, or when it has none to its active users; people who never accepted their invitation
get none. Each message is in its recipient's language.

Which supplier reminders are due is decided in `reminder_due`: candidates come from the stored
statuses (portal.obligations.compliance) with one query, the coming change of a new requirement
included, and only they are assessed again from their facts, in a fixed number of queries; only
recording a reminder costs one per reminder.
"""

import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from flask import current_app
from flask_babel import force_locale, format_date, ngettext
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from portal import mail
from portal.auth.models import Role, User
from portal.certificates.models import Certificate
from portal.extensions import db
from portal.obligations import reminder_mails
from portal.obligations.models import ReminderSent
from portal.obligations.reminder_due import (
    CERTIFICATE_EXPIRY,
    REQUIREMENT_NOT_MET,
    UPCOMING_REQUIREMENT,
    due_reminders,
)
from portal.states import CertificateState

log = logging.getLogger(__name__)

STAFF_SUMMARY = "staff_summary"


def week_key(day: date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"week:{year}-{week:02d}"


@dataclass
class Report:
    """What a run did, for the command to print."""

    certificate_expiry: int = 0  # reminders sent (each to one or more people)
    upcoming_requirement: int = 0
    requirement_not_met: int = 0
    staff_summaries: int = 0
    emails: int = 0  # messages sent in all
    without_recipients: int = 0  # due, but nobody to send it to: tried again the next run
    skipped: int = 0  # recorded meanwhile by another run, so not sent again
    failed: int = 0  # sending failed: not recorded, tried again the next run

    def summary(self, today: date) -> str:
        text = (f"Reminders for {today.isoformat()}: {self.certificate_expiry} certificate "
                f"expiry, {self.upcoming_requirement} new requirement, "
                f"{self.requirement_not_met} requirement not met, "
                f"{self.staff_summaries} staff summary; {self.emails} "
                f"e-mail{'' if self.emails == 1 else 's'} sent.")
        extras = [f"{n} {what}" for n, what in (
            (self.without_recipients, "without recipients"),
            (self.skipped, "already sent by another run"),
            (self.failed, "failed"),
        ) if n]
        return text + (f" ({', '.join(extras)})" if extras else "")


# Per kind of supplier reminder: its text, and the Report field that counts it.
_KINDS = {
    CERTIFICATE_EXPIRY: (reminder_mails.expiry_mail, "certificate_expiry"),
    UPCOMING_REQUIREMENT: (reminder_mails.upcoming_mail, "upcoming_requirement"),
    REQUIREMENT_NOT_MET: (reminder_mails.not_met_mail, "requirement_not_met"),
}


@dataclass(frozen=True)
class Person:
    email: str
    name: str
    locale: str


def send_reminders(today: date) -> Report:
    """Send every reminder due on `today` that was not sent before, and record it.

    Commits (and on a conflict rolls back) per reminder, so call it with a clean session.
    Raises mail.MissingBaseURL, before sending anything, when links cannot be made.
    """
    obligation_link = mail.external_url("obligations.obligation")
    queue_link = mail.external_url("certificates.queue")
    report = Report()
    due = due_reminders(today)
    people = supplier_recipients({d.organisation_id for d in due})
    for reminder in due:
        recipients = people.get(reminder.organisation_id, [])
        if not recipients:
            log.warning("No one to send the %s reminder of %s to", reminder.kind,
                        reminder.organisation_name)
            report.without_recipients += 1
            continue
        mail_of, counter = _KINDS[reminder.kind]
        if _deliver(reminder.organisation_id, reminder.kind, reminder.subject_key, recipients,
                    mail_of(reminder, obligation_link), report):
            setattr(report, counter, getattr(report, counter) + 1)
    _staff_summary(today, queue_link, report)
    return report


def supplier_recipients(organisation_ids: set[int]) -> dict[int, list[Person]]:
    """Per organisation its active admins, or when it has none its active users."""
    if not organisation_ids:
        return {}
    users = db.session.scalars(select(User).where(
        User.organisation_id.in_(organisation_ids), User.active.is_(True),
        User.password_hash.is_not(None)).order_by(User.id))
    admins: dict[int, list[Person]] = defaultdict(list)
    others: dict[int, list[Person]] = defaultdict(list)
    for user in users:
        group = admins if user.role == Role.SUPPLIER_ADMIN else others
        group[user.organisation_id].append(_person(user))
    return {org: admins.get(org) or others.get(org, []) for org in organisation_ids}


def _person(user: User) -> Person:
    languages = current_app.config["LANGUAGES"]
    locale = user.locale if user.locale in languages else current_app.config[
        "BABEL_DEFAULT_LOCALE"]
    return Person(email=user.email, name=user.name, locale=locale)


def _deliver(organisation_id: int | None, kind: str, subject_key: str, people: list[Person],
             compose: Callable[[Person], tuple[str, str]], report: Report) -> bool:
    """Record the reminder, mail everyone in their own language, commit; False if not sent.

    The row is written before the mail goes out and committed after: on PostgreSQL a
    concurrent run inserting the same reminder waits for this commit and then fails on the
    unique constraint, so it does not send it a second time.
    """
    try:
        db.session.add(ReminderSent(organisation_id=organisation_id, kind=kind,
                                    subject_key=subject_key))
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        log.info("Reminder %s %s of organisation %s was sent by another run", kind,
                 subject_key, organisation_id)
        report.skipped += 1
        return False
    try:
        for person in people:
            with force_locale(person.locale):
                subject, body = compose(person)
                mail.send(person.email, subject, body)
        db.session.commit()
    except Exception:
        # Not recorded, so tried again on the next run (a person it did reach may then get
        # it twice; better than nobody getting it).
        db.session.rollback()
        log.exception("Sending reminder %s %s of organisation %s failed", kind, subject_key,
                      organisation_id)
        report.failed += 1
        return False
    report.emails += len(people)
    return True


# --- The weekly summary for staff -------------------------------------------------------------


def _staff_summary(today: date, link: str, report: Report) -> None:
    """One summary per ISO week to active staff, while certificates await verification."""
    waiting, oldest = db.session.execute(
        select(func.count(), func.min(Certificate.uploaded_at)).where(
            Certificate.state == CertificateState.PENDING)).one()
    if not waiting:
        return
    key = week_key(today)
    # Not left to the unique constraint: organisation_id is NULL here, and NULLs are distinct
    # in a UNIQUE constraint (PostgreSQL and SQLite alike), so it would let a second row in.
    # Two runs at the very same moment could therefore both send this summary; cron runs one.
    if db.session.scalar(select(ReminderSent.id).where(
            ReminderSent.organisation_id.is_(None), ReminderSent.kind == STAFF_SUMMARY,
            ReminderSent.subject_key == key)) is not None:
        return
    staff = [_person(u) for u in db.session.scalars(select(User).where(
        User.role == Role.STAFF, User.active.is_(True), User.password_hash.is_not(None))
        .order_by(User.id))]
    if not staff:
        report.without_recipients += 1
        return

    def compose(person: Person) -> tuple[str, str]:
        subject = ngettext("%(num)d PSO-certificaat wacht op controle",
                           "%(num)d PSO-certificaten wachten op controle", waiting)
        body = ngettext(
            "Beste %(name)s,\n\n"
            "Er wacht %(num)d PSO-certificaat op controle. Het is geüpload op %(oldest)s.\n\n"
            "Controleer het in het portaal:\n\n%(link)s\n\n"
            "U krijgt dit overzicht één keer per week, zolang er certificaten wachten.",
            "Beste %(name)s,\n\n"
            "Er wachten %(num)d PSO-certificaten op controle. Het oudste is geüpload op "
            "%(oldest)s.\n\n"
            "Controleer ze in het portaal:\n\n%(link)s\n\n"
            "U krijgt dit overzicht één keer per week, zolang er certificaten wachten.",
            waiting, name=person.name, oldest=format_date(oldest, "long"), link=link,
        )
        return subject, body

    if _deliver(None, STAFF_SUMMARY, key, staff, compose, report):
        report.staff_summaries += 1
