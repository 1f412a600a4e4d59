"""PSO certificates uploaded by suppliers and verified by staff."""

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import UTCDateTime, one_of, utcnow
from portal.extensions import db
from portal.states import CertificateState


class Certificate(db.Model):
    __tablename__ = "certificates"
    __table_args__ = (
        # The same file twice for one organisation is a mistake, not a new certificate.
        UniqueConstraint("organisation_id", "sha256", name="uq_certificates_organisation_file"),
        CheckConstraint(one_of("state", CertificateState), name="state_known"),
        CheckConstraint("valid_until >= issued_on", name="period_in_order"),
        Index("ix_certificates_state_uploaded_at", "state", "uploaded_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    level: Mapped[str] = mapped_column(String(20))
    number: Mapped[str] = mapped_column(String(50))
    issued_on: Mapped[date]
    valid_until: Mapped[date]
    state: Mapped[str] = mapped_column(String(10), default=CertificateState.PENDING)
    rejection_reason: Mapped[str | None] = mapped_column(Text)
    # Where storage keeps the file: a random name, never the uploader's.
    file_key: Mapped[str] = mapped_column(String(64), unique=True)
    original_name: Mapped[str] = mapped_column(String(255))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    organisation: Mapped["Organisation"] = relationship()  # noqa: F821
    uploaded_by: Mapped["User | None"] = relationship(foreign_keys=[uploaded_by_id])  # noqa: F821
    decided_by: Mapped["User | None"] = relationship(foreign_keys=[decided_by_id])  # noqa: F821

    @property
    def is_pending(self) -> bool:
        return self.state == CertificateState.PENDING

    @property
    def is_rejected(self) -> bool:
        return self.state == CertificateState.REJECTED

