"""Load benchmark (not a test): gunicorn on PostgreSQL, logged-in clients, a realistic mix.

    .venv/bin/python bench/load.py --database-uri postgresql+psycopg://postgres@127.0.0.1:5432/portal_bench_load
        [--duration 15] [--clients 10] [--workers 5] [--alone] [--reuse] [--cpu N]

Seeds the data of the other benchmarks (5,000 suppliers with 20,000 contracts and 6,000
certificates, their stored statuses computed by `refresh-compliance`; 20,000 published stories
from 2,000 more), starts gunicorn with the worker count README recommends for two cores, and
lets concurrent clients, each logged in through /login with its own session, request for
`--duration` seconds: suppliers the dashboard, their obligation, the story list, a search, a
story, and an upload of a certificate every 50th request; staff the dashboard, the compliance
overview and the stories. The reference, in the same run with the same clients and gunicorn
settings: a bare Flask page rendering a Jinja template of 20 rows (bench/minimal_app.py),
measured before each measurement of the portal and after the last, and each measurement is
read as a share of the bare page's requests per second just before and after it (the machine
is shared, and its speed drifts within minutes). `--alone` also measures each page of the
mix alone (every client asking that page, logged in as who would see it). Every measurement
starts with 3 seconds of the same requests that are not counted, so that each worker has
warmed up. `--reuse` skips the seeding and measures the data a previous run left. `--cpu N`
first measures the CPU time per request of each page and of the bare page (N requests in a row
on one worker: the worker's, PostgreSQL's and the client's CPU time), which a shared machine
changes far less than requests per second.

Reports requests per second, median, p95 and p99 latency, errors and the load average of the
machine during each measurement; exits 1 on any error. The database is EMPTIED first; its
name must contain "bench".
"""

import argparse
import http.client
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import obligations  # noqa: E402
import stories  # noqa: E402
from harness import bench_app, reset_schema, vacuum_analyze  # noqa: E402
from serving import Client, Server, cpu_per_request  # noqa: E402

from portal.clock import local_today  # noqa: E402
from portal.extensions import db  # noqa: E402

SECRET = "load-bench-secret-key-that-is-long-enough-0123456789"  # noqa: S105 - throwaway
SUPPLIER_MIX = [("dashboard", "/", 20), ("obligation", "/obligation", 20),
                ("story list", "/stories", 20), ("search", "/stories?q=begeleiding", 15),
                ("a story", "/stories/{story}", 25)]
STAFF_MIX = [("dashboard", "/", 30), ("staff overview", "/staff/suppliers", 40),
             ("story list", "/stories", 30)]
UPLOAD_EVERY = 50
WARM_UP = 3  # seconds of requests before each measurement, not counted
SUPPLIER = (stories.READER_EMAIL, stories.PASSWORD)
STAFF = (obligations.STAFF_EMAIL, obligations.PASSWORD)
# The shares of the reference's requests per second the portal must reach.
MIX_SHARE, MIX_P95_MS = 0.20, 150
ALONE_SHARE = {"supplier": 0.25, "staff": 0.15}
SPECS = {"portal": "portal:create_app()", "minimal": "minimal_app:app"}


def seed(uri: str, uploads: Path) -> dict:
    app = bench_app(uri, uploads.parent, SECRET_KEY=SECRET)
    with app.app_context():
        reset_schema()
        facts = stories.seed(20_000, 2_000)
        # Another random seed, so its KvK numbers miss the stories' (checked: none shared).
        obligations.seed(5000, seed_value=1)
        db.session.remove()
    # Bulk inserts leave the stored statuses to the daily command, as after an import.
    obligations.refresh(app, local_today())
    with app.app_context():
        vacuum_analyze()
        db.session.remove()
        db.engine.dispose()
    return facts


def seeded(uri: str) -> dict:
    """The facts seed() returned, read back from the data a previous run left."""
    engine = create_engine(uri)
    with engine.connect() as conn:
        ids = conn.execute(text("SELECT id FROM stories WHERE state = 'published' "
                                "ORDER BY id")).scalars().all()
    engine.dispose()
    if not ids:
        raise SystemExit("--reuse: no published stories; run once without --reuse first")
    return {"story": ids[len(ids) // 2]}


def drive(port: int, clients: list[tuple[tuple | None, list]], duration: float, facts: dict,
          uploads: bool) -> dict:
    """Run every client in a thread for `duration` seconds; latencies in ms per request."""
    latencies, errors, lock = [], [], threading.Lock()
    by_label: dict[str, list[float]] = {}
    counter = iter(range(10**9))
    clock: dict[str, float] = {}

    def start() -> None:  # every client logged in: warm up, then the clock starts
        clock["load"] = os.getloadavg()[0]
        clock["started"] = time.perf_counter() + WARM_UP
        clock["deadline"] = clock["started"] + duration

    ready = threading.Barrier(len(clients) + 1, action=start)

    def run(index, login, mix):
        rng = random.Random(index)
        client = Client(port)
        if login:
            client.log_in(*login)
        choices = [(label, path.format(**facts)) for label, path, _w in mix]
        weights = [w for _label, _path, w in mix]
        who = "staff" if login == STAFF else "supplier"
        ready.wait(timeout=300)
        while time.perf_counter() < clock["deadline"]:
            n = next(counter)
            started = time.perf_counter()
            try:
                if uploads and login == SUPPLIER and n % UPLOAD_EVERY == 0:
                    label = "upload (form and POST)"
                    status, expected = client.upload(n), 303
                else:
                    label, path = rng.choices(choices, weights)[0]
                    label = f"{label} ({who})" if login else label
                    status, _ = client.request("GET", path)
                    expected = 200
            except (OSError, http.client.HTTPException) as error:
                status, expected = repr(error), 200
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                if status != expected:
                    errors.append(status)
                # While warming up, every worker imports, connects and compiles first.
                if started >= clock["started"]:
                    latencies.append(elapsed)
                    by_label.setdefault(label, []).append(elapsed)

    threads = [threading.Thread(target=run, args=(i, login, mix))
               for i, (login, mix) in enumerate(clients)]
    for thread in threads:
        thread.start()
    ready.wait(timeout=300)
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - clock["started"]
    q = statistics.quantiles(latencies, n=100)
    return {"requests": len(latencies), "rps": len(latencies) / wall,
            "median": statistics.median(latencies), "p95": q[94], "p99": q[98],
            "errors": len(errors), "error_kinds": sorted(set(map(str, errors)))[:5],
            "load": (clock["load"], os.getloadavg()[0]),
            "by_label": {k: (len(v), statistics.median(v)) for k, v in sorted(by_label.items())}}


def measurements(n_clients: int, alone: bool) -> list[tuple[str, str, list, str | None]]:
    """(label, app, clients, kind) in the order they run, kind being the share that applies
    (None: a reference). The bare page runs before each measurement of the portal and once
    after the last, so that each is read against the machine as it was just then."""
    bare = [(None, [("bare page", "/", 1)])] * n_clients
    staff_clients = max(1, n_clients // 5)
    mix = [(STAFF, STAFF_MIX)] * staff_clients + [(SUPPLIER, SUPPLIER_MIX)] * (
        n_clients - staff_clients)
    portal = [("the mix", mix, "mix")]
    if alone:
        for who, login, pages in (("supplier", SUPPLIER, SUPPLIER_MIX),
                                  ("staff", STAFF, STAFF_MIX)):
            portal += [(f"{who}: {label} alone ({path})",
                        [(login, [(label, path, 1)])] * n_clients, who)
                       for label, path, _w in pages]
    runs = []
    for n, (label, clients, kind) in enumerate(portal, start=1):
        runs += [(f"reference {n}", "minimal", bare, None), (label, "portal", clients, kind)]
    return [*runs, (f"reference {len(portal) + 1}", "minimal", bare, None)]


def report(results: dict, kinds: dict, args) -> int:
    """Each measurement as a share of the mean of the bare page's just before and after."""
    print(f"\n### gunicorn, {args.workers} sync workers, {args.clients} concurrent clients, "
          f"{args.duration:.0f} s each, PostgreSQL\n")
    print("Share: requests per second as a share of the bare page's, measured just before "
          "and just after (their mean).\n")
    print("| measurement | requests | requests/s | bare page, requests/s | share | target "
          "| median ms | p95 ms | p99 ms | errors | load average |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    labels = list(results)
    failed = []
    for i, label in enumerate(labels):
        kind, r = kinds[label], results[label]
        if kind is None:
            continue
        around = (results[labels[i - 1]]["rps"] + results[labels[i + 1]]["rps"]) / 2
        share = r["rps"] / around
        target = MIX_SHARE if kind == "mix" else ALONE_SHARE[kind]
        ok = share >= target and r["errors"] == 0 and (kind != "mix" or r["p95"] <= MIX_P95_MS)
        verdict = f">= {target:.0%}" + (f", p95 <= {MIX_P95_MS} ms" if kind == "mix" else "")
        verdict += ": met" if ok else ": MISSED"
        if not ok:
            failed.append(label)
        print(f"| {label} | {r['requests']:,} | {r['rps']:.1f} | {around:.0f} | {share:.1%} | "
              f"{verdict} | {r['median']:.1f} | {r['p95']:.1f} | {r['p99']:.1f} | "
              f"{r['errors']} | {r['load'][0]:.1f} -> {r['load'][1]:.1f} |")
    mix = results["the mix"]
    print("\nPer kind of request in the mix: " + "; ".join(
        f"{label} {count} x, median {median:.0f} ms"
        for label, (count, median) in mix["by_label"].items()))
    bare = [results[label] for label in labels if kinds[label] is None]
    print("\nThe bare page, requests/s in turn: " + ", ".join(f"{r['rps']:.0f}" for r in bare)
          + f"; median latency {statistics.median(r['median'] for r in bare):.1f} ms.")
    errors = [r["error_kinds"] for r in results.values() if r["errors"]]
    if errors:
        print(f"\nFAIL: errors: {errors}")
        return 1
    print("\nOK: no errors." + (f" Below target: {', '.join(failed)}." if failed else
                                " Every target met."))
    return 0


def cpu_table(env: dict, facts: dict, requests: int) -> None:
    """CPU time per request of each page, asked in turn with the bare page (one worker each,
    one client each), and the share of the bare page's cost: what its requests per second
    would be on a machine doing nothing else."""
    rows = []
    for who, login, pages in (("supplier", SUPPLIER, SUPPLIER_MIX), ("staff", STAFF, STAFF_MIX)):
        rows += [(f"{who}: {label}", login, path.format(**facts)) for label, path, _w in pages]
    print(f"\n### CPU time per request, ms ({requests} requests of each page, in turn with "
          "the bare page, one worker each)\n")
    print("| page | gunicorn worker | PostgreSQL | client | total | bare page, total "
          "| share of the bare page |")
    print("|---|---|---|---|---|---|---|")
    with Server(SPECS["minimal"], 1, env) as bare_server:
        bare = (bare_server, Client(bare_server.port), "/")
        for label, login, path in rows:
            with Server(SPECS["portal"], 1, env) as server:
                client = Client(server.port)
                client.log_in(*login)
                reference, cpu = cpu_per_request([bare, (server, client, path)], requests)
            print(f"| {label} | {cpu['worker']:.2f} | {cpu['postgres']:.2f} | "
                  f"{cpu['client']:.2f} | {cpu['total']:.2f} | {reference['total']:.2f} | "
                  f"{reference['total'] / cpu['total']:.1%} |")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-uri", required=True)
    parser.add_argument("--duration", type=float, default=15,
                        help="seconds per measurement of requests per second (0: none)")
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--workers", type=int, default=5)
    parser.add_argument("--alone", action="store_true",
                        help="also measure each page of the mix alone")
    parser.add_argument("--reuse", action="store_true",
                        help="measure the data a previous run seeded, without seeding again")
    parser.add_argument("--cpu", type=int, metavar="N", default=0,
                        help="also the CPU time per request of each page, N requests each")
    args = parser.parse_args()
    name = make_url(args.database_uri).database or ""
    if "bench" not in name:
        parser.error(f"refusing database {name!r}: the benchmark empties it")
    workdir = Path(tempfile.mkdtemp(prefix="portal-load-"))
    if args.reuse:
        facts = seeded(args.database_uri)
    else:
        print("seeding ...", file=sys.stderr)
        facts = seed(args.database_uri, workdir / "uploads")
    env = dict(os.environ, PORTAL_SQLALCHEMY_DATABASE_URI=args.database_uri,
               PORTAL_SECRET_KEY=SECRET, PORTAL_UPLOAD_FOLDER=str(workdir / "uploads"),
               PORTAL_PASSWORD_HASH_METHOD="scrypt:1024:8:1")  # noqa: S106 - a hash method
    if args.cpu:
        cpu_table(env, facts, args.cpu)
    if not args.duration:
        return 0
    results, kinds = {}, {}
    for label, app, clients, kind in measurements(args.clients, args.alone):
        with Server(SPECS[app], args.workers, env) as server:
            print(f"{label}: {args.duration:.0f} s ...", file=sys.stderr)
            results[label] = drive(server.port, clients, args.duration, facts,
                                   uploads=kind == "mix")
            kinds[label] = kind
    return report(results, kinds, args)


if __name__ == "__main__":
    sys.exit(main())
