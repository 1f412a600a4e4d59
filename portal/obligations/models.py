"""Policy rules: which PSO level Wonen Limburg asks from which annual contract sum on.

Rules are data, because they differ per buyer and change in time. A rule is never edited
once it is in force: a change is a new row that supersedes it from its own date on.
"""

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import UTCDateTime, one_of, utcnow
from portal.extensions import db
from portal.pso import LEVELS, Status

STATUSES = [s.value for s in Status]
LEVEL_VALUES = [level.value for level in LEVELS]


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


class Compliance(db.Model):
    """Each supplier's compliance as computed for `computed_for`: a read model, never a source.

    The staff overview, its CSV, the dashboard counts and the reminders read this table instead
    of assessing every supplier per request. It holds nothing that cannot be computed again
    from the rules, contracts and certificates (`flask --app portal check-compliance` does just
    that), and portal.obligations.compliance is the only writer: in the transaction of every
    change to a supplier's facts, and daily for what the date alone changes.
    """

    __tablename__ = "compliance"
    __table_args__ = (
        CheckConstraint(one_of("status", STATUSES), name="status_known"),
        CheckConstraint(f"next_status IS NULL OR {one_of('next_status', STATUSES)}",
                        name="next_status_known"),
        CheckConstraint(f"required_level IS NULL OR {one_of('required_level', LEVEL_VALUES)}",
                        name="required_level_known"),
        CheckConstraint(f"next_required_level IS NULL OR "
                        f"{one_of('next_required_level', LEVEL_VALUES)}",
                        name="next_required_level_known"),
        # The overview filters by status and sorts within it; "sum" and "until" are its sorts,
        # "changes within 90 days" its filter, and computed_for finds rows left stale.
        Index("ix_compliance_status_sum", "status", "annual_sum_cents"),
        Index("ix_compliance_sum", "annual_sum_cents"),
        Index("ix_compliance_covered_until", "covered_until"),
        Index("ix_compliance_next_change_on", "next_change_on"),
        Index("ix_compliance_computed_for", "computed_for"),
    )

    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True,
        autoincrement=False)
    computed_for: Mapped[date]
    status: Mapped[str] = mapped_column(String(20))
    required_level: Mapped[str | None] = mapped_column(String(20))
    annual_sum_cents: Mapped[int] = mapped_column(BigInteger)
    # The certificate that counts today, or else the best one held (what "Heeft" shows).
    certificate_id: Mapped[int | None] = mapped_column(
        ForeignKey("certificates.id", ondelete="SET NULL"))
    covered_until: Mapped[date | None]
    # An upload that would continue the coverage and awaits verification.
    pending_certificate_id: Mapped[int | None] = mapped_column(
        ForeignKey("certificates.id", ondelete="SET NULL"))
    next_change_on: Mapped[date | None]
    next_status: Mapped[str | None] = mapped_column(String(20))
    next_required_level: Mapped[str | None] = mapped_column(String(20))


class ComplianceSnapshot(db.Model):
    """How many suppliers had each status on a day, kept for the trend on the staff dashboard."""

    __tablename__ = "compliance_snapshots"
    __table_args__ = (CheckConstraint(one_of("status", STATUSES), name="status_known"),)

    day: Mapped[date] = mapped_column(primary_key=True)
    status: Mapped[str] = mapped_column(String(20), primary_key=True)
    suppliers: Mapped[int] = mapped_column(Integer)
