"""Single-use, signed, expiring links for invitations and password resets.

The link carries a signed (token id, secret) pair; the database keeps only the secret's
hash and whether it was used. The signature refuses tampered links before any query, the
row makes a link single-use and lets a newer link replace an older one.
"""

import hashlib
import hmac
import secrets
from datetime import timedelta

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import update

from portal.auth.models import Token, TokenPurpose
from portal.db import utcnow
from portal.extensions import db

MAX_AGE_SETTING = {
    TokenPurpose.INVITATION: "INVITATION_MAX_AGE",
    TokenPurpose.PASSWORD_RESET: "PASSWORD_RESET_MAX_AGE",
}


class InvalidToken(Exception):
    """The link is unknown, tampered with, expired or already used."""


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"portal-{purpose}")


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def max_age(purpose: str) -> int:
    return int(current_app.config[MAX_AGE_SETTING[purpose]])


def issue(user, purpose: str) -> str:
    """A new link token for `user`; earlier unused ones of the same purpose stop working."""
    now = utcnow()
    db.session.execute(
        update(Token)
        .where(Token.user_id == user.id, Token.purpose == purpose, Token.used_at.is_(None))
        .values(used_at=now)
    )
    secret = secrets.token_urlsafe(32)
    token = Token(
        user=user,
        purpose=purpose,
        secret_hash=_digest(secret),
        created_at=now,
        expires_at=now + timedelta(seconds=max_age(purpose)),
    )
    db.session.add(token)
    db.session.flush()
    return _serializer(purpose).dumps({"id": token.id, "s": secret})


def peek(purpose: str, value: str) -> Token:
    """The token row behind a valid, unused link; raises InvalidToken otherwise."""
    try:
        data = _serializer(purpose).loads(value, max_age=max_age(purpose))
        token_id, secret = int(data["id"]), str(data["s"])
    except (BadSignature, KeyError, TypeError, ValueError) as exc:
        raise InvalidToken from exc
    token = db.session.get(Token, token_id)
    if (
        token is None
        or token.purpose != purpose
        or not hmac.compare_digest(token.secret_hash, _digest(secret))
        or token.used_at is not None
        or token.expires_at <= utcnow()
    ):
        raise InvalidToken
    return token


def consume(purpose: str, value: str) -> Token:
    """Mark the link used, atomically: of two simultaneous uses, only one succeeds."""
    token = peek(purpose, value)
    result = db.session.execute(
        update(Token)
        .where(Token.id == token.id, Token.used_at.is_(None))
        .values(used_at=utcnow())
    )
    if result.rowcount != 1:
        raise InvalidToken
    return token
