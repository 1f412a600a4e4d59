"""The stored compliance of every supplier (obligations.models.Compliance), kept in step.

Computing every supplier's status per request made the staff pages take seconds at 50,000
suppliers, so the status is stored and computed only when something it depends on changes:

- a change to a supplier's facts (its contracts, certificates, the supplier itself, or a policy
  rule: everyone) is noted in the session, by the ORM events below or by the services that
  change rows with one UPDATE (`portal.db.facts_changed`), and the noted suppliers are computed
  again just before the transaction commits, so a change and its status stand or fall together;
- what the date alone changes (a certificate ends, a rule or a contract starts) is computed by
  `flask --app portal refresh-compliance`, daily; and a page that finds rows computed for
  another day brings them up to today first (`bring_up_to_date`), should that run have failed.

The status itself is still computed by the pure rules of portal.pso from the facts of
portal.obligations.loader, the same as the obligation page does per supplier.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from flask_sqlalchemy.session import Session
from sqlalchemy import event, func, select, text, update
from sqlalchemy.dialects import postgresql, sqlite

from portal import clock, pso, pso_timeline
from portal.certificates.models import Certificate
from portal.contracts.models import Contract
from portal.db import EVERY_ORGANISATION, FACTS_CHANGED, facts_changed
from portal.extensions import db
from portal.obligations import loader
from portal.obligations.models import Compliance, ComplianceSnapshot, PolicyRule
from portal.suppliers.models import Organisation

# Suppliers computed and written per round: bounds the memory of a full refresh and, from the
# command, how long one transaction holds its row locks.
CHUNK = 2000
COLUMNS = ("status", "required_level", "annual_sum_cents", "certificate_id", "covered_until",
           "pending_certificate_id", "next_change_on", "next_status", "next_required_level")


def computed(rules: list[pso.Rule], contracts: list[pso.Contract],
             certificates: list[pso.Certificate], today: date) -> dict:
    """One supplier's stored columns (without its id and day), from its facts."""
    a = pso.assess(rules, contracts, certificates, today)
    change = pso_timeline.next_change(rules, contracts, certificates, today)
    held = a.certificate or a.best_held
    return {
        "status": a.status.value,
        "required_level": a.required_level.value if a.required_level else None,
        "annual_sum_cents": a.obligation.annual_sum_cents,
        "certificate_id": held.id if held else None,
        "covered_until": a.expires_on or (held.valid_until if held else None),
        "pending_certificate_id": a.pending.id if a.pending else None,
        "next_change_on": change.on if change else None,
        "next_status": change.status.value if change else None,
        "next_required_level": (change.required_level.value
                                if change and change.required_level else None),
    }


@dataclass(frozen=True)
class Supplier:
    """The columns a list of suppliers shows; building ORM objects for thousands of them
    cost a third of a page."""

    id: int
    name: str
    kvk: str


@dataclass
class Result:
    """What a refresh did: suppliers computed, and rows whose status columns were written."""

    computed: int = 0
    written: int = 0

    def add(self, other: "Result") -> None:
        self.computed += other.computed
        self.written += other.written


def refresh(organisation_ids: Iterable[int] | None, today: date, *,
            commit_each_chunk: bool = False) -> Result:
    """Compute the given suppliers (None: all) for `today` and store what differs.

    Each supplier's row is locked before its facts and the rules are read (PostgreSQL; SQLite
    lets one writer in at a time anyway): of two transactions changing one supplier at once
    (an upload during an import, or while a rule is added), the second waits for the first to
    commit and then computes from both changes, so the stored row is never left with only one
    of them.
    """
    result = Result()
    for ids in _chunks(organisation_ids):
        result.add(_refresh_chunk(ids, today))
        if commit_each_chunk:
            db.session.commit()
    return result


def _chunks(organisation_ids: Iterable[int] | None) -> Iterator[list[int]]:
    if organisation_ids is None:
        everyone = db.session.scalars(select(Organisation.id).order_by(Organisation.id))
        organisation_ids = list(everyone)
    ordered = sorted(set(organisation_ids))
    for start in range(0, len(ordered), CHUNK):
        yield ordered[start:start + CHUNK]


def _refresh_chunk(ids: list[int], today: date) -> Result:
    stored = {row.organisation_id: row for row in db.session.execute(
        select(Compliance.organisation_id, *(getattr(Compliance, c) for c in COLUMNS))
        .where(Compliance.organisation_id.in_(ids)).order_by(Compliance.organisation_id)
        .with_for_update())}
    rules = loader.rules()  # after the lock: a rule added meanwhile is committed by now
    existing = set(db.session.scalars(select(Organisation.id).where(Organisation.id.in_(ids))))
    contracts = loader.contracts(ids)
    certificates = loader.certificates(ids)
    new, changed = [], []
    for org_id in ids:
        if org_id not in existing:
            continue
        values = computed(rules, contracts[org_id], certificates[org_id], today)
        row = stored.get(org_id)
        if row is None:
            new.append({"organisation_id": org_id, "computed_for": today, **values})
        elif tuple(getattr(row, c) for c in COLUMNS) != tuple(values[c] for c in COLUMNS):
            changed.append({"organisation_id": org_id, "computed_for": today, **values})
    if new:
        db.session.execute(_insert().values(new).on_conflict_do_nothing())
    if changed:
        db.session.execute(update(Compliance), changed)
    # Rows whose status did not change are now computed for today too.
    db.session.execute(update(Compliance).where(
        Compliance.organisation_id.in_(ids), Compliance.computed_for != today)
        .values(computed_for=today).execution_options(synchronize_session=False))
    return Result(computed=len(existing), written=len(new) + len(changed))


def _insert():
    dialect = db.session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(Compliance)


def stale_range(today: date) -> bool:
    """Whether any row was computed for another day than `today` (two indexed look-ups).

    Two scalar subqueries, not min() and max() side by side: SQLite reads only the ends of
    the index for a lone min() or max(), but scans all of it for the pair (5 to 20 ms at
    50,000 suppliers, on every staff page)."""
    low, high = db.session.execute(select(
        select(func.min(Compliance.computed_for)).scalar_subquery(),
        select(func.max(Compliance.computed_for)).scalar_subquery())).one()
    return low is not None and (low != today or high != today)


def bring_up_to_date(today: date) -> Result:
    """Compute the rows computed for another day, and record the day's counts; the caller
    commits. What a page calls before it shows stored statuses: normally nothing is stale
    (the daily refresh ran) and this costs one query."""
    result = settle(today)
    if not stale_range(today):
        return result
    ids = db.session.scalars(select(Compliance.organisation_id).where(
        Compliance.computed_for != today))
    result.add(refresh(list(ids), today))
    record_snapshot(today)
    return result


def record_snapshot(today: date) -> dict[str, int]:
    """Store how many suppliers have each status today (again, if the day was recorded)."""
    counts = status_counts()
    db.session.execute(ComplianceSnapshot.__table__.delete().where(
        ComplianceSnapshot.day == today))
    db.session.execute(ComplianceSnapshot.__table__.insert(), [
        {"day": today, "status": status, "suppliers": n} for status, n in counts.items()])
    return counts


def status_counts() -> dict[str, int]:
    counts = {s.value: 0 for s in pso.Status}
    for status, n in db.session.execute(
            select(Compliance.status, func.count()).group_by(Compliance.status)):
        counts[status] = n
    return counts


@dataclass(frozen=True)
class Difference:
    organisation_id: int
    column: str
    stored: object
    expected: object


def differences() -> list[Difference]:
    """Every stored value that differs from what computing it again, for the day the row was
    computed for, gives now; a supplier without a row is a difference too."""
    rules = loader.rules()
    found: list[Difference] = []
    for ids in _chunks(None):
        stored = {row.organisation_id: row for row in db.session.execute(
            select(Compliance).where(Compliance.organisation_id.in_(ids))).scalars()}
        contracts = loader.contracts(ids)
        certificates = loader.certificates(ids)
        for org_id in ids:
            row = stored.get(org_id)
            if row is None:
                found.append(Difference(org_id, "row", None, "present"))
                continue
            values = computed(rules, contracts[org_id], certificates[org_id], row.computed_for)
            found.extend(Difference(org_id, c, getattr(row, c), values[c])
                         for c in COLUMNS if getattr(row, c) != values[c])
    return found


# --- Keeping in step: the session notes who changed, the commit computes them ----------------


def _note_supplier(_mapper, _connection, target) -> None:
    facts_changed(target.organisation_id)


def _note_organisation(_mapper, _connection, target) -> None:
    facts_changed(target.id)


def _note_everyone(_mapper, _connection, _target) -> None:
    facts_changed(None)


for _model, _listener in ((Contract, _note_supplier), (Certificate, _note_supplier),
                          (PolicyRule, _note_everyone)):
    for _event in ("after_insert", "after_update", "after_delete"):
        event.listen(_model, _event, _listener)
event.listen(Organisation, "after_insert", _note_organisation)


def settle(today: date) -> Result:
    """Compute now, for `today`, the suppliers whose facts this transaction changed so far
    (rather than at its commit): for a reader that is about to read their stored rows."""
    db.session.flush()  # changes the ORM still holds are noted as they are written
    noted = db.session.info.pop(FACTS_CHANGED, None)
    if not noted:
        return Result()
    if EVERY_ORGANISATION in noted:
        _hold_off_other_computations()
        return refresh(None, today)
    return refresh(noted, today)


def _hold_off_other_computations() -> None:
    """A rule changed, so everyone is computed: until this transaction commits, no other may
    compute a supplier (with the rules as they were) nor add one this transaction does not
    see yet; one that computes already is waited for. Plain reads go on. (PostgreSQL: SQLite
    lets one writer in at a time anyway.)"""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text(f"LOCK TABLE {Compliance.__tablename__} IN EXCLUSIVE MODE"))


@event.listens_for(Session, "before_commit")
def _compute_noted(session) -> None:
    if session is db.session():
        settle(clock.local_today())


@event.listens_for(Session, "after_rollback")
def _forget_noted(session) -> None:
    session.info.pop(FACTS_CHANGED, None)
