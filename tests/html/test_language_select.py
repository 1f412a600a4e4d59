"""The language switch: valid HTML without `required`, still checked by the server."""

import re

import pytest

SELECT_RE = re.compile(r'<select[^>]*id="footer-language"[^>]*>')


def test_the_language_select_is_not_required(client):
    """Both options are languages, so the first has a value; HTML then forbids `required`."""
    html = client.get("/login").get_data(as_text=True)
    select = SELECT_RE.search(html).group(0)
    assert "required" not in select
    assert '<option selected value="nl">Nederlands</option>' in html


@pytest.mark.parametrize("data", [{}, {"language": ""}, {"language": "de"}],
                         ids=["missing", "empty", "unknown"])
def test_the_server_still_refuses_a_language_not_offered(client, csrf, data):
    response = client.post("/language", data={"csrf_token": csrf(), **data})
    assert response.status_code == 400
    assert '<html lang="nl">' in client.get("/login").get_data(as_text=True)


def test_the_language_switch_works_without_scripts(client, csrf):
    response = client.post("/language", data={"language": "en", "next": "/password/forgot",
                                              "csrf_token": csrf()})
    assert (response.status_code, response.headers["Location"]) == (303, "/password/forgot")
    assert '<html lang="en">' in client.get("/password/forgot").get_data(as_text=True)
