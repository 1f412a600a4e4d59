"""Contracts: staff keep them by hand or import them from the purchasing system's export."""

from flask import Blueprint

bp = Blueprint("contracts", __name__)

from portal.contracts import routes  # noqa: E402,F401
