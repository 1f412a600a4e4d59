"""Money and dates as Dutch people and spreadsheets write them, and as the portal shows money.

Kept apart from the PSO rules in portal.pso: these are about reading text, not about who needs
which certificate, and the contracts import, the forms and the pages all use them.
"""

import re
from datetime import date


class AmountError(ValueError):
    """An amount that cannot be read; `code` says why, for a translated message:
    "empty", "negative", "too_many_decimals", "too_large", "ambiguous" or "invalid"."""

    def __init__(self, code: str, text: str) -> None:
        super().__init__(f"{code}: {text!r}")
        self.code = code
        self.text = text


class AmbiguousAmount(AmountError):
    """An amount that can be read two ways, such as "1,500": English thousands or Dutch
    decimals?"""

    def __init__(self, text: str) -> None:
        super().__init__("ambiguous", text)


# The largest amount read: just under a trillion euros. Far above any contract, far below what
# a 64-bit column holds, so that summing many of them in SQL cannot overflow either.
MAX_CENTS = 10**14 - 1


def format_euro(cents: int) -> str:
    """Dutch style, as the portal shows money: "€ 150.000,00", "€ 0,05", "-€ 12,50"."""
    sign = "-" if cents < 0 else ""
    euros, rest = divmod(abs(cents), 100)
    return f"{sign}€ {euros:,}".replace(",", ".") + f",{rest:02d}"


_CURRENCY_PREFIX = re.compile(r"(?:€|euro?)", re.IGNORECASE)  # "€ 12,50", "EUR 12,50"
_CURRENCY_SUFFIX = re.compile(r"(?:€|euro?)$", re.IGNORECASE)  # "12,50 €"
_NUMBER = re.compile(r"[0-9](?:[0-9., ]*[0-9])?")


def parse_euro(text: str) -> int:
    """An amount in euros, as a purchasing export or a person writes it, in cents.

    "150.000,00", "€ 150.000,00", "150000", "150000.00", "150 000,00" and "150.000,-" are all
    EUR 150,000, and so is "150.000": a dot followed by exactly three digits groups thousands,
    as Dutch people write it, since money has no third decimal. Dots, commas and spaces may group
    thousands; when both a dot and a comma occur, the last one is the decimal separator, so
    English "1,234.56" is read too. One comma followed by exactly three digits ("1,500") is
    still read two ways (English thousands, or a Dutch decimal comma), so it raises
    AmbiguousAmount rather than guessing a factor 1000 wrong. Negative amounts, more than two
    decimals, amounts above MAX_CENTS and anything else raise AmountError (a ValueError).
    """
    s = re.sub(r"\s+", " ", text or "").strip()
    if not s:
        raise AmountError("empty", text)
    negative = s.startswith("-")
    s = s.removeprefix("-").lstrip()
    if currency := _CURRENCY_PREFIX.match(s) or _CURRENCY_SUFFIX.search(s):
        s = (s[:currency.start()] + s[currency.end():]).strip()
    if negative or s.startswith("-"):
        raise AmountError("negative", text)
    for whole_euros in (",--", ",-"):  # Dutch for ",00"
        if s.endswith(whole_euros):
            s = s.removesuffix(whole_euros) + ",00"
            break
    if not _NUMBER.fullmatch(s):
        raise AmountError("invalid", text)
    whole, fraction, grouping = _split_amount(s, text)
    if not _valid_grouping(whole, grouping):
        raise AmountError("invalid", text)
    if len(fraction) > 2:
        raise AmountError("too_many_decimals", text)
    digits = whole.replace(grouping, "") if grouping else whole
    if len(digits.lstrip("0")) > 12:  # checked before int(): a long run costs no work
        raise AmountError("too_large", text)
    cents = int(digits) * 100 + int(fraction.ljust(2, "0"))
    if cents > MAX_CENTS:
        raise AmountError("too_large", text)
    return cents


def _split_amount(s: str, text: str) -> tuple[str, str, str | None]:
    """(whole euros with grouping, decimal digits, the grouping character or None)."""
    marks = [ch for ch in s if ch in ".,"]
    if not marks:
        return s, "", " " if " " in s else None
    if len(set(marks)) == 2:  # both: the last one is the decimal separator
        decimal = marks[-1]
        if s.count(decimal) > 1 or " " in s:
            raise AmountError("invalid", text)
        whole, fraction = s.split(decimal)
        return whole, fraction, "," if decimal == "." else "."
    mark = marks[0]
    if len(marks) > 1:  # the same mark more than once only groups thousands
        if " " in s:
            raise AmountError("invalid", text)
        return s, "", mark
    whole, fraction = s.split(mark)
    if " " in fraction:
        raise AmountError("invalid", text)
    if " " in whole:  # spaces group the thousands, so the mark is the decimal separator
        return whole, fraction, " "
    if len(fraction) == 3 and len(whole) <= 3 and not whole.startswith("0"):
        if mark == ".":  # "150.000": thousands, as money has no third decimal
            return s, "", "."
        raise AmbiguousAmount(text)
    return whole, fraction, None


def _valid_grouping(whole: str, grouping: str | None) -> bool:
    """Groups of thousands: a first group of 1 to 3 digits, then groups of exactly 3."""
    if grouping is None:
        return whole.isdigit()
    first, *rest = whole.split(grouping)
    return (1 <= len(first) <= 3 and first.isdigit()
            and all(len(group) == 3 and group.isdigit() for group in rest))


# The days the portal takes from a form or a file. Certificates, contracts and rules live in
# decades, not millennia; a year such as 9999 is a typing error (or an "open end" marker), and
# the day-by-day arithmetic of the obligation (a year on, a day after) must stay inside the
# calendar that Python's dates can hold.
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2199, 12, 31)


class DateOutOfRange(ValueError):
    """A real date, but outside EARLIEST_DATE..LATEST_DATE."""


def check_date_range(day: date) -> date:
    """`day` itself, or DateOutOfRange when the portal does not take it."""
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise DateOutOfRange(f"outside {EARLIEST_DATE.year}-{LATEST_DATE.year}: {day}")
    return day


_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
_DUTCH_DATE = re.compile(r"([0-9]{1,2})([-/.])([0-9]{1,2})\2([0-9]{4})")


def parse_date(text: str) -> date:
    """A date written "jjjj-mm-dd" (ISO) or Dutch "dd-mm-jjjj", also "d-m-jjjj", "dd/mm/jjjj"
    and "dd.mm.jjjj". Raises ValueError for anything else, impossible dates (31-02-2024) and
    two-digit years, whose century would be a guess; DateOutOfRange (a ValueError) for a real
    date the portal does not take (see check_date_range).
    """
    s = (text or "").strip()
    if match := _ISO_DATE.fullmatch(s):
        year, month, day = match.group(1, 2, 3)
    elif match := _DUTCH_DATE.fullmatch(s):
        day, month, year = match.group(1, 3, 4)
    else:
        raise ValueError(f"not a date: {text!r}")
    try:
        parsed = date(int(year), int(month), int(day))
    except ValueError:
        raise ValueError(f"no such date: {text!r}") from None
    return check_date_range(parsed)
