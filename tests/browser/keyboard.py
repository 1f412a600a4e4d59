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


def type_into(page, text: str) -> None:
    page.keyboard.type(text)


def focus_reaches_every_control(page) -> None:
    """Tab from the top of the page once round: every visible control gets the focus.

    Each control is numbered first (an attribute on the page, nothing sent to the server),
    so that two links with the same text are still told apart.
    """
    total = page.evaluate(f"""() => {{
        const controls = ({FOCUSABLE})();
        controls.forEach((el, i) => el.setAttribute("data-focus-check", i));
        return controls.length;
    }}""")
    assert total > 0, f"no controls found on {page.url}"
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); "
                  "window.scrollTo(0, 0); }")
    page.locator("body").focus()
    seen = set()
    for _ in range(total + 5):
        page.keyboard.press("Tab")
        index = page.evaluate("() => document.activeElement && "
                              "document.activeElement.getAttribute('data-focus-check')")
        if index is None:
            continue
        if int(index) in seen:
            break
        seen.add(int(index))
    missing = sorted(set(range(total)) - seen)
    if missing:
        names = page.evaluate("(ids) => ids.map(i => document.querySelector("
                              "`[data-focus-check=\"${i}\"]`).outerHTML.slice(0, 120))", missing)
        raise AssertionError(f"Tab does not reach these controls on {page.url}: {names}")
    # Start the journey's own Tab presses from the top again.
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
