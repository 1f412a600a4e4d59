"""The story pages with many stories: kept totals, bounded counts, a fixed number of statements.

Stories are inserted in bulk here (as a data load would), so that thousands take a moment;
the database's triggers keep the totals for them as for any other write.
"""

import re
from datetime import date

import pytest
from sqlalchemy import delete, event, extract, func, insert, select, update

from portal.db import utcnow
from portal.stories import moderation, search, services, totals
from portal.stories.models import Story, StoryRevision, StoryTotal
from portal.stories.search import COUNT_LIMIT, Filters
from tests import factories
from tests.stories.test_services import fields

FACTS = {"target_group": "participatiewet", "placement_kind": "betaalde_baan",
         "people_count": 2, "municipality": "Venlo"}


def publish_many(db, n: int, organisation=None, word: str = "werk", **facts) -> None:
    """n published stories whose body holds `word`, written by bulk statements."""
    organisation = organisation or factories.organisation()
    facts = {**FACTS, **facts}
    now = utcnow()
    after = db.session.scalar(select(func.coalesce(func.max(Story.id), 0)))
    db.session.execute(insert(Story), [
        {"organisation_id": organisation.id, "state": "draft", "created_at": now, **facts}
        for _ in range(n)])
    ids = db.session.scalars(select(Story.id).where(Story.id > after).order_by(Story.id)).all()
    db.session.execute(insert(StoryRevision), [
        {"story_id": story_id, "number": 1, "state": "approved", "title": f"Verhaal {story_id}",
         "summary": "Een samenvatting.", "body": f"Over {word} en meer.",
         "body_html": f"<p>Over {word} en meer.</p>", "consent": True, "created_at": now,
         "updated_at": now, **facts} for story_id in ids])
    revision = select(StoryRevision.id).where(StoryRevision.story_id == Story.id)
    db.session.execute(update(Story).where(Story.id > after).values(
        state="published", published_revision_id=revision.scalar_subquery(),
        published_at=now, published_on=date.today()))


def recount(db) -> list[tuple]:
    """The totals counted from the stories themselves: what `story_totals` must hold."""
    year = extract("year", Story.published_on)
    rows = db.session.execute(
        select(Story.target_group, year, func.count(), func.sum(Story.people_count))
        .where(Story.state == "published").group_by(Story.target_group, year))
    return sorted((group, int(y), n, int(people)) for group, y, n, people in rows)


def kept(db) -> list[tuple]:
    rows = db.session.execute(select(StoryTotal.target_group, StoryTotal.year,
                                     StoryTotal.stories, StoryTotal.people)
                              .where(StoryTotal.stories > 0))
    return sorted(tuple(row) for row in rows)


class Statements:
    """The SQL the engine sends while in a `with` block."""

    def __init__(self, engine):
        self.engine, self.seen = engine, []

    def record(self, _conn, _cursor, statement, *_args):
        self.seen.append(statement)

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self.record)
        return self.seen

    def __exit__(self, *_exc):
        event.remove(self.engine, "before_cursor_execute", self.record)


# --- The kept totals ----------------------------------------------------------------------


def test_totals_stay_exact_through_publish_edit_take_offline_and_delete(db):
    moderator, author = factories.staff(moderator=True), factories.user()
    this_year = date.today().year
    story = services.create(author, fields(target_group="statushouder", people_count=3))
    services.submit(author, story)
    assert kept(db) == recount(db) == []

    moderation.approve(moderator, story)
    assert kept(db) == recount(db) == [("statushouder", this_year, 1, 3)]

    # An approved edit with other facts moves the story to another group.
    services.save(author, story, fields(target_group="vijftig_plus", people_count=5))
    services.submit(author, story)
    assert kept(db) == [("statushouder", this_year, 1, 3)]  # not yet approved
    moderation.approve(moderator, story)
    assert kept(db) == recount(db) == [("vijftig_plus", this_year, 1, 5)]

    moderation.unpublish(author, story, "Toestemming ingetrokken.")
    assert kept(db) == recount(db) == []

    services.save(author, story, fields(target_group="vijftig_plus", people_count=4))
    services.submit(author, story)
    moderation.approve(moderator, story)  # back online, in its first year
    assert kept(db) == recount(db) == [("vijftig_plus", this_year, 1, 4)]

    # Rows written without the services, in bulk, and deleted, count the same way.
    factories.story(state="published", target_group="statushouder", people_count=2,
                    published_on=date(2024, 5, 1))
    factories.story(state="unpublished", people_count=9)
    publish_many(db, 30, target_group="overig", people_count=1)
    assert kept(db) == recount(db)
    assert ("overig", this_year, 30, 30) in kept(db)
    db.session.execute(delete(Story).where(Story.target_group == "overig"))
    assert kept(db) == recount(db) == [("statushouder", 2024, 1, 2),
                                       ("vijftig_plus", this_year, 1, 4)]
    db.session.commit()
    assert kept(db) == recount(db)


def test_totals_change_in_the_transaction_of_the_decision(db):
    moderator, author = factories.staff(moderator=True), factories.user()
    story = services.create(author, fields(people_count=7))
    services.submit(author, story)
    db.session.commit()
    moderation.approve(moderator, story)
    assert totals.totals().people == 7
    db.session.rollback()  # the approval did not happen, and so neither did its totals
    assert totals.totals().people == 0 and kept(db) == recount(db) == []


def test_totals_are_read_without_counting_the_stories(db):
    publish_many(db, 40, target_group="statushouder")
    with Statements(db.engine) as seen:
        result = totals.totals()
    assert (result.stories, result.people) == (40, 80)
    assert len(seen) == 1 and "story_totals" in seen[0]
    assert not re.search(r"\bstories\b", seen[0].replace("story_totals.stories", ""))


# --- Counting matches ----------------------------------------------------------------------


@pytest.fixture
def reader(client, login_as, db):
    user = factories.user()
    login_as(user)
    return user


def test_a_common_word_is_counted_no_further_than_the_limit(client, reader, db):
    publish_many(db, COUNT_LIMIT + 30, word="begeleiding")
    with Statements(db.engine) as seen:
        html = client.get("/stories?q=begeleiding").get_data(as_text=True)
    assert f'data-found="{COUNT_LIMIT}" data-found-more="true"' in html
    assert f"Meer dan {COUNT_LIMIT} verhalen gevonden." in html
    assert html.count('class="story-card"') == 20
    counts = [s for s in seen if "count(" in s.lower()]
    assert counts and all(re.search(r"\bLIMIT\b", s, re.IGNORECASE) for s in counts)
    page = search.page_of(Filters(q="begeleiding"))
    assert (page.total, page.exact, page.pages, page.has_next) == (COUNT_LIMIT, False, None, True)


def test_more_than_reads_in_english_with_its_plural(client, login_as, db):
    login_as(factories.user(locale="en"))
    publish_many(db, COUNT_LIMIT + 1, word="begeleiding")
    html = client.get("/stories?q=begeleiding").get_data(as_text=True)
    assert f"More than {COUNT_LIMIT} stories found." in html
    html = client.get("/stories?q=begeleiding&municipality=Weert").get_data(as_text=True)
    assert "0 stories found." in html


def test_counts_the_totals_hold_stay_exact_past_the_limit(client, reader, db):
    publish_many(db, COUNT_LIMIT + 10, target_group="statushouder")
    publish_many(db, 3, target_group="vijftig_plus")
    for path, found in [("/stories", COUNT_LIMIT + 13),
                        ("/stories?target_group=statushouder", COUNT_LIMIT + 10),
                        (f"/stories?year={date.today().year}", COUNT_LIMIT + 13),
                        ("/stories?target_group=vijftig_plus", 3)]:
        html = client.get(path).get_data(as_text=True)
        assert f'data-found="{found}">' in html, path
    page = search.page_of(Filters(target_group="statushouder"), 1, totals.totals())
    assert (page.exact, page.pages) == (True, 11)
    # Two filters together: no kept total holds that, so it is counted up to the limit.
    html = client.get("/stories?target_group=statushouder&municipality=Venlo").get_data(
        as_text=True)
    assert 'data-found-more="true"' in html


def test_pages_past_the_counted_matches_go_on_until_the_last(client, reader, db):
    publish_many(db, COUNT_LIMIT + 30, word="begeleiding")
    last_counted = COUNT_LIMIT // 20
    html = client.get(f"/stories?q=begeleiding&page={last_counted + 2}").get_data(as_text=True)
    assert html.count('class="story-card"') == 10
    assert f"Pagina {last_counted + 2}<" in html and 'rel="next"' not in html
    assert 'rel="prev"' in html
    html = client.get(f"/stories?q=begeleiding&page={last_counted + 1}").get_data(as_text=True)
    assert html.count('class="story-card"') == 20 and 'rel="next"' in html
    html = client.get(f"/stories?q=begeleiding&page={last_counted + 3}").get_data(as_text=True)
    assert 'class="story-card"' not in html and "Deze pagina is leeg" in html


# --- Statements per request ------------------------------------------------------------------


PAGES = ["/stories", "/stories?q=begeleiding", "/stories?q=leerwerktraject",
         "/stories?target_group=statushouder", "/stories?q=werk&municipality=Venlo",
         "/stories?page=3", "STORY"]


@pytest.mark.parametrize("path", PAGES)
def test_statements_per_request_are_the_same_at_50_and_at_2000_stories(client, login_as, db,
                                                                        path):
    user = factories.user()
    login_as(user)
    counts = []
    for size in (50, 2000):
        have = db.session.scalar(select(func.count()).select_from(Story))
        more = size - have
        publish_many(db, more - more // 10 - 5, organisation=user.organisation,
                     word="begeleiding")
        publish_many(db, more // 10, word="leerwerktraject begeleiding",
                     target_group="statushouder")
        publish_many(db, 5, organisation=user.organisation, word="werk")
        story = db.session.scalar(select(Story).order_by(Story.id.desc()))
        target = f"/stories/{story.id}" if path == "STORY" else path
        client.get(target)  # warm-up: the session's last_seen_at may be written
        with Statements(db.engine) as seen:
            assert client.get(target).status_code == 200
        counts.append(len(seen))
    assert counts[0] == counts[1], counts
    assert counts[1] <= 5, counts
