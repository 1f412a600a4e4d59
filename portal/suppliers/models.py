"""Supplier organisations (ketenpartners)."""

from datetime import datetime

from sqlalchemy import CheckConstraint, Index, String, func
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
    contracts: Mapped[list["Contract"]] = relationship(  # noqa: F821
        back_populates="organisation", order_by="Contract.start_date"
    )

    def __repr__(self) -> str:
        return f"<Organisation {self.kvk} {self.name!r}>"


# The staff overview sorts suppliers by name as people read it, whatever the case.
NAME_INDEX = "ix_organisations_name_lower"
Index(NAME_INDEX, func.lower(Organisation.name))
