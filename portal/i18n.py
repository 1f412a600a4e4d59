"""Which language and time zone a page is shown in."""

from flask import current_app, g, has_request_context, session
from flask_babel import get_translations
from flask_babel.speaklater import LazyString
from flask_login import current_user


def select_locale() -> str:
    """Dutch first: a user's own choice, then the choice made before logging in, then Dutch."""
    languages = current_app.config["LANGUAGES"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    if has_request_context():  # commands and cron jobs have no session
        chosen = session.get("lang")
        if chosen in languages:
            return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    # Wonen Limburg works in one time zone; every date is shown in it.
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]


def translations():
    """Flask-Babel's translations for this request, looked up once per locale.

    Flask-Babel looks the request's context, domain and locale up again for every string; a
    page translates dozens, so the templates' `_()` asks this instead. The answer is kept with
    the locale it was found for: `force_locale` (mail in the recipient's language) and
    `flask_babel.refresh()` replace that locale, and so the translations are looked up anew.
    """
    state = g.get("_flask_babel") if g else None
    if state is None:
        return get_translations()
    key = (getattr(state, "babel_locale", None), getattr(state, "babel_domain", None))
    kept = getattr(state, "portal_translations", None)
    if kept is not None and key[0] is not None and kept[0] == key:
        return kept[1]
    found = get_translations()
    state.portal_translations = ((getattr(state, "babel_locale", None),
                                  getattr(state, "babel_domain", None)), found)
    return found


def gettext(string: str, **variables) -> str:
    """flask_babel.gettext, through translations(): for the labels and explanations a page
    shows many of (every row of the staff overview names a status and two levels)."""
    translated = translations().ugettext(string)
    return translated % variables if variables else translated


def lazy_gettext(string: str, **variables) -> LazyString:
    """flask_babel.lazy_gettext, translated through gettext() above when shown."""
    return LazyString(gettext, string, **variables)


def init_app(app) -> None:
    """The templates' gettext callables, as Flask-Babel installs them, through translations()."""
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: translations().ugettext(s),
        ngettext=lambda s, p, n: translations().ungettext(s, p, n),
        pgettext=lambda c, s: translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: translations().unpgettext(c, s, p, n),
        newstyle=True,
    )
