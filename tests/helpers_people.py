"""Helpers for tests about people: logging in a second browser, following invitation links."""

import re
from urllib.parse import urlsplit

from flask_babel import force_locale
from sqlalchemy import func, select

from portal.audit import AuditEvent
from portal.auth.models import User
from portal.extensions import db
from portal.suppliers.models import Organisation
from tests import factories
from tests.conftest import csrf_token

LINK_RE = re.compile(r"https?://\S+/invitation/\S+")


def log_in(client, user_or_email, password=factories.PASSWORD):
    """Log `client` in through the real login form; returns the response."""
    email = getattr(user_or_email, "email", user_or_email)
    return client.post("/login", data={"email": email, "password": password,
                                       "csrf_token": csrf_token(client, "/login")})


def invitation_path(message) -> str:
    """The path of the invitation link in an e-mail, e.g. `/invitation/<token>`."""
    match = LINK_RE.search(message.get_content())
    assert match, f"no invitation link in:\n{message.get_content()}"
    return urlsplit(match.group(0)).path


def accept_invitation(client, path, password="een-nieuw-sterk-wachtwoord"):
    """Choose a password on the invitation page, as the invited person would."""
    return client.post(path, data={"password": password, "confirm": password,
                                   "csrf_token": csrf_token(client, path)})


def actions(action=None, **where) -> list[AuditEvent]:
    """Audit events, oldest first, optionally of one action and with column filters."""
    stmt = select(AuditEvent).order_by(AuditEvent.id)
    if action is not None:
        stmt = stmt.where(AuditEvent.action == action)
    for column, value in where.items():
        stmt = stmt.where(getattr(AuditEvent, column) == value)
    return list(db.session.scalars(stmt))


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def user_by_email(email) -> User | None:
    return db.session.scalars(select(User).where(User.email == email.lower())).first()


def organisation_by_kvk(kvk) -> Organisation | None:
    return db.session.scalars(select(Organisation).where(Organisation.kvk == kvk)).first()


def dutch(message) -> str:
    """A (lazily translated) message as a Dutch page would show it, outside a request."""
    with force_locale("nl"):
        return str(message)
