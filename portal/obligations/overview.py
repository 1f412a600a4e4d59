"""The compliance of every supplier at once, for staff: one list, its filters and its CSV.

Read from the stored statuses (portal.obligations.compliance), so filtering, sorting and
paging happen in SQL and a page costs the same few statements at 50 or at 50,000 suppliers.
"""

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import aliased

from portal import formats, pso
from portal.certificates.models import Certificate
from portal.extensions import db
from portal.obligations import compliance
from portal.obligations.compliance import Supplier
from portal.obligations.models import Compliance
from portal.suppliers.models import Organisation

SORTS = ("name", "status", "sum", "until")
STATUS_ORDER = {s: i for i, s in enumerate([
    pso.Status.NON_COMPLIANT, pso.Status.PENDING, pso.Status.EXPIRING, pso.Status.COMPLIANT,
    pso.Status.NOT_REQUIRED])}
# "Verandert binnen 90 dagen": the horizon staff plan with (the reminders' first warning).
UPCOMING_FILTER_DAYS = 90


@dataclass(frozen=True)
class Row:
    """One supplier's line: plain values, as read, for the page and the CSV."""

    organisation: Supplier
    status: str
    required_level: str | None
    annual_sum_cents: int
    held_level: str | None
    held_number: str | None
    covered_until: date | None
    upcoming_on: date | None
    upcoming_status: str | None
    upcoming_level: str | None


@dataclass(frozen=True)
class Filters:
    q: str = ""
    status: str = ""
    sort: str = "name"
    descending: bool = False
    upcoming: bool = False  # only suppliers whose status changes within 90 days

    @classmethod
    def from_args(cls, args) -> "Filters":
        """From a query string, ignoring what is not one of the choices."""
        status = args.get("status", "")
        if status not in {s.value for s in pso.Status}:
            status = ""
        sort = args.get("sort") if args.get("sort") in SORTS else "name"
        return cls(q=(args.get("q") or "").strip()[:200], status=status, sort=sort,
                   descending=args.get("desc") == "1", upcoming=args.get("upcoming") == "1")

    def args(self) -> dict:
        """The query string that gives these filters again (for links and the CSV)."""
        return {"q": self.q or None, "status": self.status or None, "sort": self.sort,
                "desc": "1" if self.descending else None,
                "upcoming": "1" if self.upcoming else None}


def _conditions(filters: Filters, today: date) -> list:
    conditions = []
    if filters.status:
        conditions.append(Compliance.status == filters.status)
    if filters.upcoming:
        conditions.append(Compliance.next_change_on <= today + timedelta(
            days=UPCOMING_FILTER_DAYS))
    if filters.q:
        needle = filters.q.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        conditions.append(or_(func.lower(Organisation.name).like(f"%{needle}%", escape="\\"),
                              Organisation.kvk.like(f"%{needle}%", escape="\\")))
    return conditions


def _order(filters: Filters) -> list:
    name = func.lower(Organisation.name)
    status_rank = case({s.value: rank for s, rank in STATUS_ORDER.items()},
                       value=Compliance.status)
    keys = {
        "name": [name],
        "status": [status_rank, name],
        "sum": [Compliance.annual_sum_cents],
        # No end date sorts last, as if it were the furthest.
        "until": [Compliance.covered_until.is_(None), Compliance.covered_until],
    }[filters.sort]
    keys = [k.desc() for k in keys] if filters.descending else keys
    return [*keys, Organisation.id.desc() if filters.descending else Organisation.id]


_held = aliased(Certificate)


def _rows_query(filters: Filters, today: date):
    return (select(Organisation.id, Organisation.name, Organisation.kvk, Compliance.status,
                   Compliance.required_level, Compliance.annual_sum_cents, _held.level,
                   _held.number, Compliance.covered_until, Compliance.next_change_on,
                   Compliance.next_status, Compliance.next_required_level)
            .join(Compliance, Compliance.organisation_id == Organisation.id)
            .outerjoin(_held, _held.id == Compliance.certificate_id)
            .where(*_conditions(filters, today)).order_by(*_order(filters)))


def _row(values) -> Row:
    org_id, name, kvk, *rest = values
    return Row(Supplier(org_id, name, kvk), *rest)


def page(filters: Filters, today: date, number: int, size: int,
         counts: dict[str, int] | None = None) -> tuple[list[Row], int, int]:
    """The rows of page `number` (past the end: the last page), the total and the page.

    With `counts` (suppliers per status, which the page shows anyway), a list filtered by
    status alone, or not at all, takes its total from them instead of counting again."""
    if counts is not None and not filters.q and not filters.upcoming:
        total = counts[filters.status] if filters.status else sum(counts.values())
    else:
        count = select(func.count()).select_from(Compliance)
        if filters.q:
            count = count.join(Organisation, Organisation.id == Compliance.organisation_id)
        total = db.session.scalar(count.where(*_conditions(filters, today)))
    number = max(1, min(number, -(-total // size)))
    found = db.session.execute(_rows_query(filters, today).limit(size)
                               .offset((number - 1) * size))
    return [_row(r) for r in found], total, number


def counts() -> dict[str, int]:
    """Suppliers per status, in the order staff read them."""
    found = compliance.status_counts()
    return {s.value: found[s.value] for s in STATUS_ORDER}


def safe_cell(value) -> str:
    """A cell Excel will not run as a formula (DESIGN.md: CSV exports are opened in Excel)."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


CSV_HEADER = ["kvk", "naam", "status", "opdrachtsom", "gevraagde_trede", "trede",
              "certificaatnummer", "gedekt_tot", "verandert_op", "status_dan",
              "gevraagde_trede_dan"]


def csv_lines(filters: Filters, today: date, batch: int = 2000) -> Iterator[bytes]:
    """`;`-separated, UTF-8 with BOM, Dutch amounts: what Dutch Excel opens as it should.

    Yielded in batches, read with a server-side cursor where there is one, so an export of
    every supplier neither waits for nor holds all of them at once. Plain rows from the
    connection, not the ORM's, and safe_cell only on the cells that hold free text or a
    sign: 50,000 suppliers took seconds otherwise. (A status, a level and an ISO date never
    begin with a character Excel would run.)"""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    yield ("\ufeff" + out.getvalue()).encode("utf-8")
    connection = db.session.connection().execution_options(yield_per=batch)
    result = connection.execute(_rows_query(filters, today))
    euro = formats.format_euro
    for part in result.partitions():
        out.seek(0)
        out.truncate()
        writer.writerows([
            safe_cell(kvk), safe_cell(name), status,
            safe_cell(euro(cents).replace("€ ", "")), required or "", held or "",
            safe_cell(number) if number else "", _iso(until), _iso(upcoming_on),
            upcoming_status or "", upcoming_level or "",
        ] for (_id, name, kvk, status, required, cents, held, number, until, upcoming_on,
               upcoming_status, upcoming_level) in part)
        yield out.getvalue().encode("utf-8")


def _iso(day: date | None) -> str:
    return day.isoformat() if day else ""
