"""Fixtures: an app on a schema built by the migrations, on SQLite or PostgreSQL.

Set PORTAL_SQLALCHEMY_DATABASE_URI to run the suite on PostgreSQL. The suite empties that
database, so it refuses one whose name does not contain "test".
"""

import contextvars
import os
import re
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import has_app_context
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import delete, select, text
from sqlalchemy.engine import make_url

from portal import create_app
from portal.extensions import db
from portal.obligations import compliance
from tests import factories

ROOT = Path(__file__).resolve().parent.parent
# Tables whose rows from the migrations survive the cleaning between tests: name -> ids.
SEEDED_BY_MIGRATIONS: dict[str, set[int]] = {"policy_rules": set()}


def database_uri(tmp_path_factory) -> str:
    uri = os.environ.get("PORTAL_SQLALCHEMY_DATABASE_URI")
    if not uri:
        return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
    name = make_url(uri).database or ""
    if "test" not in name:
        pytest.exit(f"Refusing to run the tests on database {name!r}: they empty it. "
                    "Use a database whose name contains 'test'.", returncode=2)
    return uri


def compile_translations() -> None:
    """The compiled catalogues are build output; make them if `make` has not."""
    for po_path in (ROOT / "portal" / "translations").glob("*/LC_MESSAGES/messages.po"):
        mo_path = po_path.with_suffix(".mo")
        if not mo_path.exists() or mo_path.stat().st_mtime < po_path.stat().st_mtime:
            with po_path.open("rb") as po, mo_path.open("wb") as mo:
                write_mo(mo, read_po(po))


def reset_schema() -> None:
    engine = db.engine
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    else:
        db.drop_all()
        with engine.begin() as conn:
            conn.execute(text("DROP TABLE IF EXISTS story_search"))  # FTS5, not a model
            conn.execute(text("DROP TABLE IF EXISTS alembic_version"))


class Client(FlaskClient):
    """A test client whose requests run as in a real server: each in its own app context.

    The test itself holds an app context (for factories and checks). Without this, requests
    would share its `g` and database session, and a cached login could hide a real bug.
    The test's own changes are committed before each request, and its session expired after,
    so both sides always see the database as it is.
    """

    def open(self, *args, **kwargs):
        if not has_app_context():  # a redirect followed from inside a request's own context
            return super().open(*args, **kwargs)
        db.session.commit()
        response = contextvars.Context().run(super().open, *args, **kwargs)
        db.session.expire_all()
        return response


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    compile_translations()
    app = create_app({
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-that-is-long-enough-0123456789",
        "SQLALCHEMY_DATABASE_URI": database_uri(tmp_path_factory),
        "UPLOAD_FOLDER": str(tmp_path_factory.mktemp("uploads")),
        "PASSWORD_HASH_METHOD": "scrypt:1024:8:1",  # cheap for tests, same scheme
        "SERVER_NAME": "portal.test",
        "MAIL_SERVER": None,
    })
    app.extensions["mail_outbox"] = []
    app.test_client_class = Client
    with app.app_context():
        reset_schema()
        upgrade()
        for name in SEEDED_BY_MIGRATIONS:
            table = db.metadata.tables[name]
            SEEDED_BY_MIGRATIONS[name] = set(db.session.scalars(select(table.c.id)))
        db.session.remove()
    return app


@pytest.fixture
def outbox(app):
    box = app.extensions["mail_outbox"]
    box.clear()
    return box


def empty_tables() -> None:
    """Delete what a test added, keeping the reference data of the migrations; commits."""
    db.session.rollback()
    # Stories and their revisions point at each other; deleting a story takes its
    # revisions with it (ON DELETE CASCADE), the other way round a CHECK would object.
    db.session.execute(delete(db.metadata.tables["stories"]))
    for table in reversed(db.metadata.sorted_tables):
        if table.name in SEEDED_BY_MIGRATIONS:
            # Reference data the migrations put in stays; what a test added goes.
            keep = SEEDED_BY_MIGRATIONS[table.name]
            db.session.execute(delete(table).where(table.c.id.notin_(keep)))
        else:
            db.session.execute(delete(table))
    db.session.commit()


def compliance_problems() -> list[str]:
    """What `flask --app portal check-compliance` would report about the committed data."""
    db.session.rollback()
    return [f"organisation {d.organisation_id}: {d.column} is {d.stored!r}, computed "
            f"{d.expected!r}" for d in compliance.differences()]


@pytest.fixture
def db_session(app, request):
    """An app context whose tables are emptied afterwards.

    Before they are, the stored compliance must match what computing it again gives: every
    test then also proves that what it did kept the stored statuses in step. A test that
    spoils them on purpose with SQL is marked `compliance_tampered`.
    """
    with app.app_context():
        yield db.session
        try:
            if request.node.get_closest_marker("compliance_tampered") is None:
                problems = compliance_problems()
                assert not problems, ("stored compliance differs from what is computed:\n"
                                      + "\n".join(problems))
        finally:
            empty_tables()
            db.session.remove()


@pytest.fixture(name="db")
def db_fixture(db_session):
    return db


@pytest.fixture
def client(app, db_session):
    return app.test_client()


@pytest.fixture
def login_as(client, db_session):
    """Log `client` in as `user` through the real login form; returns the response."""

    def log_in(user, password=factories.PASSWORD, remember=False, next_url=None):
        data = {"email": user.email, "password": password,
                "csrf_token": csrf_token(client, "/login")}
        if remember:
            data["remember"] = "y"
        if next_url is not None:
            data["next"] = next_url
        return client.post("/login", data=data)

    return log_in


CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def csrf_token(client, path: str) -> str:
    """The CSRF token from the form on `path`, as a browser would send it back."""
    page = client.get(path)
    match = CSRF_RE.search(page.get_data(as_text=True))
    assert match, f"no CSRF token on {path} ({page.status_code})"
    return match.group(1)


@pytest.fixture
def csrf(client):
    return lambda path="/login": csrf_token(client, path)
