"""Logging in and out as a person does, in a real browser."""

import pytest

from tests import factories

pytestmark = pytest.mark.browser


def test_supplier_logs_in_with_keyboard_sees_dashboard_and_logs_out(page, db):
    user = factories.supplier_admin(name="Jan Maas")
    db.session.commit()

    page.goto("/")
    assert page.url.endswith("/login?next=%2F")
    page.keyboard.press("Tab")  # the skip link comes first
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.get_by_label("E-mailadres").fill(user.email)
    page.get_by_label("Wachtwoord", exact=True).fill(factories.PASSWORD)
    page.get_by_label("Wachtwoord", exact=True).press("Enter")

    page.wait_for_url("**/")
    assert page.get_by_role("heading", level=1).inner_text() == "Welkom, Jan Maas"
    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_url("**/login")
    assert "U bent uitgelogd." in page.content()


def test_wrong_password_shows_error_summary(page, db):
    user = factories.supplier_admin()
    db.session.commit()
    page.goto("/login")
    page.get_by_label("E-mailadres").fill(user.email)
    page.get_by_label("Wachtwoord", exact=True).fill("niet-het-goede-wachtwoord")
    page.get_by_role("button", name="Inloggen").click()
    assert page.get_by_role("alert").inner_text().count("onjuist") == 1
