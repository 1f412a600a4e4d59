"""PSO certificates: suppliers upload them, staff verify or reject them."""

from flask import Blueprint

bp = Blueprint("certificates", __name__)


@bp.record_once
def _template_globals(state):
    # The staff supplier page (another blueprint) lists certificates too.
    from portal.certificates.services import STATE_LABELS

    state.app.jinja_env.globals.update(CERTIFICATE_STATE_LABELS=STATE_LABELS)


from portal.certificates import routes  # noqa: E402, F401
