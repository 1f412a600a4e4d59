"""A supplier's PSO obligation: which level, why, and until when it is covered."""

from flask import Blueprint

bp = Blueprint("obligations", __name__)

# compliance: its ORM events keep the stored statuses in step from the app's first commit.
from portal.obligations import compliance, routes  # noqa: E402, F401
