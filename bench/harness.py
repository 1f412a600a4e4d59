"""What the benchmarks share: the app, an emptied schema, bulk inserts, logging in, timing.

Every figure a benchmark prints is meant to be read beside a reference measured in the same
run on the same machine (`reference`): a bare Flask page rendering a Jinja template of 20 rows
(bench/minimal_app.py), timed the same way. The machine's speed varies from run to run; the
ratio to that page varies much less.
"""

import logging
import re
import statistics
import time
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import event, insert, text

from portal import create_app
from portal.extensions import db

PASSWORD = "bench-wachtwoord-2026"  # noqa: S105 - a throwaway account in a throwaway database
CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
BATCH = 1000


def bench_app(uri: str, workdir: Path, **config):
    """The portal on `uri`, with cheap password hashing for the benchmark's own accounts."""
    app = create_app({
        "SECRET_KEY": "bench-secret-key-that-is-long-enough-0123456789",
        "SQLALCHEMY_DATABASE_URI": uri,
        "UPLOAD_FOLDER": str(workdir / "uploads"),
        "PASSWORD_HASH_METHOD": "scrypt:1024:8:1",
        "MAIL_SERVER": None,
        **config,
    })
    logging.getLogger().setLevel(logging.WARNING)
    return app


def reset_schema() -> None:
    """Empty the database, then build the schema with the migrations (never create_all)."""
    if db.engine.dialect.name == "postgresql":
        with db.engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    else:
        db.drop_all()
        with db.engine.begin() as conn:
            conn.execute(text("DROP TABLE IF EXISTS story_search"))  # FTS5, not a model
            conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
    upgrade()
    logging.getLogger("alembic").setLevel(logging.WARNING)


def analyze() -> None:
    """Statistics, as autovacuum keeps them for a database in use: right after a bulk load
    the planner has none and chooses badly (a search took a second without them)."""
    with db.engine.begin() as conn:
        conn.execute(text("ANALYZE"))


def bulk(model, rows: list[dict]) -> None:
    for i in range(0, len(rows), BATCH):
        db.session.execute(insert(model), rows[i:i + BATCH])


def log_in(client, email: str) -> str:
    """Log in through the real form; the session's CSRF token, for later POSTs."""
    page = client.get("/login").get_data(as_text=True)
    token = CSRF_RE.search(page).group(1)
    response = client.post("/login", data={"email": email, "password": PASSWORD,
                                           "csrf_token": token})
    if response.status_code != 303:
        raise SystemExit(f"login as {email} failed: {response.status_code}")
    return CSRF_RE.search(client.get("/").get_data(as_text=True)).group(1)


class Statements:
    """Counts the SQL statements the engine sends, to show a page's count does not grow."""

    def __init__(self, engine):
        self.count = 0
        event.listen(engine, "before_cursor_execute", self.seen)

    def seen(self, *_args) -> None:
        self.count += 1


def figures(times: list[float], counts: list[int], size: int) -> dict:
    return {"median": statistics.median(times) * 1000,
            "p95": statistics.quantiles(times, n=20)[18] * 1000,
            "queries": min(counts), "max_queries": max(counts), "bytes": size}


def time_page(client, path: str, repeat: int, statements: Statements | None,
              ) -> tuple[dict, bytes]:
    """One warm-up, then `repeat` requests until the full body is there: the figures and
    the last body. A page that does not answer 200 stops the benchmark."""
    client.get(path)
    times, counts = [], []
    for _ in range(repeat):
        if statements:
            statements.count = 0
        started = time.perf_counter()
        response = client.get(path)
        body = response.get_data()
        times.append(time.perf_counter() - started)
        # A few more at most once a minute, when the session's last_seen_at is written;
        # the table shows the minimum (and the maximum if it differs).
        counts.append(statements.count if statements else 0)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}")
    return figures(times, counts, len(body)), body


def time_posts(client, paths: list[str], data: dict, statements: Statements,
               expected: int = 303) -> dict:
    """One POST to each path (the first a warm-up), timed until the answer is there."""
    times, counts = [], []
    for n, path in enumerate(paths):
        statements.count = 0
        started = time.perf_counter()
        response = client.post(path, data=data)
        response.get_data()
        elapsed = time.perf_counter() - started
        if response.status_code != expected:
            raise SystemExit(f"POST {path} answered {response.status_code}")
        if n:
            times.append(elapsed)
            counts.append(statements.count)
    return figures(times, counts, 0)


def reference(repeat: int) -> dict:
    """The bare Flask page, through its own test client, timed as the portal's pages are."""
    from minimal_app import app  # bench/ is on sys.path of every benchmark

    return time_page(app.test_client(), "/", repeat, None)[0]


def queries(page: dict) -> str:
    if page["max_queries"] == page["queries"]:
        return str(page["queries"])
    return f"{page['queries']} (max {page['max_queries']})"
