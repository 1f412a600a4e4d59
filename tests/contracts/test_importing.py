"""The import's dry run and apply against the database: verdicts, all or nothing, races."""

from datetime import date

import pytest
from sqlalchemy import func, select, update

from portal.audit import AuditEvent
from portal.contracts import importing
from portal.contracts.models import Contract, ContractImport, ContractImportRow
from portal.exceptions import DomainError, PermissionDenied
from portal.extensions import db
from portal.suppliers.models import Organisation
from tests import factories

HEADER = "kvk;leverancier;referentie;omschrijving;startdatum;einddatum;jaarbedrag\n"


def csv(*lines: str) -> bytes:
    return (HEADER + "".join(line + "\n" for line in lines)).encode()


def kinds(contract_import) -> dict[int, str]:
    return {row.line: row.kind for row in contract_import_rows(contract_import)}


def contract_import_rows(contract_import):
    return db.session.scalars(select(ContractImportRow).where(
        ContractImportRow.import_id == contract_import.id).order_by(ContractImportRow.line)).all()


@pytest.fixture
def staff(db):
    return factories.staff()


@pytest.fixture
def maas(db):
    organisation = factories.organisation(name="Bouwbedrijf Maas", kvk="12345678")
    factories.contract(organisation, reference="C-1", description="Onderhoud",
                       start_date=date(2026, 1, 1), end_date=None,
                       annual_value_cents=10_000_000)
    factories.contract(organisation, reference="C-2", description="Schilderwerk",
                       start_date=date(2026, 1, 1), end_date=date(2026, 12, 31),
                       annual_value_cents=5_000_000)
    return organisation


def test_dry_run_gives_each_row_a_verdict_and_changes_nothing(db, staff, maas):
    data = csv("12345678;Maas;C-1;Onderhoud;01-01-2026;;100.000,00",       # unchanged
               "12345678;Maas;C-2;Schilderwerk;01-01-2026;31-12-2026;60000",  # changed
               "12345678;Maas;C-3;Nieuw;01-03-2026;;1000",                   # new
               "87654321;Schilders Roer;R-1;;2026-01-01;;200.000,00",        # new, new supplier
               "1234;Fout;R-2;;2026-01-01;;1000")                            # error
    contract_import = importing.start(staff, filename="export.csv", data=data)
    db.session.commit()
    assert contract_import.state == "checked"
    assert kinds(contract_import) == {2: "unchanged", 3: "changed", 4: "new", 5: "new",
                                      6: "error"}
    assert importing.counts(contract_import) == {"new": 2, "changed": 1, "unchanged": 1,
                                                 "error": 1}
    rows = contract_import_rows(contract_import)
    assert rows[1].detail == "annual_value_cents"
    assert rows[3].new_supplier and not rows[2].new_supplier
    assert importing.new_suppliers(contract_import) == ([("87654321", "Schilders Roer")], 1)
    assert db.session.scalar(select(func.count()).select_from(Contract)) == 2
    assert db.session.scalar(select(func.count()).select_from(Organisation)) == 1


def test_a_file_with_an_error_row_cannot_be_applied(db, staff, maas):
    contract_import = importing.start(staff, filename="x.csv", data=csv(
        "12345678;Maas;C-9;;2026-01-01;;1000", "12345678;Maas;C-10;;2026-01-01;;150,000"))
    db.session.commit()
    with pytest.raises(DomainError):
        importing.apply(staff, contract_import)
    db.session.rollback()
    assert db.session.get(ContractImport, contract_import.id).state == "checked"
    assert db.session.scalar(select(func.count()).select_from(Contract)) == 2


def test_apply_adds_changes_and_creates_suppliers_in_one_go(db, staff, maas):
    contract_import = importing.start(staff, filename="x.csv", data=csv(
        "12345678;Maas;C-1;Onderhoud;01-01-2026;;100.000,00",
        "12345678;Maas;C-2;Schilderwerk;01-01-2026;30-06-2026;60000",
        "87654321;Schilders Roer;R-1;Gevels;2026-01-01;;200.000,00",
        "87654321;Ander naam;R-2;;2026-01-01;;1000"))
    db.session.commit()
    result = importing.apply(staff, contract_import)
    db.session.commit()
    assert result == {"added": 2, "changed": 1, "unchanged": 1, "suppliers_created": 1}
    changed = db.session.scalars(select(Contract).where(Contract.reference == "C-2")).one()
    assert (changed.end_date, changed.annual_value_cents) == (date(2026, 6, 30), 6_000_000)
    roer = db.session.scalars(select(Organisation).where(Organisation.kvk == "87654321")).one()
    assert roer.name == "Schilders Roer"  # the name on its first row
    assert sorted(c.reference for c in roer.contracts) == ["R-1", "R-2"]
    assert roer.contracts[0].created_at is not None
    event = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "contracts_imported")).one()
    assert event.details["added"] == 2 and event.actor_id == staff.id


def test_applying_twice_is_refused_and_changes_nothing_more(db, staff, maas):
    contract_import = importing.start(staff, filename="x.csv",
                                      data=csv("12345678;Maas;C-7;;2026-01-01;;1000"))
    db.session.commit()
    importing.apply(staff, contract_import)
    db.session.commit()
    with pytest.raises(importing.ImportConflict):
        importing.apply(staff, contract_import)
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Contract)) == 3


def test_a_contract_changed_after_the_dry_run_stops_the_apply(db, staff, maas):
    contract_import = importing.start(staff, filename="x.csv", data=csv(
        "12345678;Maas;C-1;Onderhoud;01-01-2026;;200.000,00",
        "12345678;Maas;C-5;;2026-01-01;;1000"))
    db.session.commit()
    edited = db.session.scalars(select(Contract).where(Contract.reference == "C-1")).one()
    edited.description = "Door een collega gewijzigd"
    db.session.commit()
    with pytest.raises(importing.ImportConflict):
        importing.apply(staff, contract_import)
    db.session.rollback()
    assert db.session.get(ContractImport, contract_import.id).state == "checked"
    assert db.session.scalar(select(func.count()).select_from(Contract)) == 2
    assert edited.annual_value_cents == 10_000_000


def test_a_contract_added_by_hand_after_the_dry_run_stops_the_apply(db, staff, maas):
    contract_import = importing.start(staff, filename="x.csv", data=csv(
        "12345678;Maas;C-8;;2026-01-01;;1000", "12345678;Maas;C-9;;2026-01-01;;1000"))
    db.session.commit()
    factories.contract(maas, reference="C-9")
    db.session.commit()
    with pytest.raises(importing.ImportConflict):
        importing.apply(staff, contract_import)
    db.session.rollback()
    references = db.session.scalars(select(Contract.reference).order_by(Contract.reference))
    assert list(references) == ["C-1", "C-2", "C-9"]  # C-8 did not land on its own


def test_the_same_key_twice_in_a_file_is_an_error_naming_the_other_line(db, staff):
    contract_import = importing.start(staff, filename="x.csv", data=csv(
        "12345678;A;C-1;;2026-01-01;;1000", "12345678;A;C-2;;2026-01-01;;1000",
        "12345678;A;C-1;;2026-01-01;;2000"))
    rows = contract_import_rows(contract_import)
    assert [r.kind for r in rows] == ["new", "new", "error"]
    assert rows[2].detail == "duplicate:2"


def test_an_unknown_supplier_needs_a_name(db, staff):
    contract_import = importing.start(staff, filename="x.csv",
                                      data=csv("12345678;;C-1;;2026-01-01;;1000"))
    assert contract_import_rows(contract_import)[0].detail == "name_missing"


def test_a_large_file_is_checked_in_chunks_and_duplicates_are_found_across_them(app, db, staff):
    lines = [f"{20000000 + n % 7:08d};Leverancier {n % 7};C-{n};;2026-01-01;;{n + 1}"
             for n in range(25)]
    lines.append("20000003;Leverancier 3;C-3;;2026-01-01;;1")  # the key of line 5 again
    app.config["CONTRACT_IMPORT_CHUNK_ROWS"] = 10
    try:
        contract_import = importing.start(staff, filename="x.csv", data=csv(*lines))
        db.session.commit()
        assert (contract_import.state, contract_import.checked_rows) == ("checking", 10)
        importing.check_next_chunk(staff, contract_import)
        db.session.commit()
        assert contract_import.checked_rows == 20
        importing.check_next_chunk(staff, contract_import)
        db.session.commit()
    finally:
        app.config["CONTRACT_IMPORT_CHUNK_ROWS"] = 5000
    assert (contract_import.state, contract_import.checked_rows) == ("checked", 26)
    assert importing.counts(contract_import) == {"new": 25, "changed": 0, "unchanged": 0,
                                                 "error": 1}
    assert contract_import_rows(contract_import)[-1].detail == "duplicate:5"
    assert importing.new_suppliers(contract_import)[1] == 7


def test_a_chunk_checked_by_another_request_is_not_checked_twice(app, db, staff):
    app.config["CONTRACT_IMPORT_CHUNK_ROWS"] = 1
    try:
        contract_import = importing.start(staff, filename="x.csv", data=csv(
            "12345678;A;C-1;;2026-01-01;;1", "12345678;A;C-2;;2026-01-01;;1"))
        db.session.commit()
        assert contract_import.checked_rows == 1
        with db.engine.begin() as other_request:  # a second tab checked the next chunk first
            other_request.execute(update(ContractImport).values(checked_rows=2,
                                                                state="checked"))
        with pytest.raises(importing.ImportConflict):
            importing.check_next_chunk(staff, contract_import)
        db.session.rollback()
    finally:
        app.config["CONTRACT_IMPORT_CHUNK_ROWS"] = 5000
    assert len(contract_import_rows(contract_import)) == 1


def test_discard_drops_the_rows(db, staff):
    contract_import = importing.start(staff, filename="x.csv",
                                      data=csv("12345678;A;C-1;;2026-01-01;;1"))
    importing.discard(staff, contract_import)
    db.session.commit()
    assert contract_import_rows(contract_import) == []
    with pytest.raises(importing.ImportConflict):
        importing.apply(staff, db.session.get(ContractImport, contract_import.id))


@pytest.mark.parametrize("data", [b"", b"\x00\x01", b"naam;plaats\nA;B\n", HEADER.encode()])
def test_not_an_export_is_refused_whole_and_nothing_is_kept(db, staff, data):
    with pytest.raises(DomainError):
        importing.start(staff, filename="x.csv", data=data)
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(ContractImport)) == 0


def test_only_staff_import(db):
    supplier = factories.supplier_admin()
    with pytest.raises(PermissionDenied):
        importing.start(supplier, filename="x.csv", data=csv("12345678;A;C-1;;2026-01-01;;1"))
