"""The audit log: who did what to which object, when and from where.

Services call `record` inside their own transaction, so an action and its audit entry are
committed together or not at all. Details never hold passwords or tokens.
"""

from datetime import datetime

from flask import has_request_context, request
from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import UTCDateTime, utcnow
from portal.extensions import db


class AuditEvent(db.Model):
    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    action: Mapped[str] = mapped_column(String(50))
    object_type: Mapped[str | None] = mapped_column(String(50))
    object_id: Mapped[int | None]
    address: Mapped[str | None] = mapped_column(String(45))
    details: Mapped[dict] = mapped_column(JSON, default=dict)

    actor: Mapped["User | None"] = relationship()  # noqa: F821


FORBIDDEN_KEYS = {"password", "token", "secret", "password_hash"}


def record(action, *, actor=None, obj=None, address=None, **details) -> AuditEvent:
    """Add an audit event to the current transaction; the caller commits."""
    leaked = FORBIDDEN_KEYS.intersection(details)
    if leaked:
        raise ValueError(f"audit details may not contain {sorted(leaked)}")
    if obj is not None and getattr(obj, "id", None) is None:
        db.session.flush()
    if address is None and has_request_context():
        # Where an action came from belongs to the request, not to the service.
        address = request.remote_addr
    event = AuditEvent(
        action=action,
        actor=actor,
        object_type=type(obj).__name__ if obj is not None else None,
        object_id=getattr(obj, "id", None),
        address=address,
        details=details,
    )
    db.session.add(event)
    return event
