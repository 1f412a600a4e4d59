"""Every user-visible string is translated: English is complete and the catalogue current."""

from pathlib import Path

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po
from jinja2.ext import babel_extract

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "portal" / "translations" / "en" / "LC_MESSAGES" / "messages.po"


def catalogue():
    with CATALOGUE.open("rb") as fh:
        return read_po(fh)


def extracted_ids() -> set[str]:
    keywords = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}
    found = set()
    for folder, method in (("portal", "python"), ("templates", babel_extract)):
        for _file, _line, message, _comments, _context in extract_from_dir(
            ROOT / folder, [("**.py", "python"), ("**.html", method)], keywords=keywords,
        ):
            found.add(message if isinstance(message, str) else message[0])
    return found


def test_every_message_has_an_english_translation():
    missing = [m.id for m in catalogue() if m.id and (not m.string or m.fuzzy)]
    assert missing == []


def test_catalogue_holds_every_string_in_the_code():
    known = {m.id if isinstance(m.id, str) else m.id[0] for m in catalogue() if m.id}
    new = extracted_ids() - known
    assert new == set(), "run `make extract-messages` and translate the new entries"


def test_every_plural_message_has_each_english_form():
    """A plural entry with an empty form would show the Dutch text on English pages."""
    missing = [m.id[0] for m in catalogue() if m.id and m.pluralizable and not all(m.string)]
    assert missing == []
