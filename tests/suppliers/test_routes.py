"""A supplier admin inviting and managing colleagues through the pages, as in a browser."""

import pytest

from portal.auth.models import Role, User
from tests import factories
from tests.helpers_people import (
    accept_invitation,
    actions,
    count,
    invitation_path,
    log_in,
    user_by_email,
)

USERS = "/organisation/users"
INVITE = "/organisation/users/invite"


@pytest.fixture
def admin(login_as):
    admin = factories.supplier_admin(name="Anna Admin")
    assert login_as(admin).status_code == 303
    return admin


def invite(client, csrf, **fields):
    data = {"name": "Piet Peters", "email": "piet@example.nl", "role": "supplier_user",
            "csrf_token": csrf(INVITE)}
    data.update(fields)
    return client.post(INVITE, data=data)


def post(client, csrf, path, **data):
    return client.post(path, data={"csrf_token": csrf(USERS), **data})


def test_invited_colleague_accepts_and_logs_in(app, client, csrf, admin, outbox):
    assert client.get(INVITE).status_code == 200
    response = invite(client, csrf, role="supplier_admin")
    assert response.status_code == 303
    assert response.location.endswith(USERS)
    assert "piet@example.nl" in client.get(USERS).get_data(as_text=True)

    [message] = outbox
    assert message["To"] == "piet@example.nl"
    path = invitation_path(message)
    assert path.startswith("/invitation/")

    browser = app.test_client()
    page = browser.get(path)
    assert page.status_code == 200 and "Piet Peters" in page.get_data(as_text=True)
    accepted = accept_invitation(browser, path, "mijn-eigen-wachtwoord-42")
    assert accepted.status_code == 303 and accepted.location.endswith("/login")
    assert browser.get(path).status_code == 404  # the link works once

    assert log_in(browser, "piet@example.nl", "mijn-eigen-wachtwoord-42").status_code == 303
    assert "Piet Peters" in browser.get("/").get_data(as_text=True)
    user = user_by_email("piet@example.nl")
    assert user.organisation_id == admin.organisation_id
    assert user.role == Role.SUPPLIER_ADMIN.value
    assert browser.get(USERS).status_code == 200  # the role chosen in the form holds


def test_posted_organisation_id_is_ignored(client, csrf, admin, outbox):
    other = factories.organisation()
    assert invite(client, csrf, organisation_id=str(other.id)).status_code == 303
    user = user_by_email("piet@example.nl")
    assert user.organisation_id == admin.organisation_id
    assert other.users == []


def test_reinviting_a_pending_address_resends(app, client, csrf, admin, outbox):
    assert invite(client, csrf).status_code == 303
    again = invite(client, csrf, email="Piet@Example.nl", name="Piet P.")
    assert again.status_code == 303
    assert count(User) == 2
    assert user_by_email("piet@example.nl").name == "Piet P."
    assert [m["To"] for m in outbox] == ["piet@example.nl", "piet@example.nl"]
    browser = app.test_client()
    assert browser.get(invitation_path(outbox[0])).status_code == 404
    assert browser.get(invitation_path(outbox[1])).status_code == 200


def test_address_with_an_account_is_refused_in_dutch(client, csrf, admin, outbox):
    existing = factories.user(name="Bestaande Gebruiker")
    response = invite(client, csrf, email=existing.email.upper(), role="supplier_admin")
    assert response.status_code == 422
    assert "Er bestaat al een account met dit e-mailadres." in response.get_data(as_text=True)
    assert outbox == []
    assert actions("invitation_sent") == []
    assert count(User) == 2
    existing = user_by_email(existing.email)
    assert existing.name == "Bestaande Gebruiker"
    assert existing.organisation_id != admin.organisation_id
    assert existing.role == Role.SUPPLIER_USER.value


@pytest.mark.parametrize("fields", [
    {"role": "staff"},
    {"email": "geen-adres"},
    {"name": ""},
], ids=["staff-role", "bad-email", "no-name"])
def test_invalid_invitation_is_refused(client, csrf, admin, outbox, fields):
    response = invite(client, csrf, **fields)
    assert response.status_code == 422
    assert count(User) == 1
    assert outbox == []


def test_deactivate_and_activate_are_audited(client, csrf, admin):
    colleague = factories.user(organisation=admin.organisation)
    response = post(client, csrf, f"/organisation/users/{colleague.id}/deactivate")
    assert response.status_code == 303 and response.location.endswith(USERS)
    assert user_by_email(colleague.email).active is False
    assert "kan niet meer inloggen" in client.get(USERS).get_data(as_text=True)

    assert post(client, csrf, f"/organisation/users/{colleague.id}/activate").status_code == 303
    assert user_by_email(colleague.email).active is True
    assert [(e.action, e.actor_id, e.object_id) for e in actions()
            if e.action.startswith("user_")] == [
        ("user_deactivated", admin.id, colleague.id),
        ("user_activated", admin.id, colleague.id),
    ]


def test_role_change_is_audited(client, csrf, admin):
    colleague = factories.user(organisation=admin.organisation)
    path = f"/organisation/users/{colleague.id}/role"
    assert post(client, csrf, path, role="supplier_admin").status_code == 303
    assert user_by_email(colleague.email).role == Role.SUPPLIER_ADMIN.value
    [event] = actions("role_changed")
    assert (event.actor_id, event.object_id) == (admin.id, colleague.id)
    assert event.details == {"old": "supplier_user", "new": "supplier_admin"}

    assert post(client, csrf, path, role="staff").status_code == 303  # refused, not applied
    assert user_by_email(colleague.email).role == Role.SUPPLIER_ADMIN.value
    assert len(actions("role_changed")) == 1


def test_resend_sends_a_new_link_and_is_audited(app, client, csrf, admin, outbox):
    pending = factories.user(organisation=admin.organisation, password=None)
    response = post(client, csrf, f"/organisation/users/{pending.id}/resend")
    assert response.status_code == 303
    [message] = outbox
    assert message["To"] == pending.email
    assert app.test_client().get(invitation_path(message)).status_code == 200
    [event] = actions("invitation_sent")
    assert (event.actor_id, event.object_id) == (admin.id, pending.id)


def test_deactivation_ends_the_colleagues_session_at_once(app, client, csrf, admin):
    colleague = factories.user(organisation=admin.organisation)
    theirs = app.test_client()
    assert log_in(theirs, colleague).status_code == 303
    assert theirs.get("/").status_code == 200

    assert post(client, csrf, f"/organisation/users/{colleague.id}/deactivate").status_code == 303
    response = theirs.get("/")
    assert response.status_code == 302
    assert "/login" in response.location
    assert log_in(theirs, colleague).status_code == 422  # and logging in again is refused


ACTIONS = [("deactivate", {}), ("activate", {}), ("role", {"role": "supplier_admin"}),
           ("resend", {})]


@pytest.mark.parametrize(("action", "data"), ACTIONS, ids=[a for a, _ in ACTIONS])
def test_another_organisations_user_gives_404(client, csrf, admin, outbox, action, data):
    stranger = factories.user(password=None, active=action != "activate")
    before = actions()
    response = post(client, csrf, f"/organisation/users/{stranger.id}/{action}", **data)
    assert response.status_code == 404
    stranger = user_by_email(stranger.email)
    assert stranger.active is (action != "activate")
    assert stranger.role == Role.SUPPLIER_USER.value
    assert outbox == []
    assert actions() == before
    assert stranger.email not in client.get(USERS).get_data(as_text=True)


@pytest.mark.parametrize(("action", "data"), [("deactivate", {}),
                                              ("role", {"role": "supplier_user"})])
def test_admin_cannot_change_themselves(client, csrf, admin, action, data):
    response = post(client, csrf, f"/organisation/users/{admin.id}/{action}", **data)
    assert response.status_code == 303
    assert "eigen account niet wijzigen" in client.get(USERS).get_data(as_text=True)
    me = user_by_email(admin.email)
    assert me.active is True and me.role == Role.SUPPLIER_ADMIN.value
    assert client.get("/").status_code == 200  # still logged in


def test_post_without_csrf_token_changes_nothing(client, admin):
    colleague = factories.user(organisation=admin.organisation)
    response = client.post(f"/organisation/users/{colleague.id}/deactivate")
    assert response.status_code == 400
    assert user_by_email(colleague.email).active is True


@pytest.mark.parametrize("kind", ["supplier_user", "staff"])
def test_others_than_supplier_admins_get_403(client, csrf, login_as, outbox, kind):
    me = factories.user() if kind == "supplier_user" else factories.staff()
    colleague = factories.user(organisation=me.organisation or factories.organisation(),
                               password=None)
    assert login_as(me).status_code == 303
    token = csrf("/")
    assert client.get(USERS).status_code == 403
    assert client.get(INVITE).status_code == 403
    response = client.post(INVITE, data={"name": "X", "email": "x@example.nl",
                                         "role": "supplier_user", "csrf_token": token})
    assert response.status_code == 403
    for action, data in ACTIONS:
        path = f"/organisation/users/{colleague.id}/{action}"
        assert client.post(path, data={"csrf_token": token, **data}).status_code == 403
    assert user_by_email("x@example.nl") is None
    assert user_by_email(colleague.email).active is True
    assert outbox == []


def test_anonymous_visitor_is_sent_to_login(client):
    response = client.get(USERS)
    assert response.status_code == 302 and "/login" in response.location
