"""Which language and time zone a page is shown in."""

from flask import current_app, has_request_context, session
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
