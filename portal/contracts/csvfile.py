"""Reading the purchasing system's contracts export, row by row, without any database.

The export passes through Excel on its way to us, so this is forgiving where Excel is known to
change things (a BOM, `,` instead of `;`, Windows-1252 text, a KvK number that lost its leading
zero, Dutch dates and amounts) and strict where a guess could be wrong (an amount that reads two
ways, a two-digit year): such a row is an error the person importing sees and corrects.
"""

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from portal import formats, pso

COLUMNS = ("kvk", "leverancier", "referentie", "omschrijving", "startdatum", "einddatum",
           "jaarbedrag")
MAX_LENGTHS = {"leverancier": 200, "referentie": 100, "omschrijving": 500}

# Python's csv module refuses a field over 131,072 characters with an error that would end the
# whole file; the file itself is at most 10 MB, so with this limit every field is read and an
# overlong one becomes its row's error (MAX_LENGTHS, or the column's own check).
csv.field_size_limit(max(csv.field_size_limit(), 16 * 1024 * 1024))


class NotAContractsFile(ValueError):
    """The file as a whole is not the export: `code` says why, `missing` which columns."""

    def __init__(self, code: str, missing: tuple[str, ...] = ()) -> None:
        super().__init__(code)
        self.code = code
        self.missing = missing


@dataclass
class Row:
    """One data row: the values read from it, and the problems found, as codes."""

    line: int
    kvk: str = ""
    supplier_name: str = ""
    reference: str = ""
    description: str = ""
    start_date: date | None = None
    end_date: date | None = None
    annual_value_cents: int | None = None
    errors: list[str] = field(default_factory=list)
    # The verdict, once compared with the database (see portal.contracts.importing).
    kind: str | None = None
    changes: list[str] = field(default_factory=list)
    new_supplier: bool = False
    contract_id: int | None = None

    @property
    def key(self) -> tuple[str, str]:
        return self.kvk, self.reference


@dataclass(frozen=True)
class Layout:
    """How to read the file: its text, separator, and which position holds which column."""

    text: str
    delimiter: str
    positions: dict[str, int]


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM) as agreed; Windows-1252, which Dutch Excel writes, else."""
    if b"\x00" in data:  # no text export holds a NUL; the csv module cannot read one either
        raise NotAContractsFile("binary")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def layout(data: bytes) -> Layout:
    """Find the header row and refuse the whole file when it is not there."""
    text = decode(data)
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    if not first_line:
        raise NotAContractsFile("empty")
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    header = next(csv.reader([first_line], delimiter=delimiter))
    names = [name.strip().strip("\ufeff").lower() for name in header]
    missing = tuple(column for column in COLUMNS if column not in names)
    if missing:
        raise NotAContractsFile("header", missing)
    return Layout(text, delimiter, {column: names.index(column) for column in COLUMNS})


def read_rows(file_layout: Layout, start: int = 0, limit: int | None = None) -> Iterator[Row]:
    """The data rows from number `start` (0 is the first after the header), read and checked.

    Blank lines are skipped and not counted. `line` is the line in the file as a spreadsheet
    numbers it, so that the person importing can find a row with an error.
    """
    reader = csv.reader(io.StringIO(file_layout.text), delimiter=file_layout.delimiter)
    number = -1
    header_seen = False
    for cells in reader:
        if not any(cell.strip() for cell in cells):
            continue
        if not header_seen:
            header_seen = True
            continue
        number += 1
        if number < start:
            continue
        if limit is not None and number >= start + limit:
            return
        yield read_row(cells, file_layout.positions, reader.line_num)


def count_rows(file_layout: Layout) -> int:
    """The number of data rows; reading the whole file once here means that a file the csv
    module cannot read is refused whole, before any row is checked."""
    reader = csv.reader(io.StringIO(file_layout.text), delimiter=file_layout.delimiter)
    try:
        return max(0, sum(1 for cells in reader if any(cell.strip() for cell in cells)) - 1)
    except csv.Error as error:
        raise NotAContractsFile("unreadable") from error


def read_row(cells: list[str], positions: dict[str, int], line: int) -> Row:
    values = {column: (cells[index].strip() if index < len(cells) else "")
              for column, index in positions.items()}
    row = Row(line=line, supplier_name=values["leverancier"], reference=values["referentie"],
              description=values["omschrijving"])
    if len(cells) < len(positions):
        row.errors.append("columns")
    kvk = pso.normalise_kvk(values["kvk"])
    row.kvk = kvk or values["kvk"][:40]
    if kvk is None:
        row.errors.append("kvk")
    if not row.reference:
        row.errors.append("reference_missing")
    for column, limit in MAX_LENGTHS.items():
        if len(values[column]) > limit:
            row.errors.append(f"too_long:{column}")
    row.supplier_name = row.supplier_name[:MAX_LENGTHS["leverancier"]]
    row.reference = row.reference[:MAX_LENGTHS["referentie"]]
    row.description = row.description[:MAX_LENGTHS["omschrijving"]]
    row.start_date = _date(values["startdatum"], "start", row.errors, required=True)
    row.end_date = _date(values["einddatum"], "end", row.errors, required=False)
    if row.start_date and row.end_date and row.end_date < row.start_date:
        row.errors.append("end_before_start")
    try:
        row.annual_value_cents = formats.parse_euro(values["jaarbedrag"])
    except formats.AmountError as error:
        row.errors.append(f"amount:{error.code}")
    return row


def _date(text: str, which: str, errors: list[str], *, required: bool) -> date | None:
    if not text:
        if required:
            errors.append(f"{which}_missing")
        return None
    try:
        return formats.parse_date(text)
    except formats.DateOutOfRange:
        errors.append(f"{which}_out_of_range")
        return None
    except ValueError:
        errors.append(f"{which}_invalid")
        return None
