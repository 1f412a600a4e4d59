"""A supplier's own organisation: its colleagues and, later, its contracts."""

from flask import Blueprint

bp = Blueprint("suppliers", __name__)

from portal.suppliers import routes  # noqa: E402, F401
