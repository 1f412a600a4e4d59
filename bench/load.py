"""Load benchmark (not a test): gunicorn on PostgreSQL, logged-in clients, a realistic mix.

    .venv/bin/python bench/load.py --database-uri postgresql+psycopg://postgres@127.0.0.1:5432/portal_bench
        [--duration 60] [--clients 10] [--workers 5]

Seeds the data of the other benchmarks (5,000 suppliers with 20,000 contracts and 6,000
certificates; 20,000 published stories from 2,000 of them), starts gunicorn with the worker
count README recommends for two cores, and lets concurrent clients, each logged in through
/login with its own session, request for `--duration` seconds: suppliers the dashboard, their
obligation, the story list, a search, a story, and an upload of a certificate every 50th
request; staff the dashboard, the compliance overview and the stories. Then the same clients
for the same time against a minimal Flask page under the same gunicorn settings, for the
ratio. Reports requests per second, median, p95 and p99 latency and errors; exits 1 on any
error. The database is EMPTIED first; its name must contain "bench".
"""

import argparse
import http.client
import io
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import obligations  # noqa: E402
import stories  # noqa: E402

from portal import create_app  # noqa: E402
from portal.demo import demo_pdf  # noqa: E402
from portal.extensions import db  # noqa: E402

SECRET = "load-bench-secret-key-that-is-long-enough-0123456789"  # noqa: S105 - throwaway
SUPPLIER_MIX = [("dashboard", "/", 20), ("obligation", "/obligation", 20),
                ("story list", "/stories", 20), ("search", "/stories?q=begeleiding", 15),
                ("a story", "/stories/{story}", 25)]
STAFF_MIX = [("dashboard", "/", 30), ("staff overview", "/staff/suppliers", 40),
             ("story list", "/stories", 30)]
UPLOAD_EVERY = 50


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def seed(uri: str, uploads: Path) -> dict:
    app = create_app({"SECRET_KEY": SECRET, "SQLALCHEMY_DATABASE_URI": uri,
                      "UPLOAD_FOLDER": str(uploads), "PASSWORD_HASH_METHOD": "scrypt:1024:8:1",
                      "MAIL_SERVER": None})
    with app.app_context():
        obligations.reset_schema()
        facts = stories.seed(20_000, 2_000)
        # Another random seed, so its KvK numbers miss the stories' (checked: none shared).
        obligations.seed(5000, seed_value=1)
        # Statistics, as autovacuum keeps them for a database in use; right after a bulk load
        # the planner has none and chooses badly (the search took a second without them).
        with db.engine.begin() as conn:
            conn.execute(text("ANALYZE"))
        db.session.remove()
        db.engine.dispose()
    return facts


class Client:
    """One person in a browser: a keep-alive connection and a session cookie."""

    def __init__(self, port: int):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookie = ""

    def request(self, method, path, body=None, headers=None):
        headers = dict(headers or {})
        if self.cookie:
            headers["Cookie"] = self.cookie
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        data = response.read()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie" and value.startswith("portal_session="):
                self.cookie = value.split(";", 1)[0]
        return response.status, data

    def log_in(self, email: str, password: str) -> None:
        _status, page = self.request("GET", "/login")
        token = obligations.CSRF_RE.search(page.decode()).group(1)
        form = urllib.parse.urlencode({"email": email, "password": password,
                                       "csrf_token": token})
        status, _ = self.request("POST", "/login", form,
                                 {"Content-Type": "application/x-www-form-urlencoded"})
        if status != 303:
            raise SystemExit(f"login as {email} failed: {status}")

    def upload(self, n: int) -> int:
        _status, page = self.request("GET", "/certificates/new")
        token = obligations.CSRF_RE.search(page.decode()).group(1)
        today = time.strftime("%Y-%m-%d")
        until = time.strftime("%Y-%m-%d", time.localtime(time.time() + 600 * 86400))
        fields = {"csrf_token": token, "level": "trede_2", "certificate_number": f"LOAD-{n}",
                  "issued_on": today, "valid_until": until}
        boundary = f"----load{n}"
        body = io.BytesIO()
        for name, value in fields.items():
            body.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                       f"{value}\r\n".encode())
        body.write(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
                   f'filename="pso-{n}.pdf"\r\nContent-Type: application/pdf\r\n\r\n'.encode())
        body.write(demo_pdf(f"load {n} {os.getpid()}") + f"\r\n--{boundary}--\r\n".encode())
        status, _ = self.request("POST", "/certificates/new", body.getvalue(),
                                 {"Content-Type": f"multipart/form-data; boundary={boundary}"})
        return status


def drive(port: int, clients: list[tuple[str, list]], duration: float, facts: dict,
          portal: bool) -> dict:
    """Run every client in a thread for `duration` seconds; latencies in ms per request."""
    latencies, errors, lock = [], [], threading.Lock()
    by_label: dict[str, list[float]] = {}
    counter = iter(range(10**9))
    deadline = time.perf_counter() + duration

    def run(index, login, mix):
        rng = random.Random(index)
        client = Client(port)
        if login:
            client.log_in(*login)
        choices = [(label, path.format(**facts)) for label, path, _w in mix]
        weights = [w for _label, _path, w in mix]
        while time.perf_counter() < deadline:
            n = next(counter)
            started = time.perf_counter()
            try:
                if portal and login and login[0] == stories.READER_EMAIL and \
                        n % UPLOAD_EVERY == 0:
                    label = "upload (form and POST)"
                    status, expected = client.upload(n), 303
                else:
                    label, path = rng.choices(choices, weights)[0]
                    label = f"{label} ({'staff' if mix is STAFF_MIX else 'supplier'})"
                    status, _ = client.request("GET", path)
                    expected = 200
            except (OSError, http.client.HTTPException) as error:
                status, expected = repr(error), 200
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                latencies.append(elapsed)
                by_label.setdefault(label, []).append(elapsed)
                if status != expected:
                    errors.append(status)

    threads = [threading.Thread(target=run, args=(i, login, mix))
               for i, (login, mix) in enumerate(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    q = statistics.quantiles(latencies, n=100)
    return {"requests": len(latencies), "rps": len(latencies) / wall,
            "median": statistics.median(latencies), "p95": q[94], "p99": q[98],
            "errors": len(errors), "error_kinds": sorted(set(map(str, errors)))[:5],
            "by_label": {k: (len(v), statistics.median(v)) for k, v in sorted(by_label.items())}}


def gunicorn(app_spec: str, port: int, workers: int, env: dict) -> subprocess.Popen:
    command = [str(Path(sys.executable).with_name("gunicorn")), "--workers", str(workers),
               "--bind", f"127.0.0.1:{port}", "--log-level", "warning",
               "--pythonpath", str(HERE), app_spec]
    process = subprocess.Popen(command, env=env, cwd=HERE.parent)  # noqa: S603 - our own command
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit(f"gunicorn did not start: {app_spec}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-uri", required=True)
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--workers", type=int, default=5)
    args = parser.parse_args()
    name = make_url(args.database_uri).database or ""
    if "bench" not in name:
        parser.error(f"refusing database {name!r}: the benchmark empties it")
    workdir = Path(tempfile.mkdtemp(prefix="portal-load-"))
    print("seeding ...", file=sys.stderr)
    facts = seed(args.database_uri, workdir / "uploads")
    env = dict(os.environ, PORTAL_SQLALCHEMY_DATABASE_URI=args.database_uri,
               PORTAL_SECRET_KEY=SECRET, PORTAL_UPLOAD_FOLDER=str(workdir / "uploads"),
               PORTAL_PASSWORD_HASH_METHOD="scrypt:1024:8:1")  # noqa: S106 - a hash method
    staff_clients = max(1, args.clients // 5)
    clients = [((obligations.STAFF_EMAIL, obligations.PASSWORD), STAFF_MIX)] * staff_clients
    clients += [((stories.READER_EMAIL, stories.PASSWORD), SUPPLIER_MIX)] * (
        args.clients - staff_clients)
    results = {}
    for label, spec, run_clients, portal in [
            ("portal", "portal:create_app()", clients, True),
            ("minimal Flask page", "minimal_app:app",
             [(None, [("hello", "/", 1)])] * args.clients, False)]:
        port = free_port()
        process = gunicorn(spec, port, args.workers, env)
        try:
            print(f"driving {label} for {args.duration:.0f} s ...", file=sys.stderr)
            results[label] = drive(port, run_clients, args.duration, facts, portal)
        finally:
            process.terminate()
            process.wait(10)
    print(f"\n### gunicorn, {args.workers} sync workers, {args.clients} concurrent clients, "
          f"{args.duration:.0f} s each, PostgreSQL\n")
    print("| target | requests | requests/s | median ms | p95 ms | p99 ms | errors |")
    print("|---|---|---|---|---|---|---|")
    for label, r in results.items():
        print(f"| {label} | {r['requests']:,} | {r['rps']:.1f} | {r['median']:.1f} | "
              f"{r['p95']:.1f} | {r['p99']:.1f} | {r['errors']} |")
    portal, minimal = results["portal"], results["minimal Flask page"]
    print("\nPer kind of request in the portal's mix: " + "; ".join(
        f"{label} {count} x, median {median:.0f} ms"
        for label, (count, median) in portal["by_label"].items()))
    print(f"\nThe portal's mix serves {portal['rps'] / minimal['rps']:.3f} times the requests "
          f"per second of a minimal Flask page; its median is "
          f"{portal['median'] / minimal['median']:.1f} times as long.")
    if portal["errors"] or minimal["errors"]:
        print(f"\nFAIL: errors: {portal['error_kinds'] or minimal['error_kinds']}")
        return 1
    print("\nOK: no errors.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
