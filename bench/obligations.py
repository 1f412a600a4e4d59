"""Benchmark (not a test) of the compliance pages: server time and SQL queries per request.

    .venv/bin/python bench/obligations.py [--suppliers 5000] [--repeat 30] [--database-uri URI]
                                          [--profile]

Seeds N suppliers, 4N contracts and 1.2N certificates (deterministic bulk inserts) on a schema
built by the migrations, logs in through the real /login form and, through the Flask test client
after one warm-up request, times until the full body is there: /staff/suppliers (first page,
and filtered) and /staff/suppliers.csv (all) as staff, /obligation as a supplier. Reports per
page the median and p95 in ms, the SQL statements per request and the response size, at 50
suppliers and at N side by side; exits 1 if a page's query count differs between the two.
Default: a fresh SQLite file per size in a temporary directory. `--database-uri` uses that
database and EMPTIES it (PostgreSQL: drops and recreates schema `public`), so its name must
contain "bench" or "test". `--profile` prints cProfile stats of one /staff/suppliers request.
"""

import argparse
import cProfile
import csv
import io
import logging
import pstats
import random
import re
import statistics
import sys
import tempfile
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import event, insert, select, text
from sqlalchemy.engine import make_url

from portal import create_app
from portal.auth.models import User
from portal.auth.passwords import hash_password
from portal.certificates.models import Certificate
from portal.contracts.models import Contract
from portal.extensions import db
from portal.suppliers.models import Organisation

PASSWORD = "bench-wachtwoord-2026"  # noqa: S105 - a throwaway account in a throwaway database
STAFF_EMAIL, SUPPLIER_EMAIL = "staff@bench.example", "supplier@bench.example"
PAGES = {
    "suppliers, first page": "/staff/suppliers",
    "suppliers, filtered": "/staff/suppliers?status=non_compliant&q=bouw",
    "suppliers.csv, all": "/staff/suppliers.csv",
    "obligation (supplier)": "/obligation",
}
CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
TRADES = ["Bouwbedrijf", "Schildersbedrijf", "Installatietechniek", "Hoveniersbedrijf",
          "Dakdekkersbedrijf", "Elektrotechniek", "Schoonmaakbedrijf", "Aannemersbedrijf"]
PLACES = ["Maas", "Roer", "Geul", "Venlo", "Weert", "Heerlen", "Sittard", "Kerkrade", "Echt",
          "Venray", "Roermond", "Maastricht", "Gennep", "Brunssum", "Beek", "Horst"]
LEVELS = (["aspirant"] * 5 + ["basistrede"] * 10 + ["trede_1"] * 30 + ["trede_2"] * 35
          + ["trede_3"] * 15 + ["pso_30plus"] * 5)
BATCH = 1000


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


def bulk(model, rows: list[dict]) -> None:
    for i in range(0, len(rows), BATCH):
        db.session.execute(insert(model), rows[i:i + BATCH])


def seed(n: int, seed_value: int = 2026) -> None:
    """n suppliers, 4n contracts, 1.2n certificates, one staff and one supplier user."""
    rng = random.Random(seed_value)
    today = date.today()
    kvks = rng.sample(range(10_000_000, 100_000_000), n)
    bulk(Organisation, [{"name": f"{rng.choice(TRADES)} {rng.choice(PLACES)} {i}",
                         "kvk": str(kvk)} for i, kvk in enumerate(kvks)])
    ids = dict(db.session.execute(select(Organisation.kvk, Organisation.id)).all())
    org_ids = [ids[str(kvk)] for kvk in kvks]

    contracts = []
    for i, org_id in enumerate(org_ids):
        small = rng.random() < 0.2  # a fifth of the suppliers stay below the threshold
        for j in range(4):
            if small:
                euros = rng.randint(2_000, 37_000)
            elif rng.random() < 1 / 6:
                euros = rng.randint(50_000, 149_999)
            else:
                euros = rng.randint(150_000, 2_000_000)  # so about a third are below 150k
            start = date(today.year, 1, 1) + timedelta(days=rng.randint(-3 * 365, 365))
            end = None if rng.random() < 0.2 else start + timedelta(days=rng.randint(180, 4 * 365))
            contracts.append({"organisation_id": org_id, "reference": f"C-{i}-{j}",
                              "description": f"Onderhoud complex {i}-{j}", "start_date": start,
                              "end_date": end, "annual_value_cents": euros * 100})
    bulk(Contract, contracts)

    # Every supplier one certificate, a fifth of them (and always the first) a second one.
    owners = list(range(n)) + sorted({0, *rng.sample(range(n), n // 5)})[: n // 5]
    certificates = []
    for k, i in enumerate(owners):
        issued = today - timedelta(days=rng.randint(0, 730))
        valid_until = issued + timedelta(days=rng.randint(120, 730))  # some expired already
        roll = rng.random()
        state = "verified" if roll < 0.8 else "pending" if roll < 0.95 else "rejected"
        # Files are NOT written: the benchmark never downloads a certificate, so file_key is
        # a random name that points at nothing and sha256 is a fake, unique per organisation.
        certificates.append({
            "organisation_id": org_ids[i], "level": rng.choice(LEVELS),
            "number": f"PSO-{k:06d}", "issued_on": issued, "valid_until": valid_until,
            "state": state, "rejection_reason": "Onleesbaar" if state == "rejected" else None,
            "file_key": f"{k:08x}{rng.getrandbits(96):024x}", "original_name": f"pso-{k}.pdf",
            "size": 40_000, "sha256": f"{k:08x}{rng.getrandbits(224):056x}"})
    bulk(Certificate, certificates)

    bulk(User, [
        {"email": STAFF_EMAIL, "name": "Staf Bench", "role": "staff", "is_moderator": True,
         "password_hash": hash_password(PASSWORD), "organisation_id": None},
        {"email": SUPPLIER_EMAIL, "name": "Leverancier Bench", "role": "supplier_user",
         "password_hash": hash_password(PASSWORD), "organisation_id": org_ids[0]},
    ])
    db.session.commit()


def log_in(client, email: str) -> None:
    page = client.get("/login").get_data(as_text=True)
    token = CSRF_RE.search(page).group(1)
    response = client.post("/login", data={"email": email, "password": PASSWORD,
                                           "csrf_token": token})
    if response.status_code != 303:
        raise SystemExit(f"login as {email} failed: {response.status_code}")


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


class Statements:
    """Counts the SQL statements the engine sends, to show a page's count does not grow."""

    def __init__(self, engine):
        self.count = 0
        event.listen(engine, "before_cursor_execute", self.seen)

    def seen(self, *_args) -> None:
        self.count += 1


def time_page(client, path: str, repeat: int, statements: Statements) -> tuple[dict, bytes]:
    """One warm-up, then `repeat` requests until the full body is there: the figures and
    the last body. A page that does not answer 200 stops the benchmark."""
    client.get(path)
    times, counts = [], []
    for _ in range(repeat):
        statements.count = 0
        started = time.perf_counter()
        response = client.get(path)
        body = response.get_data()
        times.append(time.perf_counter() - started)
        # A few more at most once a minute, when the session's last_seen_at is written;
        # the table shows the minimum (and the maximum if it differs).
        counts.append(statements.count)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}")
    return {"median": statistics.median(times) * 1000,
            "p95": statistics.quantiles(times, n=20)[18] * 1000,
            "queries": min(counts), "max_queries": max(counts), "bytes": len(body)}, body


def run(size: int, repeat: int, uri: str, workdir: Path, profile: bool) -> dict:
    app = bench_app(uri, workdir)
    with app.app_context():
        reset_schema()
        started = time.perf_counter()
        seed(size)
        seeding = time.perf_counter() - started
        statements = Statements(db.engine)
        db.session.remove()

    # No app context is held from here on: each request gets its own, and its own session.
    staff, supplier = app.test_client(), app.test_client()
    log_in(staff, STAFF_EMAIL)
    log_in(supplier, SUPPLIER_EMAIL)
    results, statuses = {}, Counter()
    for label, path in PAGES.items():
        client = supplier if path == "/obligation" else staff
        results[label], body = time_page(client, path, repeat, statements)
        if path.endswith(".csv"):
            lines = csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";")
            statuses = Counter(row[2] for row in list(lines)[1:])
    if profile:
        profiler = cProfile.Profile()
        profiler.runcall(lambda: staff.get(PAGES["suppliers, first page"]).get_data())
        print(f"\ncProfile of one /staff/suppliers request at {size} suppliers:")
        stats = pstats.Stats(profiler, stream=sys.stdout)
        stats.sort_stats("tottime").print_stats(15)
        stats.sort_stats("cumulative").print_stats(25)
    with app.app_context():
        db.engine.dispose()
    return {"seeding": seeding, "pages": results, "statuses": statuses}


def queries(page: dict) -> str:
    if page["max_queries"] == page["queries"]:
        return str(page["queries"])
    return f"{page['queries']} (max {page['max_queries']})"


def report(sizes: list[int], runs: list[dict], backend: str) -> None:
    """One Markdown table, the two sizes side by side in each measure."""
    measures = [("queries", queries), ("median ms", lambda p: f"{p['median']:.1f}"),
                ("p95 ms", lambda p: f"{p['p95']:.1f}"),
                ("response", lambda p: f"{p['bytes'] / 1024:.1f} KiB")]
    print(f"\n### {backend}: server time through the Flask test client\n")
    print("| page | " + " | ".join(f"{name} @ {s:,}" for name, _ in measures for s in sizes)
          + " |")
    print("|---" * (1 + len(measures) * len(sizes)) + "|")
    for label in PAGES:
        cells = [show(r["pages"][label]) for _, show in measures for r in runs]
        print(f"| {label} | " + " | ".join(cells) + " |")
    print("\nSeeding time: " + ", ".join(f"{r['seeding']:.1f} s at {s:,} suppliers"
                                         for s, r in zip(sizes, runs, strict=True)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--suppliers", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--database-uri")
    parser.add_argument("--profile", action="store_true",
                        help="print a cProfile summary of one /staff/suppliers request")
    args = parser.parse_args()
    if args.repeat < 2 or args.suppliers < 1:
        parser.error("--repeat must be at least 2 and --suppliers at least 1")
    if args.database_uri:
        name = make_url(args.database_uri).database or ""
        if "bench" not in name and "test" not in name:
            parser.error(f"refusing database {name!r}: the benchmark empties it; "
                         "use one whose name contains 'bench' or 'test'")
    tmp = tempfile.TemporaryDirectory(prefix="portal-bench-")
    sizes = [50, args.suppliers]
    runs = []
    for size in sizes:
        uri = args.database_uri or f"sqlite:///{Path(tmp.name) / f'bench-{size}.sqlite3'}"
        print(f"seeding and measuring {size:,} suppliers ...", file=sys.stderr)
        runs.append(run(size, args.repeat, uri, Path(tmp.name),
                        args.profile and size == args.suppliers))
    tmp.cleanup()
    backend = make_url(args.database_uri).get_backend_name() if args.database_uri else "sqlite"
    report(sizes, runs, backend)
    print(f"\n{args.repeat} measured requests per page after one warm-up; 4 contracts and "
          f"1.2 certificates per supplier. Statuses at {sizes[-1]:,}: "
          + ", ".join(f"{k} {v}" for k, v in sorted(runs[-1]["statuses"].items())))
    differ = [label for label in PAGES
              if len({r["pages"][label]["queries"] for r in runs}) > 1]
    if differ:
        print(f"\nFAIL: the query count grows with the data on: {', '.join(differ)}")
        return 1
    print("\nOK: every page makes the same number of queries at both sizes.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
