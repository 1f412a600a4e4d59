"""Accounts, their sessions, single-use tokens and login attempts."""

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import UTCDateTime, utcnow
from portal.extensions import db


class Role(enum.StrEnum):
    SUPPLIER_USER = "supplier_user"
    SUPPLIER_ADMIN = "supplier_admin"
    STAFF = "staff"


class User(db.Model):
    """A person who logs in. Staff belong to Wonen Limburg and so to no supplier."""

    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(
            "(role = 'staff' AND organisation_id IS NULL)"
            " OR (role <> 'staff' AND organisation_id IS NOT NULL)",
            name="staff_without_organisation",
        ),
        CheckConstraint(
            "role IN ('supplier_user', 'supplier_admin', 'staff')", name="role_known"
        ),
        CheckConstraint("NOT is_moderator OR role = 'staff'", name="moderator_is_staff"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stored lower-cased, so the unique constraint is case-insensitive.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    is_moderator: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    # None until the invitation is accepted: such an account cannot log in.
    password_hash: Mapped[str | None] = mapped_column(String(255))
    locale: Mapped[str] = mapped_column(String(5), default="nl")
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    organisation: Mapped["Organisation | None"] = relationship(  # noqa: F821
        back_populates="users"
    )

    # Set at login and by the session loader: the key of the session this request runs in.
    session_key = None

    @property
    def is_staff(self) -> bool:
        return self.role == Role.STAFF

    @property
    def is_supplier_admin(self) -> bool:
        return self.role == Role.SUPPLIER_ADMIN

    @property
    def is_pending(self) -> bool:
        """Invited, but the invitation has not been accepted yet."""
        return self.password_hash is None

    # Flask-Login's user protocol.
    is_authenticated = True
    is_anonymous = False

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str | None:
        # The session, not the user, is what the cookie names: ending that session
        # server-side makes a copied cookie worthless.
        return self.session_key

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"


class UserSession(db.Model):
    """A login; the cookie carries its key, the database only the key's hash."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    remember: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship()


class TokenPurpose(enum.StrEnum):
    INVITATION = "invitation"
    PASSWORD_RESET = "password_reset"  # noqa: S105 - a name, not a password


class Token(db.Model):
    """A single-use link secret for an invitation or a password reset."""

    __tablename__ = "tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(String(20))
    secret_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


class LoginFailure(db.Model):
    """A refused login, counted per e-mail address and per client address for throttling."""

    __tablename__ = "login_failures"
    __table_args__ = (
        Index("ix_login_failures_email_at", "email", "at"),
        Index("ix_login_failures_address_at", "address", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    address: Mapped[str] = mapped_column(String(45))
    # Whether the password was checked; a throttled attempt is refused unchecked.
    checked: Mapped[bool] = mapped_column(default=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
