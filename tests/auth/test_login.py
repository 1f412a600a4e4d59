"""Login, logout, the safe `next`, throttling and no account enumeration."""

import re

import pytest
from sqlalchemy import select

from portal.audit import AuditEvent
from portal.auth.models import UserSession
from tests import factories


def body_without_tokens(response) -> str:
    return re.sub(r'value="[^"]*"', 'value=""', response.get_data(as_text=True))


def post_login(client, csrf, email, password, **extra):
    return client.post("/login", data={"email": email, "password": password,
                                       "csrf_token": csrf(), **extra})


def test_login_page_is_dutch_and_labelled(client):
    page = client.get("/login")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert '<html lang="nl">' in html
    assert '<label for="email">E-mailadres</label>' in html
    assert '<label for="password">Wachtwoord</label>' in html


def test_anonymous_visitor_is_sent_to_login(client):
    response = client.get("/account")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=%2Faccount")


def test_login_with_right_password_opens_dashboard_and_records_it(client, login_as, db):
    user = factories.supplier_admin()
    response = login_as(user)
    assert response.status_code == 303
    assert response.headers["Location"] == "/"
    assert client.get("/").status_code == 200
    assert user.last_login_at is not None
    actions = db.session.scalars(select(AuditEvent.action)).all()
    assert "login" in actions


def test_email_is_case_insensitive(client, csrf, db):
    user = factories.supplier_admin(email="Jan.Maas@Example.org".lower())
    response = post_login(client, csrf, "  JAN.MAAS@example.ORG ", factories.PASSWORD)
    assert response.status_code == 303
    assert user.last_login_at is not None


def test_wrong_password_is_refused_with_dutch_message(client, csrf, db):
    user = factories.supplier_admin()
    response = post_login(client, csrf, user.email, "niet-het-goede-wachtwoord")
    assert response.status_code == 422
    assert "Het e-mailadres of het wachtwoord is onjuist." in response.get_data(as_text=True)
    assert client.get("/").status_code == 302
    assert db.session.scalars(select(UserSession)).all() == []


@pytest.mark.parametrize("case", ["known", "unknown", "pending", "inactive"])
def test_no_account_enumeration(client, csrf, db, case):
    """Unknown, not-yet-activated and deactivated accounts answer exactly as a wrong password."""
    known = factories.supplier_admin(email="bekend@example.org")
    factories.supplier_admin(email="pending@example.org", password=None)
    factories.supplier_admin(email="inactive@example.org", active=False)
    reference = post_login(client, csrf, known.email, "fout-wachtwoord-123")
    email = {"known": known.email, "unknown": "onbekend@example.org",
             "pending": "pending@example.org", "inactive": "inactive@example.org"}[case]
    response = post_login(client, csrf, email.replace("bekend", "bekend"),
                          "fout-wachtwoord-123" if case == "known" else factories.PASSWORD)
    assert response.status_code == reference.status_code == 422
    assert body_without_tokens(response).replace(email, "") == body_without_tokens(
        reference
    ).replace(known.email, "")


def test_deactivated_user_cannot_log_in_even_with_right_password(client, csrf, db):
    user = factories.supplier_admin(active=False)
    response = post_login(client, csrf, user.email, factories.PASSWORD)
    assert response.status_code == 422
    assert client.get("/").status_code == 302


def test_account_throttle_refuses_sixth_attempt_even_with_right_password(client, csrf, db):
    user = factories.supplier_admin()
    for _ in range(5):
        assert post_login(client, csrf, user.email, "fout-wachtwoord-123").status_code == 422
    response = post_login(client, csrf, user.email, factories.PASSWORD)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Te veel mislukte inlogpogingen voor dit account" in html
    assert client.get("/").status_code == 302  # not logged in
    assert user.last_login_at is None


def test_account_throttle_is_the_same_for_unknown_addresses(client, csrf, db):
    for _ in range(5):
        post_login(client, csrf, "niemand@example.org", "fout-wachtwoord-123")
    response = post_login(client, csrf, "niemand@example.org", "fout-wachtwoord-123")
    assert "Te veel mislukte inlogpogingen voor dit account" in response.get_data(as_text=True)


def test_account_throttle_ends_when_the_window_passes(app, client, csrf, db, monkeypatch):
    from datetime import timedelta

    from portal.auth import services

    user = factories.supplier_admin()
    for _ in range(5):
        post_login(client, csrf, user.email, "fout-wachtwoord-123")
    later = services.utcnow() + timedelta(seconds=app.config["LOGIN_FAILURE_WINDOW"] + 1)
    monkeypatch.setattr(services, "utcnow", lambda: later)
    assert post_login(client, csrf, user.email, factories.PASSWORD).status_code == 303


def test_account_throttle_does_not_lock_other_accounts(client, csrf, db):
    victim = factories.supplier_admin()
    other = factories.supplier_admin()
    for _ in range(6):
        post_login(client, csrf, victim.email, "fout-wachtwoord-123")
    assert post_login(client, csrf, other.email, factories.PASSWORD).status_code == 303


def test_address_throttle_answers_429(app, client, csrf, db, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_MAX_FAILURES_PER_ADDRESS", 8)
    for n in range(8):
        response = post_login(client, csrf, f"iemand{n}@example.org", "fout-wachtwoord-123")
        assert response.status_code == 422
    user = factories.supplier_admin()
    response = post_login(client, csrf, user.email, factories.PASSWORD)
    assert response.status_code == 429
    assert "Te veel pogingen" in response.get_data(as_text=True)


def test_default_limits_are_five_per_account_and_fifty_per_address(app):
    assert app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"] == 5
    assert app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"] == 50
    assert app.config["LOGIN_FAILURE_WINDOW"] == 15 * 60


def test_success_clears_earlier_failures(client, csrf, login_as, db):
    user = factories.supplier_admin()
    for _ in range(4):
        post_login(client, csrf, user.email, "fout-wachtwoord-123")
    assert login_as(user).status_code == 303
    client.post("/logout", data={"csrf_token": csrf("/")})
    for _ in range(4):
        post_login(client, csrf, user.email, "fout-wachtwoord-123")
    assert login_as(user).status_code == 303


@pytest.mark.parametrize("target", [
    "https://example.org", "//example.org", "/\\example.org", "\\\\example.org",
    "http:/example.org", "javascript:alert(1)", "/\r\nLocation: https://example.org",
    "example.org",
    "/\texample.org",
])
def test_next_never_leaves_the_site(login_as, db, target):
    response = login_as(factories.supplier_admin(), next_url=target)
    assert response.status_code == 303
    assert response.headers["Location"] == "/"


def test_next_to_a_path_on_the_site_is_followed(login_as, db):
    response = login_as(factories.supplier_admin(), next_url="/account?tab=1")
    assert response.headers["Location"] == "/account?tab=1"


def test_logout_is_post_only_and_ends_the_session(client, csrf, login_as, db):
    login_as(factories.supplier_admin())
    assert client.get("/logout").status_code == 405
    assert client.get("/").status_code == 200
    response = client.post("/logout", data={"csrf_token": csrf("/")})
    assert response.status_code == 303
    assert client.get("/").status_code == 302
    assert db.session.scalars(select(UserSession)).all() == []


def test_every_page_of_a_logged_in_user_has_the_logout_form(client, login_as, db):
    login_as(factories.staff())
    for path in ["/", "/account", "/staff/audit", "/staff/suppliers"]:
        html = client.get(path).get_data(as_text=True)
        assert 'action="/logout"' in html and 'method="post"' in html, path
