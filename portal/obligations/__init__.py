"""A supplier's PSO obligation: which level, why, and until when it is covered."""

from flask import Blueprint

bp = Blueprint("obligations", __name__)

from portal.obligations import routes  # noqa: E402, F401
