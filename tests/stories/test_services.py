"""Writing, submitting and revising stories: the rules, without pages."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from portal import permissions
from portal.audit import AuditEvent
from portal.exceptions import DomainError, PermissionDenied
from portal.stories import services
from portal.stories.models import Story, StoryRevision
from portal.stories.services import StoryFields
from tests import factories


def fields(**overrides) -> StoryFields:
    values = {"title": "  Van stage naar vast contract  ",
              "summary": "Mohammed liep stage en werkt nu vast bij ons.",
              "body": "## Hoe het begon\n\nMohammed kwam via de gemeente *Venlo*.",
              "target_group": "statushouder", "placement_kind": "betaalde_baan",
              "people_count": 1, "municipality": "Venlo", "consent": True}
    values.update(overrides)
    return StoryFields(**values)


def actions(db) -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_create_stores_a_draft_with_rendered_html(db):
    author = factories.user()
    story = services.create(author, fields())
    assert story.state == "draft"
    assert story.organisation_id == author.organisation_id
    [revision] = story.revisions
    assert revision.title == "Van stage naar vast contract"  # trimmed
    assert revision.body_html == ("<h2>Hoe het begon</h2>\n"
                                  "<p>Mohammed kwam via de gemeente <em>Venlo</em>.</p>")
    assert revision.state == "draft" and revision.number == 1
    assert actions(db) == ["story_created"]


@pytest.mark.parametrize("override, field", [
    ({"title": "   "}, "title"),
    ({"title": "x" * 151}, "title"),
    ({"summary": ""}, "summary"),
    ({"body": "x" * 20_001}, "body"),
    ({"target_group": "iedereen"}, "target_group"),
    ({"placement_kind": "vrijwilligerswerk"}, "placement_kind"),
    ({"people_count": 0}, "people_count"),
    ({"people_count": None}, "people_count"),
    ({"people_count": 1001}, "people_count"),
    ({"municipality": "Eindhoven"}, "municipality"),
    ({"municipality": "venlo"}, "municipality"),
    ({"consent": False}, "consent"),
])
def test_bad_facts_are_refused_with_the_field_named(db, override, field):
    author = factories.user()
    with pytest.raises(DomainError) as refused:
        services.create(author, fields(**override))
    assert refused.value.field == field
    assert db.session.scalars(select(Story)).all() == []


def test_every_limburg_municipality_is_accepted_and_there_are_31(db):
    from portal.stories.facts import MUNICIPALITIES

    assert len(MUNICIPALITIES) == len(set(MUNICIPALITIES)) == 31
    for name in ("Eijsden-Margraten", "Gulpen-Wittem", "Sittard-Geleen", "Echt-Susteren",
                 "Beekdaelen", "Peel en Maas", "Horst aan de Maas", "Valkenburg aan de Geul"):
        assert name in MUNICIPALITIES
    for gone in ("Onderbanken", "Nuth", "Schinnen"):  # Beekdaelen since 2019
        assert gone not in MUNICIPALITIES


def test_staff_cannot_write_stories(db):
    with pytest.raises(PermissionDenied):
        services.create(factories.staff(), fields())


def test_editing_a_draft_changes_it_in_place(db):
    author = factories.user()
    story = services.create(author, fields())
    revision = services.save(author, story, fields(title="Nieuwe titel"))
    assert revision.number == 1 and len(story.revisions) == 1
    assert revision.title == "Nieuwe titel"


def test_a_colleague_may_edit_but_another_organisation_may_not(db):
    author = factories.user()
    colleague = factories.user(organisation=author.organisation)
    story = services.create(author, fields())
    services.save(colleague, story, fields(title="Door een collega"))
    assert story.latest.title == "Door een collega"
    with pytest.raises(PermissionDenied):
        services.save(factories.user(), story, fields())


def test_submit_moves_draft_to_moderation_and_mails_moderators(db, outbox):
    moderator = factories.staff(moderator=True, name="Mia Moderator")
    factories.staff(moderator=False)  # not a moderator: no mail
    author = factories.user()
    story = services.create(author, fields())
    revision = services.submit(author, story)
    assert (story.state, revision.state) == ("submitted", "submitted")
    assert revision.submitted_by_id == author.id and revision.submitted_at is not None
    assert [m["To"] for m in outbox] == [moderator.email]
    assert "Van stage naar vast contract" in outbox[0]["Subject"]
    assert "/staff/moderation" in outbox[0].get_content()
    assert actions(db)[-1] == "story_submitted"


def test_submitting_twice_is_refused(db):
    author = factories.user()
    story = services.create(author, fields())
    services.submit(author, story)
    with pytest.raises(DomainError, match="wacht al op beoordeling"):
        services.submit(author, story)


def test_editing_a_submitted_story_takes_it_back_out_of_moderation(db):
    author = factories.user()
    story = services.create(author, fields())
    submitted = services.submit(author, story)
    draft = services.save(author, story, fields(title="Met een typfout minder"))
    assert submitted.state == "withdrawn" and submitted.title == "Van stage naar vast contract"
    assert draft.state == "draft" and draft.number == 2
    assert story.state == "draft"
    assert "story_withdrawn" in actions(db)


def test_editing_a_published_story_keeps_the_published_text_online(db):
    author = factories.user()
    story = factories.story(author=author, state="published")
    online = story.published_revision
    draft = services.save(author, story, fields(title="Bijgewerkt"))
    assert story.state == "published"
    assert story.published_revision_id == online.id and online.title.startswith("Succesverhaal")
    assert draft.number == 2 and draft.state == "draft"
    services.submit(author, story)
    assert story.state == "published" and draft.state == "submitted"


def test_editing_a_rejected_story_makes_a_new_draft_and_keeps_the_reason(db):
    author = factories.user()
    story = factories.story(author=author, state="rejected")
    rejected = story.latest
    services.save(author, story, fields())
    assert story.state == "draft"
    assert rejected.state == "rejected" and rejected.rejection_reason
    assert len(story.revisions) == 2


def test_visibility(db):
    org_user, other, staff = factories.user(), factories.user(), factories.staff()
    for state in ("draft", "submitted", "rejected", "unpublished"):
        story = factories.story(organisation=org_user.organisation, state=state)
        assert permissions.can_view_story(org_user, story), state
        assert permissions.can_view_story(staff, story), state
        assert not permissions.can_view_story(other, story), state
    published = factories.story(organisation=org_user.organisation, state="published")
    assert permissions.can_view_story(other, published)
    assert permissions.can_view_story(staff, published)
    assert permissions.can_edit_story(org_user, published)
    assert not permissions.can_edit_story(other, published)
    assert not permissions.can_edit_story(staff, published)


def test_stories_of_lists_every_state_newest_first(db):
    org = factories.organisation()
    made = [factories.story(organisation=org, state=s)
            for s in ("draft", "submitted", "published", "rejected", "unpublished")]
    factories.story()  # another organisation's
    found = services.stories_of(org.id)
    assert [s.id for s in found] == [s.id for s in reversed(made)]
    assert services.state_counts(org.id) == {"draft": 1, "submitted": 1, "published": 1,
                                             "rejected": 1, "unpublished": 1}


def test_organisation_level_is_the_highest_verified_and_valid_today(db):
    org = factories.organisation()
    today = date(2026, 6, 1)
    assert services.organisation_level(org.id, today) is None
    factories.certificate(org, level="trede_1", state="verified",
                          issued_on=today - timedelta(days=10))
    factories.certificate(org, level="trede_3", state="pending",
                          issued_on=today - timedelta(days=10))
    factories.certificate(org, level="pso_30plus", state="verified",
                          issued_on=today - timedelta(days=800),
                          valid_until=today - timedelta(days=1))
    assert services.organisation_level(org.id, today) == "trede_1"
    factories.certificate(org, level="trede_2", state="verified", issued_on=today,
                          valid_until=today)
    assert services.organisation_level(org.id, today) == "trede_2"


def test_revisions_keep_their_number_order(db):
    author = factories.user()
    story = factories.story(author=author, state="published")
    services.save(author, story, fields())
    numbers = db.session.scalars(select(StoryRevision.number).where(
        StoryRevision.story_id == story.id).order_by(StoryRevision.number)).all()
    assert numbers == [1, 2]


def test_demo_data_has_stories_online_and_one_to_moderate(db):
    from portal import demo
    from portal.stories import moderation, search, totals

    demo.seed()
    assert search.page_of(search.Filters()).total == 2
    assert moderation.queue_count() == 1
    assert totals.totals().people == 3
    assert all("<h2>" in story.latest.body_html or "<table>" in story.latest.body_html
               for story in db.session.scalars(select(Story).where(Story.state == "published")))


def test_the_page_shows_the_online_text_while_a_new_revision_waits(db):
    author = factories.supplier_admin()
    draft = factories.story(author=author)
    assert draft.shown_revision is draft.latest  # never published: the latest text
    story = factories.story(author=author, state="published", title="Online")
    services.save(author, story, fields(title="Nieuwe versie"))
    db.session.flush()
    assert story.latest.title == "Nieuwe versie"
    assert story.shown_revision.title == "Online"
