"""Column types and constraints shared by the models."""

from collections.abc import Iterable
from datetime import UTC, datetime

from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator

from portal.extensions import db

# session.info key: the organisations whose compliance facts changed in this transaction.
FACTS_CHANGED = "facts_changed"
EVERY_ORGANISATION = "every"


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


def facts_changed(organisation_id: int | None) -> None:
    """Note that an organisation's contracts or certificates changed (None: a policy rule, so
    everyone's facts), in the current transaction.

    Features below obligations (certificates, contracts, suppliers) call this; the obligations
    feature brings the stored compliance of the noted organisations in step just before the
    transaction commits, so the change and the status it leads to are committed together.
    """
    noted = db.session.info.setdefault(FACTS_CHANGED, set())
    noted.add(EVERY_ORGANISATION if organisation_id is None else organisation_id)
