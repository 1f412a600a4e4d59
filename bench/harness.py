"""What the benchmarks share: the app, an emptied schema, bulk inserts, logging in, timing.

Every figure a benchmark prints is meant to be read beside a reference measured in the same
run on the same machine (`Bare`): a bare Flask page rendering a Jinja template of 20 rows
(bench/minimal_app.py), timed the same way, alternately with the page measured. The machine's
speed varies from run to run; the ratio to that page varies much less.
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


def vacuum_analyze() -> None:
    """On PostgreSQL, what autovacuum does within a minute of a bulk load or a daily refresh
    on a database in use (the development server here runs without it): statistics, without
    which the planner chose badly (a search took a second), and the dead rows of the
    refresh's updates cleared away. SQLite keeps no statistics unless asked; left as it is."""
    if db.engine.dialect.name != "postgresql":
        return
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE"))


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


def figures(times: list[float], counts: list[int], size: int,
            bare: list[float] | None = None) -> dict:
    found = {"median": statistics.median(times) * 1000,
             "p95": statistics.quantiles(times, n=20)[18] * 1000,
             "queries": min(counts), "max_queries": max(counts), "bytes": size}
    if bare:  # the bare page, timed alternately with this page
        found["bare_median"] = statistics.median(bare) * 1000
        found["bare_p95"] = statistics.quantiles(bare, n=20)[18] * 1000
    return found


class Bare:
    """The reference: the bare Flask page of bench/minimal_app.py through its own test
    client. Each request of a page is timed right after one of this page, so that both meet
    the machine in the same state; the machine is shared, and its speed drifts."""

    def __init__(self):
        from minimal_app import app  # bench/ is on sys.path of every benchmark

        self.client = app.test_client()
        self.client.get("/").get_data()

    def time(self) -> float:
        started = time.perf_counter()
        self.client.get("/").get_data()
        return time.perf_counter() - started


def time_page(client, path: str, repeat: int, statements: Statements | None,
              bare: Bare | None = None) -> tuple[dict, bytes]:
    """One warm-up, then `repeat` requests until the full body is there (each after one of
    the bare page, if given): the figures and the last body. A page that does not answer
    200 stops the benchmark."""
    client.get(path)
    times, counts, bare_times = [], [], []
    for _ in range(repeat):
        if bare:
            bare_times.append(bare.time())
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
    return figures(times, counts, len(body), bare_times), body


def time_posts(client, paths: list[str], data: dict, statements: Statements,
               bare: Bare | None = None, expected: int = 303) -> dict:
    """One POST to each path (the first a warm-up, each after one request of the bare
    page, if given), timed until the answer is there."""
    times, counts, bare_times = [], [], []
    for n, path in enumerate(paths):
        if bare and n:
            bare_times.append(bare.time())
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
    return figures(times, counts, 0, bare_times)


def queries(page: dict) -> str:
    if page["max_queries"] == page["queries"]:
        return str(page["queries"])
    return f"{page['queries']} (max {page['max_queries']})"
