"""Staff pages: inviting a supplier's first contact, and the audit log."""

import re
from datetime import UTC, datetime, timedelta

import pytest

from portal.audit import AuditEvent
from portal.auth.models import Role, User
from portal.suppliers.models import Organisation
from tests import factories
from tests.helpers_people import (
    accept_invitation,
    count,
    invitation_path,
    log_in,
    organisation_by_kvk,
    user_by_email,
)

NEW = "/staff/invitations/new"
AUDIT = "/staff/audit"
KVK_MESSAGE = "Een KvK-nummer bestaat uit 8 cijfers."


@pytest.fixture
def staff(login_as):
    staff = factories.staff(name="Inkoper")
    assert login_as(staff).status_code == 303
    return staff


def invite(client, csrf, **fields):
    data = {"organisation_name": "Groen Hoveniers B.V.", "kvk": "12345678", "name": "Gijs Groen",
            "email": "gijs@groen.example", "csrf_token": csrf(NEW)}
    data.update(fields)
    return client.post(NEW, data=data)


def test_invite_creates_supplier_whose_contact_becomes_its_admin(app, client, csrf, staff,
                                                                  outbox):
    assert client.get(NEW).status_code == 200
    response = invite(client, csrf)
    assert response.status_code == 303
    assert response.location.endswith("/staff/suppliers")
    page = client.get("/staff/suppliers").get_data(as_text=True)
    assert "Groen Hoveniers B.V. is aangemaakt" in page
    assert 'data-kvk="12345678"' in page

    organisation = organisation_by_kvk("12345678")
    assert organisation.name == "Groen Hoveniers B.V."
    user = user_by_email("gijs@groen.example")
    assert user.organisation_id == organisation.id
    assert user.role == Role.SUPPLIER_ADMIN.value

    [message] = outbox
    browser = app.test_client()
    path = invitation_path(message)
    assert accept_invitation(browser, path, "hoveniers-wachtwoord-1").status_code == 303
    assert log_in(browser, user, "hoveniers-wachtwoord-1").status_code == 303
    # As the supplier's admin, the contact can invite colleagues in turn.
    assert browser.get("/organisation/users/invite").status_code == 200


def test_known_kvk_reuses_the_organisation_without_renaming_it(client, csrf, staff, outbox):
    known = factories.organisation(name="Groen Hoveniers", kvk="12345678")
    response = invite(client, csrf, organisation_name="Groen Hovenirs (tikfout)")
    assert response.status_code == 303
    page = client.get("/staff/suppliers").get_data(as_text=True)
    assert "bij de bestaande leverancier Groen Hoveniers" in page
    assert count(Organisation) == 1
    assert organisation_by_kvk("12345678").name == "Groen Hoveniers"
    assert user_by_email("gijs@groen.example").organisation_id == known.id
    assert len(outbox) == 1


def test_seven_digit_kvk_gets_a_leading_zero(client, csrf, staff, outbox):
    assert invite(client, csrf, kvk="1234567").status_code == 303
    organisation = organisation_by_kvk("01234567")
    assert organisation is not None
    assert user_by_email("gijs@groen.example").organisation_id == organisation.id


@pytest.mark.parametrize("kvk", ["1234567a", "123456789", "abcdefgh"])
def test_invalid_kvk_is_refused_in_dutch_and_nothing_stored(client, csrf, staff, outbox, kvk):
    response = invite(client, csrf, kvk=kvk)
    assert response.status_code == 422
    assert KVK_MESSAGE in response.get_data(as_text=True)
    assert count(Organisation) == 0
    assert count(User) == 1
    assert outbox == []


def test_address_with_an_account_stores_no_new_organisation(client, csrf, staff, outbox):
    existing = factories.user()
    organisations = count(Organisation)
    response = invite(client, csrf, email=existing.email)
    assert response.status_code == 422
    assert "Er bestaat al een account met dit e-mailadres." in response.get_data(as_text=True)
    assert count(Organisation) == organisations
    assert organisation_by_kvk("12345678") is None
    assert outbox == []


@pytest.mark.parametrize("kind", ["supplier_user", "supplier_admin"])
def test_suppliers_get_403_on_staff_pages(client, csrf, login_as, outbox, kind):
    me = factories.user(kind)
    assert login_as(me).status_code == 303
    token = csrf("/")
    assert client.get(NEW).status_code == 403
    assert client.get(AUDIT).status_code == 403
    response = client.post(NEW, data={"organisation_name": "X", "kvk": "12345678", "name": "X",
                                      "email": "x@example.nl", "csrf_token": token})
    assert response.status_code == 403
    assert organisation_by_kvk("12345678") is None
    assert user_by_email("x@example.nl") is None
    assert outbox == []


def test_anonymous_visitor_is_sent_to_login(client):
    for path in (NEW, AUDIT):
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response.location


def add_events(db, n):
    """`n` old events an hour apart, added newest first, so id order is not time order."""
    start = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)
    for i in reversed(range(n)):
        db.session.add(AuditEvent(action="test_event", at=start + timedelta(hours=i),
                                  details={"marker": f"gebeurtenis-{i}"}))


def rows(page) -> list[str]:
    body = page.get_data(as_text=True).split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r"<tr>(.*?)</tr>", body, re.S)


def markers(page) -> list[str]:
    return re.findall(r"marker: (gebeurtenis-\d+)", page.get_data(as_text=True))


def test_audit_log_shows_newest_first(client, db, staff):
    add_events(db, 3)
    page = client.get(AUDIT)
    assert page.status_code == 200
    assert markers(page) == ["gebeurtenis-2", "gebeurtenis-1", "gebeurtenis-0"]
    # The staff member's own login, just now, comes before all of them.
    newest, *older = rows(page)
    assert "Ingelogd" in newest and staff.email in newest
    assert ["gebeurtenis-2" in older[0], "gebeurtenis-0" in older[-1]] == [True, True]


def test_audit_log_paginates(app, client, db, staff, monkeypatch):
    monkeypatch.setitem(app.config, "AUDIT_PAGE_SIZE", 2)
    add_events(db, 5)  # with the login event: 6 events, 3 pages
    first = client.get(AUDIT)
    assert markers(first) == ["gebeurtenis-4"]
    assert "Pagina 1 van 3" in first.get_data(as_text=True)
    assert 'rel="next"' in first.get_data(as_text=True)
    assert 'rel="prev"' not in first.get_data(as_text=True)
    assert markers(client.get(f"{AUDIT}?page=2")) == ["gebeurtenis-3", "gebeurtenis-2"]
    last = client.get(f"{AUDIT}?page=3")
    assert markers(last) == ["gebeurtenis-1", "gebeurtenis-0"]
    assert 'rel="next"' not in last.get_data(as_text=True)
    assert client.get(f"{AUDIT}?page=0").get_data(as_text=True).count("gebeurtenis-") == 1
    for page in ("99", str(2**63), "9" * 400):  # past the end: the last page
        beyond = client.get(f"{AUDIT}?page={page}")
        assert beyond.status_code == 200 and markers(beyond) == markers(last), page
    for page in ("-3", "2.5", "x", "\u0663"):  # not a page number: the first page
        odd = client.get(f"{AUDIT}?page={page}")
        assert odd.status_code == 200 and "Pagina 1 van 3" in odd.get_data(as_text=True), page


def test_invitation_by_staff_shows_in_the_audit_log(client, csrf, staff, outbox):
    assert invite(client, csrf).status_code == 303
    sent, created, login = rows(client.get(AUDIT))
    assert "Uitnodiging verstuurd" in sent and "gijs@groen.example" in sent
    assert "Leverancier aangemaakt" in created and "kvk: 12345678" in created
    assert "Ingelogd" in login
    assert staff.email in sent and staff.email in created
