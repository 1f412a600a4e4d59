"""The password policy and hashing, without requests."""

import pytest

from portal.auth.passwords import common_passwords, hash_password, password_problem


def test_common_password_list_has_at_least_ten_thousand_entries():
    assert len(common_passwords()) >= 10_000


@pytest.mark.parametrize("password", [
    "kort", "elf-tekens!", "passwordpassword", "PasswordPassword", "sunshine2026!!",
    "123456789012", "!!!qwertyuiop",
    "aaaaaaaaaaaaaa", "jan@example.org",
])
def test_weak_passwords_are_refused(app, password):
    with app.app_context():
        assert password_problem(password, "jan@example.org") is not None


@pytest.mark.parametrize("password", ["een-lang-test-wachtwoord", "Maastricht aan de Maas 12"])
def test_good_passwords_pass(app, password):
    with app.app_context():
        assert password_problem(password, "jan@example.org") is None


def test_hash_is_scrypt_and_salted(app):
    with app.app_context():
        first, second = hash_password("een-lang-test-wachtwoord"), hash_password(
            "een-lang-test-wachtwoord")
    assert first.startswith("scrypt:")
    assert first != second


def test_production_default_is_full_cost_scrypt():
    from portal.config import DEFAULTS

    assert DEFAULTS["PASSWORD_HASH_METHOD"] == "scrypt"
