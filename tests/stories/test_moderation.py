"""Moderation: approve, reject with a reason, take offline; e-mails; two moderators at once."""

import threading

import pytest
from sqlalchemy import select, update

from portal.audit import AuditEvent
from portal.auth.models import User
from portal.db import utcnow
from portal.exceptions import DomainError, PermissionDenied
from portal.extensions import db as _db
from portal.stories import moderation, services
from portal.stories.models import Story, StoryRevision
from tests import factories
from tests.stories.test_services import fields


@pytest.fixture
def moderator(db):
    return factories.staff(moderator=True, name="Mia Moderator")


@pytest.fixture
def author(db):
    return factories.user(name="Sam Schrijver")


def submitted(author, **overrides):
    story = services.create(author, fields(**overrides))
    services.submit(author, story)
    return story


def test_queue_is_oldest_first_and_only_submitted(db, author):
    first = submitted(author, title="Eerste")
    second = submitted(author, title="Tweede")
    factories.story(state="draft")
    factories.story(state="published")
    first.latest.submitted_at, second.latest.submitted_at = (
        second.latest.submitted_at, first.latest.submitted_at)  # the second came in first
    db.session.flush()
    assert [r.title for r in moderation.queue()] == ["Tweede", "Eerste"]
    assert moderation.queue_count() == 2


def test_approve_publishes_and_mails_the_author(db, outbox, moderator, author):
    story = submitted(author)
    outbox.clear()
    revision = moderation.approve(moderator, story)
    assert story.state == "published" and story.published_revision_id == revision.id
    assert revision.state == "approved" and revision.decided_by_id == moderator.id
    assert story.published_at is not None and story.published_on is not None
    [message] = outbox
    assert message["To"] == author.email
    assert "staat online" in message["Subject"]
    assert f"/stories/{story.id}" in message.get_content()
    assert _db.session.scalars(select(AuditEvent.action)).all()[-1] == "story_approved"


def test_reject_needs_a_reason_and_mails_it(db, outbox, moderator, author):
    story = submitted(author)
    outbox.clear()
    with pytest.raises(DomainError) as refused:
        moderation.reject(moderator, story, "   ")
    assert refused.value.field == "reason"
    assert story.latest.state == "submitted" and outbox == []
    moderation.reject(moderator, story, "Er staat een achternaam in de tweede alinea.")
    assert story.state == "rejected"
    assert story.latest.rejection_reason == "Er staat een achternaam in de tweede alinea."
    [message] = outbox
    assert "achternaam in de tweede alinea" in message.get_content()
    event = _db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert event.action == "story_rejected" and "achternaam" in event.details["reason"]


def test_only_moderators_decide(db, author):
    story = submitted(author)
    for person in (factories.staff(moderator=False), author):
        with pytest.raises(PermissionDenied):
            moderation.approve(person, story)


def test_rejecting_a_revision_of_a_published_story_keeps_it_online(db, moderator, author,
                                                                   outbox):
    story = factories.story(author=author, state="published")
    online = story.published_revision_id
    services.save(author, story, fields(title="Nieuwe versie"))
    services.submit(author, story)
    moderation.reject(moderator, story, "Te veel persoonsgegevens.")
    assert story.state == "published" and story.published_revision_id == online
    assert "blijft online" in outbox[-1].get_content()


def test_approving_a_revision_replaces_the_published_text(db, moderator, author):
    story = factories.story(author=author, state="published")
    first_published_at = story.published_at
    services.save(author, story, fields(title="Nieuwe versie"))
    services.submit(author, story)
    revision = moderation.approve(moderator, story)
    assert story.published_revision_id == revision.id
    assert story.published_revision.title == "Nieuwe versie"
    assert story.published_at == first_published_at  # the list keeps its first date


def test_unpublish_by_moderator_and_by_the_organisation(db, moderator, author, outbox):
    story = factories.story(author=author, state="published")
    with pytest.raises(DomainError):
        moderation.unpublish(moderator, story, "")
    moderation.unpublish(moderator, story, "Iemand trok de toestemming in.")
    assert story.state == "unpublished" and story.unpublished_by_id == moderator.id
    assert "toestemming in" in outbox[-1].get_content()
    with pytest.raises(moderation.DecisionConflict, match="Mia Moderator"):
        moderation.unpublish(moderator, story, "Nog een keer.")

    own = factories.story(author=author, state="published")
    outbox.clear()
    moderation.unpublish(author, own, "Anna wil er toch niet in.")
    assert own.state == "unpublished"
    assert outbox == []  # who did it knows
    with pytest.raises(PermissionDenied):
        moderation.unpublish(factories.user(), factories.story(state="published"), "Weg.")


def test_an_unpublished_story_can_be_revised_and_published_again(db, moderator, author):
    story = factories.story(author=author, state="unpublished")
    services.save(author, story, fields(title="Zonder achternamen"))
    assert story.state == "unpublished"
    services.submit(author, story)
    moderation.approve(moderator, story)
    assert story.state == "published" and story.unpublish_reason is None
    assert story.published_revision.title == "Zonder achternamen"


# --- Two moderators at once ------------------------------------------------------------------


def test_second_decision_on_a_decided_story_is_refused_and_says_who(db, moderator, author):
    other = factories.staff(moderator=True, name="Bas Beoordelaar")
    story = submitted(author)
    revision_id = story.latest.id
    moderation.approve(other, story, revision_id)
    with pytest.raises(moderation.DecisionConflict) as conflict:
        moderation.reject(moderator, story, "Te lang.", revision_id)
    assert "Bas Beoordelaar" in conflict.value.message
    assert "goedgekeurd" in conflict.value.message
    assert story.state == "published"
    assert story.latest.rejection_reason is None


def test_decision_on_a_version_the_author_replaced_is_refused(db, moderator, author):
    story = submitted(author)
    seen = story.latest.id
    services.save(author, story, fields(title="Andere tekst"))
    services.submit(author, story)
    with pytest.raises(moderation.DecisionConflict, match="intussen gewijzigd"):
        moderation.approve(moderator, story, seen)
    assert story.state == "submitted"  # the new version still waits
    assert story.published_revision_id is None


def test_decision_after_the_author_took_it_back_is_refused(db, moderator, author):
    story = submitted(author)
    seen = story.latest.id
    services.save(author, story, fields(title="Nog even aanpassen"))
    with pytest.raises(moderation.DecisionConflict, match="teruggehaald"):
        moderation.approve(moderator, story, seen)


def test_conditional_update_catches_a_decision_between_loading_and_deciding(
        db, moderator, author, monkeypatch):
    """Moderator B has loaded the submitted revision; A's decision is committed meanwhile."""
    other = factories.staff(moderator=True, name="Bas Beoordelaar")
    story = submitted(author)
    stale = story.latest
    db.session.commit()
    with db.engine.begin() as connection:  # A, in its own connection
        connection.execute(update(StoryRevision).where(StoryRevision.id == stale.id)
                           .values(state="approved", decided_by_id=other.id,
                                   decided_at=utcnow()))
    monkeypatch.setattr(moderation, "_pending", lambda _story: stale)
    with pytest.raises(moderation.DecisionConflict, match="Bas Beoordelaar"):
        moderation.reject(moderator, story, "Mijn reden.")
    db.session.rollback()
    revision = db.session.get(StoryRevision, stale.id)
    assert revision.state == "approved" and revision.rejection_reason is None


def test_two_moderators_at_the_same_moment_one_wins(app, db, author):
    """Both load the story, both decide at once in their own transactions: one wins."""
    first = factories.staff(moderator=True, name="Eerste Moderator")
    second = factories.staff(moderator=True, name="Tweede Moderator")
    story_id = submitted(author).id
    db.session.commit()
    loaded = threading.Barrier(2, timeout=10)
    original = moderation._pending

    def pending_then_wait(story):
        found = original(story)
        loaded.wait()  # both have seen the revision waiting before either decides
        return found

    outcomes = {}

    def decide(user_id, act):
        with app.app_context():
            try:
                user = _db.session.get(User, user_id)
                act(user, _db.session.get(Story, story_id))
                _db.session.commit()
                outcomes[user_id] = "won"
            except moderation.DecisionConflict as conflict:
                _db.session.rollback()
                outcomes[user_id] = str(conflict.message)

    moderation._pending = pending_then_wait
    try:
        threads = [
            threading.Thread(target=decide, args=(first.id, moderation.approve)),
            threading.Thread(target=decide, args=(
                second.id, lambda user, story: moderation.reject(user, story, "Reden B."))),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=20)
    finally:
        moderation._pending = original
    assert sorted(outcomes) == sorted([first.id, second.id])
    assert list(outcomes.values()).count("won") == 1, outcomes
    loser = next(message for message in outcomes.values() if message != "won")
    assert "al beslist door" in loser
    db.session.expire_all()
    revision = db.session.scalars(select(StoryRevision).where(
        StoryRevision.story_id == story_id)).one()
    assert revision.state in ("approved", "rejected")
    assert (revision.state == "rejected") == (revision.rejection_reason == "Reden B.")
