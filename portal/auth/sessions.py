"""Server-side sessions: the cookie names a session row, so a session can really end.

A cookie copied before logout, a password change or a deactivation names a row that no
longer exists, and so logs in nobody. Sessions end after `SESSION_MAX_AGE` regardless, and
after `SESSION_IDLE_TIMEOUT` without requests unless the user asked to be remembered.
"""

import hashlib
import secrets
from datetime import timedelta

from flask import current_app
from flask_babel import gettext
from sqlalchemy import delete, select, update
from sqlalchemy.orm import joinedload

from portal.auth.models import User, UserSession
from portal.db import utcnow
from portal.extensions import db

# last_seen_at is written at most this often, so that most requests write nothing.
TOUCH_INTERVAL = timedelta(seconds=60)


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def start(user: User, remember: bool) -> str:
    key = secrets.token_urlsafe(32)
    db.session.add(UserSession(user=user, key_hash=_digest(key), remember=remember))
    user.session_key = key
    return key


def end(key: str | None) -> None:
    if key:
        db.session.execute(delete(UserSession).where(UserSession.key_hash == _digest(key)))


def end_all(user: User, keep_key: str | None = None) -> None:
    """End every session of `user`, except the one with `keep_key` if given."""
    stmt = delete(UserSession).where(UserSession.user_id == user.id)
    if keep_key:
        stmt = stmt.where(UserSession.key_hash != _digest(keep_key))
    db.session.execute(stmt)


def is_expired(row: UserSession, now) -> bool:
    cfg = current_app.config
    if now - row.created_at > timedelta(seconds=int(cfg["SESSION_MAX_AGE"])):
        return True
    idle = timedelta(seconds=int(cfg["SESSION_IDLE_TIMEOUT"]))
    return not row.remember and now - row.last_seen_at > idle


def load(key: str) -> User | None:
    # The session, its user and the user's organisation (every supplier page shows its name)
    # in one statement: this runs before every page.
    row = db.session.scalars(
        select(UserSession).where(UserSession.key_hash == _digest(key))
        .options(joinedload(UserSession.user).joinedload(User.organisation))
    ).one_or_none()
    if row is None:
        return None
    now = utcnow()
    if is_expired(row, now) or not row.user.active:
        db.session.delete(row)
        db.session.commit()
        return None
    if now - row.last_seen_at > TOUCH_INTERVAL:
        # Committed at once, at the start of the request: the view's own commit may never come.
        db.session.execute(
            update(UserSession).where(UserSession.id == row.id).values(last_seen_at=now)
        )
        db.session.commit()
    user = row.user
    user.session_key = key
    return user


def init_login_manager(login_manager):
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Log in om deze pagina te bekijken."
    login_manager.login_message_category = "info"
    login_manager.localize_callback = gettext
    login_manager.session_protection = None  # the server-side session row does this job
    login_manager.user_loader(load)
