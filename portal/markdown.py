"""Markdown -> sanitised HTML: the one place in the portal that produces HTML from user text.

Stories are written in Markdown by suppliers and read by everyone, so the output must never
carry anything that runs. Two independent layers make sure of that:

1. markdown-it-py (CommonMark plus tables) is configured to treat raw HTML as text (it is
   escaped, so an author who types `<b>` sees `<b>`, nothing disappears silently) and to know
   no image syntax. A link that does not lead to http, https or mailto keeps its text and
   loses the link; bare URLs and e-mail addresses become links (linkify-it-py), not in code.
2. nh3 (the Rust sanitiser ammonia) then keeps only an explicit allowlist of elements and
   attributes, and only links to http, https and mailto, each with `rel="nofollow noopener"`.
   Whatever slips through layer 1 (a bug in the parser, say) is still removed here.

Both take time in step with the length of the text, whatever the text: CommonMark's parsing
rules were written to be linear, and ammonia parses HTML as a browser does. Python-Markdown
and bleach, used before, took seconds to minutes on a body of 20,000 `[` or backticks
(tests/stories/test_markdown_speed.py keeps every known hard case in check).

Headings become h2-h4 in the author's order, never skipping a level: the page's own h1 is the
story's title, and the heading outline stays correct for screen readers. Single newlines are
line breaks, as authors who do not know Markdown expect.

Rendering happens once, when a story is saved; pages show the stored result.
"""

import gc
import importlib

import nh3
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore

ALLOWED_TAGS = frozenset({
    "p", "br", "em", "strong", "ul", "ol", "li", "h2", "h3", "h4", "a", "blockquote",
    "code", "pre", "table", "thead", "tbody", "tr", "th", "td",
})
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow noopener"

# The length of a story body the form accepts; keeps rendering time bounded.
MAX_SOURCE_LENGTH = 20_000


def _allowed(href: str) -> bool:
    """Only http, https and mailto. Relative and protocol-relative links (`/staff/...`,
    `//elsewhere`) would make a story point into the portal or somewhere unnamed."""
    scheme, colon, _rest = href.partition(":")
    return bool(colon) and scheme.lower() in ALLOWED_PROTOCOLS


def _unsafe_links_become_text(state: StateCore) -> None:
    """A link to anything else keeps its text and loses the link (its open and close)."""
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        kept, dropping = [], []
        for token in block.children:
            if token.type == "link_open":
                dropping.append(not _allowed(str(token.attrGet("href") or "")))
                if dropping[-1]:
                    continue
            elif token.type == "link_close" and dropping and dropping.pop():
                continue
            kept.append(token)
        block.children = kept


def _shift_headings(state: StateCore) -> None:
    """The author's heading levels, in their order, become h2-h4 without skipping a level:
    the largest level used becomes h2, and no heading is more than one level deeper than
    the one before it (screen reader users navigate by that outline)."""
    openings = [(i, t) for i, t in enumerate(state.tokens) if t.type == "heading_open"]
    rank = {level: i for i, level in enumerate(sorted({int(t.tag[1]) for _i, t in openings}))}
    previous = 1  # the page's own h1, the story's title
    for i, token in openings:
        level = min(2 + rank[int(token.tag[1])], previous + 1, 4)
        token.tag = f"h{level}"
        j = i + 1
        while state.tokens[j].type != "heading_close":
            j += 1
        state.tokens[j].tag = token.tag
        previous = level


# How deeply blocks may nest (a list in a quote in a list ... counts each list, item and
# quote), and how deeply brackets may nest inside a link's text. The parser tries every `[`
# as the start of a link, looking as many brackets deep as the inline limit allows, so that
# limit is what a run of `[` costs per character. Deeper brackets are text; deeper blocks
# are not parsed further.
BLOCK_NESTING = 20
INLINE_NESTING = 6

# A table row with fewer cells than the header is filled up with empty ones; a header of a
# thousand columns over a thousand one-word lines would make a million cells. The parser
# ends a table once it has filled up this many (its own limit, 65,536, costs most of a
# second); the lines after it are ordinary text.
_table_rule = importlib.import_module("markdown_it.rules_block.table")  # the module, not
_table_rule.MAX_AUTOCOMPLETED_CELLS = 4_000  # the function `rules_block.table`


def _configured(max_nesting: int) -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": False, "breaks": True, "linkify": True,
                                       "xhtmlOut": False, "maxNesting": max_nesting})
    parser.enable(["table", "linkify"])
    parser.disable(["image"])
    # Every link is parsed as a link; _unsafe_links_become_text judges them afterwards, so
    # an unsafe one keeps its text instead of showing its Markdown.
    parser.validateLink = lambda _url: True
    return parser


_inline = _configured(INLINE_NESTING)


def _parse_inline(state: StateCore) -> None:
    """The text of each block, parsed with the inline nesting limit."""
    for token in state.tokens:
        if token.type == "inline":
            token.children = []
            _inline.inline.parse(token.content, _inline, state.env, token.children)


def _parser() -> MarkdownIt:
    parser = _configured(BLOCK_NESTING)
    parser.core.ruler.at("inline", _parse_inline)
    parser.core.ruler.push("unsafe_links_become_text", _unsafe_links_become_text)
    parser.core.ruler.push("shift_headings", _shift_headings)
    return parser


_parse = _parser()

_cleaner = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes=set(ALLOWED_PROTOCOLS),
    url_relative="deny",
    link_rel=LINK_REL,
    strip_comments=True,
)


def render(source: str) -> str:
    """Sanitised HTML for the Markdown `source`; safe to put in a page as it is."""
    # The parser makes a few objects per character and keeps them until the end. Python's
    # cycle collector would go through them again and again as they pile up (a table of
    # 20,000 characters took three times as long as one of 10,000); they make no cycles
    # that outlive the call, so it waits until rendering is done.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _cleaner.clean(_parse.render(source or "")).strip()
    finally:
        if collecting:
            gc.enable()
