"""Story bodies that are hard on a Markdown renderer, each of any length we ask for.

A Markdown parser and a linkifier mostly do a little work per character, but some constructs
make a naive implementation look back or ahead over everything before or after them: deep
nesting, an opener that is never closed, a long run of one delimiter, many openers against
many closers. Every case here is one of those, made to measure, so a test and the benchmark
(`bench/markdown.py`) can check that rendering time grows in step with the length of the text.

`CASES` maps a name to a function of the wanted length; each returns a text of exactly that
length (cut or padded from a repeating unit), so sizes compare fairly.
"""

from collections.abc import Callable


def repeat(unit: str, head: str = "", tail: str = "") -> Callable[[int], str]:
    """`head`, then `unit` again and again, then `tail`: `n` characters in all."""

    def make(n: int) -> str:
        room = max(n - len(head) - len(tail), 0)
        body = unit * (room // len(unit) + 1)
        return (head + body[:room] + tail)[:n]

    return make


def nested(opening: str, inner: str, closing: str) -> Callable[[int], str]:
    """`opening` k times, `inner`, `closing` k times, padded to `n` with `inner`."""

    def make(n: int) -> str:
        k = max((n - len(inner)) // (len(opening) + len(closing)), 0)
        text = opening * k + inner + closing * k
        return (text + inner * n)[:n]

    return make


def lines(make_line: Callable[[int], str]) -> Callable[[int], str]:
    """Line after line from `make_line(i)`, cut to `n` characters."""

    def make(n: int) -> str:
        parts, size, i = [], 0, 0
        while size < n:
            line = make_line(i) + "\n"
            parts.append(line)
            size += len(line)
            i += 1
        return "".join(parts)[:n]

    return make


def backtick_ladder(n: int) -> str:
    """Code spans opened by 1, 2, 3, ... backticks, none of them closed (the classic
    quadratic case for inline code)."""
    parts, size, i = [], 0, 1
    while size < n:
        part = "`" * i + "a"
        parts.append(part)
        size += len(part)
        i += 1
    return "".join(parts)[:n]


def emphasis_ladder(n: int) -> str:
    """Runs of 1, 2, 3, ... stars with words between: openers that match nothing."""
    parts, size, i = [], 0, 1
    while size < n:
        part = "*" * (i % 40 + 1) + "a "
        parts.append(part)
        size += len(part)
        i += 1
    return "".join(parts)[:n]


def references(n: int) -> str:
    """Many link reference definitions, then as many uses of them."""
    half = n // 2
    defs = lines(lambda i: f"[r{i}]: http://example.org/{i}")(half)
    uses = repeat("[r1] [r2][] [x][r3] ")(n - len(defs))
    return (defs + "\n" + uses)[:n]


def wide_table(n: int) -> str:
    """One table with as many columns as fit: header, delimiter row, one body row."""
    cols = max(n // 9, 1)
    text = "|a" * cols + "|\n" + "|-" * cols + "|\n" + "|b" * cols + "|\n"
    return (text + "x" * n)[:n]


def long_table(n: int) -> str:
    """A narrow table with very many rows, some with cells that hold inline constructs."""
    return ("| a | b |\n|---|---|\n" + lines(lambda i: f"| *{i}* | [x](http://e.org) |")(n))[:n]


def wide_header_many_rows(n: int) -> str:
    """A header of n/20 columns over very many one-cell rows: a renderer that fills up every
    row to the header's width writes n*n/50 cells."""
    cols = max(n // 20, 1)
    return ("|a" * cols + "|\n" + "|-" * cols + "|\n" + "x\n" * n)[:n]


def nested_lists(n: int) -> str:
    """Every line one level deeper in the list than the one before."""
    return lines(lambda i: "  " * (i % 500) + "- a")(n)


def quote_list_mix(n: int) -> str:
    """Blockquote in list in blockquote ..., all on one line."""
    return repeat("> - 1. ")(n)


def normal_story(n: int) -> str:
    """What a supplier really writes: headings, paragraphs, lists, links, e-mail, a table."""
    block = (
        "## Van werkervaringsplaats naar vast contract\n\n"
        "Anna begon in 2024 als *leerling* schilder bij ons bedrijf. Met hulp van de "
        "**jobcoach** van het werkgeversservicepunt (zie https://www.wsp-limburg.nl of mail "
        "info@wsp-limburg.nl) kreeg ze een [leerwerktraject](https://www.wonenlimburg.nl).\n"
        "Ze werkt nu vier dagen per week.\n\n"
        "- eerste maand: meelopen\n- tweede maand: zelfstandig\n- daarna: `vast contract`\n\n"
        "> Ik had nooit gedacht dat ik dit zou doen. — Anna\n\n"
        "| Jaar | Mensen |\n|---|---:|\n| 2024 | 3 |\n| 2025 | 4 |\n\n"
    )
    return repeat(block)(n)


CASES: dict[str, Callable[[int], str]] = {
    # Long runs of one delimiter.
    **{f"run of {c!r}": repeat(c) for c in "[]()`*_<>!\\|#~&@-=:\"'.\n "},
    "run of 'a' (no delimiters)": repeat("a"),
    "run of 'http://'": repeat("http://"),
    "run of 'www.'": repeat("www."),
    "run of 'a@'": repeat("a@"),
    "run of 'a.'": repeat("a."),
    "run of 'a@a.'": repeat("a@a."),
    "long local part, no domain": repeat("a", tail="@"),
    "e-mail with endless domain": repeat("a.", head="x@"),
    "URL with endless path": repeat("a/", head="http://example.org/"),
    "URL with endless parentheses": repeat("(", head="http://example.org/"),
    "URL with endless query": repeat("&a=1", head="https://example.org/?"),
    "run of '&#'": repeat("&#"),
    "run of '&#x'": repeat("&#x"),
    "run of '&amp' (no semicolons)": repeat("&amp"),
    "run of '\\*' (escapes)": repeat("\\*"),
    "run of '<!--'": repeat("<!--"),
    "run of '<a '": repeat("<a "),
    "run of '<http:'": repeat("<http:"),
    # Mixed openers and closers.
    "run of '[('": repeat("[("),
    "run of '*_'": repeat("*_"),
    "run of '[]'": repeat("[]"),
    "run of '[]('": repeat("[]("),
    "run of '!['": repeat("!["),
    "run of '*a'": repeat("*a"),
    "run of '_a'": repeat("_a"),
    "run of '**a_'": repeat("**a_"),
    "run of '[a]'": repeat("[a]"),
    "run of '[a][b]'": repeat("[a][b]"),
    "run of '](x)'": repeat("](x)"),
    "run of '[a](' (unclosed links)": repeat("[a]("),
    "run of '[a](<'": repeat("[a](<"),
    "run of '[a](http://x' (unclosed)": repeat("[a](http://x "),
    "run of '[a]: '": repeat("[a]: "),
    "run of '`a'": repeat("`a"),
    "backtick ladder": backtick_ladder,
    "emphasis ladder": emphasis_ladder,
    "unclosed fenced code": repeat("a\n", head="```\n"),
    "many fences": repeat("```\n"),
    # Deep nesting.
    "nested blockquotes": repeat(">"),
    "nested blockquotes, spaced": repeat("> "),
    "nested bullets on one line": repeat("- "),
    "nested numbered lists on one line": repeat("1. "),
    "nested lists, indented": nested_lists,
    "quote, list, quote ...": quote_list_mix,
    "nested emphasis": nested("*a ", "b", " a*"),
    "nested strong": nested("**a ", "b", " a**"),
    "nested links": nested("[a ", "b", "](http://x)"),
    "nested brackets": nested("[", "a", "]"),
    "nested parentheses": nested("(", "a", ")"),
    "link with nested parentheses": lambda n: "[a](" + nested("(", "a", ")")(n - 4),
    # Many of one construct.
    "many link references": references,
    "many headings": lines(lambda i: "#" * (i % 6 + 1) + f" Kop {i}"),
    "many setext headings": lines(lambda i: f"Kop {i}\n" + "=-"[i % 2] * 3),
    "many lines (line breaks)": lines(lambda i: f"regel {i}"),
    "many list items": lines(lambda i: f"- punt {i}"),
    "many bare URLs": repeat("http://example.org/a "),
    "many e-mail addresses": repeat("anna@example.org "),
    "table with many columns": wide_table,
    "table with many rows": long_table,
    "normal story": normal_story,
    "table, wide header, many short rows": wide_header_many_rows,
    "run of '|a|'": repeat("|a|\n"),
    "URL with endless domain": repeat("a.", head="http://"),
    "run of 'www.a.'": repeat("www.a."),
    "run of '1.'": repeat("1."),
    "run of '<a@'": repeat("<a@"),
    "run of 'a_'": repeat("a_"),
    "blockquotes deeper line by line": lines(lambda i: ">" * (i % 60) + " a"),
    "long paragraph, then a setext underline": repeat("a\n", tail="\n==="),
    "indented code lines": lines(lambda i: f"    code {i}"),
}
