"""A supplier admin managing colleagues, at the service level."""

import inspect

import pytest
from sqlalchemy import select

from portal.auth import sessions, tokens
from portal.auth.models import Role, TokenPurpose, User, UserSession
from portal.exceptions import DomainError, PermissionDenied
from portal.suppliers import services
from tests import factories
from tests.helpers_people import actions, count, dutch, invitation_path, user_by_email


@pytest.fixture(autouse=True)
def in_request(app, db_session, request):
    """Services run inside a request; see test_refusal_outside_a_request for why that matters."""
    if request.node.get_closest_marker("no_request"):
        yield
        return
    with app.test_request_context():
        yield


def token_of(message):
    return invitation_path(message).rsplit("/", 1)[1]


def test_invite_colleague_creates_a_pending_account_in_own_organisation(db, outbox):
    admin = factories.supplier_admin()
    user = services.invite_colleague(admin, email=" Piet@Example.NL ", name="Piet Peters",
                                     role=Role.SUPPLIER_ADMIN.value)
    assert user.email == "piet@example.nl"
    assert user.organisation_id == admin.organisation_id
    assert user.role == Role.SUPPLIER_ADMIN.value
    assert user.is_pending and user.active
    assert [m["To"] for m in outbox] == ["piet@example.nl"]
    # The link in the e-mail is a valid invitation for exactly this account.
    assert tokens.peek(TokenPurpose.INVITATION, token_of(outbox[0])).user_id == user.id
    [event] = actions("invitation_sent")
    assert (event.actor_id, event.object_id) == (admin.id, user.id)


def test_the_service_cannot_name_another_organisation(db, outbox):
    assert "organisation" not in inspect.signature(services.invite_colleague).parameters
    assert "organisation_id" not in inspect.signature(services.invite_colleague).parameters
    admin = factories.supplier_admin()
    other = factories.organisation()
    with pytest.raises(TypeError):
        services.invite_colleague(admin, email="x@example.nl", name="X",
                                  role=Role.SUPPLIER_USER.value, organisation=other)
    assert user_by_email("x@example.nl") is None
    assert outbox == []


def test_reinviting_a_pending_address_resends_to_the_same_account(db, outbox):
    admin = factories.supplier_admin()
    first = services.invite_colleague(admin, email="piet@example.nl", name="Piet",
                                      role=Role.SUPPLIER_USER.value)
    again = services.invite_colleague(admin, email="PIET@example.nl", name="Piet Peters",
                                      role=Role.SUPPLIER_ADMIN.value)
    assert again.id == first.id
    assert count(User) == 2
    assert (again.name, again.role) == ("Piet Peters", Role.SUPPLIER_ADMIN.value)
    assert len(outbox) == 2
    with pytest.raises(tokens.InvalidToken):  # the older link stops working
        tokens.peek(TokenPurpose.INVITATION, token_of(outbox[0]))
    assert tokens.peek(TokenPurpose.INVITATION, token_of(outbox[1])).user_id == first.id


@pytest.mark.parametrize("pending", [False, True], ids=["active-account", "pending-elsewhere"])
def test_an_address_with_an_account_is_refused_and_nothing_changes(db, outbox, pending):
    admin = factories.supplier_admin()
    elsewhere = factories.organisation()
    existing = factories.user(organisation=elsewhere, name="Bestaand",
                              password=None if pending else factories.PASSWORD)
    with pytest.raises(DomainError) as refused:
        services.invite_colleague(admin, email=existing.email.upper(), name="Nieuw",
                                  role=Role.SUPPLIER_ADMIN.value)
    assert dutch(refused.value.message) == "Er bestaat al een account met dit e-mailadres."
    assert refused.value.field == "email"
    db.session.refresh(existing)
    assert existing.organisation_id == elsewhere.id
    assert (existing.name, existing.role) == ("Bestaand", Role.SUPPLIER_USER.value)
    assert outbox == []
    assert actions("invitation_sent") == []


def test_staff_role_cannot_be_given(db, outbox):
    admin = factories.supplier_admin()
    with pytest.raises(DomainError) as refused:
        services.invite_colleague(admin, email="x@example.nl", name="X", role=Role.STAFF.value)
    assert refused.value.field == "role"
    assert user_by_email("x@example.nl") is None
    assert outbox == []


@pytest.mark.parametrize("kind", ["supplier_user", "inactive_admin", "staff"])
def test_only_an_active_supplier_admin_may_invite(db, outbox, kind):
    if kind == "supplier_user":
        actor = factories.user()
    elif kind == "inactive_admin":
        actor = factories.supplier_admin(active=False)
    else:
        actor = factories.staff()
    with pytest.raises(PermissionDenied):
        services.invite_colleague(actor, email="x@example.nl", name="X",
                                  role=Role.SUPPLIER_USER.value)
    assert user_by_email("x@example.nl") is None
    assert outbox == []


def test_deactivating_ends_sessions_and_is_audited_once(db):
    admin = factories.supplier_admin()
    colleague = factories.user(organisation=admin.organisation)
    sessions.start(colleague, remember=True)
    sessions.start(admin, remember=False)
    db.session.flush()
    services.set_active(admin, colleague, False)
    services.set_active(admin, colleague, False)  # nothing to do the second time
    assert colleague.active is False
    remaining = db.session.scalars(select(UserSession.user_id)).all()
    assert remaining == [admin.id]
    [event] = actions("user_deactivated")
    assert (event.actor_id, event.object_id) == (admin.id, colleague.id)

    services.set_active(admin, colleague, True)
    assert colleague.active is True
    assert [e.object_id for e in actions("user_activated")] == [colleague.id]


def test_role_change_is_audited_with_old_and_new_role(db):
    admin = factories.supplier_admin()
    colleague = factories.user(organisation=admin.organisation)
    services.set_role(admin, colleague, Role.SUPPLIER_ADMIN.value)
    services.set_role(admin, colleague, Role.SUPPLIER_ADMIN.value)  # unchanged: no event
    assert colleague.role == Role.SUPPLIER_ADMIN.value
    [event] = actions("role_changed")
    assert event.actor_id == admin.id and event.object_id == colleague.id
    assert event.details == {"old": "supplier_user", "new": "supplier_admin"}


def test_role_staff_is_refused(db):
    admin = factories.supplier_admin()
    colleague = factories.user(organisation=admin.organisation)
    with pytest.raises(DomainError):
        services.set_role(admin, colleague, Role.STAFF.value)
    assert colleague.role == Role.SUPPLIER_USER.value
    assert actions("role_changed") == []


@pytest.mark.parametrize("change", [
    lambda admin: services.set_active(admin, admin, False),
    lambda admin: services.set_role(admin, admin, Role.SUPPLIER_USER.value),
], ids=["deactivate", "role"])
def test_an_admin_cannot_change_their_own_account(db, change):
    admin = factories.supplier_admin()
    with pytest.raises(DomainError) as refused:
        change(admin)
    assert "eigen account" in dutch(refused.value.message)
    assert admin.active and admin.role == Role.SUPPLIER_ADMIN.value
    assert actions() == []


def test_another_organisations_user_is_not_a_colleague(db, outbox):
    admin = factories.supplier_admin()
    stranger = factories.user(password=None)
    assert services.get_colleague(admin, stranger.id) is None
    assert services.get_colleague(admin, 999_999) is None
    assert services.get_colleague(factories.staff(), stranger.id) is None
    for change in (lambda: services.set_active(admin, stranger, False),
                   lambda: services.set_role(admin, stranger, Role.SUPPLIER_ADMIN.value),
                   lambda: services.resend_invitation(admin, stranger)):
        with pytest.raises(PermissionDenied):
            change()
    assert stranger.active and stranger.role == Role.SUPPLIER_USER.value
    assert outbox == [] and actions() == []


def test_colleagues_lists_only_own_organisation(db):
    admin = factories.supplier_admin(name="Anna")
    colleague = factories.user(organisation=admin.organisation, name="Bert")
    factories.user(name="Vreemde")
    assert services.colleagues(admin.organisation) == [admin, colleague]
    assert services.get_colleague(admin, colleague.id) is colleague


def test_resend_invitation_only_while_pending(db, outbox):
    admin = factories.supplier_admin()
    pending = factories.user(organisation=admin.organisation, password=None)
    services.resend_invitation(admin, pending)
    assert [m["To"] for m in outbox] == [pending.email]
    assert [e.object_id for e in actions("invitation_sent")] == [pending.id]

    accepted = factories.user(organisation=admin.organisation)
    with pytest.raises(DomainError) as refused:
        services.resend_invitation(admin, accepted)
    assert "al geaccepteerd" in dutch(refused.value.message)
    assert len(outbox) == 1


@pytest.mark.no_request
def test_refusal_outside_a_request_is_a_domain_error(app, db_session):
    """Services never read the request, so a command or cron job may call them."""
    admin = factories.supplier_admin()
    with pytest.raises(DomainError):
        services.set_active(admin, admin, False)


def test_resending_to_a_deactivated_invitee_is_refused(db, outbox):
    admin = factories.supplier_admin()
    invitee = factories.user(organisation=admin.organisation, password=None, active=False)
    with pytest.raises(DomainError, match="gedeactiveerd"):
        services.resend_invitation(admin, invitee)
    assert outbox == []


def test_inviting_a_deactivated_invitee_again_reactivates_them(db, outbox):
    admin = factories.supplier_admin()
    invitee = factories.user(organisation=admin.organisation, password=None, active=False)
    again = services.invite_colleague(admin, email=invitee.email, name="  Piet Peters ",
                                      role=Role.SUPPLIER_USER.value)
    assert again.id == invitee.id
    assert again.active is True
    assert again.name == "Piet Peters"
    assert [m["To"] for m in outbox] == [invitee.email]
