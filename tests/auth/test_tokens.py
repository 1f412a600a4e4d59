"""Password reset and invitation links: single-use, signed, expiring."""

import re
from datetime import timedelta

from sqlalchemy import select

from portal.auth.models import Token
from portal.db import utcnow
from tests import factories

NEW = "een-heel-nieuw-wachtwoord"


def link_path(message) -> str:
    body = message.get_content()
    match = re.search(r"https?://portal\.test(/\S+)", body)
    assert match, body
    return match.group(1)


def expire_tokens(db):
    for token in db.session.scalars(select(Token)):
        token.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()


def request_reset(client, csrf, email):
    return client.post("/password/forgot", data={"email": email,
                                                 "csrf_token": csrf("/password/forgot")})


def choose_password(client, csrf, path, password=NEW, confirm=None):
    return client.post(path, data={"password": password, "confirm": confirm or password,
                                   "csrf_token": csrf(path)})


def test_reset_page_says_the_same_for_known_and_unknown_addresses(client, csrf, outbox, db):
    user = factories.supplier_admin()
    known = request_reset(client, csrf, user.email)
    unknown = request_reset(client, csrf, "niemand@example.org")
    assert known.status_code == unknown.status_code == 303
    assert known.headers["Location"] == unknown.headers["Location"]
    flash_known = client.get(known.headers["Location"]).get_data(as_text=True)
    assert "Als er een account bij dit e-mailadres hoort" in flash_known
    assert [m["To"] for m in outbox] == [user.email]


def test_reset_link_sets_new_password_and_ends_all_sessions(app, client, csrf, login_as,
                                                            outbox, db):
    user = factories.supplier_admin()
    other_device = app.test_client()
    login_as(user)  # `client` is logged in; use it as the other device's twin
    request_reset(other_device, lambda p: _csrf(other_device, p), user.email)
    path = link_path(outbox[-1])
    response = choose_password(other_device, lambda p: _csrf(other_device, p), path)
    assert response.status_code == 303
    assert client.get("/").status_code == 302  # the earlier session ended
    assert login_as(user, password=NEW).status_code == 303


def _csrf(device, path):
    from tests.conftest import csrf_token

    return csrf_token(device, path)


def test_reset_link_works_once(client, csrf, outbox, db):
    user = factories.supplier_admin()
    request_reset(client, csrf, user.email)
    path = link_path(outbox[-1])
    assert choose_password(client, csrf, path).status_code == 303
    again = client.get(path)
    assert again.status_code == 404
    assert "verlopen of al gebruikt" in again.get_data(as_text=True)
    refused = client.post(path, data={"password": "nog-een-ander-wachtwoord",
                                      "confirm": "nog-een-ander-wachtwoord"})
    assert refused.status_code in (400, 404)


def test_expired_reset_link_is_refused(client, csrf, outbox, db):
    user = factories.supplier_admin()
    old_hash = user.password_hash
    request_reset(client, csrf, user.email)
    path = link_path(outbox[-1])
    expire_tokens(db)
    assert client.get(path).status_code == 404
    assert user.password_hash == old_hash


def test_reset_link_expires_after_an_hour(client, csrf, outbox, db):
    user = factories.supplier_admin()
    request_reset(client, csrf, user.email)
    token = db.session.scalars(select(Token)).one()
    assert token.expires_at - token.created_at == timedelta(hours=1)


def test_tampered_link_is_refused(client, csrf, outbox, db):
    user = factories.supplier_admin()
    request_reset(client, csrf, user.email)
    path = link_path(outbox[-1])
    assert client.get(path[:-2] + ("AA" if not path.endswith("AA") else "BB")).status_code == 404
    assert client.get("/password/reset/garbage").status_code == 404


def test_newer_reset_link_replaces_older(client, csrf, outbox, db):
    user = factories.supplier_admin()
    request_reset(client, csrf, user.email)
    first = link_path(outbox[-1])
    request_reset(client, csrf, user.email)
    second = link_path(outbox[-1])
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200


def test_weak_new_password_is_refused_and_link_stays_usable(client, csrf, outbox, db):
    user = factories.supplier_admin()
    request_reset(client, csrf, user.email)
    path = link_path(outbox[-1])
    for weak in ["kort", "passwordpassword", "123456789012"]:
        response = choose_password(client, csrf, path, password=weak)
        assert response.status_code == 422
    assert client.get(path).status_code == 200
    mismatch = choose_password(client, csrf, path, password=NEW, confirm=NEW + "x")
    assert "De twee wachtwoorden zijn niet gelijk." in mismatch.get_data(as_text=True)


def test_no_token_or_password_reaches_the_log(client, csrf, outbox, db, caplog):
    user = factories.supplier_admin()
    with caplog.at_level("DEBUG"):
        request_reset(client, csrf, user.email)
        path = link_path(outbox[-1])
        choose_password(client, csrf, path)
        client.post("/login", data={"email": user.email, "password": NEW,
                                    "csrf_token": csrf()})
    token = path.rsplit("/", 1)[1]
    assert token not in caplog.text
    assert NEW not in caplog.text


def test_invitation_link_expires_after_seven_days(client, csrf, login_as, outbox, db):
    admin = factories.supplier_admin()
    login_as(admin)
    client.post("/organisation/users/invite", data={
        "name": "Piet", "email": "piet@example.org", "role": "supplier_user",
        "csrf_token": csrf("/organisation/users/invite")})
    token = db.session.scalars(select(Token)).one()
    assert token.expires_at - token.created_at == timedelta(days=7)
    path = link_path(outbox[-1])
    assert path.startswith("/invitation/")
    expire_tokens(db)
    client.post("/logout", data={"csrf_token": csrf("/")})
    assert client.get(path).status_code == 404
