"""Staff inviting a supplier's first contact, and reading the audit log, at the service level."""

from datetime import UTC, datetime, timedelta

import pytest

from portal.audit import AuditEvent
from portal.auth import tokens
from portal.auth.models import Role, TokenPurpose, User
from portal.exceptions import DomainError, PermissionDenied
from portal.staff import services
from portal.suppliers.models import Organisation
from tests import factories
from tests.helpers_people import actions, count, dutch, invitation_path, organisation_by_kvk


@pytest.fixture(autouse=True)
def in_request(app, db_session):
    """Services run inside a request (see tests/suppliers/test_services.py for why)."""
    with app.test_request_context():
        yield


def invite(actor, **fields):
    values = {"organisation_name": "Groen Hoveniers B.V.", "kvk": "12345678",
              "name": "Gijs Groen", "email": "gijs@groen.example"}
    values.update(fields)
    return services.invite_supplier_contact(actor, **values)


def test_new_kvk_creates_the_organisation_and_invites_its_admin(db, outbox):
    staff = factories.staff()
    user, created = invite(staff, organisation_name="  Groen Hoveniers B.V. ")
    assert created is True
    organisation = organisation_by_kvk("12345678")
    assert organisation.name == "Groen Hoveniers B.V."
    assert user.organisation_id == organisation.id
    assert user.role == Role.SUPPLIER_ADMIN.value
    assert user.is_pending and user.email == "gijs@groen.example"
    [message] = outbox
    assert message["To"] == "gijs@groen.example"
    token = invitation_path(message).rsplit("/", 1)[1]
    assert tokens.peek(TokenPurpose.INVITATION, token).user_id == user.id
    assert [(e.action, e.actor_id) for e in actions()] == [
        ("organisation_created", staff.id), ("invitation_sent", staff.id)]
    assert actions("organisation_created")[0].details == {"kvk": "12345678",
                                                          "name": "Groen Hoveniers B.V."}


def test_known_kvk_reuses_the_organisation_without_renaming(db, outbox):
    known = factories.organisation(name="Groen Hoveniers", kvk="12345678")
    colleague = factories.user(organisation=known)
    user, created = invite(factories.staff(), organisation_name="Groen Hoveniers (typo)",
                           kvk="1234 5678")
    assert created is False
    assert user.organisation_id == known.id
    assert user.role == Role.SUPPLIER_ADMIN.value
    assert known.name == "Groen Hoveniers"
    assert count(Organisation) == 1
    assert colleague.organisation_id == known.id
    assert actions("organisation_created") == []
    assert len(outbox) == 1


def test_seven_digit_kvk_gets_its_leading_zero_back(db, outbox):
    user, created = invite(factories.staff(), kvk="1234567")
    assert created is True
    assert user.organisation.kvk == "01234567"

    again, created = invite(factories.staff(), kvk="01234567", email="tweede@groen.example")
    assert created is False
    assert again.organisation_id == user.organisation_id


@pytest.mark.parametrize("kvk", ["1234567a", "123456789", "123456", ""])
def test_invalid_kvk_is_refused_and_nothing_stored(db, outbox, kvk):
    with pytest.raises(DomainError) as refused:
        invite(factories.staff(), kvk=kvk)
    assert dutch(refused.value.message) == "Een KvK-nummer bestaat uit 8 cijfers."
    assert refused.value.field == "kvk"
    assert count(Organisation) == 0
    assert count(User) == 1  # only the staff member
    assert outbox == []


@pytest.mark.parametrize("kind", ["supplier_admin", "inactive_staff"])
def test_only_active_staff_may_invite_suppliers(db, outbox, kind):
    actor = factories.supplier_admin() if kind == "supplier_admin" else factories.staff(
        active=False)
    organisations = count(Organisation)
    with pytest.raises(PermissionDenied):
        invite(actor)
    assert count(Organisation) == organisations
    assert organisation_by_kvk("12345678") is None
    assert outbox == []


def test_address_with_an_account_is_refused(db, outbox):
    existing = factories.user()
    with pytest.raises(DomainError) as refused:
        invite(factories.staff(), email=existing.email)
    assert refused.value.field == "email"
    assert outbox == []


def make_events(session, n, start=datetime(2024, 1, 1, tzinfo=UTC)):
    """`n` events an hour apart, inserted newest first so that id order differs from time order."""
    for i in reversed(range(n)):
        session.add(AuditEvent(action="test_event", at=start + timedelta(hours=i),
                                            details={"n": i}))
    session.flush()


def test_audit_page_is_newest_first_and_paginates(db):
    make_events(db.session, 5)
    first = services.audit_page(1, 2)
    assert [e.details["n"] for e in first.items] == [4, 3]
    assert (first.total, first.pages, first.has_next, first.has_prev) == (5, 3, True, False)
    assert [e.details["n"] for e in services.audit_page(2, 2).items] == [2, 1]
    assert [e.details["n"] for e in services.audit_page(3, 2).items] == [0]
    past_the_end = services.audit_page(10**9, 2)  # the last page, whatever was asked
    assert ([e.details["n"] for e in past_the_end.items], past_the_end.page) == ([0], 3)


def test_audit_page_orders_equal_times_by_insertion(db):
    moment = datetime(2024, 1, 1, tzinfo=UTC)
    for n in range(3):
        db.session.add(AuditEvent(action="test_event", at=moment, details={"n": n}))
        db.session.flush()
    assert [e.details["n"] for e in services.audit_page(1, 10).items] == [2, 1, 0]
