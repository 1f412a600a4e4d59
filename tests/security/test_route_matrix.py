"""Every registered route, with every role: who gets in, who is sent to /login, who gets 403.

A new route fails `test_every_route_is_in_the_matrix` until it is classified here, so no
page can be added without deciding who may open it.
"""

import pytest

from tests import factories
from tests.conftest import csrf_token

PUBLIC, LOGGED_IN, SUPPLIER, SUPPLIER_ADMIN, STAFF, MODERATOR = (
    "public", "logged_in", "supplier", "supplier_admin", "staff", "moderator")

# endpoint: (who may use it, the URL values to try: "other_user" is a user of another
# organisation, which a supplier admin must not reach; "other_story" is a draft story of
# another organisation, "other_published_story" a published one that only it may take offline)
MATRIX = {
    "main.dashboard": (LOGGED_IN, {}),
    "main.healthz": (PUBLIC, {}),
    "auth.login": (PUBLIC, {}),
    "auth.logout": (LOGGED_IN, {}),
    "auth.forgot_password": (PUBLIC, {}),
    "auth.reset_password": (PUBLIC, {"token": "bad-token"}),
    "auth.accept_invitation": (PUBLIC, {"token": "bad-token"}),
    "auth.account": (LOGGED_IN, {}),
    "auth.change_password": (LOGGED_IN, {}),
    "auth.set_language": (PUBLIC, {}),
    "suppliers.users": (SUPPLIER_ADMIN, {}),
    "suppliers.invite": (SUPPLIER_ADMIN, {}),
    "suppliers.deactivate": (SUPPLIER_ADMIN, {"user_id": "other_user"}),
    "suppliers.activate": (SUPPLIER_ADMIN, {"user_id": "other_user"}),
    "suppliers.change_role": (SUPPLIER_ADMIN, {"user_id": "other_user"}),
    "suppliers.resend": (SUPPLIER_ADMIN, {"user_id": "other_user"}),
    "obligations.obligation": (SUPPLIER, {}),
    "obligations.policy": (STAFF, {}),
    "certificates.index": (SUPPLIER, {}),
    "certificates.new": (SUPPLIER, {}),
    "certificates.file": (LOGGED_IN, {"certificate_id": "other_certificate"}),
    "certificates.queue": (STAFF, {}),
    "certificates.verify": (STAFF, {"certificate_id": "other_certificate"}),
    "certificates.reject": (STAFF, {"certificate_id": "other_certificate"}),
    "staff.suppliers": (STAFF, {}),
    "staff.suppliers_csv": (STAFF, {}),
    "staff.invite_supplier": (STAFF, {}),
    "staff.audit_log": (STAFF, {}),
    "staff.supplier": (STAFF, {"organisation_id": "an_organisation"}),
    "contracts.import_file": (STAFF, {}),
    "contracts.preview": (STAFF, {"import_id": "an_import"}),
    "contracts.check": (STAFF, {"import_id": "an_import"}),
    "contracts.apply": (STAFF, {"import_id": "an_import"}),
    "contracts.discard": (STAFF, {"import_id": "an_import"}),
    "contracts.new": (STAFF, {"organisation_id": "an_organisation"}),
    "contracts.edit": (STAFF, {"contract_id": "a_contract"}),
    "stories.index": (LOGGED_IN, {}),
    "stories.mine": (SUPPLIER, {}),
    "stories.new": (SUPPLIER, {}),
    "stories.preview": (SUPPLIER, {}),
    "stories.show": (LOGGED_IN, {"story_id": "other_story"}),
    "stories.edit": (SUPPLIER, {"story_id": "other_story"}),
    "stories.submit": (SUPPLIER, {"story_id": "other_story"}),
    "stories.take_offline": (SUPPLIER, {"story_id": "other_published_story"}),
    "stories.moderation_queue": (MODERATOR, {}),
    "stories.approve": (MODERATOR, {"story_id": "other_story"}),
    "stories.reject": (MODERATOR, {"story_id": "other_story"}),
    "stories.unpublish": (MODERATOR, {"story_id": "other_published_story"}),
}
IGNORED = {"static"}

ROLES = ["anonymous", "supplier_user", "supplier_admin", "staff", "moderator"]
GRANTED = {
    PUBLIC: set(ROLES),
    LOGGED_IN: set(ROLES) - {"anonymous"},
    SUPPLIER: {"supplier_user", "supplier_admin"},
    SUPPLIER_ADMIN: {"supplier_admin"},
    STAFF: {"staff", "moderator"},
    MODERATOR: {"moderator"},
}


def test_every_route_is_in_the_matrix(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()} - IGNORED
    assert endpoints == set(MATRIX), "classify new routes in MATRIX"


def make_user(role):
    if role == "anonymous":
        return None
    if role == "staff":
        return factories.staff()
    if role == "moderator":
        return factories.staff(moderator=True)
    if role == "supplier_admin":
        return factories.supplier_admin()
    return factories.user()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", sorted(MATRIX))
def test_route_access(app, client, login_as, db, endpoint, role):
    level, values = MATRIX[endpoint]
    user = make_user(role)
    # Objects of another organisation than the user's.
    others = {"other_user": lambda: factories.user().id,
              "other_certificate": lambda: factories.certificate().id,
              "other_story": lambda: factories.story().id,
              "other_published_story": lambda: factories.story(state="published").id}
    # Objects only staff reach, so that staff get the page itself rather than a 404.
    staff_objects = {"an_organisation": lambda: factories.organisation().id,
                     "a_contract": lambda: factories.contract().id,
                     "an_import": lambda: factories.contract_import().id}
    makers = others | staff_objects
    url_values = {k: (makers[v]() if v in makers else v) for k, v in values.items()}
    if user is not None:
        assert login_as(user).status_code == 303
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    with app.test_request_context():
        from flask import url_for

        path = url_for(endpoint, **url_values)
    token = csrf_token(client, "/" if user else "/login")
    methods = sorted(rule.methods - {"HEAD", "OPTIONS"})
    for method in methods:
        if method == "GET":
            response = client.get(path)
        else:
            response = client.open(path, method=method, data={"csrf_token": token})
        status = response.status_code
        location = response.headers.get("Location", "")
        where = f"{method} {path} as {role}"
        if role not in GRANTED[level]:
            if user is None:
                assert status == 302 and location.startswith("/login"), where
            else:
                assert status == 403, where
        else:
            assert status != 403, where
            assert status < 500, where
            assert not (status == 302 and location.startswith("/login")), where
            if set(values.values()) & set(others) and role.startswith("supplier"):
                assert status == 404, f"{where}: another organisation's object must stay unseen"
        if endpoint == "auth.logout" and user is not None and status == 303:
            login_as(user)
            token = csrf_token(client, "/")


def test_refused_access_is_in_the_audit_log(client, login_as, db):
    from sqlalchemy import select

    from portal.audit import AuditEvent

    user = factories.supplier_admin()
    login_as(user)
    assert client.get("/staff/audit").status_code == 403
    event = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "access_refused")).one()
    assert event.actor_id == user.id
    assert event.details["path"] == "/staff/audit"
    assert event.address == "127.0.0.1"
