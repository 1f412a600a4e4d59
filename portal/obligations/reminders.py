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

Candidates are found in the stored statuses (portal.obligations.compliance) with one query,
and only they are assessed again from their facts, in a fixed number of queries; only
recording a reminder costs one per reminder.
"""

import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app
from flask_babel import force_locale, format_date, ngettext
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError

from portal import mail, pso
from portal.auth.models import Role, User
from portal.certificates.models import Certificate
from portal.extensions import db
from portal.obligations import compliance, loader, reminder_mails
from portal.obligations.models import Compliance, ReminderSent
from portal.states import CertificateState
from portal.suppliers.models import Organisation

log = logging.getLogger(__name__)

CERTIFICATE_EXPIRY = "certificate_expiry"
REQUIREMENT_NOT_MET = "requirement_not_met"
STAFF_SUMMARY = "staff_summary"

# Days before the end of the coverage at which a reminder goes out, least urgent first.
EXPIRY_THRESHOLDS = (90, 30, 7)


def expiry_threshold(days_left: int | None) -> int | None:
    """The most urgent threshold reached with `days_left` days left (0: the last day)."""
    if days_left is None or days_left < 0:
        return None
    return min((t for t in EXPIRY_THRESHOLDS if days_left <= t), default=None)


def expiry_key(expires_on: date, threshold: int) -> str:
    return f"expires:{expires_on.isoformat()}:{threshold}"


def not_met_key(year: int, level: str) -> str:
    return f"not_met:{year}:{level}"


def week_key(day: date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"week:{year}-{week:02d}"


@dataclass
class Report:
    """What a run did, for the command to print."""

    certificate_expiry: int = 0  # reminders sent (each to one or more people)
    requirement_not_met: int = 0
    staff_summaries: int = 0
    emails: int = 0  # messages sent in all
    without_recipients: int = 0  # due, but nobody to send it to: tried again the next run
    skipped: int = 0  # recorded meanwhile by another run, so not sent again
    failed: int = 0  # sending failed: not recorded, tried again the next run

    def summary(self, today: date) -> str:
        text = (f"Reminders for {today.isoformat()}: {self.certificate_expiry} certificate "
                f"expiry, {self.requirement_not_met} requirement not met, "
                f"{self.staff_summaries} staff summary; {self.emails} "
                f"e-mail{'' if self.emails == 1 else 's'} sent.")
        extras = [f"{n} {what}" for n, what in (
            (self.without_recipients, "without recipients"),
            (self.skipped, "already sent by another run"),
            (self.failed, "failed"),
        ) if n]
        return text + (f" ({', '.join(extras)})" if extras else "")


@dataclass(frozen=True)
class Person:
    email: str
    name: str
    locale: str


@dataclass(frozen=True)
class Due:
    """A reminder that is due for one supplier, with plain values only: the loop commits per
    organisation, and reading expired ORM objects there would cost queries per supplier."""

    organisation_id: int
    organisation_name: str
    kind: str
    subject_key: str
    assessment: pso.Assessment
    # Expiry: the verified certificate whose end is the end of the coverage.
    ending: pso.Certificate | None = None


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
        if reminder.kind == CERTIFICATE_EXPIRY:
            compose = reminder_mails.expiry_mail(reminder, obligation_link)
        else:
            compose = reminder_mails.not_met_mail(reminder, obligation_link)
        if _deliver(reminder.organisation_id, reminder.kind, reminder.subject_key, recipients,
                    compose, report):
            if reminder.kind == CERTIFICATE_EXPIRY:
                report.certificate_expiry += 1
            else:
                report.requirement_not_met += 1
    _staff_summary(today, queue_link, report)
    return report


def due_reminders(today: date) -> list[Due]:
    """The supplier reminders due on `today` and not yet sent, in a fixed number of queries."""
    candidates: list[tuple[Candidate, str, str, list[str]]] = []
    for row in _assessed_candidates(today):
        a = row.assessment
        if a.status in (pso.Status.EXPIRING, pso.Status.COMPLIANT) and a.expires_on:
            threshold = expiry_threshold(a.days_left)
            if threshold is None or a.pending is not None:
                continue
            # This threshold or a more urgent one sent already for this end date: done.
            covering = [expiry_key(a.expires_on, t) for t in EXPIRY_THRESHOLDS if t <= threshold]
            candidates.append((row, CERTIFICATE_EXPIRY, covering[0], covering))
        elif a.status == pso.Status.NON_COMPLIANT and a.required_level is not None:
            key = not_met_key(today.year, a.required_level.value)
            candidates.append((row, REQUIREMENT_NOT_MET, key, [key]))
    if not candidates:
        return []

    sent = set(db.session.execute(
        select(ReminderSent.organisation_id, ReminderSent.kind, ReminderSent.subject_key).where(
            ReminderSent.kind.in_([CERTIFICATE_EXPIRY, REQUIREMENT_NOT_MET]),
            ReminderSent.subject_key.in_({k for *_rest, keys in candidates for k in keys}),
        )))
    candidates = [(row, kind, key, keys) for row, kind, key, keys in candidates
                  if not any((row.organisation.id, kind, k) in sent for k in keys)]
    ending = _ending_certificates({row.organisation.id: row.assessment
                                   for row, kind, *_rest in candidates
                                   if kind == CERTIFICATE_EXPIRY})
    return [Due(row.organisation.id, row.organisation.name, kind, key, row.assessment,
                ending.get(row.organisation.id) if kind == CERTIFICATE_EXPIRY else None)
            for row, kind, key, _keys in candidates]


@dataclass(frozen=True)
class Candidate:
    organisation: compliance.Supplier
    assessment: pso.Assessment


def _assessed_candidates(today: date) -> list[Candidate]:
    """The suppliers a reminder may be due for, by their stored status (brought up to
    `today` first), each assessed again from its facts: the mails quote those facts."""
    compliance.bring_up_to_date(today)
    horizon = today + timedelta(days=max(EXPIRY_THRESHOLDS))
    rows = db.session.execute(
        select(Organisation.id, Organisation.name, Organisation.kvk)
        .join(Compliance, Compliance.organisation_id == Organisation.id)
        .where(or_(Compliance.status == pso.Status.NON_COMPLIANT,
                   Compliance.status.in_([pso.Status.EXPIRING, pso.Status.COMPLIANT])
                   & (Compliance.covered_until <= horizon)))
        .order_by(Organisation.name, Organisation.id)).all()
    if not rows:
        return []
    ids = [org_id for org_id, _name, _kvk in rows]
    rules = loader.rules()
    contracts = loader.contracts(ids)
    certificates = loader.certificates(ids)
    return [Candidate(compliance.Supplier(org_id, name, kvk),
                      pso.assess(rules, contracts[org_id], certificates[org_id], today))
            for org_id, name, kvk in rows]


def _ending_certificates(
        assessments: dict[int, pso.Assessment]) -> dict[int, pso.Certificate]:
    """Per organisation, the verified certificate that meets the requirement and ends on the
    last day of the coverage: the one a reminder names (after renewals, not the current one)."""
    if not assessments:
        return {}
    rows = db.session.scalars(select(Certificate).where(
        Certificate.organisation_id.in_(assessments),
        Certificate.state == CertificateState.VERIFIED,
        Certificate.valid_until.in_({a.expires_on for a in assessments.values()})))
    found: dict[int, pso.Certificate] = {}
    for c in rows:
        a = assessments[c.organisation_id]
        if c.valid_until != a.expires_on or not pso.meets(c.level, a.required_level):
            continue
        fact = loader.certificate_of(c)
        best = found.get(c.organisation_id)
        if best is None or (pso.LEVELS.index(fact.level), fact.id) > (
                pso.LEVELS.index(best.level), best.id):
            found[c.organisation_id] = fact
    return found


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
