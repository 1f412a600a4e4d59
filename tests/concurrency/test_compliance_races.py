"""Two changes to one supplier's facts at once both end up in its stored compliance.

Each transaction computes the supplier's status from what it can see just before it commits:
its own change, not yet the other's. Unless the second to compute waits for the first to
commit (the row lock in compliance.refresh) and then reads again, the status stored last is
computed without one of the changes. The steps are put in that order on purpose: both
transactions open with their change made, one computes, the other starts computing, and only
then the first commits.
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
from portal.obligations import compliance
from portal.obligations.models import Compliance
from tests import factories

TIMEOUT = 20


def waiting_for_a_lock() -> bool:
    """Whether some transaction waits for another's lock (read afresh, outside any snapshot)."""
    with db.engine.connect() as connection:
        return bool(connection.scalar(text("SELECT count(*) FROM pg_locks WHERE NOT granted")))


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
    pdf = factories.pdf_bytes("tijdens de import")
    import_id, staff_id, supplier_id = contract_import.id, staff.id, supplier.id

    def apply():
        importing.apply(db.session.get(User, staff_id), db.session.get(ContractImport, import_id))

    def upload():
        certificate_services.upload(
            db.session.get(User, supplier_id), level="trede_2", number="PSO-TIJDENS",
            issued_on=today - timedelta(days=5), valid_until=today + timedelta(days=600),
            filename="pso.pdf", data=pdf)

    both_changed = threading.Barrier(2, timeout=TIMEOUT)
    first_computed, second_computed = threading.Event(), threading.Event()
    errors = []

    def side(name, change):
        with app.app_context():
            try:
                change()
                db.session.flush()
                both_changed.wait()  # both transactions are open, each with its change
                if name == first:
                    compliance.settle(today)  # what its commit would compute
                    first_computed.set()
                    # Commit once the other computes too: it either waits for this one (the
                    # row lock) or, were there none, has computed without this change.
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

    threads = [threading.Thread(target=side, args=(name, change))
               for name, change in (("import", apply), ("upload", upload))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT * 2)
    assert errors == []
    db.session.expire_all()
    certificate = db.session.scalars(select(Certificate)).one()
    row = db.session.get(Compliance, organisation.id)
    assert (row.status, row.annual_sum_cents, row.pending_certificate_id, row.computed_for) == (
        "pending", 300_000_00, certificate.id, today)
    assert compliance.differences() == []
