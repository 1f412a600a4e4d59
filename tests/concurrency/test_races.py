"""Two people at once, for real: threads with their own sessions on PostgreSQL.

Each side loads the object first and then acts at the same moment (a barrier), so the only
thing that can keep them apart is the database: a conditional UPDATE, a row lock, a unique
constraint. Every race must end in one consistent state, lose nothing, and tell the loser.
SQLite lets one writer in at a time, so these run on PostgreSQL only (conftest.py).
"""

import threading
from datetime import date, timedelta

from sqlalchemy import func, select

from portal.audit import AuditEvent
from portal.auth.models import User
from portal.certificates import services as certificate_services
from portal.certificates.models import Certificate
from portal.contracts import importing
from portal.contracts import services as contract_services
from portal.contracts.models import Contract, ContractImport
from portal.exceptions import DomainError
from portal.extensions import db
from tests import factories


def race(app, *actions):
    """Run each action in its own thread and app context at the same moment.

    An action gets a `ready` callable to call once it has loaded what it needs; all threads
    pass it together. Returns per action "won" (committed) or the DomainError it raised.
    """
    barrier = threading.Barrier(len(actions), timeout=20)
    results = [None] * len(actions)

    def run(index, action):
        with app.app_context():
            try:
                action(barrier.wait)
                db.session.commit()
                results[index] = "won"
            except DomainError as error:
                db.session.rollback()
                results[index] = error
            except Exception as error:  # noqa: BLE001 - reported by the assertion below
                db.session.rollback()
                results[index] = error

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results


def test_two_staff_verify_the_same_certificate_one_wins_the_other_is_told(app, db):
    first, second = factories.staff(), factories.staff()
    certificate_id = factories.certificate().id
    db.session.commit()
    first_id, second_id = first.id, second.id

    def decide(actor_id, verdict):
        def action(ready):
            actor = db.session.get(User, actor_id)
            certificate = db.session.get(Certificate, certificate_id)
            assert certificate.state == "pending"
            ready()
            if verdict == "verify":
                certificate_services.verify(actor, certificate)
            else:
                certificate_services.reject(actor, certificate, "Onleesbare scan")
        return action

    results = race(app, decide(first_id, "verify"), decide(second_id, "reject"))
    assert sorted(r if r == "won" else "told" for r in results) == ["told", "won"], results
    loser = next(r for r in results if r != "won")
    assert isinstance(loser, certificate_services.DecisionConflict)
    assert "al beslist" in str(loser.message)
    certificate = db.session.get(Certificate, certificate_id)
    winner = (first, second)[results.index("won")]
    assert certificate.decided_by_id == winner.id
    assert certificate.state == ("verified" if winner is first else "rejected")
    decisions = db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.action.in_(["certificate_verified", "certificate_rejected"]))).all()
    assert len(decisions) == 1  # the loser left no trace of a decision that did not happen


def test_an_import_and_an_upload_at_once_both_land(app, db):
    staff = factories.staff()
    supplier = factories.supplier_admin()
    organisation = supplier.organisation
    rows = "".join(f"{organisation.kvk};{organisation.name};R-{n};Werk;01-01-{date.today().year}"
                   f";;\"200.000,00\"\n" for n in range(300))
    contract_import = factories.contract_import(rows, actor=staff)
    db.session.commit()
    pdf = factories.pdf_bytes("gelijktijdig")
    # Plain ids for the threads: touching this session's objects there would share it.
    import_id, staff_id, supplier_id = contract_import.id, staff.id, supplier.id

    def apply(ready):
        importing_ = db.session.get(ContractImport, import_id)
        actor = db.session.get(User, staff_id)
        ready()
        importing.apply(actor, importing_)

    def upload(ready):
        actor = db.session.get(User, supplier_id)
        ready()
        today = date.today()
        certificate_services.upload(actor, level="trede_2", number="PSO-RACE",
                                    issued_on=today - timedelta(days=5),
                                    valid_until=today + timedelta(days=600),
                                    filename="pso.pdf", data=pdf)

    results = race(app, apply, upload)
    assert results == ["won", "won"], [repr(r) for r in results]
    assert db.session.scalar(select(func.count()).select_from(Contract).where(
        Contract.organisation_id == organisation.id)) == 300
    certificate = db.session.scalars(select(Certificate)).one()
    assert certificate.organisation_id == organisation.id and certificate.state == "pending"


def test_an_import_and_a_contract_edit_at_once_one_wins_nothing_is_overwritten(app, db):
    staff, colleague = factories.staff(), factories.staff()
    organisation = factories.organisation()
    contract = factories.contract(organisation, reference="K-1", annual_value_cents=100_00,
                                  start_date=date(2026, 1, 1))
    others = "".join(f"{organisation.kvk};;K-{n};;01-01-2026;;1000\n" for n in range(2, 200))
    contract_import = factories.contract_import(
        f"{organisation.kvk};;K-1;Uit de import;01-01-2026;;\"500,00\"\n" + others, actor=staff)
    db.session.commit()
    version = contract_services.version_of(contract)
    import_id, staff_id, colleague_id, contract_id = (contract_import.id, staff.id,
                                                      colleague.id, contract.id)

    def apply(ready):
        item = db.session.get(ContractImport, import_id)
        actor = db.session.get(User, staff_id)
        ready()
        importing.apply(actor, item)

    def edit(ready):
        item = db.session.get(Contract, contract_id)
        actor = db.session.get(User, colleague_id)
        ready()
        contract_services.update(actor, item, reference="K-1", description="Met de hand",
                                 start_date=date(2026, 1, 1), end_date=None,
                                 annual_value_cents=700_00, seen_version=version)

    results = race(app, apply, edit)
    assert sorted(r if r == "won" else "told" for r in results) == ["told", "won"], results
    assert all(r == "won" or isinstance(r, DomainError) for r in results)
    db.session.expire_all()
    kept = db.session.get(Contract, contract_id)
    count = db.session.scalar(select(func.count()).select_from(Contract).where(
        Contract.organisation_id == organisation.id))
    if results[0] == "won":  # the import: all of its rows, and the edit was refused
        assert (kept.description, kept.annual_value_cents, count) == ("Uit de import", 500_00,
                                                                      199)
    else:  # the edit: and not one row of the import
        assert (kept.description, kept.annual_value_cents, count) == ("Met de hand", 700_00, 1)
