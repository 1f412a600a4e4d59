"""The compliance of every supplier at once, for staff: one list, its filters and its CSV.

Statuses are derived, so they are computed here rather than stored: the rules, contracts
and certificates of all suppliers are loaded in a fixed number of queries and assessed in
memory, however many suppliers there are.
"""

import csv
import io
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select

from portal import formats, pso
from portal.certificates.models import Certificate
from portal.extensions import db
from portal.obligations.services import policy_rules
from portal.states import CertificateState
from portal.suppliers.models import Contract, Organisation

SORTS = ("name", "status", "sum", "until")
STATUS_ORDER = {s: i for i, s in enumerate([
    pso.Status.NON_COMPLIANT, pso.Status.PENDING, pso.Status.EXPIRING, pso.Status.COMPLIANT,
    pso.Status.NOT_REQUIRED])}


@dataclass(frozen=True)
class Supplier:
    """The columns a list of all suppliers shows; loading 5,000 ORM objects (with their
    timestamps converted) took a third of the time of the staff overview."""

    id: int
    name: str
    kvk: str


@dataclass(frozen=True)
class Row:
    organisation: Supplier
    assessment: pso.Assessment

    @property
    def status(self) -> pso.Status:
        return self.assessment.status

    @property
    def annual_sum_cents(self) -> int:
        return self.assessment.obligation.annual_sum_cents

    @property
    def held(self) -> pso.Certificate | None:
        return self.assessment.certificate or self.assessment.best_held

    @property
    def covered_until(self) -> date | None:
        if self.assessment.expires_on:
            return self.assessment.expires_on
        return self.held.valid_until if self.held else None


def rows(today: date, rules: list[pso.Rule] | None = None) -> list[Row]:
    """Every supplier assessed on `today`, under the rules in force or under `rules`."""
    rules = policy_rules() if rules is None else rules
    # One rule is in force on `today` for everyone; finding it once, not per supplier, is
    # the same answer for less work.
    rules = [rule for rule in [pso.rule_on(rules, today)] if rule is not None]
    # Plain columns, not ORM objects: building 25,000 objects per request cost most of the time.
    # Only the contracts that run in `today`'s year count (pso.annual_contract_sum), so the
    # others are left in the database, by the same test as pso.Contract.runs_in.
    contracts = defaultdict(list)
    for org_id, start, end, cents, reference, cid in db.session.execute(select(
            Contract.organisation_id, Contract.start_date, Contract.end_date,
            Contract.annual_value_cents, Contract.reference, Contract.id,
    ).where(Contract.start_date <= date(today.year, 12, 31),
            or_(Contract.end_date.is_(None), Contract.end_date >= date(today.year, 1, 1)))):
        contracts[org_id].append(pso.Contract(start=start, end=end, annual_value_cents=cents,
                                              reference=reference, id=cid))
    certificates = defaultdict(list)
    for org_id, level, issued, until, state, number, cid in db.session.execute(select(
            Certificate.organisation_id, Certificate.level, Certificate.issued_on,
            Certificate.valid_until, Certificate.state, Certificate.number, Certificate.id,
    ).where(Certificate.state != CertificateState.REJECTED)):
        certificates[org_id].append(pso.Certificate(level=level, valid_from=issued,
                                                    valid_until=until, state=state,
                                                    number=number, id=cid))
    return [
        Row(Supplier(org_id, name, kvk),
            pso.assess(rules, contracts[org_id], certificates[org_id], today))
        for org_id, name, kvk in db.session.execute(select(
            Organisation.id, Organisation.name, Organisation.kvk).order_by(Organisation.name))
    ]


def select_rows(all_rows: list[Row], *, q: str = "", status: str = "", sort: str = "name",
                descending: bool = False) -> list[Row]:
    """Filter by status and by a search in name or KvK number, then sort."""
    needle = (q or "").strip().lower()
    found = [
        r for r in all_rows
        if (not status or r.status == status)
        and (not needle or needle in r.organisation.name.lower() or needle in r.organisation.kvk)
    ]
    keys = {
        "name": lambda r: r.organisation.name.lower(),
        "status": lambda r: (STATUS_ORDER[r.status], r.organisation.name.lower()),
        "sum": lambda r: r.annual_sum_cents,
        "until": lambda r: (r.covered_until or date.max),
    }
    return sorted(found, key=keys.get(sort, keys["name"]), reverse=descending)


def counts(all_rows: list[Row]) -> dict[str, int]:
    result = {s.value: 0 for s in STATUS_ORDER}
    for r in all_rows:
        result[r.status.value] += 1
    return result


def safe_cell(value) -> str:
    """A cell Excel will not run as a formula (DESIGN.md: CSV exports are opened in Excel)."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


CSV_HEADER = ["kvk", "naam", "status", "opdrachtsom", "gevraagde_trede", "trede",
              "certificaatnummer", "gedekt_tot"]


def to_csv(selected: list[Row]) -> bytes:
    """`;`-separated, UTF-8 with BOM, Dutch amounts: what Dutch Excel opens as it should."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for r in selected:
        held = r.held
        writer.writerow([safe_cell(v) for v in (
            r.organisation.kvk, r.organisation.name, r.status.value,
            formats.format_euro(r.annual_sum_cents).replace("€ ", ""),
            r.assessment.required_level.value if r.assessment.required_level else "",
            held.level.value if held else "", held.number if held else "",
            r.covered_until.isoformat() if r.covered_until else "",
        )])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
