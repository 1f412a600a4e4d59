"""Benchmark (not a test) of the compliance pages and the daily refresh, at two sizes.

    .venv/bin/python bench/obligations.py [--suppliers 5000 50000] [--repeat 30]
                                          [--database-uri URI] [--profile WHAT]

Per size N: seeds N suppliers, 4N contracts and 1.2N certificates (deterministic bulk inserts)
on a schema built by the migrations. Bulk inserts bypass the ORM, so no supplier has a stored
status yet: `flask --app portal refresh-compliance` computes them all, and that is timed three
times: the first run (every row new), a second run on the same day (nothing changes) and the
first run of the next day. Then, logged in through the real /login form and through the Flask
test client after one warm-up request (on PostgreSQL after VACUUM ANALYZE, as autovacuum would
have run, also after each refresh), it times until the full body is there: the staff
dashboard, /staff/suppliers (first page, filtered, sorted, "changes within 90 days") and its
CSV of every supplier, the supplier's dashboard and /obligation, and POSTs verifying
certificates (the supplier's status computed again in the same transaction). And, the same
way, a bare Flask page rendering 20 rows (bench/minimal_app.py), one request of it before each
request of a page: every page is also shown as a multiple of it, measured alongside.

Reports per page the SQL statements per request, median and p95 in ms, and its median as a
multiple of the bare page's measured alongside; exits 1 if a page's statement count differs
between the sizes.
Default: a fresh SQLite file per size in a temporary directory. `--database-uri` uses that
database and EMPTIES it (PostgreSQL: drops and recreates schema `public`), so its name must
contain "bench" or "test". `--profile WHAT` prints cProfile stats, at the largest size, of one
request of the page whose label contains WHAT, or of the refresh with `--profile refresh`.
"""

import argparse
import cProfile
import csv
import io
import pstats
import random
import statistics
import sys
import tempfile
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import (  # noqa: E402
    PASSWORD,
    Bare,
    Statements,
    bench_app,
    bulk,
    log_in,
    queries,
    reset_schema,
    time_page,
    time_posts,
    vacuum_analyze,
)

from portal.auth.models import User  # noqa: E402
from portal.auth.passwords import hash_password  # noqa: E402
from portal.certificates.models import Certificate  # noqa: E402
from portal.clock import local_today  # noqa: E402
from portal.contracts.models import Contract  # noqa: E402
from portal.extensions import db  # noqa: E402
from portal.suppliers.models import Organisation  # noqa: E402

STAFF_EMAIL, SUPPLIER_EMAIL = "staff@bench.example", "supplier@bench.example"
# label: (who, path, p95 target in ms at the largest size or None)
PAGES = {
    "staff dashboard": ("staff", "/", 30),
    "suppliers, first page": ("staff", "/staff/suppliers", 50),
    "suppliers, non_compliant by sum": ("staff", "/staff/suppliers?status=non_compliant"
                                        "&sort=sum&desc=1", 50),
    "suppliers, changes within 90 days": ("staff", "/staff/suppliers?upcoming=1", 50),
    "suppliers, changes within 90 days by sum": ("staff", "/staff/suppliers?upcoming=1"
                                                 "&sort=sum", 50),
    "suppliers, non_compliant and q=bouw": ("staff", "/staff/suppliers?status=non_compliant"
                                            "&q=bouw", 50),
    "suppliers.csv, all": ("staff", "/staff/suppliers.csv", 2000),
    "supplier dashboard": ("supplier", "/", None),
    "obligation (supplier)": ("supplier", "/obligation", None),
}
VERIFY = "verify a certificate (POST)"
TARGETS = {VERIFY: 30, **{label: target for label, (_w, _p, target) in PAGES.items()}}
REFRESH_TARGETS = {"first run": 60, "again, nothing changed": 10, "next day": 60}
TRADES = ["Bouwbedrijf", "Schildersbedrijf", "Installatietechniek", "Hoveniersbedrijf",
          "Dakdekkersbedrijf", "Elektrotechniek", "Schoonmaakbedrijf", "Aannemersbedrijf"]
PLACES = ["Maas", "Roer", "Geul", "Venlo", "Weert", "Heerlen", "Sittard", "Kerkrade", "Echt",
          "Venray", "Roermond", "Maastricht", "Gennep", "Brunssum", "Beek", "Horst"]
LEVELS = (["aspirant"] * 5 + ["basistrede"] * 10 + ["trede_1"] * 30 + ["trede_2"] * 35
          + ["trede_3"] * 15 + ["pso_30plus"] * 5)


def seed(n: int, seed_value: int = 2026) -> None:
    """n suppliers, 4n contracts, 1.2n certificates, one staff and one supplier user.
    Statuses are not computed: see refresh()."""
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


def refresh(app, day: date, profile: bool = False) -> float:
    """`flask --app portal refresh-compliance --today DAY`, in this process: seconds."""
    args = ["refresh-compliance", "--today", day.isoformat()]
    runner = app.test_cli_runner()
    profiler = cProfile.Profile() if profile else None
    with app.app_context():  # as the `flask` command pushes one
        started = time.perf_counter()
        result = (profiler.runcall(runner.invoke, args=args) if profiler
                  else runner.invoke(args=args))
        elapsed = time.perf_counter() - started
    if result.exit_code != 0:
        raise SystemExit(f"refresh-compliance failed: {result.output}{result.exception!r}")
    print("   ", result.output.strip(), f"({elapsed:.1f} s)", file=sys.stderr)
    if profiler:
        print_profile(profiler, f"refresh-compliance --today {day}")
    return elapsed


def print_profile(profiler: cProfile.Profile, what: str) -> None:
    print(f"\ncProfile of {what}:")
    stats = pstats.Stats(profiler, stream=sys.stdout)
    stats.sort_stats("tottime").print_stats(20)
    stats.sort_stats("cumulative").print_stats(30)


def run(size: int, repeat: int, uri: str, workdir: Path, profile: str | None) -> dict:
    app = bench_app(uri, workdir)
    today = local_today()
    with app.app_context():
        reset_schema()
        started = time.perf_counter()
        seed(size)
        seeding = time.perf_counter() - started
        pending = list(db.session.scalars(
            select(Certificate.id).where(Certificate.state == "pending")
            .order_by(Certificate.organisation_id).limit(repeat + 1)))
        db.session.remove()
    refreshes = {}
    for label, day in [("first run", today - timedelta(days=1)),
                       ("again, nothing changed", today - timedelta(days=1)),
                       ("next day", today)]:
        refreshes[label] = refresh(app, day, profile == "refresh" and label == "next day")
        with app.app_context():  # not timed: autovacuum's work after a refresh
            vacuum_analyze()
    with app.app_context():
        statements = Statements(db.engine)
        db.session.remove()

    # No app context is held from here on: each request gets its own, and its own session.
    clients = {"staff": app.test_client(), "supplier": app.test_client()}
    token = log_in(clients["staff"], STAFF_EMAIL)
    log_in(clients["supplier"], SUPPLIER_EMAIL)
    results, statuses, bare = {}, Counter(), Bare()
    for label, (who, path, _target) in PAGES.items():
        times = max(2, repeat // 3) if path.endswith(".csv") else repeat
        results[label], body = time_page(clients[who], path, times, statements, bare)
        if path.endswith(".csv"):
            lines = csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";")
            statuses = Counter(row[2] for row in list(lines)[1:])
    results[VERIFY] = time_posts(clients["staff"], [
        f"/staff/certificates/{certificate_id}/verify" for certificate_id in pending],
        {"csrf_token": token}, statements, bare)
    if profile and profile != "refresh":
        label = next(label for label in PAGES if profile in label)
        who, path, _target = PAGES[label]
        profiler = cProfile.Profile()
        profiler.runcall(lambda: clients[who].get(path).get_data())
        print_profile(profiler, f"one {path} request at {size:,} suppliers")
    with app.app_context():
        db.engine.dispose()
    return {"seeding": seeding, "refresh": refreshes, "pages": results, "statuses": statuses}


def report(sizes: list[int], runs: list[dict], backend: str) -> None:
    """One Markdown table of the pages, the sizes side by side, and one of the refresh."""
    largest = runs[-1]
    measures = [("statements", queries), ("median ms", lambda p: f"{p['median']:.1f}"),
                ("p95 ms", lambda p: f"{p['p95']:.1f}"),
                ("median / bare", lambda p: f"{p['median'] / p['bare_median']:.1f}")]
    print(f"\n### {backend}: server time through the Flask test client\n")
    print("| page | " + " | ".join(f"{name} @ {s:,}" for name, _ in measures for s in sizes)
          + f" | bare page median ms @ {sizes[-1]:,} | target p95 @ {sizes[-1]:,} |")
    print("|---" * (3 + len(measures) * len(sizes)) + "|")
    for label, last in largest["pages"].items():
        cells = [show(r["pages"][label]) for _, show in measures for r in runs]
        target = TARGETS.get(label)
        verdict = "" if target is None else (
            f"<= {target:,} ms: {'met' if last['p95'] <= target else 'MISSED'}")
        print(f"| {label} | " + " | ".join(cells) + f" | {last['bare_median']:.2f} | {verdict} |")
    bare = [statistics.median(p["bare_median"] for p in r["pages"].values()) for r in runs]
    print(f"\n### {backend}: `flask --app portal refresh-compliance`, seconds\n")
    print("| run | " + " | ".join(f"@ {s:,}" for s in sizes)
          + f" | per supplier @ {sizes[-1]:,} | target |")
    print("|---" * (3 + len(sizes)) + "|")
    for label, target in REFRESH_TARGETS.items():
        seconds = [r["refresh"][label] for r in runs]
        print(f"| {label} | " + " | ".join(f"{s:.1f}" for s in seconds)
              + f" | {seconds[-1] / sizes[-1] * 1e6:.0f} µs "
              f"({seconds[-1] / sizes[-1] * 1000 / bare[-1]:.2f} bare pages) | "
              f"<= {target} s: {'met' if seconds[-1] <= target else 'MISSED'} |")
    print("\nSeeding: " + ", ".join(f"{r['seeding']:.1f} s at {s:,} suppliers"
                                    for s, r in zip(sizes, runs, strict=True))
          + ". The bare page (a Flask page rendering 20 rows), timed alternately with each "
          "page: median " + ", ".join(f"{b:.2f} ms" for b in bare) + ".")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--suppliers", type=int, nargs="+", default=[5000, 50_000])
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--database-uri")
    parser.add_argument("--profile", metavar="WHAT",
                        help="cProfile one request of the page whose label contains WHAT, "
                             "or the next day's refresh ('refresh'), at the largest size")
    args = parser.parse_args()
    if args.repeat < 2 or min(args.suppliers) < 1:
        parser.error("--repeat must be at least 2 and --suppliers at least 1")
    if args.profile and args.profile != "refresh" and not any(
            args.profile in label for label in PAGES):
        parser.error(f"--profile: no page label contains {args.profile!r}")
    if args.database_uri:
        name = make_url(args.database_uri).database or ""
        if "bench" not in name and "test" not in name:
            parser.error(f"refusing database {name!r}: the benchmark empties it; "
                         "use one whose name contains 'bench' or 'test'")
    tmp = tempfile.TemporaryDirectory(prefix="portal-bench-")
    sizes = sorted(args.suppliers)
    runs = []
    for size in sizes:
        uri = args.database_uri or f"sqlite:///{Path(tmp.name) / f'bench-{size}.sqlite3'}"
        print(f"seeding and measuring {size:,} suppliers ...", file=sys.stderr)
        runs.append(run(size, args.repeat, uri, Path(tmp.name),
                        args.profile if size == sizes[-1] else None))
    tmp.cleanup()
    backend = make_url(args.database_uri).get_backend_name() if args.database_uri else "sqlite"
    report(sizes, runs, backend)
    print(f"\n{args.repeat} measured requests per page after one warm-up (the CSV a third as "
          f"many); 4 contracts and 1.2 certificates per supplier. Statuses at {sizes[-1]:,}: "
          + ", ".join(f"{k} {v}" for k, v in sorted(runs[-1]["statuses"].items())))
    differ = [label for label in runs[0]["pages"]
              if len({r["pages"][label]["queries"] for r in runs}) > 1]
    if differ:
        print(f"\nFAIL: the statement count grows with the data on: {', '.join(differ)}")
        return 1
    print("\nOK: every page makes the same number of statements at every size.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
