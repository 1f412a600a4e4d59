"""The dashboard per role, the language switch and the page layout."""

import pytest

from tests import factories


def test_supplier_dashboard_shows_its_panels_without_placeholders(client, login_as, db):
    login_as(factories.supplier_admin())
    html = client.get("/").get_data(as_text=True)
    assert "Uw PSO-verplichting" in html
    assert "Nog niet beschikbaar" not in html
    assert "Schrijf een verhaal" in html
    assert "Collega's beheren" in html


def test_plain_supplier_user_has_no_colleague_management(client, login_as, db):
    login_as(factories.user())
    html = client.get("/").get_data(as_text=True)
    assert "Collega's beheren" not in html
    assert "/organisation/users" not in html


def test_staff_dashboard(client, login_as, db):
    login_as(factories.staff(moderator=True))
    html = client.get("/").get_data(as_text=True)
    assert "Naleving PSO" in html
    assert "Leverancier uitnodigen" in html


@pytest.mark.parametrize("path", ["/login", "/"])
def test_layout_has_skip_link_and_landmarks(client, login_as, db, path):
    if path == "/":
        login_as(factories.supplier_admin())
    html = client.get(path).get_data(as_text=True)
    assert '<a class="skip-link" href="#main">' in html
    assert '<main id="main"' in html
    assert "<header" in html and "<footer" in html
    assert 'name="viewport"' in html
    assert "Wonen Limburg" in html


def test_user_can_choose_english_and_it_sticks(client, csrf, login_as, db):
    user = factories.supplier_admin()
    login_as(user)
    response = client.post("/language", data={"language": "en", "next": "/account",
                                              "csrf_token": csrf("/")})
    assert response.status_code == 303
    assert response.headers["Location"] == "/account"
    html = client.get("/").get_data(as_text=True)
    assert '<html lang="en">' in html
    assert "Log out" in html
    assert user.locale == "en"


def test_language_chosen_before_login_becomes_the_users(client, csrf, login_as, db):
    client.post("/language", data={"language": "en", "csrf_token": csrf()})
    assert '<html lang="en">' in client.get("/login").get_data(as_text=True)
    user = factories.supplier_admin()
    login_as(user)
    assert user.locale == "en"


def test_language_switch_refuses_unknown_language(client, csrf):
    response = client.post("/language", data={"language": "de", "csrf_token": csrf()})
    assert response.status_code == 400


def test_form_errors_are_linked_to_their_fields(client, csrf, login_as, db):
    login_as(factories.supplier_admin())
    response = client.post("/organisation/users/invite", data={
        "name": "", "email": "geen-adres", "role": "supplier_user",
        "csrf_token": csrf("/organisation/users/invite")})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'aria-describedby="email-error"' in html
    assert 'id="email-error"' in html
    assert 'aria-invalid="true"' in html
    assert '<a href="#email">' in html


def test_supplier_dashboard_shows_status_and_next_action(client, login_as, db):
    from datetime import timedelta

    from portal.clock import local_today

    user = factories.supplier_admin()
    factories.contract(user.organisation, annual_value_cents=18_000_000)
    today = local_today()
    factories.certificate(user.organisation, level="trede_1", state="verified",
                          issued_on=today - timedelta(days=5),
                          valid_until=today + timedelta(days=300))
    login_as(user)
    html = client.get("/").get_data(as_text=True)
    assert 'data-status="non_compliant"' in html
    assert "Volgende stap: upload een geldig certificaat van minimaal trede 2." in html


def test_staff_dashboard_counts_suppliers_per_status(client, login_as, db):
    org = factories.organisation()
    factories.contract(org, annual_value_cents=20_000_000)
    factories.organisation()
    login_as(factories.staff())
    html = client.get("/").get_data(as_text=True)
    assert 'data-status-count="non_compliant">Niet in orde: 1<' in html
    assert 'data-status-count="not_required">Niet verplicht: 1<' in html


def test_staff_dashboard_counts_certificates_to_verify(client, login_as, db):
    factories.certificate()
    factories.certificate()
    factories.certificate(state="verified")
    login_as(factories.staff())
    assert 'data-count="2"' in client.get("/").get_data(as_text=True)
