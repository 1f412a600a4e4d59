"""Browsing published stories: search, filters, pages and the totals."""

import re
from datetime import date

import pytest

from portal.stories import search, services, totals
from portal.stories.search import Filters
from tests import factories
from tests.stories.test_services import fields


def titles(page) -> list[str]:
    return [card.title for card in page.cards]


@pytest.fixture
def reader(client, login_as, db):
    user = factories.user()
    login_as(user)
    return user


def published(title, body="Een gewoon verhaal.", **overrides):
    return factories.story(state="published", title=title, body=body, **overrides)


def test_only_published_stories_newest_first(db):
    older = published("Ouder verhaal", published_on=date(2025, 3, 1))
    newer = published("Nieuwer verhaal", published_on=date(2026, 3, 1))
    newer.published_at = older.published_at.replace(year=older.published_at.year + 1)
    for state in ("draft", "submitted", "rejected", "unpublished"):
        factories.story(state=state, title=f"Niet zichtbaar {state}")
    db.session.flush()
    assert titles(search.page_of(Filters())) == ["Nieuwer verhaal", "Ouder verhaal"]


def test_search_finds_words_in_title_summary_and_body(db):
    published("Schilderen in Venlo", body="Onze leerling **Kees** haalde zijn diploma.")
    published("Hoveniers", summary="Twee statushouders aan het werk in het groen.")
    published("Dakdekkers", body="Een werkervaringsplaats werd een vaste baan.")
    assert titles(search.page_of(Filters(q="schilderen"))) == ["Schilderen in Venlo"]
    assert titles(search.page_of(Filters(q="diploma"))) == ["Schilderen in Venlo"]
    assert titles(search.page_of(Filters(q="statushouders"))) == ["Hoveniers"]
    # Prefixes: "werkervaring" finds "werkervaringsplaats".
    assert titles(search.page_of(Filters(q="werkervaring"))) == ["Dakdekkers"]
    # Every word must occur.
    assert titles(search.page_of(Filters(q="vaste diploma"))) == []
    assert search.page_of(Filters(q="tuinarchitect")).total == 0


def test_search_sees_only_the_published_text(db):
    author = factories.user()
    story = factories.story(author=author, state="published", title="Oude titel",
                            body="Oorspronkelijke tekst.")
    services.save(author, story, fields(title="Nieuwe titel", body="Geheime wijziging."))
    services.submit(author, story)
    assert search.page_of(Filters(q="geheime")).total == 0
    assert titles(search.page_of(Filters(q="oorspronkelijke"))) == ["Oude titel"]
    factories.story(state="draft", body="Conceptwoord")
    assert search.page_of(Filters(q="conceptwoord")).total == 0


@pytest.mark.parametrize("q", ['"', "' OR 1=1 --", "NEAR(", "*", "a AND", "-", "()", "🙂",
                               "title:x", "!!!", "a" * 500, "\x00"])
def test_any_typed_text_is_a_safe_query(db, q):
    published("Iets")
    page = search.page_of(Filters(q=q))
    assert page.total >= 0


def test_filters_by_target_group_placement_municipality_and_year(db):
    published("A", target_group="statushouder", placement_kind="stage", municipality="Weert",
              published_on=date(2025, 6, 1))
    published("B", target_group="vijftig_plus", placement_kind="stage",
              municipality="Maastricht", published_on=date(2026, 1, 2))
    published("C", target_group="statushouder", placement_kind="betaalde_baan",
              municipality="Maastricht", published_on=date(2026, 12, 31))
    assert sorted(titles(search.page_of(Filters(target_group="statushouder")))) == ["A", "C"]
    assert sorted(titles(search.page_of(Filters(placement_kind="stage")))) == ["A", "B"]
    assert sorted(titles(search.page_of(Filters(municipality="Maastricht")))) == ["B", "C"]
    assert sorted(titles(search.page_of(Filters(year=2026)))) == ["B", "C"]
    assert titles(search.page_of(Filters(year=2026, target_group="statushouder"))) == ["C"]
    assert totals.totals().years == [2026, 2025]


def test_pages_of_twenty(db):
    for n in range(45):
        published(f"Verhaal {n:02d}")
    first, last = search.page_of(Filters(), 1), search.page_of(Filters(), 3)
    assert (first.total, first.pages, len(first.cards), len(last.cards)) == (45, 3, 20, 5)
    assert search.page_of(Filters(), 99).page == 3  # past the end: the last page
    assert search.page_of(Filters(), -1).page == 1


def test_totals_per_target_group_and_year_count_only_what_is_online(db):
    published("A", target_group="statushouder", people_count=3, published_on=date(2025, 5, 1))
    published("B", target_group="statushouder", people_count=2, published_on=date(2026, 5, 1))
    published("C", target_group="vijftig_plus", people_count=1, published_on=date(2026, 7, 1))
    factories.story(state="unpublished", people_count=50)
    factories.story(state="submitted", people_count=50)
    result = totals.totals()
    assert (result.stories, result.people) == (3, 6)
    assert [(line.key, line.stories, line.people) for line in result.by_target_group] == [
        ("statushouder", 2, 5), ("vijftig_plus", 1, 1)]
    assert [(line.key, line.stories, line.people) for line in result.by_year] == [
        (2026, 2, 3), (2025, 1, 3)]


def test_totals_follow_the_published_revision(db):
    author = factories.user()
    story = factories.story(author=author, state="published", people_count=2)
    services.save(author, story, fields(people_count=40))  # not yet approved
    assert totals.totals().people == 2


# --- The page ---------------------------------------------------------------------------------


def test_stories_page_lists_cards_with_facts_and_totals(client, reader, db):
    org = factories.organisation(name="Installatietechniek Geul")
    published("Van stage naar vakman", organisation=org, municipality="Gulpen-Wittem",
              target_group="jongere_zonder_startkwalificatie", placement_kind="bbl_leerbaan",
              people_count=1, summary="Lars koos voor een BBL-leerbaan.")
    factories.story(state="draft", title="Nog geheim")
    html = client.get("/stories").get_data(as_text=True)
    assert "Van stage naar vakman" in html and "Nog geheim" not in html
    assert "Installatietechniek Geul" in html and "Gulpen-Wittem" in html
    assert "Lars koos voor een BBL-leerbaan." in html
    assert "Jongere zonder startkwalificatie" in html
    assert 'data-total-stories="1"' in html and 'data-total-people="1"' in html
    assert 'data-target-group="jongere_zonder_startkwalificatie"' in html
    assert 'data-found="1"' in html


def test_stories_page_search_filter_and_paging_keep_each_other(client, reader, db):
    for n in range(25):
        published(f"Schilder {n}", target_group="statushouder")
    published("Hovenier", target_group="statushouder")
    html = client.get("/stories?q=schilder&target_group=statushouder").get_data(as_text=True)
    assert 'data-found="25"' in html
    next_link = re.search(r'<a href="([^"]+)" rel="next">', html).group(1)
    assert "q=schilder" in next_link and "target_group=statushouder" in next_link
    html = client.get(next_link.replace("&amp;", "&")).get_data(as_text=True)
    assert html.count('class="story-card"') == 5


def test_unknown_filter_values_are_ignored_not_errors(client, reader, db):
    published("Iets")
    response = client.get("/stories?target_group=bestaat_niet&year=abc&municipality=Parijs"
                          "&placement_kind=x&page=zz")
    assert response.status_code == 200
    assert 'data-found="1"' in response.get_data(as_text=True)


def test_staff_dashboard_shows_queue_and_totals(client, login_as, db):
    factories.story(state="submitted")
    published("A", people_count=4)
    login_as(factories.staff(moderator=True))
    html = client.get("/").get_data(as_text=True)
    assert 'data-count="1"' in html and "/staff/moderation" in html
    assert 'data-total-stories="1"' in html and 'data-total-people="4"' in html


def test_supplier_dashboard_counts_own_stories(client, login_as, db):
    user = factories.user()
    factories.story(author=user, state="draft")
    factories.story(author=user, state="published")
    factories.story(state="published")
    login_as(user)
    html = client.get("/").get_data(as_text=True)
    assert 'data-story-state-count="draft">Concept: 1<' in html
    assert 'data-story-state-count="published">Gepubliceerd: 1<' in html


@pytest.mark.parametrize("path", ["/stories", "/stories?q=verhaal&target_group=participatiewet",
                                  "/stories/mine", "/staff/moderation", "/", "STORY"])
def test_query_count_does_not_grow_with_the_number_of_stories(client, login_as, db, path):
    from sqlalchemy import event

    user = factories.user()
    moderator = factories.staff(moderator=True)
    counts = []
    for _round in range(2):
        for _ in range(4):
            story = factories.story(author=user, state="published")
            factories.story(author=user, state="submitted")
            factories.story(state="published")
        target = f"/stories/{story.id}" if path == "STORY" else path
        login_as(moderator if path == "/staff/moderation" else user)
        client.get(target)  # warm-up: the session's last_seen_at may be written
        statements = []

        def listener(*_args, seen=statements):
            seen.append(1)

        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            assert client.get(target).status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        counts.append(len(statements))
        client.post("/logout", data={"csrf_token": re.search(
            r'name="csrf_token" type="hidden" value="([^"]+)"',
            client.get("/").get_data(as_text=True)).group(1)})
    assert counts[0] == counts[1], counts
