"""What every template can use: labels for stored values, and dates in Dutch time."""

from functools import lru_cache

from flask_babel import format_date, format_datetime, format_decimal, get_locale
from flask_babel import lazy_gettext as _l

from portal import permissions
from portal.auth.forms import LANGUAGE_CHOICES
from portal.auth.models import Role
from portal.formats import format_euro
from portal.labels import LEVEL_LABELS

ROLE_LABELS = {
    Role.SUPPLIER_USER: _l("Medewerker leverancier"),
    Role.SUPPLIER_ADMIN: _l("Beheerder leverancier"),
    Role.STAFF: _l("Medewerker Wonen Limburg"),
}

AUDIT_LABELS = {
    "login": _l("Ingelogd"),
    "logout": _l("Uitgelogd"),
    "login_failed": _l("Inloggen mislukt"),
    "login_throttled": _l("Inloggen geweigerd (te veel pogingen)"),
    "password_changed": _l("Wachtwoord gewijzigd"),
    "password_reset_requested": _l("Nieuw wachtwoord aangevraagd"),
    "password_reset_requested_unknown": _l("Nieuw wachtwoord aangevraagd (onbekend adres)"),
    "password_reset": _l("Nieuw wachtwoord ingesteld"),
    "invitation_sent": _l("Uitnodiging verstuurd"),
    "invitation_accepted": _l("Uitnodiging geaccepteerd"),
    "organisation_created": _l("Leverancier aangemaakt"),
    "user_deactivated": _l("Account gedeactiveerd"),
    "user_activated": _l("Account geactiveerd"),
    "role_changed": _l("Rol gewijzigd"),
    "access_refused": _l("Toegang geweigerd"),
    "staff_created": _l("Medewerker Wonen Limburg aangemaakt"),
    "certificate_uploaded": _l("Certificaat geüpload"),
    "certificate_verified": _l("Certificaat goedgekeurd"),
    "certificate_rejected": _l("Certificaat afgekeurd"),
    "policy_rule_added": _l("Regel toegevoegd"),
    "contract_created": _l("Contract toegevoegd"),
    "contract_changed": _l("Contract gewijzigd"),
    "contracts_import_started": _l("Contractbestand ingelezen"),
    "contracts_import_checked": _l("Contractbestand gecontroleerd"),
    "contracts_imported": _l("Contractbestand verwerkt"),
    "contracts_import_discarded": _l("Contractbestand verworpen"),
    "story_created": _l("Succesverhaal aangemaakt"),
    "story_submitted": _l("Succesverhaal ingediend"),
    "story_withdrawn": _l("Succesverhaal teruggehaald uit de beoordeling"),
    "story_approved": _l("Succesverhaal goedgekeurd en gepubliceerd"),
    "story_rejected": _l("Succesverhaal afgekeurd"),
    "story_unpublished": _l("Succesverhaal offline gehaald"),
}


def local_date(value, format="long"):
    """A calendar date in the page's language, e.g. 3 maart 2027."""
    return _date_in(str(get_locale()), value, format) if value else ""


@lru_cache(maxsize=4096)
def _date_in(locale: str, value, format) -> str:
    # Formatting a date takes Babel longer than the rest of a table row; a page of suppliers
    # shows dozens and the same days recur, so each (language, day, format) is formatted once.
    # format_date reads the request's locale, which is `locale`, the key.
    return format_date(value, format)


def local_datetime(value, format="medium"):
    """A UTC moment shown in Europe/Amsterdam, in the page's language."""
    return format_datetime(value, format) if value else ""


def init_app(app):
    app.jinja_env.filters["datetime"] = local_datetime
    app.jinja_env.filters["date"] = local_date
    app.jinja_env.filters["number"] = format_decimal  # 1.000 in Dutch, 1,000 in English
    app.jinja_env.globals["format_euro"] = format_euro
    app.jinja_env.globals.update(ROLE_LABELS=ROLE_LABELS, AUDIT_LABELS=AUDIT_LABELS,
                                 LEVEL_LABELS=LEVEL_LABELS,
                                 get_locale=get_locale)
    # Templates show what a person may do by asking the predicates the views and services ask.
    app.jinja_env.globals["permissions"] = permissions
    # Every page of a logged-in user carries the logout form, and every page the language
    # switch; base.html writes both out with the session's CSRF token (csrf_token()).
    app.jinja_env.globals["LANGUAGE_CHOICES"] = LANGUAGE_CHOICES
