"""Which language and time zone a page is shown in, and its translations, found once."""

import flask_babel
from flask import current_app, g, has_request_context, session
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


# Where Flask-Babel (4.0) keeps a context's locale, and the name of the translations there
# that its refresh() deletes and force_locale() clears and restores.
_STATE, _KEPT = "_flask_babel", "babel_translations"


class Domain(flask_babel.Domain):
    """Flask-Babel's message domain, whose translations are looked up once per context.

    Flask-Babel finds them again for every string (context, domain, locale, catalogue: some
    15 microseconds), and a page asks for a hundred and more. They are kept beside the
    context's locale, where a change of language (refresh, force_locale) drops them too.
    """

    def get_translations(self):
        if not g:
            return super().get_translations()
        kept = getattr(getattr(g, _STATE, None), _KEPT, None)
        if kept is None:
            kept = super().get_translations()  # makes Flask-Babel's state if there is none
            setattr(getattr(g, _STATE), _KEPT, kept)
        return kept


class Babel(flask_babel.Babel):
    """Flask-Babel with the domain above, for gettext in code, lazy strings and templates."""

    def init_app(self, app, *args, **kwargs):
        super().init_app(app, *args, **kwargs)
        domain = self.domain_instance = Domain(domain=app.config.get("BABEL_DOMAIN",
                                                                     "messages"))
        app.jinja_env.install_gettext_callables(
            gettext=lambda s: domain.get_translations().ugettext(s),
            ngettext=lambda s, p, n: domain.get_translations().ungettext(s, p, n),
            pgettext=lambda c, s: domain.get_translations().upgettext(c, s),
            npgettext=lambda c, s, p, n: domain.get_translations().unpgettext(c, s, p, n),
            newstyle=True)
