"""What a supplier must see coming: the PSO obligation over this year and the next ones.

Pure, like `portal.pso`, on which it builds (and which knows nothing of it). A supplier plans a
certification months ahead, so the portal shows the years to come, not only today: the contract
sum and required level per year, rule changes, the end of the certificate in use, and the day a
gap would open.
"""

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from portal.pso import (
    EXPIRY_WARNING_DAYS,
    Assessment,
    Assessor,
    Certificate,
    Contract,
    Level,
    Rule,
    Status,
    meets,
    rule_on,
)

# How far ahead "the coming obligation" looks: a certification takes months to arrange.
UPCOMING_DAYS = 365


class EntryKind(enum.StrEnum):
    """What a timeline entry announces; the order here is the order within one day."""

    TODAY = "today"
    YEAR = "year"
    RULE_CHANGE = "rule_change"
    CERTIFICATE_ENDS = "certificate_ends"
    GAP = "gap"


@dataclass(frozen=True)
class TimelineEntry:
    """One thing a supplier must see coming, with the assessment on its date.

    `certificate` is set for CERTIFICATE_ENDS (the certificate that ends on `date`) and for GAP
    (the certificate used on the day before the gap, if any).
    """

    date: date
    kind: EntryKind
    assessment: Assessment
    certificate: Certificate | None = None


_KIND_ORDER = {kind: order for order, kind in enumerate(EntryKind)}
_DAY = timedelta(days=1)


def timeline(rules: Iterable[Rule], contracts: Iterable[Contract],
                   certificates: Iterable[Certificate], today: date,
                   years: int = 3) -> list[TimelineEntry]:
    """The entries from `today` through 31 December of year `today.year + years - 1`.

    - TODAY: the assessment today (the current year's sum and level);
    - YEAR: 1 January of each following year, with that year's sum and level;
    - RULE_CHANGE: each day after today on which another rule (or none) comes into force;
    - CERTIFICATE_ENDS: the last valid day of the certificate in use today (the one meeting the
      requirement, else the best one held), when it falls in the window;
    - GAP: each day after today on which the status turns non_compliant; not when it already
      is today, since TODAY shows that.
    Sorted by date, and within a day in the order of EntryKind.
    """
    if years < 1:
        raise ValueError("a timeline covers at least the current year")
    rules, contracts, certificates = list(rules), list(contracts), list(certificates)
    last = date(today.year + years - 1, 12, 31)
    assessor = Assessor(rules, contracts, certificates)

    def at(day: date, kind: EntryKind, certificate: Certificate | None = None) -> TimelineEntry:
        return TimelineEntry(day, kind, assessor.assess(day), certificate)

    now = at(today, EntryKind.TODAY)
    entries = [now]
    entries += [at(date(year, 1, 1), EntryKind.YEAR) for year in range(today.year + 1,
                                                                       last.year + 1)]
    entries += [at(day, EntryKind.RULE_CHANGE) for day in _rule_changes(rules, today, last)]
    in_use = now.assessment.certificate or now.assessment.best_held
    if in_use is not None and in_use.valid_until <= last:
        entries.append(at(in_use.valid_until, EntryKind.CERTIFICATE_ENDS, in_use))
    entries += _gaps(assessor, certificates, now, last)
    return sorted(entries, key=lambda e: (e.date, _KIND_ORDER[e.kind]))


def _rule_changes(rules: list[Rule], today: date, last: date) -> list[date]:
    """Days in (today, last] on which the rule in force differs from the day before."""
    starts = {rule.effective_from for rule in rules}
    starts |= {rule.effective_until + _DAY for rule in rules if rule.effective_until}
    return sorted(day for day in starts
                  if today < day <= last and rule_on(rules, day) != rule_on(rules, day - _DAY))


def change_days(rules: list[Rule], certificates: list[Certificate], after: date,
                last: date) -> list[date]:
    """Every day in (after, last] on which a status other than expiring can change.

    A status depends on the rule in force (changes on a rule's first day and the day after its
    last), the year's contract sum (changes on 1 January) and which certificates are valid
    (changes on a certificate's first day and the day after its last). Checking these days only
    finds every gap without assessing each day of three years.
    """
    days = {date(year, 1, 1) for year in range(after.year + 1, last.year + 1)}
    days |= {rule.effective_from for rule in rules}
    days |= {rule.effective_until + _DAY for rule in rules if rule.effective_until}
    days |= {c.issued_on for c in certificates}
    days |= {c.valid_until + _DAY for c in certificates}
    return sorted(day for day in days if after < day <= last)


def _gaps(assessor: Assessor, certificates: list[Certificate], now: TimelineEntry,
          last: date) -> list[TimelineEntry]:
    """A GAP entry for each day after today on which the status turns non_compliant."""
    gaps = []
    previous = now.assessment
    for day in change_days(assessor.rules, certificates, now.date, last):
        assessment = assessor.assess(day)
        if (assessment.status == Status.NON_COMPLIANT
                and previous.status != Status.NON_COMPLIANT):
            gaps.append(TimelineEntry(day, EntryKind.GAP, assessment, previous.certificate))
        previous = assessment
    return gaps


@dataclass(frozen=True)
class Change:
    """The first day on which a supplier's status will differ from today's, and the
    assessment from that day on."""

    on: date
    assessment: Assessment

    @property
    def status(self) -> Status:
        return self.assessment.status

    @property
    def required_level(self) -> Level | None:
        return self.assessment.required_level


def next_change(rules: Iterable[Rule], contracts: Iterable[Contract],
                certificates: Iterable[Certificate], today: date,
                within: int = UPCOMING_DAYS) -> Change | None:
    """The first day in (today, today + `within`] whose status differs from today's, or None.

    A status can only change on a day of `change_days` (a rule, 1 January, a certificate's
    first day or the day after its last) or on the first day a coverage counts as expiring
    (EXPIRY_WARNING_DAYS before a certificate's last day); between those days it stays as it
    is, so assessing those days alone finds the first change.
    """
    rules, contracts, certificates = list(rules), list(contracts), list(certificates)
    assessor = Assessor(rules, contracts, certificates)
    now = assessor.assess(today).status
    last = today + timedelta(days=within)
    days = set(change_days(rules, certificates, today, last))
    days |= {c.valid_until - timedelta(days=EXPIRY_WARNING_DAYS) for c in certificates}
    for day in sorted(d for d in days if today < d <= last):
        assessment = assessor.assess(day)
        if assessment.status != now:
            return Change(day, assessment)
    return None


def unmet_new_requirement(now: Assessment, change: Change | None) -> bool:
    """Whether `change` brings a required level higher than today's (or one where none is
    required today) that the supplier will not meet from its first day: what it must be told
    of in advance, to arrange a certification in time.

    A change to pending does not count: an upload that would meet the new level awaits
    verification, so the supplier has done its part.
    """
    if change is None or change.status != Status.NON_COMPLIANT or change.required_level is None:
        return False
    return now.required_level is None or not meets(now.required_level, change.required_level)
