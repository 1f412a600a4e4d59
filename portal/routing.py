"""What a URL may carry before it reaches a view: ids the database can hold, pages that exist.

A number in a path is an id. Werkzeug's `int` converter takes any number of digits, and a value
past what the id column holds then fails inside the database (an OverflowError from SQLite's
driver at 2**63, "integer out of range" from PostgreSQL at 2**31) instead of naming nothing (a
404). The converter below is the `int` of every route, so no view has to remember this.
"""

from werkzeug.routing import IntegerConverter

from portal.extensions import db

# The largest id: ids are INTEGER columns, 32-bit signed on PostgreSQL (SQLite's hold more).
MAX_ID = 2**31 - 1
# Far past the last page of any list, yet an offset the databases still take.
MAX_PAGE = 10**9


class DatabaseId(IntegerConverter):
    """An `int` in a path that fits an id column; a larger one matches no route (404)."""

    def __init__(self, url_map, fixed_digits=0, min=None, max=MAX_ID, signed=False):
        super().__init__(url_map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def page_number(value: str | None) -> int:
    """The `page` query parameter as a page number from 1: anything that is not a number is
    the first page, a number past any list is kept within what a query's offset can take
    (the list then shows its last page or nothing, never an error)."""
    text = (value or "").strip()
    if not text.isascii() or not text.isdigit():
        return 1
    if len(text) > len(str(MAX_PAGE)):
        return MAX_PAGE
    return min(max(int(text), 1), MAX_PAGE)


def record_id(text: str) -> int:
    """For `request.form.get(name, type=record_id)`: the id a form field names. Text that is
    no number raises ValueError (so the caller gets its default); a number past any id is 0,
    which names nothing and is never sent to the database."""
    if not text.isascii() or not text.isdigit():
        raise ValueError(text)
    return int(text) if len(text) <= 10 and int(text) <= MAX_ID else 0


def paginate(stmt, page: int, per_page: int):
    """One page of `stmt`'s results; a page past the end shows the last one."""
    result = db.paginate(stmt, page=page, per_page=per_page, error_out=False)
    if result.pages and page > result.pages:
        result = db.paginate(stmt, page=result.pages, per_page=per_page, error_out=False)
    return result


def init_app(app) -> None:
    app.url_map.converters["int"] = DatabaseId
