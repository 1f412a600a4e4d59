"""Supplier organisations (ketenpartners)."""

from datetime import date, datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import UTCDateTime, utcnow
from portal.extensions import db


class Organisation(db.Model):
    """A supplier, identified by its KvK number as PSO certification is."""

    __tablename__ = "organisations"
    __table_args__ = (CheckConstraint("length(kvk) = 8", name="kvk_length"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kvk: Mapped[str] = mapped_column(String(8), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    users: Mapped[list["User"]] = relationship(  # noqa: F821
        back_populates="organisation", order_by="User.name"
    )
    contracts: Mapped[list["Contract"]] = relationship(
        back_populates="organisation", order_by="Contract.start_date"
    )

    def __repr__(self) -> str:
        return f"<Organisation {self.kvk} {self.name!r}>"


class Contract(db.Model):
    """A contract of a supplier with Wonen Limburg, as the purchasing system exports it."""

    __tablename__ = "contracts"
    __table_args__ = (
        UniqueConstraint("organisation_id", "reference",
                         name="uq_contracts_organisation_reference"),
        CheckConstraint("annual_value_cents >= 0", name="value_not_negative"),
        CheckConstraint("end_date IS NULL OR end_date >= start_date", name="period_in_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    reference: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(String(500), default="")
    start_date: Mapped[date]
    end_date: Mapped[date | None]
    annual_value_cents: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    organisation: Mapped[Organisation] = relationship(back_populates="contracts")
