"""Two changes to one supplier's facts at once both end up in its stored compliance.

Each transaction computes the statuses it changed from what it can see just before it
commits: its own change, not yet the other's. Unless the second to compute waits for the
first to commit and then reads again, the status stored last is computed without one of the
changes. The steps are put in that order on purpose: both transactions open with their change
made, one computes, the other starts computing, and only then the first commits.
"""

import threading
from datetime import date, timedelta

import pytest
from sqlalchemy import select, text

from portal.auth.models import User
from portal.certificates import services as certificate_services
from portal.certificates.models import Certificate
from portal.clock import local_today
from portal.contracts import importing
from portal.contracts.models import ContractImport
from portal.extensions import db
from portal.obligations import compliance, policy
from portal.obligations.models import Compliance
from portal.suppliers.models import Organisation
from tests import factories

TIMEOUT = 20


def waiting_for_a_lock() -> bool:
    """Whether some transaction waits for another's lock (read afresh, outside any snapshot)."""
    with db.engine.connect() as connection:
        return bool(connection.scalar(text("SELECT count(*) FROM pg_locks WHERE NOT granted")))


def computed_in_turn(app, changes: dict, first: str) -> None:
    """Make each change (name: callable) in its own thread, app context and transaction;
    once both are made, `first` computes the statuses its commit would, then the other
    starts to, and only then `first` commits."""
    both_changed = threading.Barrier(len(changes), timeout=TIMEOUT)
    first_computed, second_computed = threading.Event(), threading.Event()
    errors = []

    def side(name, change):
        with app.app_context():
            try:
                change()
                db.session.flush()
                both_changed.wait()  # both transactions are open, each with its change
                today = local_today()
                if name == first:
                    compliance.settle(today)  # what its commit would compute
                    first_computed.set()
                    # Commit once the other computes too: it waits for this one (a lock) or,
                    # were there none, has computed without this change.
                    for _ in range(TIMEOUT * 20):
                        if second_computed.wait(0.05) or waiting_for_a_lock():
                            break
                else:
                    assert first_computed.wait(TIMEOUT)
                    compliance.settle(today)
                    second_computed.set()
                db.session.commit()
            except Exception as error:  # noqa: BLE001 - reported by the assertion below
                db.session.rollback()
                errors.append(error)
                first_computed.set()

    threads = [threading.Thread(target=side, args=item) for item in changes.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT * 2)
    assert errors == []
    db.session.expire_all()


def upload_by(supplier_id: int, level: str = "trede_2"):
    today = local_today()
    pdf = factories.pdf_bytes(f"tijdens een andere wijziging {supplier_id}")

    def upload():
        certificate_services.upload(
            db.session.get(User, supplier_id), level=level, number="PSO-TIJDENS",
            issued_on=today - timedelta(days=5), valid_until=today + timedelta(days=600),
            filename="pso.pdf", data=pdf)

    return upload


def apply_import(import_id: int, staff_id: int):
    def apply():
        importing.apply(db.session.get(User, staff_id), db.session.get(ContractImport, import_id))

    return apply


def add_rule_from_today(staff_id: int, required_level: str):
    def add():
        today = local_today()
        policy.add_rule(db.session.get(User, staff_id), today, effective_from=today,
                        effective_until=None, threshold_cents=150_000_00,
                        required_level=required_level)

    return add


def stored(organisation_id: int) -> tuple:
    row = db.session.get(Compliance, organisation_id)
    return row.status, row.required_level, row.annual_sum_cents, row.pending_certificate_id


@pytest.mark.parametrize("first", ["import", "upload"])
def test_an_upload_during_an_import_for_the_same_supplier_ends_as_computed(app, db, first):
    today = local_today()
    staff = factories.staff()
    supplier = factories.supplier_admin()
    organisation = supplier.organisation
    # Above the threshold, so the upload awaiting verification makes the supplier "pending".
    rows = "".join(f"{organisation.kvk};{organisation.name};R-{n};Werk;"
                   f"{date(today.year, 1, 1).isoformat()};;100000\n" for n in range(3))
    contract_import = factories.contract_import(rows, actor=staff)
    db.session.commit()
    assert db.session.get(Compliance, organisation.id).status == "not_required"

    computed_in_turn(app, {"import": apply_import(contract_import.id, staff.id),
                           "upload": upload_by(supplier.id)}, first)

    certificate = db.session.scalars(select(Certificate)).one()
    assert stored(organisation.id) == ("pending", "trede_2", 300_000_00, certificate.id)
    assert db.session.get(Compliance, organisation.id).computed_for == today
    assert compliance.differences() == []


@pytest.mark.parametrize("first", ["rule", "upload"])
def test_an_upload_while_a_policy_rule_is_added_ends_as_computed(app, db, first):
    """The upload's status is computed with the new rule, whichever commits first."""
    staff = factories.staff()
    supplier = factories.supplier_admin()
    organisation = supplier.organisation
    factories.contract(organisation, annual_value_cents=200_000_00,
                       start_date=date(local_today().year, 1, 1))
    db.session.commit()
    assert stored(organisation.id)[:2] == ("non_compliant", "trede_2")

    # Under the rules in force a trede 1 upload does not count; under the new rule it does.
    computed_in_turn(app, {"rule": add_rule_from_today(staff.id, "trede_1"),
                           "upload": upload_by(supplier.id, level="trede_1")}, first)

    certificate = db.session.scalars(select(Certificate)).one()
    assert stored(organisation.id) == ("pending", "trede_1", 200_000_00, certificate.id)
    assert compliance.differences() == []


@pytest.mark.parametrize("first", ["rule", "import"])
def test_a_supplier_created_while_a_policy_rule_is_added_ends_as_computed(app, db, first):
    """A supplier the rule's transaction could not see yet is computed with the new rule."""
    staff = factories.staff()
    contract_import = factories.contract_import(
        f"87654321;Nieuw Bouw;N-1;Werk;{date(local_today().year, 1, 1).isoformat()};;200000\n",
        actor=staff)
    db.session.commit()

    computed_in_turn(app, {"rule": add_rule_from_today(staff.id, "trede_3"),
                           "import": apply_import(contract_import.id, staff.id)}, first)

    created = db.session.scalars(select(Organisation).where(Organisation.kvk == "87654321")).one()
    assert stored(created.id) == ("non_compliant", "trede_3", 200_000_00, None)
    assert compliance.differences() == []
