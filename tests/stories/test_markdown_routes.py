"""The pages that render a story body answer the hardest bodies quickly, and refuse a body
over the length limit before rendering it (the limit is what bounds rendering time)."""

import time

import pytest
from sqlalchemy import func, select

from portal import markdown
from portal.stories.models import Story
from tests import factories
from tests.conftest import csrf_token
from tests.stories.markdown_inputs import CASES
from tests.stories.test_routes import FORM

# The hardest bodies for the renderer before (Python-Markdown and bleach: a minute and more
# for 20,000 `[`, a crash on `1. 1. 1. ...`) and after (markdown-it-py spends the most on
# brackets, emphasis and tables).
HARDEST = ["run of '['", "run of '`'", "run of '&'", "nested numbered lists on one line",
           "run of '[a](http://x' (unclosed)", "run of '*_'",
           "table, wide header, many short rows"]
SECOND = 1.0


def timed_post(client, path, data):
    start = time.perf_counter()
    response = client.post(path, data=data)
    return response, time.perf_counter() - start


@pytest.mark.parametrize("name", HARDEST)
def test_the_live_preview_answers_a_hard_body_at_the_limit_within_a_second(client, author,
                                                                           name):
    body = CASES[name](markdown.MAX_SOURCE_LENGTH)
    data = {"body": body, "csrf_token": csrf_token(client, "/stories/new")}
    response, seconds = timed_post(client, "/stories/preview", data)
    assert response.status_code == 200
    assert response.get_json()["html"]
    assert seconds < SECOND


@pytest.mark.parametrize("name", HARDEST)
def test_saving_a_hard_body_at_the_limit_takes_under_a_second(client, author, db, name):
    body = CASES[name](markdown.MAX_SOURCE_LENGTH)
    data = {**FORM, "body": body, "csrf_token": csrf_token(client, "/stories/new")}
    response, seconds = timed_post(client, "/stories/new", data)
    assert response.status_code == 303
    assert db.session.scalar(select(func.count()).select_from(Story)) == 1
    assert seconds < SECOND


def refuse(_source):
    raise AssertionError("a body over the limit was rendered")


@pytest.fixture
def no_rendering(monkeypatch):
    monkeypatch.setattr(markdown, "render", refuse)


TOO_LONG = "a" * (markdown.MAX_SOURCE_LENGTH + 1)
MESSAGE = f"het mag hoogstens {markdown.MAX_SOURCE_LENGTH} tekens lang zijn"


def test_the_live_preview_refuses_a_body_over_the_limit_unrendered(client, author,
                                                                   no_rendering):
    response = client.post("/stories/preview", data={
        "body": TOO_LONG, "csrf_token": csrf_token(client, "/stories/new")})
    assert response.status_code == 422
    assert MESSAGE in response.get_json()["error"]


@pytest.mark.parametrize("action", ["save", "submit", "preview"])
def test_the_form_refuses_a_body_over_the_limit_unrendered(client, author, db, no_rendering,
                                                           action):
    data = {**FORM, "body": TOO_LONG, "action": action,
            "csrf_token": csrf_token(client, "/stories/new")}
    response = client.post("/stories/new", data=data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert MESSAGE in html
    assert 'id="story-preview"' in html
    assert db.session.scalar(select(func.count()).select_from(Story)) == 0


def test_editing_refuses_a_body_over_the_limit_unrendered(client, author, db, monkeypatch):
    story = factories.story(author=author)
    db.session.commit()
    monkeypatch.setattr(markdown, "render", refuse)
    path = f"/stories/{story.id}/edit"
    response = client.post(path, data={**FORM, "body": TOO_LONG, "csrf_token": csrf_token(
        client, "/stories/new")})
    assert response.status_code == 422
    assert MESSAGE in response.get_data(as_text=True)
    assert story.latest.body != TOO_LONG


def test_a_body_exactly_at_the_limit_is_accepted(client, author, db):
    body = "a" * markdown.MAX_SOURCE_LENGTH
    response = client.post("/stories/preview", data={
        "body": body, "csrf_token": csrf_token(client, "/stories/new")})
    assert response.status_code == 200
    assert response.get_json()["html"] == f"<p>{body}</p>"
