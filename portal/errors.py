"""Error pages in the portal's own layout; a 500 shows an id to quote, never a traceback."""

import logging
import uuid

from flask import render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import Forbidden, HTTPException, InternalServerError

from portal import audit
from portal.exceptions import PermissionDenied
from portal.extensions import db

log = logging.getLogger(__name__)

TITLES = {
    400: _l("Dit verzoek klopt niet"),
    403: _l("Geen toegang"),
    404: _l("Pagina niet gevonden"),
    405: _l("Dit verzoek klopt niet"),
    413: _l("Bestand te groot"),
    429: _l("Te veel pogingen"),
    500: _l("Er ging iets mis"),
}
EXPLANATIONS = {
    400: _l("Het formulier was verlopen of onvolledig. Ga terug, laad de pagina opnieuw en "
            "probeer het nog eens. Er is niets gewijzigd."),
    403: _l("U heeft geen toegang tot deze pagina. Denkt u dat dit niet klopt, neem dan contact "
            "op met team Inkoopadvies van Wonen Limburg."),
    404: _l("Deze pagina bestaat niet (meer). Controleer het adres of ga naar het overzicht."),
    405: _l("Deze pagina kan zo niet worden gebruikt. Er is niets gewijzigd."),
    413: _l("Het bestand is groter dan toegestaan. Er is niets opgeslagen."),
    429: _l("Er zijn te veel mislukte pogingen gedaan vanaf uw adres. Wacht een kwartier en "
            "probeer het dan opnieuw."),
    500: _l("Er ging aan onze kant iets mis. Er is niets opgeslagen van wat u net deed. Probeer "
            "het later opnieuw; blijft het misgaan, noem dan deze foutcode aan team "
            "Inkoopadvies."),
}


def render_error(code: int, error_id: str | None = None):
    return render_template("errors/error.html", code=code, title=TITLES[code],
                           explanation=EXPLANATIONS[code], error_id=error_id), code


def init_app(app):
    @app.errorhandler(HTTPException)
    def http_error(error):
        code = error.code if error.code in TITLES else None
        if code is None:
            return error
        if code == 403:
            _record_refusal()
        return render_error(code)

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        db.session.rollback()
        return render_error(400)

    @app.errorhandler(PermissionDenied)
    def permission_denied(error):
        return http_error(Forbidden())

    @app.errorhandler(InternalServerError)
    def unexpected(error):
        error_id = uuid.uuid4().hex[:12]
        original = getattr(error, "original_exception", None) or error
        log.error("Unhandled error %s on %s %s", error_id, request.method, request.path,
                  exc_info=original)
        db.session.rollback()
        return render_error(500, error_id)


def _record_refusal():
    """Access refused is audited, in a transaction of its own: nothing else of the request."""
    db.session.rollback()
    actor = current_user if current_user.is_authenticated else None
    audit.record("access_refused", actor=actor, path=request.path, method=request.method)
    db.session.commit()
