"""Logging in and out, invitations, password resets and the user's own account."""

from flask import Blueprint

bp = Blueprint("auth", __name__)

from portal.auth import routes  # noqa: E402, F401
