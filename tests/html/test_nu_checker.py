"""The W3C Nu HTML checker over every page, for every role, in Dutch and in English: 0 errors.

The pages are the server's HTML, fetched with the test client (what a browser parses before
any script runs), with form pages also after an empty submit that shows their errors, and
the error pages. All of them are written to one folder and checked in one run of vnu.jar.
Warnings are left aside. The result is written to test-reports/vnu-report.json.
A page added later without being checked here fails `test_every_page_is_checked`.
"""

import json
import re
from pathlib import Path

import pytest

from portal import demo
from portal.errors import render_error
from tests.conftest import CSRF_RE, csrf_token
from tests.html import nu
from tests.html.pages import ACCOUNTS, GET, OTHER_SUPPLIERS, pages_for, seed
from tests.page_coverage import pages_not_visited
from tests.security.test_route_matrix import ROLES

REPORT = nu.ROOT / "test-reports" / "vnu-report.json"
NOT_PAGES = {"certificates.file", "staff.suppliers_csv", "main.healthz", "static"}
LANGUAGES = ("nl", "en")
# Error pages no request of the test suite can cheaply bring about, rendered directly.
RENDERED_ERRORS = (413, 429, 500)
# Messages of the checker that are wrong about these pages: (pattern, why). None so far;
# add one only with the reason it is a false positive, and keep the pattern narrow.
FALSE_POSITIVES: list[tuple[re.Pattern, str]] = []
VISITED: dict[str, set] = {}
# A page with two errors: the harness test's, and the canary among the real pages, whose
# errors prove that the checker read the folder of that run.
BAD_PAGE = ('<!doctype html><html lang="nl"><head><title>x</title></head><body>'
            '<label for="t">Taal</label><select id="t" name="t" required>'
            '<option value="nl">Nederlands</option></select>'
            '<p class="a" class="b">x</p></body></html>')
CANARY = "canary.html"


@pytest.fixture
def checker():
    reason = nu.missing()
    if reason:
        pytest.skip(reason)


class Pages:
    """The fetched pages, each as a file named by its number, with where it came from."""

    def __init__(self, app, folder: Path):
        self.folder, self.meta = folder, {}
        self.adapter = app.url_map.bind("portal.test")

    def add(self, html: str, **where) -> None:
        assert f'<html lang="{where["language"]}">' in html, f"{where}: not in its language"
        name = f"{len(self.meta):04d}.html"
        (self.folder / name).write_text(html, encoding="utf-8")
        self.meta[name] = where

    def visit(self, client, role, language, method, path, extra, objects) -> None:
        path = path.format(**objects)
        where = {"role": role, "language": language, "page": f"{method} {path}"}
        if method == GET:
            response = client.get(path)
            assert response.status_code < 300 or response.status_code >= 400, (
                f"{where}: redirected to {response.headers.get('Location')}, not checked")
            self.add(response.get_data(as_text=True), state="opened",
                     status=response.status_code, **where)
            self._record(role, path, response.status_code)
            if extra:  # the form posted back empty, so that it shows its errors
                token = CSRF_RE.search(response.get_data(as_text=True)).group(1)
                response = client.post(path, data={"csrf_token": token})
                html = response.get_data(as_text=True)
                assert response.status_code == 422 or 'class="error' in html, (
                    f"{where}: an empty submit showed no errors ({response.status_code})")
                self.add(html, state="errors", status=response.status_code, **where)
        else:
            start = "/login" if role == "anonymous" else "/"
            data = {} if extra is None else {"csrf_token": csrf_token(client, start), **extra}
            response = client.post(path, data=data, follow_redirects=True)
            html = response.get_data(as_text=True)
            assert response.status_code >= 400 or "flash-error" in html, (
                f"{where}: the action was not refused ({response.status_code})")
            self.add(html, state="refused", status=response.status_code, **where)

    def _record(self, role, path, status) -> None:
        if status != 200:
            return
        endpoint = self.adapter.match(path.split("?")[0])[0]
        VISITED.setdefault(role, set()).add(endpoint)


def logged_in_client(app, email, language):
    client = app.test_client()
    if language != "nl":
        client.post("/language", data={"language": language,
                                       "csrf_token": csrf_token(client, "/login")})
    if email:
        response = client.post("/login", data={"email": email, "password": demo.PASSWORD,
                                               "csrf_token": csrf_token(client, "/login")})
        assert response.status_code == 303, f"{email} could not log in"
    return client


def rendered_errors(app, pages: Pages, language: str) -> None:
    from flask import session

    for code in RENDERED_ERRORS:
        # An app context of its own, as a request has: the page's language is kept in it.
        with app.app_context(), app.test_request_context("/"):
            session["lang"] = language
            html, _status = render_error(code, "0123456789ab" if code == 500 else None)
            pages.add(html, role="anonymous", language=language, page=f"error {code}",
                      state="rendered", status=code)


def fetch_every_page(app, outbox, folder: Path) -> Pages:
    objects = seed(app, outbox)
    pages = Pages(app, folder)
    for language in LANGUAGES:
        for role in ROLES:
            client = logged_in_client(app, ACCOUNTS.get(role), language)
            for method, path, extra in pages_for(role):
                pages.visit(client, role, language, method, path, extra, objects)
        for email, paths in OTHER_SUPPLIERS:
            client = logged_in_client(app, email, language)
            for path in paths:
                pages.visit(client, "supplier_admin", language, GET, path, False, objects)
        rendered_errors(app, pages, language)
    return pages


def is_false_positive(message: dict) -> bool:
    return any(pattern.search(message.get("message", "")) for pattern, _why in FALSE_POSITIVES)


def test_no_html_errors_on_any_page(checker, app, outbox, db, tmp_path):
    folder = tmp_path / "pages"
    folder.mkdir()
    pages = fetch_every_page(app, outbox, folder)
    (folder / CANARY).write_text(BAD_PAGE, encoding="utf-8")
    version, messages = nu.check(folder)
    canary = [m for m in messages if nu.file_name(m) == CANARY]
    assert len(canary) == 2, f"the checker did not read the pages: {canary}"
    messages = [m for m in messages if nu.file_name(m) != CANARY]
    errors = [{**pages.meta.get(nu.file_name(m), {"page": m.get("url")}),
               "line": m.get("lastLine"), "column": m.get("firstColumn"),
               "message": m.get("message"), "extract": m.get("extract")}
              for m in sorted(messages, key=nu.file_name) if not is_false_positive(m)]
    REPORT.parent.mkdir(exist_ok=True)
    REPORT.write_text(json.dumps({"checker": f"vnu.jar {version}", "pages": len(pages.meta),
                                  "errors": errors, "checked": list(pages.meta.values())},
                                 indent=1, ensure_ascii=False))
    listing = "\n".join(f"{e.get('role')}/{e.get('language')} {e['page']} ({e.get('state')}) "
                        f"line {e['line']}: {e['message']}" for e in errors)
    assert not errors, f"{len(errors)} HTML errors (see {REPORT.name}):\n{listing}"


def test_the_checker_finds_an_error(checker, tmp_path):
    """The harness itself: a required select whose first option has a value, and an
    attribute given twice, are both reported, so a clean run is not a vacuous one."""
    (tmp_path / "bad.html").write_text(BAD_PAGE, encoding="utf-8")
    _version, messages = nu.check(tmp_path)
    found = " ".join(m["message"] for m in messages)
    assert "first “option” element" in found
    assert "Duplicate attribute “class”" in found
    assert {nu.file_name(m) for m in messages} == {"bad.html"}


def test_every_page_is_checked(app):
    """Runs after the check above (file order): every HTML page a role may open was read."""
    if not VISITED:
        pytest.skip("the Nu HTML check did not run")
    missing = pages_not_visited(app, VISITED, NOT_PAGES)
    assert not missing, f"pages without a Nu HTML check: {missing}"
