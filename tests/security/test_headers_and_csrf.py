"""Security headers on every response, CSRF on every POST, error pages without leaks."""

import pytest
from sqlalchemy import func, select

from portal.auth.models import User, UserSession
from tests import factories


@pytest.mark.parametrize("path", ["/login", "/", "/healthz", "/nope", "/static/css/portal.css"])
def test_security_headers_on_every_response(client, path):
    response = client.get(path)
    csp = response.headers["Content-Security-Policy"]
    script_src = next(p for p in csp.split(";") if p.strip().startswith("script-src"))
    for forbidden in ("'unsafe-inline'", "*", "data:"):
        assert forbidden not in script_src
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"]


def test_pages_have_no_inline_script(client):
    html = client.get("/login").get_data(as_text=True)
    assert "<script>" not in html and " on" + "click=" not in html


def test_login_without_csrf_token_is_refused(client, db):
    user = factories.supplier_admin()
    response = client.post("/login", data={"email": user.email,
                                           "password": factories.PASSWORD})
    assert response.status_code == 400
    assert client.get("/").status_code == 302
    assert db.session.scalar(select(func.count()).select_from(UserSession)) == 0


def test_post_with_a_wrong_csrf_token_changes_nothing(client, login_as, db):
    admin = factories.supplier_admin()
    colleague = factories.user(organisation=admin.organisation)
    login_as(admin)
    response = client.post(f"/organisation/users/{colleague.id}/deactivate",
                           data={"csrf_token": "forged"})
    assert response.status_code == 400
    assert "Dit verzoek klopt niet" in response.get_data(as_text=True)
    assert db.session.get(User, colleague.id).active is True


def test_csrf_token_of_another_session_is_refused(app, client, login_as, db):
    from tests.conftest import csrf_token

    admin = factories.supplier_admin()
    colleague = factories.user(organisation=admin.organisation)
    attacker = app.test_client()
    foreign_token = csrf_token(attacker, "/login")
    login_as(admin)
    response = client.post(f"/organisation/users/{colleague.id}/deactivate",
                           data={"csrf_token": foreign_token})
    assert response.status_code == 400
    assert db.session.get(User, colleague.id).active is True


def test_logout_without_csrf_token_is_refused(client, login_as, db):
    login_as(factories.supplier_admin())
    assert client.post("/logout").status_code == 400
    assert client.get("/").status_code == 200


def test_not_found_page_is_in_the_layout(client):
    response = client.get("/bestaat-niet")
    html = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "Pagina niet gevonden" in html
    assert "Wonen Limburg" in html


def test_forced_exception_gives_generic_500_with_error_id(app, caplog):
    from portal import create_app

    # A separate app, so that the failing route does not join the shared one.
    broken = create_app({**app.config, "TESTING": False, "PROPAGATE_EXCEPTIONS": False})

    @broken.route("/_boom")
    def boom():
        raise RuntimeError("secret internal detail")

    response = broken.test_client().get("/_boom")
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Er ging iets mis" in html
    assert "secret internal detail" not in html and "Traceback" not in html
    error_id = html.split('class="error-id">')[1].split("<")[0]
    assert len(error_id) == 12
    assert error_id in caplog.text  # the id leads to the logged traceback
    assert "secret internal detail" in caplog.text


def test_request_too_large_gives_413_page(app, client):
    big = "x" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    response = client.post("/login", data={"email": big})
    assert response.status_code == 413
    assert "Bestand te groot" in response.get_data(as_text=True)


def test_healthz_answers_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "ok"
