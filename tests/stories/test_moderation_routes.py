"""Moderating stories through the pages: the queue, decisions, two moderators at once."""

import re

import pytest

from tests import factories
from tests.conftest import csrf_token
from tests.stories.conftest import switch_to


@pytest.fixture
def moderator(db):
    return factories.staff(moderator=True, name="Mia Moderator")


def test_queue_shows_facts_rendered_story_and_consent(client, login_as, db, moderator):
    story = factories.story(state="submitted", body="Eerste **alinea**.")
    login_as(moderator)
    html = client.get("/staff/moderation").get_data(as_text=True)
    assert 'data-queue="1"' in html
    assert story.latest.title in html and story.organisation.name in html
    assert "<strong>alinea</strong>" in html
    assert "Participatiewet (bijstand)" in html and "Betaalde baan" in html
    assert "Venlo" in html and "gaven toestemming voor publicatie" in html
    assert f'name="revision" value="{story.latest.id}"' in html


def test_plain_staff_do_not_moderate(client, login_as, db):
    login_as(factories.staff(moderator=False))
    assert client.get("/staff/moderation").status_code == 403


def test_approve_and_reject_through_the_queue(client, login_as, db, moderator, outbox):
    one, two = factories.story(state="submitted"), factories.story(state="submitted")
    login_as(moderator)
    token = csrf_token(client, "/staff/moderation")
    response = client.post(f"/staff/stories/{one.id}/approve", data={"csrf_token": token})
    assert response.status_code == 303 and one.state == "published"
    response = client.post(f"/staff/stories/{two.id}/reject", data={"csrf_token": token,
                                                                     "reason": ""})
    assert response.status_code == 422
    assert "Geef een reden" in response.get_data(as_text=True)
    assert two.state == "submitted"
    response = client.post(f"/staff/stories/{two.id}/reject",
                           data={"csrf_token": token, "reason": "Naam van de buurman."})
    assert response.status_code == 303 and two.state == "rejected"
    assert 'data-queue="0"' in client.get("/staff/moderation").get_data(as_text=True)


def test_two_moderators_in_two_browsers_one_wins_and_the_other_keeps_their_reason(
        app, client, login_as, db, moderator, outbox):
    story = factories.story(state="submitted")
    second = app.test_client()
    login_as(moderator)
    rival = factories.staff(moderator=True, name="Bas Beoordelaar")
    db.session.commit()
    page = second.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    second.post("/login", data={"email": rival.email, "password": factories.PASSWORD,
                                "csrf_token": token})
    revision = story.latest.id
    # Both have the queue open.
    first_token = csrf_token(client, "/staff/moderation")
    second_token = csrf_token(second, "/staff/moderation")
    assert second.post(f"/staff/stories/{story.id}/approve", data={
        "csrf_token": second_token, "revision": revision}).status_code == 303
    response = client.post(f"/staff/stories/{story.id}/reject", data={
        "csrf_token": first_token, "revision": revision,
        "reason": "De foto-omschrijving noemt een adres."})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "al beslist door Bas Beoordelaar" in html
    assert "De foto-omschrijving noemt een adres." in html  # handed back, not lost
    assert story.state == "published" and story.latest.rejection_reason is None


def test_moderator_unpublishes_with_a_reason(client, login_as, db, moderator, outbox):
    writer = factories.user()
    story = factories.story(author=writer, state="published")
    login_as(moderator)
    token = csrf_token(client, f"/stories/{story.id}")
    response = client.post(f"/staff/stories/{story.id}/unpublish",
                           data={"csrf_token": token, "reason": ""})
    assert response.status_code == 422 and story.state == "published"
    response = client.post(f"/staff/stories/{story.id}/unpublish",
                           data={"csrf_token": token, "reason": "Klacht van een bewoner."})
    assert response.status_code == 303 and story.state == "unpublished"
    assert outbox[-1]["To"] == writer.email
    switch_to(client, login_as, factories.user())
    assert client.get(f"/stories/{story.id}").status_code == 404


def test_organisation_takes_its_own_story_offline(client, author, db):
    story = factories.story(author=author, state="published")
    response = client.post(f"/stories/{story.id}/unpublish", data={
        "csrf_token": csrf_token(client, f"/stories/{story.id}"),
        "reason": "Anna trekt haar toestemming in."})
    assert response.status_code == 303 and story.state == "unpublished"
