"""Hypothesis strategies for the fuzz test: the values that break web forms in practice.

Every field gets a kind from its name (a date, an amount, a whole number, an e-mail address,
a password, free text) and the values of that kind that make code fall over: numbers too big
for a 64-bit column, dates at the ends of the calendar, text longer than any column, control
characters and NUL (which PostgreSQL refuses in text), empty and missing values, and a key
sent twice. Free text of any kind can land in any field too, as a browser never promises types.
"""

import csv
import io
from datetime import date, timedelta

from hypothesis import strategies as st

from tests import factories

DATE_SUFFIXES = ("_on", "_until", "_from", "_date")
AMOUNT_FIELDS = {"annual_value", "threshold", "expected", "jaarbedrag"}
INTEGER_FIELDS = {"people_count", "revision", "page", "year", "desc"}
PASSWORD_FIELDS = {"password", "confirm", "current_password"}
# Hypothesis tries the first of a list of choices first: the likeliest trouble goes first.
KIND_ORDER = ["amount", "date", "integer", "file", "email", "password", "text"]


def kind_of(name: str, html_type: str = "") -> str:
    if html_type == "file":
        return "file"
    if name.endswith(DATE_SUFFIXES) or html_type == "date" or name.endswith("datum"):
        return "date"
    if name in AMOUNT_FIELDS:
        return "amount"
    if name in INTEGER_FIELDS or html_type == "number":
        return "integer"
    if name == "email" or html_type == "email":
        return "email"
    if name in PASSWORD_FIELDS:
        return "password"
    return "text"


# --- Numbers ----------------------------------------------------------------------------------

EDGE_INTEGERS = [2**63, 0, -1, 2**64, 10**30, 1, 2**31 - 1, 2**31, 2**53 + 1, 2**63 - 1,
                 10**17, -(2**63) - 1]
integers = st.one_of(st.sampled_from(EDGE_INTEGERS), st.integers(),
                     st.integers(min_value=2**62, max_value=2**80))
integer_text = st.one_of(
    integers.map(str),
    st.sampled_from(["", " 7 ", "+3", "1.5", "1e3", "0x10", "1_000", "٣", "-0", "NaN", "∞"]),
)


def _dutch(n: int) -> str:
    return f"{n:,}".replace(",", ".")


AMOUNT_STYLES = [
    str,                                          # 150000
    _dutch,                                       # 150.000 (ambiguous below 1.000.000)
    lambda n: _dutch(n) + ",00",                  # 150.000,00
    lambda n: f"€ {_dutch(n)},-",                 # € 150.000,-
    lambda n: f"EUR {n},5",                       # EUR 150000,5
    lambda n: f"{n:,}.99",                        # 150,000.99 (English)
    lambda n: f"{n:_}".replace("_", " ") + ",00",  # 150 000,00
    lambda n: f"-{n}",
    lambda n: f"{n},123",                         # too many decimals
]
# Many digits: from 17 digits of euros on, the amount in cents no longer fits 64 bits. The
# forms take at most 30 characters, so the big ones stay around that edge, in a valid notation.
VALID_STYLES = AMOUNT_STYLES[:7]
big_amounts = st.builds(
    lambda n, style: style(n),
    st.one_of(st.sampled_from([92_233_720_368_547_758, 92_233_720_368_547_759, 10**17, 10**18,
                               2**63, 2**64]),
              st.integers(min_value=17, max_value=22).map(lambda n: 10**n - 1),
              st.integers(min_value=10**16, max_value=10**22)),
    st.sampled_from(VALID_STYLES),
)
amounts = st.builds(
    lambda n, style: style(n),
    st.one_of(st.sampled_from([0, 1, 150, 150_000, 1_000_000, 10**25]),
              st.integers(min_value=0, max_value=10**30)),
    st.sampled_from(AMOUNT_STYLES),
)
amount_text = st.sampled_from([big_amounts, big_amounts, amounts,
                               st.text("0123456789.,€ -", max_size=40)]).flatmap(lambda s: s)


# --- Dates ------------------------------------------------------------------------------------

# Each example picks one spot of the calendar, and the date fields of the example make a period
# from there, in the order of the form (start before end): a period at the very end of the
# calendar passes "ends before it starts" and reaches the arithmetic on it (9999-12-01 plus two
# years). Now and then a date is broken or in another notation.
DATE_ANCHORS = [date(9999, 12, 1), date.min, date.max, date(9998, 12, 31), date(1, 1, 31),
                date(2000, 2, 29), date.today()]
DATE_STYLES = [lambda d: d.isoformat(), lambda d: d.isoformat(), lambda d: d.isoformat(),
               lambda d: d.strftime("%d-%m-") + f"{d.year:04d}",
               lambda d: f"{d.day}/{d.month}/{d.year:04d}"]
BROKEN_DATES = ["0000-00-00", "2024-02-30", "31-02-2024", "10000-01-01", "1-1-1", "2026-13-01",
                "29-02-2023", "2026-1-1", "01-01-26", "0001-01-00", "99999999-12-31"]


def _shift(day: date, days: int) -> date:
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return date.max if days > 0 else date.min


@st.composite
def periods(draw, count: int) -> list[date | str]:
    """`count` dates, each on or after the one before, near one spot of the calendar; now and
    then a broken one instead (a string)."""
    day = _shift(draw(st.sampled_from(DATE_ANCHORS)), -draw(st.integers(0, 40)))
    values: list[date | str] = []
    for _ in range(count):
        if draw(st.integers(0, 7)) == 7:
            values.append(draw(st.one_of(st.sampled_from(BROKEN_DATES), text, st.just(""))))
        else:
            values.append(day)
        day = _shift(day, draw(st.sampled_from([0, 1, 30, 364, 365, 731, 732, -1])))
    return values


def written(draw, day: date | str, html_type: str) -> str:
    """A date as typed: a browser sends a date input's value as ISO, a person types anything."""
    if isinstance(day, str):
        return day
    if html_type == "date" and draw(st.integers(0, 3)) > 0:
        return day.isoformat()
    return draw(st.sampled_from(DATE_STYLES))(day)


# --- Text -------------------------------------------------------------------------------------

LENGTHS = [131_073, 51, 101, 201, 255, 501, 2_001, 20_001]
EDGE_TEXT = ["a\x00b", "", " ", "\x00", "\t\r\n", "\u202eevil", "\ufeff", "\U0010fffd",
             "\u0000" * 3, "😀" * 20, "<script>alert(1)</script>", "'; DROP TABLE users; --",
             "%s%n{0}", "{{ 7*7 }}", "../../etc/passwd", "None", "İı", "\x1b[31m", "\\",
             "[x](javascript:alert(1))", "\u0085\u2028\u2029", "0" * 40]
long_text = st.builds(lambda ch, n: ch * n, st.sampled_from(["a", "é", "😀", "\x00", " ", "9"]),
                      st.sampled_from(LENGTHS))
text = st.one_of(st.sampled_from(EDGE_TEXT), st.text(max_size=60), long_text)

emails = st.one_of(
    st.sampled_from(["a@b.c", "x@localhost", "user@[127.0.0.1]", "\x00@example.org",
                     "a" * 64 + "@" + "b" * 185 + ".nl", "Ünïcode@bücher.example",
                     "@example.org", "a@", "a@@b.nl", " a@b.nl ", "A@EXAMPLE.ORG"]),
    st.builds(lambda local, n: f"{local}@{'d' * n}.example", st.text(min_size=1, max_size=20),
              st.sampled_from([1, 60, 250])),
)
passwords = st.one_of(st.sampled_from(["", "wachtwoord", "123456789012", "a" * 1000,
                                       factories.PASSWORD, "\x00" * 12]), text)

KIND_VALUES = {"integer": integer_text, "amount": amount_text, "email": emails,
               "password": passwords, "text": text}


def nasty(kind: str):
    """The trouble of the field's own kind; for text-like kinds now and then any other text
    (a number field gets odd text from its own strategy already)."""
    own = KIND_VALUES.get(kind, text)
    if kind in ("integer", "amount"):
        return own
    return st.sampled_from([own, own, own, text]).flatmap(lambda s: s)


# --- Files ------------------------------------------------------------------------------------

filenames = st.one_of(st.just("bestand.pdf"), st.just(""), st.just("a" * 300 + ".csv"),
                      st.text(st.characters(exclude_characters='\r\n"'), max_size=40))


def pdfs(n: int):
    """Bytes for the certificate upload: mostly real PDFs, some near misses, some noise."""
    real = factories.pdf_bytes(f"fuzz {n}")
    return st.one_of(st.just(real), st.just(b""), st.just(real[: len(real) // 2]),
                     st.binary(max_size=300).map(lambda b: b"%PDF-1.7\n" + b),
                     st.binary(max_size=300))


CSV_HEADER = ["kvk", "leverancier", "referentie", "omschrijving", "startdatum", "einddatum",
              "jaarbedrag"]
CSV_VALID = ["12345678", "Fuzz B.V.", "C-1", "Onderhoud", "01-01-2026", "", "212.500,00"]


@st.composite
def csv_files(draw):
    """The contracts export: a valid file whose cells the draw spoils, or no CSV at all."""
    if draw(st.integers(0, 9)) == 9:
        return draw(st.one_of(st.binary(max_size=300), st.text(max_size=300).map(str.encode)))
    rows = []
    for _ in range(draw(st.integers(1, 3))):
        row = list(CSV_VALID)
        if draw(st.booleans()):
            row[4], row[5] = (written(draw, day, "text") for day in draw(periods(2)))
        for i, name in enumerate(CSV_HEADER):
            if kind_of(name) != "date" and draw(st.integers(0, 2)) == 0:
                row[i] = draw(nasty(kind_of(name)))
        rows.append(row)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=draw(st.sampled_from([";", ","])), lineterminator="\n")
    writer.writerow(CSV_HEADER)
    writer.writerows(rows)
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]))
    return out.getvalue().encode(encoding, errors="replace")
