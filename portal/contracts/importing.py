"""Importing the contracts export: check it in chunks (the dry run), then apply it at once.

Checking compares every row with the database and keeps the verdict in `contract_import_rows`;
nothing in `contracts` or `organisations` changes until staff confirm. Applying is a handful of
set-based statements in one transaction, so 50,000 rows take seconds, and either every row
lands or none does.
"""

from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, insert, literal, select, update
from sqlalchemy.exc import IntegrityError

from portal import audit, permissions, routing
from portal.auth.models import User
from portal.contracts import csvfile
from portal.contracts.models import Contract, ContractImport, ContractImportRow
from portal.db import UTCDateTime, facts_changed, utcnow
from portal.exceptions import DomainError
from portal.extensions import db
from portal.states import ImportState, RowKind, check_move, sources
from portal.storage import get_storage
from portal.suppliers.models import Organisation

MAX_FILE_BYTES = 10 * 1024 * 1024  # about 100,000 rows
COMPARED = ("description", "start_date", "end_date", "annual_value_cents")

FILE_MESSAGES = {
    "empty": _l("Het bestand is leeg."),
    "binary": _l("Dit is geen CSV-bestand. Exporteer de contracten uit het inkoopsysteem als "
                 "CSV (puntkomma- of kommagescheiden)."),
    "too_large": _l("Het bestand is groter dan 10 MB. Splits het in delen."),
    "no_rows": _l("Het bestand bevat alleen de kolomnamen, geen contracten."),
    "unreadable": _l("Dit bestand is geen leesbaar CSV-bestand. Exporteer de contracten "
                     "opnieuw uit het inkoopsysteem."),
}


class ImportConflict(DomainError):
    """The import was applied or changed by someone else, or the data moved underneath it."""


def start(actor: User, *, filename: str, data: bytes) -> ContractImport:
    """Keep the file, refuse it whole when it is not the export, and check the first chunk."""
    permissions.require(permissions.can_manage_contracts(actor))
    if len(data) > MAX_FILE_BYTES:
        raise DomainError(FILE_MESSAGES["too_large"], field="file")
    try:
        file_layout = csvfile.layout(data)
        total = csvfile.count_rows(file_layout)
    except csvfile.NotAContractsFile as error:
        if error.code == "header":
            message = _l("De eerste regel van het bestand moet de kolomnamen bevatten: "
                         "kvk;leverancier;referentie;omschrijving;startdatum;einddatum;"
                         "jaarbedrag. Deze ontbreken: %(missing)s.",
                         missing=", ".join(error.missing))
        else:
            message = FILE_MESSAGES[error.code]
        raise DomainError(message, field="file") from error
    if total == 0:
        raise DomainError(FILE_MESSAGES["no_rows"], field="file")
    contract_import = ContractImport(
        original_name=(filename or "contracten.csv")[:255], file_key=get_storage().save(data),
        delimiter=file_layout.delimiter, total_rows=total, created_by=actor)
    db.session.add(contract_import)
    db.session.flush()
    check_next_chunk(actor, contract_import, file_layout)
    audit.record("contracts_import_checked" if contract_import.state == ImportState.CHECKED
                 else "contracts_import_started", actor=actor, obj=contract_import,
                 file=contract_import.original_name, rows=total)
    return contract_import


def check_next_chunk(actor: User, contract_import: ContractImport,
                     file_layout: csvfile.Layout | None = None) -> None:
    """Check the next rows of the file; the caller commits, so a chunk is checked whole."""
    permissions.require(permissions.can_manage_contracts(actor))
    if not contract_import.is_checking:
        return
    if file_layout is None:
        file_layout = csvfile.layout(get_storage().read(contract_import.file_key))
    size = current_app.config["CONTRACT_IMPORT_CHUNK_ROWS"]
    done = contract_import.checked_rows
    rows = list(csvfile.read_rows(file_layout, start=done, limit=size))
    _judge(contract_import.id, rows)
    # A Core executemany: the ORM would split the rows into small batches by which values
    # are NULL, which made a chunk of 5,000 rows cost hundreds of statements.
    db.session.connection().execute(insert(ContractImportRow.__table__),
                                    [_row_values(contract_import.id, row) for row in rows])
    finished = done + len(rows) >= contract_import.total_rows
    state = (check_move(ImportState.CHECKING, ImportState.CHECKED) if finished
             else ImportState.CHECKING)
    # Claim the chunk: when two requests check the same chunk, the second one changes nothing.
    claimed = db.session.execute(
        update(ContractImport)
        .where(ContractImport.id == contract_import.id, ContractImport.checked_rows == done)
        .values(checked_rows=done + len(rows), state=state)
    ).rowcount
    if claimed != 1:
        raise ImportConflict(_l("Dit deel van het bestand is al gecontroleerd."))
    db.session.refresh(contract_import)


@dataclass
class _Existing:
    organisations: dict[str, int]
    contracts: dict[tuple[str, str], Contract]
    earlier_lines: dict[tuple[str, str], int]


def _judge(import_id: int, rows: list[csvfile.Row]) -> None:
    """Decide per row: new, changed, unchanged or error, against the database and the file."""
    kvks = {row.kvk for row in rows if "kvk" not in row.errors}
    existing = _existing(import_id, kvks)
    for row in rows:
        row.kind = RowKind.ERROR if row.errors else None
        row.new_supplier = row.kvk in kvks and row.kvk not in existing.organisations
        if "kvk" in row.errors or "reference_missing" in row.errors:
            continue
        earlier = existing.earlier_lines.get(row.key)
        if earlier is not None:
            row.errors.append(f"duplicate:{earlier}")
        else:
            existing.earlier_lines[row.key] = row.line
        if row.new_supplier and not row.supplier_name:
            row.errors.append("name_missing")
        if row.errors:
            row.kind = RowKind.ERROR
            continue
        contract = existing.contracts.get(row.key)
        if contract is None:
            row.kind = RowKind.NEW
            continue
        row.contract_id = contract.id
        row.changes = [name for name in COMPARED if getattr(contract, name) != getattr(row, name)]
        row.kind = RowKind.CHANGED if row.changes else RowKind.UNCHANGED


def _existing(import_id: int, kvks: set[str]) -> _Existing:
    """What the database holds for these suppliers, and keys already seen earlier in the file."""
    organisations = dict(db.session.execute(
        select(Organisation.kvk, Organisation.id).where(Organisation.kvk.in_(kvks))).all())
    contracts = {}
    if organisations:
        query = (select(Organisation.kvk, Contract).join(Contract.organisation)
                 .where(Organisation.kvk.in_(kvks)))
        contracts = {(kvk, contract.reference): contract
                     for kvk, contract in db.session.execute(query).all()}
    earlier = db.session.execute(
        select(ContractImportRow.kvk, ContractImportRow.reference, func.min(ContractImportRow.line))
        .where(ContractImportRow.import_id == import_id, ContractImportRow.kvk.in_(kvks))
        .group_by(ContractImportRow.kvk, ContractImportRow.reference)).all()
    return _Existing(organisations, contracts, {(k, r): line for k, r, line in earlier})


def _row_values(import_id: int, row: csvfile.Row) -> dict:
    return {"import_id": import_id, "line": row.line, "kind": row.kind,
            "detail": ",".join(row.errors or row.changes), "kvk": row.kvk,
            "supplier_name": row.supplier_name, "reference": row.reference,
            "description": row.description, "start_date": row.start_date,
            "end_date": row.end_date, "annual_value_cents": row.annual_value_cents,
            "new_supplier": row.new_supplier, "contract_id": row.contract_id}


def counts(contract_import: ContractImport) -> dict[str, int]:
    found = dict(db.session.execute(
        select(ContractImportRow.kind, func.count())
        .where(ContractImportRow.import_id == contract_import.id)
        .group_by(ContractImportRow.kind)).all())
    return {kind: found.get(kind, 0) for kind in RowKind}


def new_suppliers(contract_import: ContractImport, limit: int = 200) -> tuple[list, int]:
    """The suppliers applying would create: (kvk, name from their first row), and how many."""
    first_lines = (
        select(ContractImportRow.kvk, func.min(ContractImportRow.line).label("line"))
        .where(ContractImportRow.import_id == contract_import.id,
               ContractImportRow.new_supplier.is_(True), ContractImportRow.kind != RowKind.ERROR)
        .group_by(ContractImportRow.kvk).subquery())
    query = (select(ContractImportRow.kvk, ContractImportRow.supplier_name)
             .join(first_lines, (first_lines.c.kvk == ContractImportRow.kvk)
                   & (first_lines.c.line == ContractImportRow.line))
             .where(ContractImportRow.import_id == contract_import.id)
             .order_by(ContractImportRow.supplier_name))
    total = db.session.scalar(select(func.count()).select_from(first_lines))
    return db.session.execute(query.limit(limit)).all(), total


def rows_page(contract_import: ContractImport, kind: str, page: int, size: int):
    query = select(ContractImportRow).where(ContractImportRow.import_id == contract_import.id)
    if kind:
        query = query.where(ContractImportRow.kind == kind)
    return routing.paginate(query.order_by(ContractImportRow.line), page, size)


def recent(limit: int = 10) -> list[ContractImport]:
    return list(db.session.scalars(
        select(ContractImport).order_by(ContractImport.created_at.desc(), ContractImport.id.desc())
        .limit(limit)))


def apply(actor: User, contract_import: ContractImport) -> dict[str, int]:
    """Apply every row, or none: the caller commits once, or rolls back on ImportConflict."""
    permissions.require(permissions.can_manage_contracts(actor))
    found = counts(contract_import)
    if contract_import.is_checking:
        raise ImportConflict(_l("Het bestand wordt nog gecontroleerd."))
    if found[RowKind.ERROR]:
        raise DomainError(_l("Dit bestand heeft regels met fouten. Verbeter die in het bestand "
                             "en lees het opnieuw in; er is niets gewijzigd."))
    now = utcnow()
    taken = db.session.execute(
        update(ContractImport)
        .where(ContractImport.id == contract_import.id,
               ContractImport.state == ImportState.CHECKED)
        .values(state=check_move(ImportState.CHECKED, ImportState.APPLIED),
                applied_by_id=actor.id, applied_at=now)).rowcount
    if taken != 1:
        raise ImportConflict(_l("Dit bestand is al verwerkt. Er is niets opnieuw gewijzigd."))
    rows = ContractImportRow
    mine = rows.import_id == contract_import.id
    moved = db.session.scalar(
        select(func.count()).select_from(rows).join(Contract, Contract.id == rows.contract_id)
        .where(mine, Contract.updated_at > contract_import.created_at))
    if moved:
        raise ImportConflict(_l("Contracten in dit bestand zijn na de controle nog gewijzigd. "
                                "Lees het bestand opnieuw in; er is niets gewijzigd."))
    created = _create_suppliers(contract_import, now)
    # Only contracts still as they were at the check: an edit that slipped in after the count
    # above makes the row count fall short, and then nothing of the file is applied.
    changed = db.session.connection().execute(
        update(Contract.__table__)
        .where(Contract.id == rows.contract_id, mine, rows.kind == RowKind.CHANGED,
               Contract.updated_at <= contract_import.created_at)
        .values(description=rows.description, start_date=rows.start_date,
                end_date=rows.end_date, annual_value_cents=rows.annual_value_cents,
                updated_at=literal(now, UTCDateTime))).rowcount
    if changed != found[RowKind.CHANGED]:
        raise ImportConflict(_l("Contracten in dit bestand zijn na de controle nog gewijzigd. "
                                "Lees het bestand opnieuw in; er is niets gewijzigd."))
    stamp = literal(now, UTCDateTime)
    new_contracts = (
        select(Organisation.id, rows.reference, rows.description, rows.start_date,
               rows.end_date, rows.annual_value_cents, stamp, stamp)
        .join(Organisation, Organisation.kvk == rows.kvk).where(mine, rows.kind == RowKind.NEW))
    try:
        # Counted from RETURNING: drivers do not all report a row count for INSERT ... SELECT.
        added = len(db.session.connection().execute(insert(Contract.__table__).from_select(
            ["organisation_id", "reference", "description", "start_date", "end_date",
             "annual_value_cents", "created_at", "updated_at"], new_contracts)
            .returning(Contract.__table__.c.id)).all())
    except IntegrityError as error:
        raise ImportConflict(_l("Intussen is een contract uit dit bestand al aangemaakt. Lees "
                                "het bestand opnieuw in; er is niets gewijzigd.")) from error
    # Rows written with INSERT ... SELECT and UPDATE: no ORM event notes their suppliers.
    for organisation_id in db.session.scalars(
            select(Organisation.id).join(rows, rows.kvk == Organisation.kvk)
            .where(mine, rows.kind.in_([RowKind.NEW, RowKind.CHANGED])).distinct()):
        facts_changed(organisation_id)
    result = {"added": added, "changed": changed, "unchanged": found[RowKind.UNCHANGED],
              "suppliers_created": created}
    audit.record("contracts_imported", actor=actor, obj=contract_import,
                 file=contract_import.original_name, **result)
    return result


def _create_suppliers(contract_import: ContractImport, now) -> int:
    wanted, _total = new_suppliers(contract_import, limit=None)
    known = set(db.session.scalars(select(Organisation.kvk).where(
        Organisation.kvk.in_([kvk for kvk, _name in wanted]))))
    values = [{"kvk": kvk, "name": name, "created_at": now}
              for kvk, name in wanted if kvk not in known]
    if values:
        db.session.execute(insert(Organisation), values)
    return len(values)


def discard(actor: User, contract_import: ContractImport) -> None:
    """Drop a checked file that will not be applied, and its rows."""
    permissions.require(permissions.can_manage_contracts(actor))
    taken = db.session.execute(
        update(ContractImport)
        .where(ContractImport.id == contract_import.id,
               ContractImport.state.in_(sources(ImportState.DISCARDED)))
        .values(state=ImportState.DISCARDED)).rowcount
    if taken != 1:
        raise ImportConflict(_l("Dit bestand is al verwerkt of verworpen."))
    db.session.execute(delete(ContractImportRow).where(
        ContractImportRow.import_id == contract_import.id))
    audit.record("contracts_import_discarded", actor=actor, obj=contract_import,
                 file=contract_import.original_name)
