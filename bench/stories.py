"""Benchmark (not a test) of the story pages: server time and SQL queries per request.

    .venv/bin/python bench/stories.py [--stories 20000] [--suppliers 2000] [--repeat 30]
                                      [--database-uri URI] [--explain]

Seeds N published stories from M suppliers (deterministic bulk inserts; each story one approved
revision with a body of a few hundred words, so the full-text index has real work to do) on a
schema built by the migrations, logs a supplier in through the real /login form and, through
the Flask test client after one warm-up request, times until the full body is there: /stories
(first page, a search, a filter, filters combined, a page deep in the list) and one story page.
Reports per page the median and p95 in ms, the SQL statements per request and the response
size, at 200 stories from 20 suppliers and at N side by side; exits 1 if a page's query count
differs between the two. Default: a fresh SQLite file per size in a temporary directory.
`--database-uri` uses that database and EMPTIES it (PostgreSQL: drops and recreates schema
`public`), so its name must contain "bench" or "test". `--explain` prints the database's
plan of every statement on stories that the pages run, at full size.
"""

import argparse
import random
import re
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import event, select, text, update
from sqlalchemy.engine import make_url

from portal import markdown
from portal.auth.models import User
from portal.auth.passwords import hash_password
from portal.certificates.models import Certificate
from portal.extensions import db
from portal.stories.facts import MUNICIPALITIES, PLACEMENT_KINDS, TARGET_GROUPS
from portal.stories.models import Story, StoryRevision
from portal.suppliers.models import Organisation

# The benchmarks' harness: app, schema, bulk inserts, log-in, timing.
sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import (  # noqa: E402
    BATCH,
    PASSWORD,
    Statements,
    bench_app,
    bulk,
    log_in,
    queries,
    reset_schema,
    time_page,
)
from obligations import TRADES  # noqa: E402

READER_EMAIL = "lezer@bench.example"
PLACES = ["Maas", "Roer", "Geul", "Venlo", "Weert", "Heerlen", "Sittard", "Kerkrade", "Echt"]
# Words every body is mostly made of; "leerwerktraject" is in one story in a hundred.
WORDS = ["medewerker", "collega", "begeleiding", "werkplek", "leerling", "diploma", "contract",
         "vast", "uren", "ploeg", "bouwplaats", "schilderwerk", "onderhoud", "woning",
         "bewoner", "buurt", "gemeente", "werkgeversservicepunt", "jobcoach", "taal", "cursus",
         "veiligheid", "vakmanschap", "team", "trots", "ervaring", "begin", "maanden", "jaar",
         "kans", "doorgroeien", "zelfstandig", "planning", "klant"]
# Each story also has a few trade words, so that an ordinary search finds a few percent.
TRADES_WORDS = [f"{a}{b}" for a in ("bouw", "schilder", "dak", "tuin", "installatie", "elektro",
                                     "schoonmaak", "hovenier", "metsel", "timmer", "loodgieter",
                                     "stukadoor", "straat", "sloop", "isolatie", "glas",
                                     "vloer", "tegel", "riool", "asbest")
                for b in ("werk", "bedrijf", "ploeg", "opleiding", "cursus", "project", "wagen",
                          "klus", "dienst", "plan", "traject", "stage", "leer", "baan", "vak")]
RARE = "leerwerktraject"




def body(rng: random.Random) -> str:
    paragraphs = []
    trades = rng.sample(TRADES_WORDS, 8)
    for _ in range(rng.randint(3, 6)):
        words = rng.choices(WORDS, k=rng.randint(40, 80)) + rng.sample(trades, 2)
        rng.shuffle(words)
        words[0] = words[0].capitalize()
        paragraphs.append(" ".join(words) + ".")
    if rng.random() < 0.01:  # one story in a hundred
        paragraphs[-1] = f"Het {RARE} hielp. " + paragraphs[-1]
    paragraphs.insert(1, "## " + " ".join(rng.choices(WORDS, k=3)).capitalize())
    paragraphs[2] = paragraphs[2].replace(" ", " **", 1).replace(" ", "** ", 2)
    return "\n\n".join(paragraphs)


def seed(n_stories: int, n_suppliers: int, seed_value: int = 2026) -> dict:
    """Suppliers with certificates, their published stories, and one reader account."""
    rng = random.Random(seed_value)
    today = date.today()
    kvks = rng.sample(range(10_000_000, 100_000_000), n_suppliers)
    bulk(Organisation, [{"name": f"{rng.choice(TRADES)} {rng.choice(PLACES)} {i}",
                         "kvk": str(kvk)} for i, kvk in enumerate(kvks)])
    org_ids = list(db.session.scalars(select(Organisation.id).order_by(Organisation.id)))
    bulk(Certificate, [{
        "organisation_id": org_id, "level": rng.choice(["trede_1", "trede_2", "trede_3"]),
        "number": f"PSO-{k:06d}", "issued_on": today - timedelta(days=100),
        "valid_until": today + timedelta(days=500), "state": "verified",
        "file_key": f"{k:032x}", "original_name": "pso.pdf", "size": 40_000,
        "sha256": f"{k:064x}"} for k, org_id in enumerate(org_ids)])

    groups, kinds = list(TARGET_GROUPS), list(PLACEMENT_KINDS)
    facts = [{"target_group": rng.choice(groups), "placement_kind": rng.choice(kinds),
              "people_count": rng.randint(1, 6), "municipality": rng.choice(MUNICIPALITIES)}
             for _ in range(n_stories)]
    # The story carries the facts of its published revision (see portal.stories.models).
    bulk(Story, [{"organisation_id": org_ids[k % n_suppliers], "state": "draft", **facts[k]}
                 for k in range(n_stories)])
    story_ids = list(db.session.scalars(select(Story.id).order_by(Story.id)))
    now = datetime.now(UTC)
    revisions = []
    for k, story_id in enumerate(story_ids):
        text_ = body(rng)
        revisions.append({
            "story_id": story_id, "number": 1, "state": "approved",
            "title": f"{rng.choice(WORDS).capitalize()} {rng.choice(WORDS)} {k}",
            "summary": " ".join(rng.choices(WORDS, k=20)).capitalize() + ".",
            "body": text_, "body_html": markdown.render(text_), "consent": True,
            "created_at": now, "updated_at": now, "submitted_at": now, "decided_at": now,
            **facts[k]})
    bulk(StoryRevision, revisions)
    # Every story published, spread over three years, with its one revision online.
    revision_of = select(StoryRevision.id).where(
        StoryRevision.story_id == Story.id).scalar_subquery()
    db.session.execute(update(Story).values(published_revision_id=revision_of,
                                            state="published"))
    days = [(story_id, rng.randint(0, 3 * 365)) for story_id in story_ids]
    for i in range(0, len(days), BATCH):
        db.session.execute(update(Story), [
            {"id": story_id, "published_on": today - timedelta(days=ago),
             "published_at": now - timedelta(days=ago, minutes=rng.randint(0, 600))}
            for story_id, ago in days[i:i + BATCH]])
    bulk(User, [{"email": READER_EMAIL, "name": "Lezer Bench", "role": "supplier_user",
                 "password_hash": hash_password(PASSWORD), "organisation_id": org_ids[-1]}])
    db.session.commit()
    return {"story": story_ids[len(story_ids) // 2], "year": today.year - 1}


def pages(facts: dict) -> dict[str, str]:
    return {
        "/stories, first page": "/stories",
        f"/stories?q={RARE} (search)": f"/stories?q={RARE}",
        "/stories?target_group=statushouder (filter)": "/stories?target_group=statushouder",
        "/stories, three filters": (f"/stories?target_group=statushouder&municipality=Venlo"
                                    f"&year={facts['year']}"),
        "/stories, search and filter": "/stories?q=schilderopleiding&placement_kind=stage",
        "/stories?q=medewerker (in almost every story)": "/stories?q=medewerker",
        "/stories, page 50": "/stories?page=50",
        "/stories/<id> (one story)": f"/stories/{facts['story']}",
    }



def explain(client, paths: list[str]) -> None:
    """The database's plan of every statement the requests for `paths` run on stories."""
    seen: list[tuple[str, object]] = []

    def collect(_conn, _cursor, statement, parameters, _context, _many) -> None:
        if "stories" in statement and not statement.lstrip().upper().startswith("EXPLAIN"):
            seen.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", collect)
    for path in paths:
        client.get(path)
    event.remove(db.engine, "before_cursor_execute", collect)
    prefix = "EXPLAIN QUERY PLAN " if db.engine.dialect.name == "sqlite" else "EXPLAIN ANALYZE "
    with db.engine.connect() as conn:
        for statement, parameters in seen:
            print("\n" + " ".join(statement.split())[:300])
            for row in conn.exec_driver_sql(prefix + statement, parameters):
                print("   ", " ".join(str(c) for c in row))


def run(n_stories: int, n_suppliers: int, repeat: int, uri: str, workdir: Path,
        show_plan: bool) -> dict:
    app = bench_app(uri, workdir)
    with app.app_context():
        reset_schema()
        started = time.perf_counter()
        facts = seed(n_stories, n_suppliers)
        seeding = time.perf_counter() - started
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:
                conn.execute(text("ANALYZE"))
        statements = Statements(db.engine)
        db.session.remove()

    # No app context is held from here on: each request gets its own, and its own session.
    client = app.test_client()
    log_in(client, READER_EMAIL)
    if show_plan:
        with app.app_context():
            explain(client, list(pages(facts).values()))
    results = {}
    for label, path in pages(facts).items():
        figures, body = time_page(client, path, repeat, statements)
        found = re.search(rb'data-found="(\d+)"', body)
        results[label] = {**figures, "found": int(found.group(1)) if found else None}
    with app.app_context():
        db.engine.dispose()
    return {"seeding": seeding, "pages": results}


def report(sizes: list[tuple[int, int]], runs: list[dict], backend: str) -> None:
    measures = [("queries", queries), ("median ms", lambda p: f"{p['median']:.1f}"),
                ("p95 ms", lambda p: f"{p['p95']:.1f}"),
                ("found", lambda p: "" if p["found"] is None else f"{p['found']:,}"),
                ("response", lambda p: f"{p['bytes'] / 1024:.1f} KiB")]
    print(f"\n### {backend}: server time through the Flask test client\n")
    print("| page | " + " | ".join(f"{name} @ {s:,}" for name, _ in measures
                                   for s, _suppliers in sizes) + " |")
    print("|---" * (1 + len(measures) * len(sizes)) + "|")
    for label in runs[0]["pages"]:
        cells = [show(r["pages"][label]) for _, show in measures for r in runs]
        print(f"| {label} | " + " | ".join(cells) + " |")
    print("\nSeeding time: " + ", ".join(
        f"{r['seeding']:.1f} s for {s:,} stories from {m:,} suppliers"
        for (s, m), r in zip(sizes, runs, strict=True)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=20_000)
    parser.add_argument("--suppliers", type=int, default=2_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--database-uri")
    parser.add_argument("--explain", action="store_true",
                        help="print the query plans of every page at full size")
    args = parser.parse_args()
    if args.repeat < 2 or args.suppliers < 1 or args.stories < args.suppliers:
        parser.error("--repeat must be at least 2, --suppliers at least 1 and --stories at "
                     "least --suppliers")
    if args.database_uri:
        name = make_url(args.database_uri).database or ""
        if "bench" not in name and "test" not in name:
            parser.error(f"refusing database {name!r}: the benchmark empties it; "
                         "use one whose name contains 'bench' or 'test'")
    tmp = tempfile.TemporaryDirectory(prefix="portal-bench-")
    sizes = [(200, 20), (args.stories, args.suppliers)]
    runs = []
    for n_stories, n_suppliers in sizes:
        uri = args.database_uri or f"sqlite:///{Path(tmp.name) / f'bench-{n_stories}.sqlite3'}"
        print(f"seeding and measuring {n_stories:,} stories ...", file=sys.stderr)
        runs.append(run(n_stories, n_suppliers, args.repeat, uri, Path(tmp.name),
                        args.explain and n_stories == args.stories))
    tmp.cleanup()
    backend = make_url(args.database_uri).get_backend_name() if args.database_uri else "sqlite"
    report(sizes, runs, backend)
    print(f"\n{args.repeat} measured requests per page after one warm-up, as a supplier.")
    differ = [label for label in runs[0]["pages"]
              if len({r["pages"][label]["queries"] for r in runs}) > 1]
    if differ:
        print(f"\nFAIL: the query count grows with the data on: {', '.join(differ)}")
        return 1
    print("\nOK: every page makes the same number of queries at both sizes.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
