"""Moving through a page with the keyboard alone, as someone without a mouse does."""

# Controls a keyboard user must be able to reach: everything focusable and visible.
FOCUSABLE = """
() => Array.from(document.querySelectorAll(
    'a[href], button, input:not([type=hidden]), select, textarea, [tabindex]:not([tabindex="-1"])'
  )).filter(el => !el.disabled && el.offsetParent !== null)
"""

ACTIVE_NAME = """
() => {
  const el = document.activeElement;
  if (!el || el === document.body) return "";
  const label = el.labels && el.labels.length ? el.labels[0].innerText : "";
  return (label || el.getAttribute("aria-label") || el.innerText || el.value || "").trim();
}
"""


def press_until(page, name: str, limit: int = 150) -> None:
    """Press Tab until the focused control's name (its label or text) starts with `name`."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(ACTIVE_NAME).startswith(name):
            return
    raise AssertionError(f"Tab never reached a control named {name!r} on {page.url}")


def choose_file_with_space(page, path: str, tries: int = 3) -> None:
    """Open the focused file field's chooser with Space, as a keyboard user does, and pick
    `path`. On a heavily loaded machine Chromium has been seen to let one key press go by
    without opening the chooser, so the press is repeated (the field keeps its focus)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for _ in range(tries):
        try:
            with page.expect_file_chooser(timeout=10_000) as chooser:
                page.keyboard.press("Space")
        except PlaywrightTimeout:
            continue
        chooser.value.set_files(path)
        return
    raise AssertionError(f"Space on the focused file field never opened a chooser ({page.url})")


def type_into(page, text: str) -> None:
    page.keyboard.type(text)


def controls_tab_misses(page) -> list[str]:
    """Tab from the top of the page once round; the start of each visible control never
    focused on the way (an empty list when Tab reaches them all).

    Each control is numbered first (an attribute on the page, nothing sent to the server), so
    that two links with the same text are still told apart, and a `focusin` listener notes
    every number focused, so the keys go out without a round trip each.
    """
    total = page.evaluate(f"""() => {{
        const controls = ({FOCUSABLE})();
        controls.forEach((el, i) => el.setAttribute("data-focus-check", i));
        window.__focused = new Set();
        document.addEventListener("focusin", (event) => {{
            const index = event.target.getAttribute && event.target.getAttribute(
                "data-focus-check");
            if (index !== null) window.__focused.add(Number(index));
        }});
        if (document.activeElement) document.activeElement.blur();
        window.scrollTo(0, 0);
        return controls.length;
    }}""")
    assert total > 0, f"no controls found on {page.url}"
    page.locator("body").focus()
    # Some controls take several stops (a date field: day, month, year), so Tab goes on in
    # rounds of as many presses as there are controls until all were seen, three at most.
    for _ in range(3):
        for _ in range(total + 5):
            page.keyboard.press("Tab")
        if page.evaluate(f"() => window.__focused.size >= {total}"):
            break
    missed = page.evaluate(f"""() => {{
        const missed = [];
        for (let i = 0; i < {total}; i++) {{
            if (!window.__focused.has(i)) missed.push(
                document.querySelector(`[data-focus-check="${{i}}"]`).outerHTML.slice(0, 120));
        }}
        // Start any further Tab presses from the top again.
        if (document.activeElement) document.activeElement.blur();
        return missed;
    }}""")
    return missed


def focus_reaches_every_control(page) -> None:
    missed = controls_tab_misses(page)
    assert not missed, f"Tab does not reach these controls on {page.url}: {missed}"
