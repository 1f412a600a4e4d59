"""Markdown -> HTML: ordinary formatting survives, nothing that can run does.

The hostile corpus is checked with a real HTML parser, not with string searches: a browser
parses the output too, so only what a parser sees as an element, attribute or URL counts.
"""

import re
from html.parser import HTMLParser

import pytest

from portal.markdown import ALLOWED_TAGS, render

ALLOWED_ATTRIBUTES = {"a": {"href", "title", "rel"}}
SAFE_SCHEMES = ("http:", "https:", "mailto:")


class Collector(HTMLParser):
    """Every start tag with its attributes (entities decoded, as a browser would)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, attrs))


def parsed(html: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    collector = Collector()
    collector.feed(html)
    collector.close()
    return collector.tags


def normalised_url(value: str) -> str:
    """A URL as a browser reads its scheme: no whitespace or control characters, lower case."""
    return re.sub(r"[\x00-\x20\x7f-\x9f]+", "", value).lower()


def problems(html: str) -> list[str]:
    found = []
    for tag, attrs in parsed(html):
        if tag not in ALLOWED_TAGS:
            found.append(f"element <{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                found.append(f"event attribute {name} on <{tag}>")
            if name == "style":
                found.append(f"style on <{tag}>")
            if name not in ALLOWED_ATTRIBUTES.get(tag, set()):
                found.append(f"attribute {name} on <{tag}>")
            if name == "href" and not normalised_url(value or "").startswith(SAFE_SCHEMES):
                found.append(f"unsafe href {value!r}")
        if tag == "a":
            attributes = dict(attrs)
            if "href" in attributes and attributes.get("rel") != "nofollow noopener":
                found.append(f"link without rel: {attributes}")
    return found


# --- The hostile corpus -----------------------------------------------------------------------

DANGEROUS_URLS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "java&#x09;script:alert(1)",
    "&#106;avascript:alert(1)",
    "&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;:alert(1)",
    "&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112"
    "&#0000116&#0000058alert(1)",
    "javascript&colon;alert(1)",
    "javascript&#58;alert(1)",
    "jav&#x0A;ascript:alert(1)",
    "vbscript:msgbox(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "data:text/html,<script>alert(1)</script>",
    "DATA:image/svg+xml;base64,PHN2Zy8+",
    "livescript:alert(1)",
    "file:///etc/passwd",
    "//evil.example/x",
    "/staff/audit",
    "javascript://%0aalert(1)",
]

LINK_FORMS = {
    "inline": "[klik]({url})",
    "inline with title": '[klik]({url} "titel")',
    "inline in angle brackets": "[klik](<{url}>)",
    "reference": "[klik][r]\n\n[r]: {url}",
    "reference with title": '[klik][r]\n\n[r]: {url} "titel"',
    "collapsed reference": "[r][]\n\n[r]: {url}",
    "shortcut reference": "[r]\n\n[r]: {url}",
    "autolink": "<{url}>",
    "bare": "Zie {url} voor meer.",
    "image": "![plaatje]({url})",
    "image reference": "![plaatje][r]\n\n[r]: {url}",
    "link inside emphasis": "**[klik]({url})**",
    "link in a list": "- [klik]({url})",
    "link in a table": "| a |\n|---|\n| [klik]({url}) |",
    "raw anchor": '<a href="{url}">klik</a>',
}

RAW_HTML = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<img src=x onerror=alert(1)>",
    "<img src=\"x\" onerror=\"alert(1)\"/>",
    "<IMG SRC=javascript:alert('XSS')>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<svg><a xlink:href=\"javascript:alert(1)\"><text x=\"20\" y=\"20\">x</text></a></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<iframe src=\"javascript:alert(1)\"></iframe>",
    "<iframe srcdoc=\"<script>alert(1)</script>\"></iframe>",
    "<object data=\"javascript:alert(1)\"></object>",
    "<embed src=\"javascript:alert(1)\">",
    "<body onload=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<div style=\"background:url(javascript:alert(1))\">x</div>",
    "<p style=\"color:red\">rood</p>",
    "<style>*{color:red}</style>",
    "<link rel=stylesheet href=//evil.example/x.css>",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
    "<base href=\"//evil.example/\">",
    "<form action=\"javascript:alert(1)\"><button>x</button></form>",
    "<input autofocus onfocus=alert(1)>",
    "<video><source onerror=alert(1)></video>",
    "<audio src=x onerror=alert(1)>",
    "<marquee onstart=alert(1)>x</marquee>",
    "<a href=\"https://ok.example\" onclick=\"alert(1)\">klik</a>",
    "<a href='https://ok.example' onmouseover=alert(1)>klik</a>",
    "<b onmouseover=alert(1)>vet</b>",
    "<div><p><b><i>niet gesloten",
    "<p><script>alert(1)",
    "<<script>script>alert(1)<</script>/script>",
    "<script\n>alert(1)</script\n>",
    "<!--<script>alert(1)</script>-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
    "<textarea><script>alert(1)</script></textarea>",
    "<template><script>alert(1)</script></template>",
    "<xmp><script>alert(1)</script></xmp>",
    "<table><tr><td onclick=alert(1)>x</td></tr></table>",
    "<h2 onclick=alert(1)>kop</h2>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;script&#62;alert(1)&#60;/script&#62;",
    "\\<script>alert(1)\\</script>",
    "`<script>alert(1)</script>`",
    "```\n<script>alert(1)</script>\n```",
    "    <script>alert(1)</script>",
    "> <script>alert(1)</script>",
    "- <img src=x onerror=alert(1)>",
    "# <svg onload=alert(1)>",
    "<div markdown=\"1\">*x* <script>alert(1)</script></div>",
    "\x00<script>alert(1)</script>",
    "<scri\x00pt>alert(1)</scri\x00pt>",
]

ATTRIBUTE_BREAKOUTS = [
    '[klik](https://ok.example" onmouseover="alert(1))',
    "[klik](https://ok.example' onmouseover='alert(1))",
    '[klik](https://ok.example "titel" onmouseover="alert(1)")',
    '[klik](https://ok.example "a\\" onmouseover=\\"alert(1)")',
    '[klik][r]\n\n[r]: https://ok.example "x" onclick="alert(1)"',
    '[klik](https://ok.example/"><script>alert(1)</script>)',
    "[klik](https://ok.example/><img src=x onerror=alert(1)>)",
    "[x<img src=x onerror=alert(1)>](https://ok.example)",
    "[<script>alert(1)</script>](https://ok.example)",
    '<https://ok.example/" onmouseover="alert(1)>',
    "**<span onmouseover=alert(1)>x</span>**",
    "*<a href=javascript:alert(1)>x</a>*",
]

CORPUS = (
    [form.format(url=url) for form in LINK_FORMS.values() for url in DANGEROUS_URLS]
    + RAW_HTML + ATTRIBUTE_BREAKOUTS
)


def test_the_corpus_is_large_enough():
    assert len(CORPUS) >= 100
    assert len(set(CORPUS)) == len(CORPUS)


@pytest.mark.parametrize("source", CORPUS)
def test_nothing_that_can_run_survives(source):
    html = render(source)
    assert problems(html) == [], html


@pytest.mark.parametrize("source", CORPUS)
def test_rendering_twice_changes_nothing(source):
    """What is stored is what is shown: rendering the same text again gives the same HTML."""
    assert render(source) == render(source)


def test_the_checker_itself_catches_what_it_should():
    """The assertions above would fail on unsafe HTML (so they test something)."""
    assert problems('<img src="x" onerror="alert(1)">') != []
    assert problems('<a href=" jav&#x09;ascript:alert(1)" rel="nofollow noopener">x</a>') != []
    assert problems('<p style="color:red">x</p>') != []
    assert problems('<a href="https://ok.example">x</a>') != []  # no rel
    assert problems('<a href="https://ok.example" rel="nofollow noopener">x</a>') == []


def test_raw_html_is_shown_as_text_not_dropped():
    html = render("Ik typte <b>vet</b> en <script>alert(1)</script>.")
    assert "&lt;b&gt;vet&lt;/b&gt;" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert [tag for tag, _attrs in parsed(html)] == ["p"]


def test_unsafe_link_keeps_its_text():
    assert render("[klik hier](javascript:alert(1))") == "<p>klik hier</p>"


# --- Ordinary Markdown keeps its formatting ---------------------------------------------------

def test_emphasis_and_paragraphs():
    assert render("Een *schuine* en een **vette** tekst.\n\nTweede alinea.") == (
        "<p>Een <em>schuine</em> en een <strong>vette</strong> tekst.</p>\n"
        "<p>Tweede alinea.</p>")


@pytest.mark.parametrize("source, levels", [
    ("# Een\n\n## Twee\n\n### Drie\n\n#### Vier\n\n##### Vijf",
     ["h2", "h3", "h4", "h4", "h4"]),
    ("## Een\n\n## Twee", ["h2", "h2"]),
    ("### Alleen kleine koppen\n\n##### en nog kleiner", ["h2", "h3"]),
    ("#### Eerst diep\n\n# Dan hoog\n\n#### Weer diep", ["h2", "h2", "h3"]),
    ("Kop\n===\n\nSubkop\n------", ["h2", "h3"]),
])
def test_headings_become_h2_to_h4_without_skipping(source, levels):
    assert [tag for tag, _attrs in parsed(render(source))] == levels


def test_lists_quote_and_code():
    html = render("- appel\n- peer\n\n1. een\n2. twee\n\n> Citaat van Anna\n\n"
                  "Gebruik `code` of\n\n```\nblok\n```")
    tags = [tag for tag, _attrs in parsed(html)]
    for tag in ("ul", "ol", "li", "blockquote", "code", "pre"):
        assert tag in tags
    assert "<li>appel</li>" in html and "<li>twee</li>" in html


def test_tables():
    html = render("| Jaar | Mensen |\n|---|---:|\n| 2025 | 4 |")
    assert [tag for tag, _attrs in parsed(html)] == [
        "table", "thead", "tr", "th", "th", "tbody", "tr", "td", "td"]
    assert "<td>2025</td>" in html


def test_safe_links_get_rel_and_keep_their_address():
    html = render("[Wonen Limburg](https://www.wonenlimburg.nl \"Site\"), "
                  "[mail](mailto:inkoop@wonenlimburg.nl), <https://www.pso-nederland.nl> of "
                  "http://example.org")
    links = [dict(attrs) for tag, attrs in parsed(html) if tag == "a"]
    assert [link["href"] for link in links] == [
        "https://www.wonenlimburg.nl", "mailto:inkoop@wonenlimburg.nl",
        "https://www.pso-nederland.nl", "http://example.org"]
    assert all(link["rel"] == "nofollow noopener" for link in links)
    assert links[0]["title"] == "Site"


@pytest.mark.parametrize("source", ["<inkoop@wonenlimburg.nl>", "<mailto:inkoop@wonenlimburg.nl>",
                                    "mail inkoop@wonenlimburg.nl"])
def test_email_addresses_stay_visible(source):
    html = render(source)
    assert "inkoop@wonenlimburg.nl" in html
    assert problems(html) == []


def test_line_breaks_within_a_paragraph_are_kept():
    assert render("regel een\nregel twee") == "<p>regel een<br>\nregel twee</p>"


def test_empty_source_gives_empty_html():
    assert render("") == ""
