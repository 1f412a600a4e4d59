"""Money and dates as purchasing exports and people write them (portal.formats)."""

from datetime import date

import pytest

from portal.formats import (
    MAX_CENTS,
    AmbiguousAmount,
    AmountError,
    format_euro,
    parse_date,
    parse_euro,
)


@pytest.mark.parametrize("cents, text", [
    (15_000_000, "€ 150.000,00"),
    (5, "€ 0,05"),
    (0, "€ 0,00"),
    (100, "€ 1,00"),
    (99_999, "€ 999,99"),
    (100_000, "€ 1.000,00"),
    (123_456_789, "€ 1.234.567,89"),
    (-1_250, "-€ 12,50"),
    (-5, "-€ 0,05"),
])
def test_format_euro(cents, text):
    assert format_euro(cents) == text


@pytest.mark.parametrize("text, cents", [
    # the forms DESIGN.md names, all EUR 150,000
    ("150.000,00", 15_000_000),
    ("€ 150.000,00", 15_000_000),
    ("150000", 15_000_000),
    ("150000.00", 15_000_000),
    # currency signs and spaces
    ("€150000", 15_000_000),
    ("EUR 150.000,00", 15_000_000),
    ("eur150000", 15_000_000),
    ("Euro 12,50", 1_250),
    ("150.000,00 €", 15_000_000),
    (" 150 000,00 ", 15_000_000),
    ("150 000", 15_000_000),
    ("150\u00a0000,00", 15_000_000),  # a non-breaking space from a spreadsheet
    ("\u20ac\u00a0150.000,00", 15_000_000),
    # Dutch decimals
    ("12,50", 1_250),
    ("12,5", 1_250),
    ("1.234,5", 123_450),
    ("0,05", 5),
    ("150.000,-", 15_000_000),
    ("150,-", 15_000),
    ("€ 1.500,--", 150_000),
    # a dot with one or two decimals and no other separator is a decimal point
    ("12.50", 1_250),
    ("1.5", 150),
    # English style is unambiguous when both separators appear
    ("1,234.56", 123_456),
    ("1,234,567.89", 123_456_789),
    # the same mark twice can only group thousands
    ("1.234.567", 123_456_700),
    ("1,234,567", 123_456_700),
    ("1.234.567,89", 123_456_789),
    # more than three digits before the mark: no grouping, so a decimal mark
    ("1500,5", 150_050),
    ("0", 0),
    ("007", 700),
])
def test_parse_euro(text, cents):
    assert parse_euro(text) == cents


@pytest.mark.parametrize("text, cents", [
    ("150.000", 15_000_000),
    ("€ 150.000", 15_000_000),
    ("1.500", 150_000),
    ("999.999", 99_999_900),
    ("150.000.000", 15_000_000_000),
])
def test_a_dot_before_three_digits_groups_thousands(text, cents):
    """Dutch people write EUR 150,000 as 150.000, and money has no third decimal."""
    assert parse_euro(text) == cents


@pytest.mark.parametrize("text", ["999.999.999.999,99", "999999999999,99"])
def test_the_largest_amount_is_read(text):
    assert parse_euro(text) == MAX_CENTS


@pytest.mark.parametrize("text", ["1.000.000.000.000", "1000000000000", "9" * 17, "9" * 400,
                                  "0" * 5 + "1" + "0" * 20])
def test_an_amount_beyond_what_is_kept_is_refused(text):
    with pytest.raises(AmountError) as caught:
        parse_euro(text)
    assert caught.value.code == "too_large"


@pytest.mark.parametrize("text", ["150,000", "1,500", "€ 150,000", "999,999", "12,505"])
def test_an_amount_read_two_ways_is_refused(text):
    with pytest.raises(AmbiguousAmount) as caught:
        parse_euro(text)
    assert caught.value.code == "ambiguous"
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize("text, code", [
    ("", "empty"),
    ("   ", "empty"),
    ("-12,50", "negative"),
    ("- 12,50", "negative"),
    ("-€ 12,50", "negative"),
    ("€ -12,50", "negative"),
    ("1234,505", "too_many_decimals"),
    ("12.5055", "too_many_decimals"),
    ("1.234,567", "too_many_decimals"),
    ("1500.000", "too_many_decimals"),  # cannot be grouping: the first group is too long
    ("0.500", "too_many_decimals"),  # cannot be grouping: a group of thousands starts with 0
    ("150 000.000", "too_many_decimals"),
    ("abc", "invalid"),
    ("€", "invalid"),
    ("12,50-", "invalid"),
    ("+12,50", "invalid"),
    ("1e5", "invalid"),
    ("12,", "invalid"),
    (",50", "invalid"),
    ("12.34.56", "invalid"),  # groups of two
    ("1.2345.678", "invalid"),
    ("1,234.567,89", "invalid"),  # the decimal mark twice
    ("1.234,567.89", "invalid"),
    ("1 234.567,89", "invalid"),  # two kinds of grouping
    ("1 234.567.890", "invalid"),
    ("1 50000", "invalid"),
    ("12,5 0", "invalid"),
    ("١٥٠٠٠٠", "invalid"),  # Arabic-Indic digits
    ("$ 150", "invalid"),
    ("150 USD", "invalid"),
    ("€ 150 €", "invalid"),
])
def test_unreadable_amounts_are_refused(text, code):
    with pytest.raises(AmountError) as caught:
        parse_euro(text)
    assert caught.value.code == code
    assert isinstance(caught.value, ValueError)
    assert not isinstance(caught.value, AmbiguousAmount)


@pytest.mark.parametrize("cents", [0, 5, 1_250, 14_999_999, 15_000_000, 123_456_789])
def test_what_the_portal_shows_it_reads_back(cents):
    assert parse_euro(format_euro(cents)) == cents


@pytest.mark.parametrize("text, expected", [
    ("01-03-2024", date(2024, 3, 1)),
    ("1-3-2024", date(2024, 3, 1)),
    ("01/03/2024", date(2024, 3, 1)),
    ("1/3/2024", date(2024, 3, 1)),
    ("01.03.2024", date(2024, 3, 1)),
    ("31-12-2025", date(2025, 12, 31)),
    ("29-02-2024", date(2024, 2, 29)),
    ("2024-03-01", date(2024, 3, 1)),
    ("2024-3-1", date(2024, 3, 1)),
    (" 2024-03-01 ", date(2024, 3, 1)),
])
def test_parse_date(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", [
    "", "   ", "gisteren",
    "31-02-2024", "29-02-2023", "00-01-2024", "01-13-2024", "2024-02-30", "2024-13-01",
    "01-03-24",  # a two-digit year: which century?
    "01-03/2024",  # mixed separators
    "2024/03/01", "20240301", "01032024",
    "2024-03-01 00:00:00", "2024-03-01T00:00",
    "001-03-2024", "01-003-2024", "0000-01-01",
    "٠١-٠٣-٢٠٢٤",  # Arabic-Indic digits
])
def test_unreadable_dates_are_refused(text):
    with pytest.raises(ValueError):
        parse_date(text)
