"""The operators' commands: `seed-demo` and `create-staff`."""

import pytest

from portal.auth.models import Role, User
from portal.suppliers.models import Organisation
from tests import factories
from tests.helpers_people import actions, count, log_in, user_by_email

DEMO_PASSWORD = "demo-wachtwoord-2026"
DEMO_ACCOUNTS = {
    # e-mail: (role, moderator, organisation)
    "inkoop@wonenlimburg.example": (Role.STAFF.value, True, None),
    "jan@bouwbedrijf-maas.example": (Role.SUPPLIER_ADMIN.value, False, "Bouwbedrijf Maas B.V."),
    "eva@schilders-roer.example": (Role.SUPPLIER_ADMIN.value, False, "Schildersbedrijf Roer"),
    "tom@installatie-geul.example": (Role.SUPPLIER_ADMIN.value, False,
                                     "Installatietechniek Geul"),
}


@pytest.fixture
def run(app, db_session):
    runner = app.test_cli_runner()

    def invoke(*args, input=None):
        return runner.invoke(args=list(args), input=input)

    return invoke


def test_seed_demo_creates_the_documented_accounts(app, run):
    result = run("seed-demo")
    assert result.exit_code == 0, result.output
    assert DEMO_PASSWORD in result.output
    for email, (role, moderator, organisation) in DEMO_ACCOUNTS.items():
        assert email in result.output
        user = user_by_email(email)
        assert (user.role, user.is_moderator) == (role, moderator)
        assert (user.organisation.name if user.organisation else None) == organisation
        assert user.active and not user.is_pending
    assert count(User) == 4
    assert count(Organisation) == 3


@pytest.mark.parametrize("email", sorted(DEMO_ACCOUNTS))
def test_every_demo_account_can_log_in(app, run, email):
    assert run("seed-demo").exit_code == 0
    browser = app.test_client()
    response = log_in(browser, email, DEMO_PASSWORD)
    assert response.status_code == 303, response.get_data(as_text=True)
    assert browser.get("/").status_code == 200


def test_seed_demo_refuses_a_second_run(run):
    assert run("seed-demo").exit_code == 0
    again = run("seed-demo")
    assert again.exit_code != 0
    assert "already has accounts" in again.output
    assert count(User) == 4


def test_seed_demo_refuses_a_database_with_any_account(run):
    factories.staff()
    result = run("seed-demo")
    assert result.exit_code != 0
    assert count(User) == 1


def test_seed_demo_if_empty_seeds_once_then_succeeds_quietly(run):
    first = run("seed-demo", "--if-empty")
    assert first.exit_code == 0 and DEMO_PASSWORD in first.output
    second = run("seed-demo", "--if-empty")
    assert second.exit_code == 0, second.output
    assert DEMO_PASSWORD not in second.output
    assert "jan@bouwbedrijf-maas.example" not in second.output
    assert count(User) == 4


def test_seed_demo_refuses_production(app, run, monkeypatch):
    monkeypatch.setitem(app.config, "ENV", "production")
    result = run("seed-demo")
    assert result.exit_code != 0
    assert "production" in result.output
    assert count(User) == 0
    assert run("seed-demo", "--if-empty").exit_code != 0
    assert count(User) == 0


STRONG = "een-sterk-staf-wachtwoord"


@pytest.mark.parametrize("moderator", [False, True])
def test_create_staff_makes_an_account_that_can_log_in(app, run, moderator):
    args = ["create-staff", "Lisa@Gmail.COM", "--name", " Lisa de Vries ", "--password-stdin"]
    if moderator:
        args.append("--moderator")
    result = run(*args, input=STRONG + "\n")
    assert result.exit_code == 0, result.output
    user = user_by_email("lisa@gmail.com")
    assert user.role == Role.STAFF.value and user.organisation is None
    assert user.is_moderator is moderator
    assert user.name == "Lisa de Vries"
    [event] = actions("staff_created")
    assert event.object_id == user.id and event.details["moderator"] is moderator
    assert STRONG not in str(event.details)

    browser = app.test_client()
    assert log_in(browser, "lisa@gmail.com", STRONG).status_code == 303
    assert browser.get("/staff/audit").status_code == 200


def test_create_staff_can_prompt_for_the_password(run):
    result = run("create-staff", "piet@wonenlimburg.example", "--name", "Piet",
                 input=f"{STRONG}\n{STRONG}\n")
    assert result.exit_code == 0, result.output
    assert user_by_email("piet@wonenlimburg.example").is_staff


@pytest.mark.parametrize(("password", "reason"), [
    ("kort-11-tkn", "at least 12 characters"),  # 11 characters
    ("1qaz2wsx3edc", "commonly used"),  # 12 characters, but on the common-password list
    ("", "at least 12 characters"),
], ids=["short", "common", "empty"])
def test_create_staff_refuses_a_weak_password(run, password, reason):
    result = run("create-staff", "lisa@example.nl", "--name", "Lisa", "--password-stdin",
                 input=password + "\n")
    # A clean refusal (click's exit code 1 with a message), not a crash with a traceback.
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit), result.exception
    assert reason in result.output
    assert user_by_email("lisa@example.nl") is None
    assert actions("staff_created") == []


def test_create_staff_accepts_exactly_twelve_characters(run):
    result = run("create-staff", "lisa@example.nl", "--name", "Lisa", "--password-stdin",
                 input="twaalf-tekns\n")
    assert result.exit_code == 0, result.output


def test_create_staff_refuses_an_existing_email(run):
    existing = factories.supplier_admin(name="Bestaand")
    result = run("create-staff", existing.email.upper(), "--name", "Nieuw", "--password-stdin",
                 input=STRONG + "\n")
    assert result.exit_code != 0
    assert "exists already" in result.output
    existing = user_by_email(existing.email)
    assert (existing.role, existing.name) == (Role.SUPPLIER_ADMIN.value, "Bestaand")
    assert count(User) == 1  # no new account


def test_create_staff_refuses_a_non_address(run):
    result = run("create-staff", "geen-adres", "--name", "X", "--password-stdin",
                 input=STRONG + "\n")
    assert result.exit_code != 0
    assert count(User) == 0
