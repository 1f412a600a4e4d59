"""Policy rules: which PSO level Wonen Limburg asks from which annual contract sum on.

Rules are data, because they differ per buyer and change in time. A rule is never edited
once it is in force: a change is a new row that supersedes it from its own date on.
"""

from datetime import date, datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import UTCDateTime, utcnow
from portal.extensions import db


class PolicyRule(db.Model):
    __tablename__ = "policy_rules"
    __table_args__ = (
        CheckConstraint("threshold_cents >= 0", name="threshold_not_negative"),
        CheckConstraint("effective_until IS NULL OR effective_until >= effective_from",
                        name="period_in_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    effective_from: Mapped[date]
    effective_until: Mapped[date | None]
    threshold_cents: Mapped[int] = mapped_column(BigInteger)
    required_level: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    created_by: Mapped["User | None"] = relationship()  # noqa: F821


class ReminderSent(db.Model):
    """A reminder e-mail that went out, so that a daily run never sends it twice."""

    __tablename__ = "reminders_sent"
    __table_args__ = (UniqueConstraint("organisation_id", "kind", "subject_key",
                                       name="uq_reminders_sent_once"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    kind: Mapped[str] = mapped_column(String(30))
    # What the reminder was about, e.g. "certificate:12:30" or "year:2027".
    subject_key: Mapped[str] = mapped_column(String(100))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
