"""PSO certificates: suppliers upload them, staff verify or reject them."""

from flask import Blueprint

bp = Blueprint("certificates", __name__)

from portal.certificates import routes  # noqa: E402, F401
