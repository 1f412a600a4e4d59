"""Sessions end for real: replayed cookies, password changes, timeouts, cookie flags."""

from datetime import timedelta

from sqlalchemy import select

from portal.auth import sessions
from portal.auth.models import UserSession
from tests import factories


def session_cookie(client):
    return client.get_cookie("portal_session", domain="portal.test")


def test_cookie_captured_before_logout_no_longer_logs_in(app, client, csrf, login_as, db):
    login_as(factories.supplier_admin())
    captured = session_cookie(client).value
    client.post("/logout", data={"csrf_token": csrf("/")})

    thief = app.test_client()
    thief.set_cookie("portal_session", captured, domain="portal.test")
    response = thief.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_session_is_renewed_at_login(app, client, login_as, db):
    client.get("/login")
    before = session_cookie(client).value
    login_as(factories.supplier_admin())
    after = session_cookie(client).value
    assert before != after
    # The cookie from before the login is not a logged-in session.
    other = app.test_client()
    other.set_cookie("portal_session", before, domain="portal.test")
    assert other.get("/").status_code == 302


def test_password_change_ends_every_other_session(app, csrf, login_as, db):
    user = factories.supplier_admin()
    laptop = app.test_client()
    phone = app.test_client()
    for device in (laptop, phone):
        device.post("/login", data={"email": user.email, "password": factories.PASSWORD,
                                    "csrf_token": _token(device, "/login")})
        assert device.get("/").status_code == 200
    response = laptop.post("/account/password", data={
        "current_password": factories.PASSWORD,
        "password": "een-heel-nieuw-wachtwoord",
        "confirm": "een-heel-nieuw-wachtwoord",
        "csrf_token": _token(laptop, "/account/password"),
    })
    assert response.status_code == 303
    assert laptop.get("/").status_code == 200
    assert phone.get("/").status_code == 302


def test_password_change_needs_the_current_password(client, csrf, login_as, db):
    user = factories.supplier_admin()
    login_as(user)
    old_hash = user.password_hash
    response = client.post("/account/password", data={
        "current_password": "niet-het-huidige",
        "password": "een-heel-nieuw-wachtwoord",
        "confirm": "een-heel-nieuw-wachtwoord",
        "csrf_token": csrf("/account/password"),
    })
    assert response.status_code == 422
    assert "Uw huidige wachtwoord is onjuist." in response.get_data(as_text=True)
    assert user.password_hash == old_hash


def _token(device, path):
    from tests.conftest import csrf_token

    return csrf_token(device, path)


def _age_session(db, **changes):
    row = db.session.scalars(select(UserSession)).one()
    for name, delta in changes.items():
        setattr(row, name, getattr(row, name) - delta)
    db.session.commit()


def test_idle_session_ends_after_an_hour(client, login_as, db):
    login_as(factories.supplier_admin())
    _age_session(db, last_seen_at=timedelta(minutes=61))
    assert client.get("/").status_code == 302
    assert db.session.scalars(select(UserSession)).all() == []


def test_remembered_session_survives_idle_hour(client, login_as, db):
    login_as(factories.supplier_admin(), remember=True)
    _age_session(db, last_seen_at=timedelta(minutes=61))
    assert client.get("/").status_code == 200


def test_every_session_ends_after_twelve_hours(client, login_as, db):
    login_as(factories.supplier_admin(), remember=True)
    _age_session(db, created_at=timedelta(hours=12, minutes=1),
                 last_seen_at=timedelta(minutes=1))
    assert client.get("/").status_code == 302


def test_activity_keeps_a_session_alive(client, login_as, db):
    login_as(factories.supplier_admin())
    _age_session(db, last_seen_at=timedelta(minutes=59))
    assert client.get("/").status_code == 200
    row = db.session.scalars(select(UserSession)).one()
    assert sessions.utcnow() - row.last_seen_at < timedelta(minutes=1)


def test_remember_me_makes_a_persistent_cookie_and_plain_login_does_not(app, login_as, db):
    user = factories.supplier_admin()
    plain = app.test_client()
    plain.post("/login", data={"email": user.email, "password": factories.PASSWORD,
                               "csrf_token": _token(plain, "/login")})
    assert session_cookie(plain).expires is None
    remembered = app.test_client()
    remembered.post("/login", data={"email": user.email, "password": factories.PASSWORD,
                                    "remember": "y", "csrf_token": _token(remembered, "/login")})
    assert session_cookie(remembered).expires is not None


def test_session_cookie_flags_in_development(client, login_as, db):
    response = login_as(factories.supplier_admin())
    header = response.headers["Set-Cookie"]
    assert "HttpOnly" in header
    assert "SameSite=Lax" in header
    assert "Secure" not in header


def test_database_holds_only_a_hash_of_the_session_key(client, login_as, db):
    login_as(factories.supplier_admin())
    row = db.session.scalars(select(UserSession)).one()
    assert row.key_hash not in session_cookie(client).value
