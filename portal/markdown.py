"""Markdown -> sanitised HTML: the one place in the portal that produces HTML from user text.

Stories are written in Markdown by suppliers and read by everyone, so the output must never
carry anything that runs. Two independent layers make sure of that:

1. Markdown itself is configured to treat raw HTML as text (it is escaped, so an author who
   types `<b>` sees `<b>`, nothing disappears silently) and to know no image syntax.
2. bleach then keeps only an explicit allowlist of elements and attributes, and only links to
   http, https and mailto, each with `rel="nofollow noopener"`. Whatever slips through layer 1
   (a bug in a Markdown extension, say) is still removed here.

Headings become h2-h4 in the author's order, never skipping a level: the page's own h1 is the
story's title, and the heading outline stays correct for screen readers.

Rendering happens once, when a story is saved; pages show the stored result.
"""

from functools import partial
from xml.etree.ElementTree import Element

import bleach
import markdown as md
from bleach.linkifier import LinkifyFilter
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

ALLOWED_TAGS = frozenset({
    "p", "br", "em", "strong", "ul", "ol", "li", "h2", "h3", "h4", "a", "blockquote",
    "code", "pre", "table", "thead", "tbody", "tr", "th", "td",
})
ALLOWED_ATTRIBUTES = {"a": ["href", "title"]}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow noopener"

# The length of a story body the form accepts; keeps rendering time bounded.
MAX_SOURCE_LENGTH = 20_000


class _ShiftHeadings(Treeprocessor):
    """The author's heading levels, in their order, become h2-h4 without skipping a level:
    the largest level used becomes h2, and no heading is more than one level deeper than
    the one before it (screen reader users navigate by that outline)."""

    def run(self, root: Element) -> None:
        headings = [e for e in root.iter()
                    if len(e.tag) == 2 and e.tag[0] == "h" and e.tag[1] in "123456"]
        rank = {level: i for i, level in enumerate(sorted({int(e.tag[1]) for e in headings}))}
        previous = 1  # the page's own h1, the story's title
        for element in headings:
            level = min(2 + rank[int(element.tag[1])], previous + 1, 4)
            element.tag = f"h{level}"
            previous = level


class _PlainTextOnly(Extension):
    """Raw HTML becomes text and image syntax is not recognised; headings shift down."""

    def extendMarkdown(self, md_instance) -> None:  # noqa: N802 - Markdown's API name
        md_instance.preprocessors.deregister("html_block")
        # automail writes the address as entities, which bleach cannot judge; the linkify
        # step below links e-mail addresses instead.
        for name in ("html", "automail", "image_link", "image_reference", "short_image_ref"):
            if name in md_instance.inlinePatterns:
                md_instance.inlinePatterns.deregister(name)
        md_instance.treeprocessors.register(_ShiftHeadings(md_instance), "shift_headings", 1)


def _safe_link(attrs: dict, new: bool = False) -> dict | None:
    """Keep a link only when it leads to http, https or mailto; give it our rel."""
    href = (attrs.get((None, "href")) or "").strip()
    scheme = href.split(":", 1)[0].lower() if ":" in href else ""
    if scheme not in ALLOWED_PROTOCOLS:
        # Relative and protocol-relative links (`/staff/...`, `//elsewhere`) would make a
        # story point into the portal or somewhere unnamed: keep the text, drop the link.
        return None
    attrs[(None, "rel")] = LINK_REL
    attrs.pop((None, "target"), None)
    return attrs


_cleaner = bleach.sanitizer.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
    filters=[partial(LinkifyFilter, callbacks=[_safe_link], skip_tags={"pre", "code"},
                     parse_email=True)],
)


def render(source: str) -> str:
    """Sanitised HTML for the Markdown `source`; safe to put in a page as it is."""
    converter = md.Markdown(extensions=["tables", "sane_lists", "fenced_code", "nl2br",
                                        _PlainTextOnly()],
                            output_format="html")
    html = converter.convert(source or "")
    return _cleaner.clean(html).strip()
