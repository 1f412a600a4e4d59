"""The templates' `_()` keeps its translations per request: it must still follow the locale."""

from flask import render_template_string, session
from flask_babel import force_locale, refresh

TEMPLATE = '{{ _("Uitloggen") }}'


def test_a_template_string_follows_force_locale_and_back(app):
    with app.test_request_context("/"):
        assert render_template_string(TEMPLATE) == "Uitloggen"
        with force_locale("en"):  # mail in the recipient's language, within a Dutch page
            assert render_template_string(TEMPLATE) == "Log out"
        assert render_template_string(TEMPLATE) == "Uitloggen"


def test_a_template_string_follows_a_language_chosen_during_the_request(app):
    with app.test_request_context("/"):
        assert render_template_string(TEMPLATE) == "Uitloggen"
        session["lang"] = "en"
        refresh()
        assert render_template_string(TEMPLATE) == "Log out"
