"""A contracts import from the purchasing system, kept between its dry run and its apply.

The file is checked in chunks, so a 50,000-row export never holds one request for long; every
checked row is kept here with its verdict, so the preview can be paged and the apply is a few
set-based statements in one transaction.
"""

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import UTCDateTime, one_of, utcnow
from portal.extensions import db
from portal.states import ImportState, RowKind, can_move


class ContractImport(db.Model):
    __tablename__ = "contract_imports"
    __table_args__ = (
        CheckConstraint(one_of("state", ImportState), name="state_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    state: Mapped[str] = mapped_column(String(10), default=ImportState.CHECKING)
    original_name: Mapped[str] = mapped_column(String(255))
    # The uploaded file in storage, read again for each chunk until it is checked.
    file_key: Mapped[str] = mapped_column(String(64))
    delimiter: Mapped[str] = mapped_column(String(1))
    total_rows: Mapped[int] = mapped_column(default=0)
    checked_rows: Mapped[int] = mapped_column(default=0)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    applied_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    applied_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    created_by: Mapped["User | None"] = relationship(foreign_keys=[created_by_id])  # noqa: F821
    applied_by: Mapped["User | None"] = relationship(foreign_keys=[applied_by_id])  # noqa: F821

    @property
    def is_checking(self) -> bool:
        return self.state == ImportState.CHECKING

    @property
    def is_applied(self) -> bool:
        return self.state == ImportState.APPLIED

    @property
    def can_be_applied(self) -> bool:
        """Checked to the end and not applied or discarded yet (rows with errors still stop
        the apply itself)."""
        return can_move(self.state, ImportState.APPLIED)

    @property
    def can_be_discarded(self) -> bool:
        return can_move(self.state, ImportState.DISCARDED)


class ContractImportRow(db.Model):
    """One data row of the file: what it says, and what applying it would do."""

    __tablename__ = "contract_import_rows"
    __table_args__ = (
        CheckConstraint(one_of("kind", RowKind), name="kind_known"),
        Index("ix_contract_import_rows_import_line", "import_id", "line"),
        Index("ix_contract_import_rows_import_key", "import_id", "kvk", "reference"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("contract_imports.id", ondelete="CASCADE"))
    line: Mapped[int]
    kind: Mapped[str] = mapped_column(String(10))
    # Error codes and changed fields, comma-separated; the page words them.
    detail: Mapped[str] = mapped_column(Text, default="")
    kvk: Mapped[str] = mapped_column(String(40), default="")
    supplier_name: Mapped[str] = mapped_column(String(200), default="")
    reference: Mapped[str] = mapped_column(String(100), default="")
    description: Mapped[str] = mapped_column(String(500), default="")
    start_date: Mapped[date | None]
    end_date: Mapped[date | None]
    annual_value_cents: Mapped[int | None] = mapped_column(BigInteger)
    # True when the row's KvK number is not a supplier yet: applying creates it.
    new_supplier: Mapped[bool] = mapped_column(default=False)
    contract_id: Mapped[int | None] = mapped_column(ForeignKey("contracts.id"))


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

    organisation: Mapped["Organisation"] = relationship(back_populates="contracts")  # noqa: F821
