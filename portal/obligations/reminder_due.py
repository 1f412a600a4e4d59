"""Which reminders to suppliers are due on a day and not yet sent (the rules: `reminders`).

Kept apart from `reminders`, which sends and records them, and from `reminder_mails`, which
words them. Candidates are found in the stored statuses (portal.obligations.compliance) with one
query, and only they are assessed again from their facts, in a fixed number of queries: the
mails quote those facts, and a stored row is a read model, never the source.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import and_, case, or_, select

from portal import pso, pso_timeline
from portal.certificates.models import Certificate
from portal.extensions import db
from portal.obligations import compliance, loader
from portal.obligations.models import Compliance, ReminderSent
from portal.states import CertificateState
from portal.suppliers.models import Organisation

CERTIFICATE_EXPIRY = "certificate_expiry"
UPCOMING_REQUIREMENT = "upcoming_requirement"
REQUIREMENT_NOT_MET = "requirement_not_met"
SUPPLIER_KINDS = (CERTIFICATE_EXPIRY, UPCOMING_REQUIREMENT, REQUIREMENT_NOT_MET)

# Days before a day (the end of a coverage, the start of a new requirement) at which a reminder
# goes out, least urgent first.
THRESHOLDS = (90, 30, 7)
HORIZON = max(THRESHOLDS)
# How far ahead a new requirement is looked for: a day further than HORIZON, since a coverage
# ending within HORIZON days may be ended a day later by a new requirement, which then replaces
# its expiry reminder.
LOOKAHEAD = HORIZON + 1


def threshold_reached(days_left: int | None) -> int | None:
    """The most urgent threshold reached with `days_left` days left (0: the day itself)."""
    if days_left is None or days_left < 0:
        return None
    return min((t for t in THRESHOLDS if days_left <= t), default=None)


def expiry_key(expires_on: date, threshold: int) -> str:
    return f"expires:{expires_on.isoformat()}:{threshold}"


def upcoming_key(starts_on: date, level: str, threshold: int) -> str:
    return f"upcoming:{starts_on.isoformat()}:{level}:{threshold}"


def not_met_key(year: int, level: str) -> str:
    return f"not_met:{year}:{level}"


@dataclass(frozen=True)
class Due:
    """A reminder that is due for one supplier, with plain values only: the loop commits per
    organisation, and reading expired ORM objects there would cost queries per supplier."""

    organisation_id: int
    organisation_name: str
    kind: str
    subject_key: str
    # What the reminder is about: the assessment today, or for a new requirement the one on
    # its first day (its level, its year's sum, the certificate held then).
    assessment: pso.Assessment
    # Expiry: the verified certificate whose end is the end of the coverage.
    ending: pso.Certificate | None = None
    # New requirement: the days from today to its first day.
    days_left: int | None = None


@dataclass(frozen=True)
class Candidate:
    organisation: compliance.Supplier
    assessment: pso.Assessment
    # A new requirement the supplier will not meet, coming within LOOKAHEAD days.
    coming: pso_timeline.Change | None = None


def due_reminders(today: date) -> list[Due]:
    """The supplier reminders due on `today` and not yet sent, in a fixed number of queries."""
    # (candidate, kind, its key and the more urgent ones that count as sent, what to quote)
    found: list[tuple[Candidate, str, list[str], pso.Assessment]] = []
    for row in _assessed_candidates(today):
        a = row.assessment
        if row.coming is not None:
            # Before a new requirement only its reminder goes out. It begins on or before the
            # day after the coverage ends (were it later, the status would change on that day
            # first), so the certificate that ends is not enough by then, and an expiry
            # reminder would name the wrong level or day.
            change = row.coming
            threshold = threshold_reached((change.on - today).days)
            if threshold is None:
                continue
            level = change.required_level.value
            keys = [upcoming_key(change.on, level, t) for t in THRESHOLDS if t <= threshold]
            found.append((row, UPCOMING_REQUIREMENT, keys, change.assessment))
        elif a.status in (pso.Status.EXPIRING, pso.Status.COMPLIANT) and a.expires_on:
            threshold = threshold_reached(a.days_left)
            if threshold is None or a.pending is not None:
                continue
            # This threshold or a more urgent one sent already for this end date: done.
            keys = [expiry_key(a.expires_on, t) for t in THRESHOLDS if t <= threshold]
            found.append((row, CERTIFICATE_EXPIRY, keys, a))
        elif a.status == pso.Status.NON_COMPLIANT and a.required_level is not None:
            found.append((row, REQUIREMENT_NOT_MET,
                          [not_met_key(today.year, a.required_level.value)], a))
    if not found:
        return []

    sent = set(db.session.execute(
        select(ReminderSent.organisation_id, ReminderSent.kind, ReminderSent.subject_key).where(
            ReminderSent.kind.in_(SUPPLIER_KINDS),
            ReminderSent.subject_key.in_({k for _row, _kind, keys, _a in found for k in keys}),
        )))
    found = [(row, kind, keys, a) for row, kind, keys, a in found
             if not any((row.organisation.id, kind, k) in sent for k in keys)]
    ending = _ending_certificates({row.organisation.id: a for row, kind, _keys, a in found
                                   if kind == CERTIFICATE_EXPIRY})
    return [Due(row.organisation.id, row.organisation.name, kind, keys[0], a,
                ending=ending.get(row.organisation.id) if kind == CERTIFICATE_EXPIRY else None,
                days_left=(a.day - today).days if kind == UPCOMING_REQUIREMENT else None)
            for row, kind, keys, a in found]


def _rank(column):
    """A level column as its rank on the ladder, so that SQL can compare levels."""
    return case({level.value: rank for rank, level in enumerate(pso.LEVELS)}, value=column,
                else_=-1)


def _new_requirement_coming(today: date):
    """The stored next change brings, within LOOKAHEAD days, a required level higher than
    today's (or the first one) and the supplier not in order from that day: what
    pso_timeline.unmet_new_requirement says, for rows in step with their facts."""
    return and_(
        Compliance.next_change_on > today,
        Compliance.next_change_on <= today + timedelta(days=LOOKAHEAD),
        Compliance.next_status == pso.Status.NON_COMPLIANT,
        Compliance.next_required_level.is_not(None),
        or_(Compliance.required_level.is_(None),
            _rank(Compliance.next_required_level) > _rank(Compliance.required_level)),
    )


def _assessed_candidates(today: date) -> list[Candidate]:
    """The suppliers a reminder may be due for, by their stored status (brought up to
    `today` first), each assessed again from its facts: the mails quote those facts."""
    compliance.bring_up_to_date(today)
    coming = _new_requirement_coming(today)
    rows = db.session.execute(
        select(Organisation.id, Organisation.name, Organisation.kvk, coming.label("coming"))
        .join(Compliance, Compliance.organisation_id == Organisation.id)
        .where(or_(Compliance.status == pso.Status.NON_COMPLIANT,
                   Compliance.status.in_([pso.Status.EXPIRING, pso.Status.COMPLIANT])
                   & (Compliance.covered_until <= today + timedelta(days=HORIZON)),
                   coming))
        .order_by(Organisation.name, Organisation.id)).all()
    if not rows:
        return []
    ids = [row.id for row in rows]
    rules = loader.rules()
    contracts = loader.contracts(ids)
    certificates = loader.certificates(ids)
    found = []
    for org_id, name, kvk, stored_coming in rows:
        now = pso.assess(rules, contracts[org_id], certificates[org_id], today)
        change = None
        if stored_coming:  # the exact change, for the few suppliers the rows point at
            change = pso_timeline.next_change(rules, contracts[org_id], certificates[org_id],
                                              today, within=LOOKAHEAD)
            if not pso_timeline.unmet_new_requirement(now, change):
                change = None
        found.append(Candidate(compliance.Supplier(org_id, name, kvk), now, change))
    return found


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
