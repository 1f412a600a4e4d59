"""Domain rules of Social Return at Wonen Limburg, as pure functions without Flask.

Everything here works on plain values (dates, integer cents, frozen dataclasses), so that the
rules can be tested exhaustively without a database and reused by views, exports, reminders and
the CSV import alike. The database layer converts its rows into the dataclasses below.

Sections: the supplier's KvK number; PSO levels; certificate validity; policy rules, contracts
and the obligation; the status of a supplier on a day; money and dates as people type them.
The timeline (what is coming in the next years) lives in `portal.pso_timeline`, which builds
on this module.
"""

import enum
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from portal.states import CertificateState

# --- KvK number -------------------------------------------------------------------------------

KVK_LENGTH = 8
_DIGITS = re.compile(r"[0-9]+")


def normalise_kvk(value: str) -> str | None:
    """The 8-digit KvK number in `value`, or None when it is not one.

    Spaces and dots people type between groups are ignored. Seven digits are read as a number
    whose leading zero a spreadsheet dropped, because purchasing exports pass through Excel.
    """
    cleaned = re.sub(r"[\s.]", "", value or "")
    if not _DIGITS.fullmatch(cleaned):
        return None
    if len(cleaned) == KVK_LENGTH - 1:
        cleaned = "0" + cleaned
    return cleaned if len(cleaned) == KVK_LENGTH else None


# --- PSO levels -------------------------------------------------------------------------------


class Level(enum.StrEnum):
    """The steps of the Prestatieladder Socialer Ondernemen; the values are stored as they are."""

    ASPIRANT = "aspirant"
    BASISTREDE = "basistrede"
    TREDE_1 = "trede_1"
    TREDE_2 = "trede_2"
    TREDE_3 = "trede_3"
    PSO_30PLUS = "pso_30plus"


LEVELS: tuple[Level, ...] = tuple(Level)  # lowest first: the order of the definition above
_RANK = {level: rank for rank, level in enumerate(LEVELS)}


def meets(held: Level | str, required: Level | str) -> bool:
    """Whether a certificate of level `held` satisfies a requirement of level `required`.

    The ladder is a strict order, so "trede N or higher" is a comparison of ranks. It follows
    that aspirant and basistrede (below trede 1) never meet a trede requirement, and that PSO 30+
    (a mark within trede 3, ranked on top) meets every requirement. Strings are accepted because
    the database and forms hold the values; an unknown value raises ValueError.
    """
    try:  # a level's value finds its member in _RANK too (StrEnum): no conversion needed
        return _RANK[held] >= _RANK[required]
    except KeyError:
        return _RANK[Level(held)] >= _RANK[Level(required)]  # ValueError names the bad value


# --- Certificate validity ---------------------------------------------------------------------

MAX_VALIDITY_YEARS = 2
ENDS_BEFORE_START = "ends_before_start"
LONGER_THAN_TWO_YEARS = "longer_than_two_years"


def add_years(day: date, years: int) -> date:
    """The same calendar day `years` later; 29 February becomes 28 February in a common year.

    Rounding down (not to 1 March) keeps "at most N years" true for leap-day dates.
    """
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February into a common year
        return day.replace(year=day.year + years, day=28)


def latest_valid_until(issued_on: date) -> date:
    """The last end date a PSO certificate starting on `issued_on` may have.

    A certificate is valid for at most two years, and issuers write the end date as the same
    calendar day two years on, so that day itself is allowed.
    """
    return add_years(issued_on, MAX_VALIDITY_YEARS)


def validity_problem(issued_on: date, valid_until: date) -> str | None:
    """A machine code for a validity period that must be a typing error, or None when it is fine.

    Both dates are days of validity, so `issued_on == valid_until` is a one-day certificate
    (odd, but possible). Codes: ENDS_BEFORE_START, LONGER_THAN_TWO_YEARS; callers translate them.
    """
    if valid_until < issued_on:
        return ENDS_BEFORE_START
    if valid_until > latest_valid_until(issued_on):
        return LONGER_THAN_TWO_YEARS
    return None


# --- Rules, contracts, certificates -----------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    """A policy rule: from `effective_from` (to `effective_until`, both inclusive), a supplier
    whose annual contract sum is at least `threshold_cents` must hold `required_level`."""

    effective_from: date
    threshold_cents: int
    required_level: Level
    effective_until: date | None = None
    id: int | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "required_level", Level(self.required_level))

    def in_force_on(self, day: date) -> bool:
        return self.effective_from <= day and (
            self.effective_until is None or day <= self.effective_until)


# The leaflet: from 2021 trede 1 at EUR 150,000 a year; from 2022 trede 2. The 2022 sentence
# names no threshold; we read it as keeping EUR 150,000 (DESIGN.md).
LEAFLET_RULES: tuple[Rule, ...] = (
    Rule(effective_from=date(2021, 1, 1), threshold_cents=15_000_000,
         required_level=Level.TREDE_1),
    Rule(effective_from=date(2022, 1, 1), threshold_cents=15_000_000,
         required_level=Level.TREDE_2),
)


@dataclass(frozen=True)
class Contract:
    """A contract with its value per year; `end` None means it runs until further notice."""

    start: date
    end: date | None
    annual_value_cents: int
    reference: str = ""
    id: int | None = None

    def runs_in(self, year: int) -> bool:
        """Whether the contract runs on at least one day of `year`: it starts by 31 December
        and does not end before 1 January, which is to compare the years."""
        return self.start.year <= year and (self.end is None or self.end.year >= year)


@dataclass(frozen=True)
class Certificate:
    """An uploaded PSO certificate, valid from `issued_on` through `valid_until` inclusive.

    The date of issue is the start of validity: for Social Return the certificate's start date
    is what counts, and the upload form, the model and these rules all call it `issued_on`."""

    level: Level
    issued_on: date
    valid_until: date
    state: CertificateState
    number: str = ""
    id: int | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "level", Level(self.level))
        try:
            object.__setattr__(self, "state", CertificateState(self.state))
        except ValueError:
            raise ValueError(f"unknown certificate state {self.state!r}") from None

    def is_valid_on(self, day: date) -> bool:
        """Valid on `day`; the end date is the last day of validity, so it still counts."""
        return self.issued_on <= day <= self.valid_until


# --- The obligation ---------------------------------------------------------------------------


def annual_contract_sum(contracts: Iterable[Contract], year: int) -> int:
    """The annual contract sum (opdrachtsom) in cents for calendar year `year`.

    Every contract that runs on at least one day of the year counts with its full annual value,
    also when it starts or ends during the year (DESIGN.md): the leaflet speaks of a sum "per
    year", not of a pro-rated one.
    """
    return sum(c.annual_value_cents for c in contracts if c.runs_in(year))


def rule_on(rules: Iterable[Rule], day: date) -> Rule | None:
    """The rule in force on `day`, or None before the first rule.

    When several rows are in force, the one with the latest `effective_from` wins: a new rule is
    a new row that supersedes the older one from its own date on (so the 2022 leaflet row
    replaces the open-ended 2021 row). On equal dates the highest id, the newest row, wins.
    """
    found, found_key = None, None
    for rule in rules:  # a loop, not max() over a list: this runs for every day assessed
        if rule.effective_from <= day and (
                rule.effective_until is None or day <= rule.effective_until):
            key = (rule.effective_from, _id(rule.id))
            if found is None or key > found_key:
                found, found_key = rule, key
    return found


def _id(value: int | None) -> int:
    return -1 if value is None else value


@dataclass(frozen=True)
class Obligation:
    """What is required of a supplier on `day`; `required_level` None means nothing is."""

    day: date
    rule: Rule | None
    annual_sum_cents: int
    required_level: Level | None

    @property
    def required(self) -> bool:
        return self.required_level is not None


def obligation_on(rules: Iterable[Rule], contracts: Iterable[Contract], day: date) -> Obligation:
    """The rule in force on `day` applied to the contract sum of `day`'s year.

    A sum exactly equal to the threshold is in scope: the leaflet says "minimaal 150.000 euro".
    """
    rule = rule_on(rules, day)
    total = annual_contract_sum(contracts, day.year)
    required = rule.required_level if rule is not None and total >= rule.threshold_cents else None
    return Obligation(day=day, rule=rule, annual_sum_cents=total, required_level=required)


# --- Status -----------------------------------------------------------------------------------


class Status(enum.StrEnum):
    """A supplier's standing on a day; the values appear in pages, exports and data-status."""

    NOT_REQUIRED = "not_required"
    COMPLIANT = "compliant"
    PENDING = "pending"
    EXPIRING = "expiring"
    NON_COMPLIANT = "non_compliant"


EXPIRY_WARNING_DAYS = 90


@dataclass(frozen=True)
class Assessment:
    """A supplier's status on a day, with what the explanation needs.

    `certificate`: the verified certificate that meets the requirement (the one valid longest).
    `expires_on`: the last day the requirement is covered without a gap, following renewals.
    `renewal`: a verified certificate that continues `certificate` beyond its end, if any.
    `pending`: an upload awaiting verification that would meet the requirement on the day, or
    (when compliant) that would continue the coverage beyond `expires_on`.
    `best_held`: the highest verified certificate valid on the day, even if too low or not
    needed, for explanations such as "you hold trede 1 but trede 2 is required".
    """

    status: Status
    obligation: Obligation
    certificate: Certificate | None
    pending: Certificate | None
    expires_on: date | None
    best_held: Certificate | None
    renewal: Certificate | None = None

    @property
    def day(self) -> date:
        return self.obligation.day

    @property
    def required_level(self) -> Level | None:
        return self.obligation.required_level

    @property
    def needs_upload(self) -> bool:
        """Whether the supplier should upload a (new) certificate now."""
        return self.status in (Status.NON_COMPLIANT, Status.EXPIRING)

    @property
    def awaits_verification(self) -> bool:
        """Whether only staff's check of an uploaded certificate stands between the supplier
        and compliance: nothing for the supplier to do."""
        return self.status == Status.PENDING

    @property
    def days_left(self) -> int | None:
        """Days from the day of the assessment to `expires_on` (0: the last covered day)."""
        return None if self.expires_on is None else (self.expires_on - self.day).days


def assess(rules: Iterable[Rule], contracts: Iterable[Contract],
           certificates: Iterable[Certificate], day: date) -> Assessment:
    """The status of one supplier on `day`.

    not_required: no rule, or the sum is below its threshold. compliant: a verified certificate
    valid on the day meets the required level. expiring: compliant, but the coverage ends
    within EXPIRY_WARNING_DAYS (90 days left is still expiring, 91 is not). The coverage runs
    on through qualifying verified certificates that start by the day after the previous one
    ends, so a renewal already in place means "compliant", not "expiring". pending: nothing
    verified complies, but an upload awaiting verification and valid on the day would: it never
    lowers compliant. non_compliant: otherwise. Rejected certificates never count.
    """
    return Assessor(rules, contracts, certificates).assess(day)


class Assessor:
    """assess() for one supplier's facts on many days: what does not depend on the day (the
    certificates by state, those meeting a level, the contract sum of a year) is worked out
    once. The timeline and the coming change assess a supplier on a dozen days, the daily
    refresh does that for every supplier."""

    def __init__(self, rules: Iterable[Rule], contracts: Iterable[Contract],
                 certificates: Iterable[Certificate]) -> None:
        self.rules = list(rules)
        self.contracts = list(contracts)
        certificates = list(certificates)
        self.verified = [c for c in certificates if c.state == CertificateState.VERIFIED]
        self.pending = [c for c in certificates if c.state == CertificateState.PENDING]
        self._sums: dict[int, int] = {}
        self._meeting: dict[Level, tuple[list[Certificate], list[Certificate]]] = {}

    def obligation(self, day: date) -> Obligation:
        """obligation_on(rules, contracts, day), the year's sum computed once per year."""
        rule = rule_on(self.rules, day)
        total = self._sums.get(day.year)
        if total is None:
            total = self._sums[day.year] = annual_contract_sum(self.contracts, day.year)
        required = (rule.required_level if rule is not None and total >= rule.threshold_cents
                    else None)
        return Obligation(day=day, rule=rule, annual_sum_cents=total, required_level=required)

    def assess(self, day: date) -> Assessment:
        obligation = self.obligation(day)
        verified = self.verified
        best_held = _first_max([c for c in verified if c.issued_on <= day <= c.valid_until],
                               lambda c: (_RANK[c.level], c.valid_until, _id(c.id)))
        required = obligation.required_level
        if required is None:
            return Assessment(Status.NOT_REQUIRED, obligation, None, None, None, best_held)

        qualifying, uploads = self._meeting_level(required)
        current = _longest([c for c in qualifying if c.issued_on <= day <= c.valid_until])
        if current is None:
            pending = _longest([c for c in uploads if c.issued_on <= day <= c.valid_until])
            status = Status.NON_COMPLIANT if pending is None else Status.PENDING
            return Assessment(status, obligation, None, pending, None, best_held)

        expires_on = covered_until(current.valid_until, qualifying)
        renewal = _longest(_continuing(qualifying, current.valid_until))
        pending = _longest(_continuing(uploads, expires_on))
        expiring = (expires_on - day).days <= EXPIRY_WARNING_DAYS
        status = Status.EXPIRING if expiring else Status.COMPLIANT
        return Assessment(status, obligation, current, pending, expires_on, best_held, renewal)

    def _meeting_level(self, required: Level) -> tuple[list[Certificate], list[Certificate]]:
        """The verified certificates, and the uploads awaiting verification, that meet
        `required`, in the order they were given."""
        found = self._meeting.get(required)
        if found is None:
            found = self._meeting[required] = (
                [c for c in self.verified if meets(c.level, required)],
                [c for c in self.pending if meets(c.level, required)])
        return found


def covered_until(end: date, certificates: Iterable[Certificate]) -> date:
    """The last day of a coverage ending on `end`, extended through `certificates` that start
    on or before the day after the coverage ends (overlapping or adjacent ones)."""
    for certificate in sorted(certificates, key=lambda c: c.issued_on):
        if certificate.issued_on > end + timedelta(days=1):
            break
        end = max(end, certificate.valid_until)
    return end


def _continuing(certificates: Iterable[Certificate], end: date) -> Iterable[Certificate]:
    """The certificates that would carry a coverage ending on `end` on past that day."""
    return (c for c in certificates
            if c.issued_on <= end + timedelta(days=1) and c.valid_until > end)


def _longest(certificates: Iterable[Certificate]) -> Certificate | None:
    """The certificate valid longest; on equal ends the higher level, then the newest row."""
    return _first_max(certificates, lambda c: (c.valid_until, _RANK[c.level], _id(c.id)))


def _first_max(items: Iterable, key):
    """max(items, key=key, default=None), the first of equals, without max()'s set-up: the
    lists here hold one or two certificates."""
    found, found_key = None, None
    for item in items:
        item_key = key(item)
        if found is None or item_key > found_key:
            found, found_key = item, item_key
    return found
