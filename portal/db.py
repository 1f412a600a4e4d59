"""Column types and constraints shared by the models."""

from collections.abc import Iterable
from datetime import UTC, datetime

from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """A moment in time, stored as naive UTC and always handed back timezone-aware.

    SQLite keeps no time zone, so storing naive UTC everywhere keeps comparisons in SQL
    identical on SQLite and PostgreSQL; Python code only ever sees aware datetimes.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use an aware UTC datetime")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


def one_of(column: str, values: Iterable[str]) -> str:
    """The SQL of a CHECK that `column` holds one of `values`, e.g. an enum's members:
    the stored strings stay plain text, so the database checks them itself."""
    return f"{column} IN ({', '.join(repr(str(value)) for value in values)})"
