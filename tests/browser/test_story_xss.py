"""A hostile story, written, moderated and read in a real browser: nothing in it runs.

The author types the payloads into the form (so the live preview inserts the server's HTML
into the page), a moderator reads and approves it in the queue, and a supplier of another
organisation opens the list, a search and the story. Every page is watched by a dialog
handler, a console listener and a page-error listener; each payload would set
`window.__pwned`, log "pwned" or open a dialog if it ran.
"""

import pytest

from tests import factories

pytestmark = pytest.mark.browser

TITLE = 'Stage <img src=x onerror="window.__pwned=1;alert(1)"> bij ons'
SUMMARY = 'Samenvatting <svg onload="window.__pwned=2;console.log(\'pwned\')"></svg>'
BODY = "\n\n".join([
    "## Hoe **Kees** begon",
    "<script>window.__pwned = 3; alert('pwned')</script>",
    '<img src="x" onerror="window.__pwned=4;console.log(\'pwned\')">',
    "<svg onload=\"window.__pwned=5;alert('pwned')\"></svg>",
    "[klik](javascript:window.__pwned=6;alert('pwned'))",
    "[klik](&#106;avascript:window.__pwned=7)",
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '[uitbraak](https://example.org/" onmouseover="window.__pwned=8)',
    "<a href=\"javascript:window.__pwned=9\">raw</a>",
    "<iframe srcdoc=\"<script>parent.__pwned=10</script>\"></iframe>",
    "<details open ontoggle=\"window.__pwned=11;console.log('pwned')\">x</details>",
    "<div><p><b>niet gesloten <style>body{display:none}</style>",
    "![plaatje](javascript:window.__pwned=12)",
    "Een gewone [link naar PSO](https://www.pso-nederland.nl).",
])


class Watch:
    """What a page did that a payload could have caused."""

    def __init__(self, page):
        self.dialogs: list[str] = []
        self.console: list[str] = []
        self.errors: list[str] = []
        page.on("dialog", self.on_dialog)
        page.on("console", lambda message: self.console.append(message.text))
        page.on("pageerror", lambda error: self.errors.append(str(error)))

    def on_dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def assert_quiet(self):
        assert self.dialogs == []
        assert [m for m in self.console if "pwned" in m or "Content Security Policy" in m
                or "Refused" in m] == []
        assert self.errors == []


def log_in(page, user):
    page.goto("/login")
    page.get_by_label("E-mailadres").fill(user.email)
    page.get_by_label("Wachtwoord", exact=True).fill(factories.PASSWORD)
    page.get_by_label("Wachtwoord", exact=True).press("Enter")
    page.wait_for_url("**/")


def assert_nothing_ran(page):
    assert page.evaluate("window.__pwned === undefined")
    assert page.evaluate("parent.__pwned === undefined")


def assert_body_is_clean(page):
    found = page.evaluate("""() => {
        const bad = [];
        for (const body of document.querySelectorAll('.story-body')) {
            for (const el of body.querySelectorAll('*')) {
                if (['SCRIPT', 'IMG', 'SVG', 'IFRAME', 'STYLE', 'DETAILS'].includes(
                        el.tagName.toUpperCase())) bad.push(el.tagName);
                for (const attr of el.attributes) {
                    if (attr.name.startsWith('on') || attr.name === 'style') bad.push(attr.name);
                }
                if (el.tagName === 'A' && !/^(https?:|mailto:)/i.test(el.getAttribute('href')))
                    bad.push('href ' + el.getAttribute('href'));
            }
        }
        return bad;
    }""")
    assert found == []


def test_hostile_story_runs_nowhere(page, browser, live_server, db):
    author = factories.supplier_admin(name="Sam Schrijver")
    moderator = factories.staff(moderator=True, name="Mia Moderator")
    reader = factories.supplier_admin(name="Lies Lezer")
    db.session.commit()

    # The author writes it; the live preview shows the sanitised HTML as it is typed.
    watch_author = Watch(page)
    log_in(page, author)
    page.goto("/stories/new")
    page.get_by_label("Titel").fill(TITLE)
    page.get_by_label("Samenvatting").fill(SUMMARY)
    page.get_by_label("Verhaal", exact=True).fill(BODY)
    page.locator("#story-preview strong", has_text="Kees").wait_for()
    assert_body_is_clean(page)
    page.get_by_label("Doelgroep").select_option("statushouder")
    page.get_by_label("Soort plaatsing").select_option("stage")
    page.get_by_label("Aantal mensen").fill("1")
    page.get_by_label("Gemeente").select_option("Venlo")
    page.get_by_label("De mensen over wie dit verhaal gaat").check()
    page.get_by_role("button", name="Opslaan en indienen").click()
    page.wait_for_url("**/stories/*")
    assert_body_is_clean(page)
    assert_nothing_ran(page)
    watch_author.assert_quiet()

    # The moderator reads it in the queue and approves it.
    moderator_context = browser.new_context(base_url=live_server, locale="nl-NL")
    moderator_page = moderator_context.new_page()
    watch_moderator = Watch(moderator_page)
    log_in(moderator_page, moderator)
    moderator_page.goto("/staff/moderation")
    assert_body_is_clean(moderator_page)
    moderator_page.get_by_role("button", name="Goedkeuren en publiceren").click()
    moderator_page.wait_for_url("**/staff/moderation")
    assert_nothing_ran(moderator_page)
    watch_moderator.assert_quiet()
    moderator_context.close()

    # A supplier of another organisation browses, searches and opens it.
    reader_context = browser.new_context(base_url=live_server, locale="nl-NL")
    reader_page = reader_context.new_page()
    watch_reader = Watch(reader_page)
    log_in(reader_page, reader)
    reader_page.goto("/stories")
    reader_page.get_by_role("link", name="Stage <img").hover()
    reader_page.goto("/stories?q=Kees")
    link = reader_page.get_by_role("link", name="Stage <img")
    assert reader_page.locator("img, svg, iframe").count() == 0
    link.click()
    reader_page.wait_for_url("**/stories/*")
    heading = reader_page.get_by_role("heading", level=1).inner_text()
    assert heading == 'Stage <img src=x onerror="window.__pwned=1;alert(1)"> bij ons'
    assert_body_is_clean(reader_page)
    for anchor in reader_page.locator(".story-body a").all():
        anchor.hover()  # would fire an onmouseover that broke out of an attribute
    hrefs = reader_page.locator(".story-body a").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))")
    assert len(hrefs) == 2 and all(href.startswith("https://") for href in hrefs)
    assert_nothing_ran(reader_page)
    watch_reader.assert_quiet()
    reader_context.close()
