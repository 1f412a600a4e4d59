"""Reading the purchasing export, without a database: what is refused whole, what per row."""

from datetime import date

import pytest

from portal.contracts import csvfile

HEADER = "kvk;leverancier;referentie;omschrijving;startdatum;einddatum;jaarbedrag\n"


def rows(text: str, encoding="utf-8") -> list[csvfile.Row]:
    return list(csvfile.read_rows(csvfile.layout(text.encode(encoding))))


def test_a_dutch_row_is_read():
    [row] = rows(HEADER + "12345678;Bouwbedrijf Maas B.V.;C-1;Onderhoud;01-02-2026;;€ 150.000,00\n")
    assert (row.kvk, row.supplier_name, row.reference, row.description) == (
        "12345678", "Bouwbedrijf Maas B.V.", "C-1", "Onderhoud")
    assert row.start_date == date(2026, 2, 1) and row.end_date is None
    assert row.annual_value_cents == 15_000_000 and row.errors == []
    assert row.line == 2


@pytest.mark.parametrize("amount", ["150.000,00", "€ 150.000,00", "150000", "150000.00"])
def test_the_agreed_amount_forms_are_all_150000_euro(amount):
    [row] = rows(HEADER + f'12345678;A;C-1;;2026-01-01;2026-12-31;"{amount}"\n')
    assert row.annual_value_cents == 15_000_000, row.errors


def test_comma_separated_with_bom_and_upper_case_header():
    text = "\ufeffKVK,Leverancier,Referentie,Omschrijving,Startdatum,Einddatum,Jaarbedrag\r\n" \
           '1234567,A,C-1,,1-1-2026,,"212.500,00"\r\n'
    [row] = rows(text)
    assert row.kvk == "01234567"  # the leading zero Excel dropped is back
    assert row.annual_value_cents == 21_250_000 and row.errors == []


def test_columns_in_another_order_are_found_by_name():
    text = "jaarbedrag;kvk;referentie;leverancier;omschrijving;einddatum;startdatum;extra\n" \
           "1000;12345678;R;Naam;;;2026-03-01;genegeerd\n"
    [row] = rows(text)
    assert (row.kvk, row.reference, row.annual_value_cents) == ("12345678", "R", 100_000)


def test_windows_1252_text_is_read_rather_than_refused():
    [row] = rows(HEADER + "12345678;Café Geulle;C-1;;2026-01-01;;1000\n", encoding="cp1252")
    assert row.supplier_name == "Café Geulle"


def test_blank_lines_are_skipped_and_lines_keep_their_numbers():
    found = rows(HEADER + "\n12345678;A;C-1;;2026-01-01;;1000\n;;;;;;\n"
                 "12345678;A;C-2;;2026-01-01;;1\n")
    assert [r.line for r in found] == [3, 5]
    assert csvfile.count_rows(csvfile.layout((HEADER + "\n1;2;3;4;5;6;7\n\n").encode())) == 1


@pytest.mark.parametrize(("cells", "code"), [
    ("123456;A;C;;2026-01-01;;1000", "kvk"),
    ("123456789;A;C;;2026-01-01;;1000", "kvk"),
    ("1234567a;A;C;;2026-01-01;;1000", "kvk"),
    ("12345678;A;;;2026-01-01;;1000", "reference_missing"),
    ("12345678;A;C;;;;1000", "start_missing"),
    ("12345678;A;C;;31-02-2026;;1000", "start_invalid"),
    ("12345678;A;C;;01-01-26;;1000", "start_invalid"),
    ("12345678;A;C;;2026-01-01;morgen;1000", "end_invalid"),
    ("12345678;A;C;;2026-06-01;2026-05-31;1000", "end_before_start"),
    ("12345678;A;C;;2026-01-01;;150,000", "amount:ambiguous"),
    ("12345678;A;C;;2026-01-01;;" + "9" * 17, "amount:too_large"),
    ("12345678;A;C;;2026-01-01;;-5", "amount:negative"),
    ("12345678;A;C;;2026-01-01;;", "amount:empty"),
    ("12345678;A;C;;2026-01-01;;veel", "amount:invalid"),
    ("12345678;A;C;;2026-01-01;;1,001", "amount:ambiguous"),
    ("12345678;A;C", "columns"),
    ("12345678;A;" + "R" * 101 + ";;2026-01-01;;1", "too_long:referentie"),
])
def test_row_errors_are_named(cells, code):
    [row] = rows(HEADER + cells + "\n")
    assert code in row.errors


def test_a_row_ending_on_its_start_day_is_fine():
    [row] = rows(HEADER + "12345678;A;C;;2026-06-01;01-06-2026;1000\n")
    assert row.errors == []


@pytest.mark.parametrize(("data", "code"), [
    (b"", "empty"),
    (b"\n\n  \n", "empty"),
    (b"%PDF-1.7\x00\x01\x02binary", "binary"),
    (b"naam;adres;plaats\nA;B;C\n", "header"),
    (b"12345678;A;C-1;;2026-01-01;;1000\n", "header"),
])
def test_a_file_without_the_header_is_refused_whole(data, code):
    with pytest.raises(csvfile.NotAContractsFile) as refused:
        csvfile.layout(data)
    assert refused.value.code == code


def test_the_missing_columns_are_named():
    with pytest.raises(csvfile.NotAContractsFile) as refused:
        csvfile.layout(b"kvk;leverancier;referentie;startdatum\n")
    assert refused.value.missing == ("omschrijving", "einddatum", "jaarbedrag")


def test_reading_from_an_offset_gives_the_next_chunk():
    text = HEADER + "".join(f"12345678;A;C-{n};;2026-01-01;;{n}\n" for n in range(10))
    file_layout = csvfile.layout(text.encode())
    chunk = list(csvfile.read_rows(file_layout, start=4, limit=3))
    assert [r.reference for r in chunk] == ["C-4", "C-5", "C-6"]
    assert list(csvfile.read_rows(file_layout, start=9, limit=5))[0].reference == "C-9"
    assert list(csvfile.read_rows(file_layout, start=10, limit=5)) == []
