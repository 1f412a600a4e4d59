"""The kept story totals when moderators and authors act at the same moment (PostgreSQL).

Each decision changes the totals in its own transaction; the database orders the changes
to the same totals row, so none is lost, as with two app servers.
"""

from portal.auth.models import User
from portal.stories import moderation, services
from portal.stories.models import Story
from tests import factories
from tests.concurrency.test_races import race
from tests.stories.test_scale import kept, recount
from tests.stories.test_services import fields


def test_publishing_and_taking_offline_at_once_keep_the_totals_exact(app, db):
    moderators = [factories.staff(moderator=True) for _ in range(3)]
    author = factories.user()
    waiting = []
    for people in (1, 2, 4):
        story = services.create(author, fields(target_group="statushouder",
                                               people_count=people))
        services.submit(author, story)
        waiting.append(story)
    online = factories.story(author=author, state="published", target_group="statushouder",
                             people_count=8)
    db.session.commit()
    ids = [story.id for story in waiting]
    online_id, author_id = online.id, author.id
    moderator_ids = [moderator.id for moderator in moderators]

    def approve(moderator_id, story_id):
        def action(ready):
            moderator = db.session.get(User, moderator_id)
            story = db.session.get(Story, story_id)
            ready()
            moderation.approve(moderator, story)
        return action

    def take_offline(ready):
        actor = db.session.get(User, author_id)
        story = db.session.get(Story, online_id)
        ready()
        moderation.unpublish(actor, story, "Toestemming ingetrokken.")

    results = race(app, *(approve(m, s) for m, s in zip(moderator_ids, ids, strict=True)),
                   take_offline)
    assert results == ["won"] * 4, results
    db.session.expire_all()
    assert kept(db) == recount(db)
    assert [(group, stories, people) for group, _year, stories, people in kept(db)] == [
        ("statushouder", 3, 7)]
