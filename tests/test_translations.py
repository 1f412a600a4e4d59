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


def test_translations_found_once_per_request_still_follow_a_change_of_language(app):
    """Translations are kept per request (see portal.i18n.Domain); force_locale and refresh
    switch them, in code, in lazy strings and in templates alike."""
    from flask import render_template_string
    from flask_babel import force_locale, gettext, lazy_gettext, refresh

    label = lazy_gettext("Zoek")
    with app.test_request_context("/"):
        assert (gettext("Zoek"), str(label)) == ("Zoek", "Zoek")
        assert render_template_string("{{ _('Zoek') }}") == "Zoek"
        with force_locale("en"):
            assert (gettext("Zoek"), str(label)) == ("Search", "Search")
            assert render_template_string("{{ _('Zoek') }}") == "Search"
            assert render_template_string(
                "{{ ngettext('%(num)d verhaal gevonden.', '%(num)d verhalen gevonden.', 2) }}"
            ) == "2 stories found."
        assert gettext("Zoek") == "Zoek"
        from flask import session
        session["lang"] = "en"
        refresh()
        assert (gettext("Zoek"), str(label)) == ("Search", "Search")
