"""Writing, reading and moderating stories through the pages."""

import re

import pytest
from sqlalchemy import func, select

from portal.stories.models import Story, StoryRevision
from tests import factories
from tests.conftest import csrf_token
from tests.stories.conftest import switch_to

FORM = {"title": "Van werkervaringsplaats naar vast contract",
        "summary": "Anna begon met een werkervaringsplaats en werkt nu vast bij ons.",
        "body": "# Het begin\n\nAnna kwam via het *werkgeversservicepunt*.\n\n"
                "<script>alert('x')</script>",
        "target_group": "participatiewet", "placement_kind": "werkervaringsplaats",
        "people_count": "1", "municipality": "Sittard-Geleen", "consent": "y"}


def count(db, model=Story) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def post_form(client, path, **changes):
    data = {**FORM, "csrf_token": csrf_token(client, path), **changes}
    return client.post(path, data={k: v for k, v in data.items() if v is not None})


# --- Writing ----------------------------------------------------------------------------------


def test_new_story_form_has_the_contract_fields_help_and_preview(client, author):
    html = client.get("/stories/new").get_data(as_text=True)
    for name in ("title", "summary", "body", "target_group", "placement_kind", "people_count",
                 "municipality", "consent"):
        assert f'name="{name}"' in html, name
    assert 'type="checkbox"' in html and 'value="y"' in html
    assert "Uitleg over de opmaak (Markdown)" in html
    assert 'id="story-preview"' in html and 'value="preview"' in html
    assert html.count('<option value="') >= 8 + 6 + 31
    assert '<option value="Eijsden-Margraten">' in html
    assert "js/stories.js" in html


def test_saving_a_new_story_makes_a_draft_and_shows_it_safely(client, author, db, outbox):
    response = post_form(client, "/stories/new")
    assert response.status_code == 303
    story = db.session.scalars(select(Story)).one()
    assert response.headers["Location"] == f"/stories/{story.id}"
    assert story.state == "draft" and story.organisation_id == author.organisation_id
    assert outbox == []  # a draft goes to nobody
    html = client.get(f"/stories/{story.id}").get_data(as_text=True)
    assert "<h1>Het begin</h1>" not in html  # h2 on the page: the h1 is the title
    assert "<h2>Het begin</h2>" in html
    assert "&lt;script&gt;alert('x')&lt;/script&gt;" in html
    assert "<script>alert(" not in html
    assert 'data-state="draft"' in html
    assert story.latest.body_html in html  # the stored HTML is what the page shows


def test_save_and_submit_in_one_go_mails_the_moderators(client, author, db, outbox):
    moderator = factories.staff(moderator=True)
    response = post_form(client, "/stories/new", action="submit")
    assert response.status_code == 303
    story = db.session.scalars(select(Story)).one()
    assert story.state == "submitted"
    assert [m["To"] for m in outbox] == [moderator.email]


@pytest.mark.parametrize("changes, message", [
    ({"consent": None}, "toestemming"),
    ({"title": ""}, "Geef het verhaal een titel."),
    ({"people_count": "veel"}, "aantal"),
    ({"people_count": "0"}, "1 tot en met 1000"),
    ({"municipality": "Amsterdam"}, "Kies een Limburgse gemeente uit de lijst."),
    ({"target_group": "iedereen"}, "Kies een doelgroep uit de lijst."),
    ({"placement_kind": ""}, "Kies een soort plaatsing uit de lijst."),
])
def test_a_refused_story_keeps_every_word_and_stores_nothing(client, author, db, changes,
                                                             message):
    response = post_form(client, "/stories/new", **changes)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message.lower() in html.lower()
    assert 'class="error-summary"' in html
    assert FORM["summary"] in html
    assert "# Het begin" in html and "&lt;script&gt;alert(&#39;x&#39;)" in html
    if "title" not in changes:
        assert FORM["title"] in html
    assert count(db) == 0


def test_preview_button_renders_without_storing(client, author, db):
    response = post_form(client, "/stories/new", action="preview", consent=None, title="")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    preview = html.split('id="story-preview"', 1)[1]
    assert "<h2>Het begin</h2>" in preview
    assert "<em>werkgeversservicepunt</em>" in preview
    assert 'class="error-summary"' not in html
    assert count(db) == 0


def test_live_preview_endpoint_uses_the_publishing_renderer(client, author):
    response = client.post("/stories/preview", data={
        "body": "**vet** <img src=x onerror=alert(1)> [x](javascript:alert(1))",
        "csrf_token": csrf_token(client, "/stories/new")})
    assert response.status_code == 200
    assert response.json == {"html": "<p><strong>vet</strong> &lt;img src=x "
                                     "onerror=alert(1)&gt; x</p>"}


def test_preview_endpoint_needs_the_csrf_token(client, author):
    assert client.post("/stories/preview", data={"body": "x"}).status_code == 400


def test_edit_form_is_prefilled_and_saves_a_draft_in_place(client, author, db):
    story = factories.story(author=author)
    html = client.get(f"/stories/{story.id}/edit").get_data(as_text=True)
    assert story.latest.title in html and story.latest.body in html
    response = post_form(client, f"/stories/{story.id}/edit", title="Nieuwe titel")
    assert response.status_code == 303
    assert [r.title for r in story.revisions] == ["Nieuwe titel"]


def test_editing_a_published_story_leaves_the_published_version_online(client, author, db,
                                                                       login_as):
    story = factories.story(author=author, state="published")
    online_title = story.published_revision.title
    assert post_form(client, f"/stories/{story.id}/edit", title="Bijgewerkt",
                     action="submit").status_code == 303
    assert story.state == "published" and len(story.revisions) == 2
    switch_to(client, login_as, factories.user())
    html = client.get(f"/stories/{story.id}").get_data(as_text=True)
    assert online_title in html and "Bijgewerkt" not in html
    assert "wacht op beoordeling" not in html  # the state is not for outsiders


def test_another_organisation_cannot_edit_or_submit(client, author, db):
    draft = factories.story()
    published = factories.story(state="published")
    for story in (draft, published):
        assert client.get(f"/stories/{story.id}/edit").status_code == 404
        assert post_form(client, f"/stories/{story.id}/edit").status_code == 404
        assert client.post(f"/stories/{story.id}/submit", data={
            "csrf_token": csrf_token(client, "/")}).status_code == 404
    assert published.published_revision.title != FORM["title"]


def test_submit_route_and_a_second_submit_is_refused(client, author, db):
    story = factories.story(author=author)
    token = csrf_token(client, "/")
    assert client.post(f"/stories/{story.id}/submit",
                       data={"csrf_token": token}).status_code == 303
    assert story.state == "submitted"
    response = client.post(f"/stories/{story.id}/submit", data={"csrf_token": token})
    assert response.status_code == 422
    assert "wacht al op beoordeling" in response.get_data(as_text=True)


def test_form_after_a_successful_save_tells_the_browser_to_forget_its_copy(client, author):
    response = post_form(client, "/stories/new")
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'data-autosave-forget="/stories/new"' in html
    again = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "data-autosave-forget" not in again


# --- Who sees what ----------------------------------------------------------------------------


@pytest.mark.parametrize("state", ["draft", "submitted", "rejected", "unpublished"])
def test_unpublished_states_are_only_for_the_organisation_and_staff(client, login_as, db,
                                                                    state):
    org = factories.organisation()
    story = factories.story(organisation=org, state=state)
    login_as(factories.user())
    assert client.get(f"/stories/{story.id}").status_code == 404
    switch_to(client, login_as, factories.user(organisation=org))
    html = client.get(f"/stories/{story.id}").get_data(as_text=True)
    assert f'data-state="{state}"' in html
    switch_to(client, login_as, factories.staff())
    assert f'data-state="{state}"' in client.get(f"/stories/{story.id}").get_data(as_text=True)


def test_insiders_see_the_moderators_reason(client, login_as, db):
    org = factories.organisation()
    rejected = factories.story(organisation=org, state="rejected")
    offline = factories.story(organisation=org, state="unpublished")
    login_as(factories.user(organisation=org))
    assert "Er staat een achternaam in." in client.get(
        f"/stories/{rejected.id}").get_data(as_text=True)
    assert "Toestemming ingetrokken." in client.get(
        f"/stories/{offline.id}").get_data(as_text=True)
    mine = client.get("/stories/mine").get_data(as_text=True)
    assert "Er staat een achternaam in." in mine and "Toestemming ingetrokken." in mine


def test_published_story_page_shows_organisation_level_and_other_stories(client, login_as,
                                                                         db):
    org = factories.organisation(name="Bouwbedrijf Maas B.V.")
    factories.certificate(org, level="trede_2", state="verified")
    story = factories.story(organisation=org, state="published")
    other = factories.story(organisation=org, state="published", title="Tweede verhaal")
    factories.story(organisation=org, state="draft", title="Geheim concept")
    login_as(factories.user())
    html = client.get(f"/stories/{story.id}").get_data(as_text=True)
    assert "Bouwbedrijf Maas B.V." in html
    assert 'data-level="trede_2"' in html and "Trede 2" in html
    assert f'href="/stories/{other.id}"' in html and "Tweede verhaal" in html
    assert "Geheim concept" not in html
    assert "data-state=" not in html  # outsiders do not see a state


def test_own_stories_page_lists_every_state(client, author, db):
    for state in ("draft", "submitted", "published", "rejected", "unpublished"):
        factories.story(author=author, state=state, title=f"Verhaal {state}")
    factories.story(title="Van een ander")
    html = client.get("/stories/mine").get_data(as_text=True)
    for state in ("draft", "submitted", "published", "rejected", "unpublished"):
        assert f'data-state="{state}"' in html and f"Verhaal {state}" in html
    assert "Van een ander" not in html


def test_staff_reach_every_story_but_cannot_write(client, login_as, db):
    login_as(factories.staff())
    draft = factories.story()
    assert client.get(f"/stories/{draft.id}").status_code == 200
    assert client.get("/stories/new").status_code == 403
    assert client.get(f"/stories/{draft.id}/edit").status_code == 403


def test_revision_count_does_not_grow_on_a_refused_edit(client, author, db):
    story = factories.story(author=author, state="published")
    assert post_form(client, f"/stories/{story.id}/edit", consent=None).status_code == 422
    assert count(db, StoryRevision) == 1


def test_a_colleagues_edit_in_between_is_not_overwritten_unseen(client, author, db,
                                                                 login_as):
    story = factories.story(author=author, title="Eerste versie")
    page = client.get(f"/stories/{story.id}/edit").get_data(as_text=True)
    version = re.search(r'name="version" type="hidden" value="([^"]+)"', page).group(1)
    colleague = factories.user(organisation=author.organisation)
    from portal.stories import services
    from tests.stories.test_services import fields

    services.save(colleague, story, fields(title="Versie van de collega"))
    db.session.commit()
    response = post_form(client, f"/stories/{story.id}/edit", title="Mijn versie",
                         version=version)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Een collega heeft dit verhaal intussen gewijzigd" in html
    assert "Mijn versie" in html  # the author's text is still there
    assert story.latest.title == "Versie van de collega"
    # Saving again, now knowingly, replaces it.
    new_version = re.search(r'name="version" type="hidden" value="([^"]+)"', html).group(1)
    assert new_version != version
    assert post_form(client, f"/stories/{story.id}/edit", title="Mijn versie",
                     version=new_version).status_code == 303
    assert story.latest.title == "Mijn versie"
