"""Benchmark (not a test) of the contracts import: a 50,000-row export, through the pages.

    .venv/bin/python bench/contracts_import.py [--rows 50000] [--suppliers 5000]
                                               [--chunk 5000] [--database-uri URI]

Seeds the data of bench/obligations.py (N suppliers with 4N contracts), writes a CSV export the
way the purchasing system would (`;`, BOM, Dutch dates and amounts) in which two fifths of the
rows are known contracts (half of them with a new amount), and the rest new contracts, a third
of those for suppliers the portal does not know yet. Then, as staff through the Flask test
client, it uploads the file, follows the chunked check to the end, opens the preview and
applies it, and reports the server time of every step, the SQL statements per request, and
checks that the database holds what the file says. `--database-uri` EMPTIES that database (its
name must contain "bench" or "test"); the default is a fresh SQLite file.
"""

import argparse
import io
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import CSRF_RE, Statements, bench_app, log_in, reset_schema  # noqa: E402
from obligations import STAFF_EMAIL, seed  # noqa: E402

from portal.contracts.models import Contract  # noqa: E402
from portal.extensions import db  # noqa: E402
from portal.suppliers.models import Organisation  # noqa: E402

FORM_RE = re.compile(r'<form method="post" action="([^"]*/(check|apply))"[^>]*>\s*'
                     r'<input name="csrf_token" type="hidden" value="([^"]+)"')
HEADER = "kvk;leverancier;referentie;omschrijving;startdatum;einddatum;jaarbedrag"


def dutch_amount(cents: int) -> str:
    euros, rest = divmod(cents, 100)
    return f"{euros:,}".replace(",", ".") + f",{rest:02d}"


def export(rows: int, rng: random.Random) -> tuple[bytes, dict]:
    """The file, and what applying it must lead to."""
    known = db.session.execute(
        select(Organisation.kvk, Organisation.name, Contract.reference, Contract.description,
               Contract.start_date, Contract.end_date, Contract.annual_value_cents)
        .join(Contract.organisation).order_by(Contract.id)).all()
    lines = [HEADER]
    n_known = min(len(known), rows * 2 // 5)
    for i, (kvk, name, ref, text, start, end, cents) in enumerate(known[:n_known]):
        cents = cents + 100_00 if i % 2 else cents  # every other one gets a new amount
        lines.append(";".join([kvk, name, ref, text, start.strftime("%d-%m-%Y"),
                               end.isoformat() if end else "", dutch_amount(cents)]))
    kvks = sorted({row[0] for row in known})
    new_kvks = [f"{90_000_000 + i:08d}" for i in range(max(1, (rows - n_known) // 15))]
    for i in range(rows - n_known):
        if i % 3 == 0:
            kvk, name = new_kvks[i % len(new_kvks)], f"Nieuwe leverancier {i % len(new_kvks)}"
        else:
            kvk, name = kvks[rng.randrange(len(kvks))], ""  # known: the name may stay empty
        lines.append(f"{kvk};{name};N-{i};Nieuw werk {i};01-0{1 + i % 9}-2026;;"
                     f"\"€ {dutch_amount(rng.randint(1_000_00, 400_000_00))}\"")
    expected = {"contracts": len(known) + rows - n_known,
                "suppliers": len(kvks) + len({new_kvks[i % len(new_kvks)]
                                              for i in range(0, rows - n_known, 3)})}
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode(), expected


def timed(statements: Statements, call):
    statements.count = 0
    started = time.perf_counter()
    response = call()
    body = response.get_data(as_text=True)
    return response, body, (time.perf_counter() - started) * 1000, statements.count


def run(args, uri: str, workdir: Path) -> None:
    app = bench_app(uri, workdir, CONTRACT_IMPORT_CHUNK_ROWS=args.chunk)
    rng = random.Random(2026)
    with app.app_context():
        reset_schema()
        seed(args.suppliers)
        data, expected = export(args.rows, rng)
        statements = Statements(db.engine)
        db.session.remove()

    client = app.test_client()
    log_in(client, STAFF_EMAIL)
    token = CSRF_RE.search(client.get("/staff/contracts/import").get_data(as_text=True)).group(1)
    response, _body, upload_ms, upload_q = timed(statements, lambda: client.post(
        "/staff/contracts/import", content_type="multipart/form-data",
        data={"csrf_token": token, "file": (io.BytesIO(data), "export.csv")}))
    if response.status_code != 303:
        raise SystemExit(f"upload answered {response.status_code}")
    preview_url = response.headers["Location"]
    checks, check_queries = [], []
    while True:
        _r, page, preview_ms, preview_q = timed(statements, lambda: client.get(preview_url))
        form = FORM_RE.search(page)
        if form is None or form.group(2) != "check":
            break
        response, _b, ms, queries = timed(statements, lambda f=form: client.post(
            f.group(1), data={"csrf_token": f.group(3)}))
        checks.append(ms)
        check_queries.append(queries)
    if form is None:
        errors = re.search(r'data-kind-count="error">[^:]*: (\d+)', page)
        raise SystemExit(f"no apply form on the preview; error rows: {errors and errors[1]}")
    response, _body, apply_ms, apply_q = timed(statements, lambda: client.post(
        form.group(1), data={"csrf_token": form.group(3)}))
    flash = re.search(r"Het bestand is verwerkt: [^<]*", client.get(
        response.headers["Location"]).get_data(as_text=True))
    with app.app_context():
        contracts = db.session.scalar(select(func.count()).select_from(Contract))
        suppliers = db.session.scalar(select(func.count()).select_from(Organisation))
        db.engine.dispose()

    backend = make_url(uri).get_backend_name()
    print(f"\n### {backend}: {args.rows:,} rows ({len(data) / 1e6:.1f} MB), "
          f"{args.chunk:,} rows checked per request\n")
    print("| step | requests | server time | SQL statements per request |")
    print("|---|---|---|---|")
    print(f"| upload, check the first chunk | 1 | {upload_ms:,.0f} ms | {upload_q} |")
    if checks:
        print(f"| check a further chunk | {len(checks)} | median {statistics.median(checks):,.0f}"
              f" ms, max {max(checks):,.0f} ms | {min(check_queries)}-{max(check_queries)} |")
    print(f"| preview (first page of rows) | 1 | {preview_ms:,.0f} ms | {preview_q} |")
    print(f"| apply, one transaction | 1 | {apply_ms:,.0f} ms | {apply_q} |")
    total = upload_ms + sum(checks) + apply_ms
    print(f"\nLongest single request: {max([upload_ms, apply_ms, *checks]):,.0f} ms; "
          f"upload to applied, server time: {total / 1000:.1f} s.")
    print(f"Result: {flash.group(0) if flash else '(no message)'}")
    ok = contracts == expected["contracts"] and suppliers == expected["suppliers"]
    print(f"Database: {contracts:,} contracts (expected {expected['contracts']:,}), "
          f"{suppliers:,} suppliers (expected {expected['suppliers']:,}): "
          + ("OK" if ok else "MISMATCH"))
    if not ok:
        raise SystemExit(1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--suppliers", type=int, default=5000)
    parser.add_argument("--chunk", type=int, default=5000)
    parser.add_argument("--database-uri")
    args = parser.parse_args()
    if args.database_uri:
        name = make_url(args.database_uri).database or ""
        if "bench" not in name and "test" not in name:
            parser.error(f"refusing database {name!r}: the benchmark empties it")
    with tempfile.TemporaryDirectory(prefix="portal-bench-") as tmp:
        uri = args.database_uri or f"sqlite:///{Path(tmp) / 'import.sqlite3'}"
        run(args, uri, Path(tmp))


if __name__ == "__main__":
    main()
