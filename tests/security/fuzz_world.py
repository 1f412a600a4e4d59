"""What the fuzz test stands on: logged-in clients per role, objects they may act on, the
fields of a page's forms, and a fingerprint of the whole database to prove nothing changed.
"""

import hashlib
import itertools
from dataclasses import dataclass, field
from datetime import date, timedelta
from html.parser import HTMLParser
from pathlib import Path

from flask import current_app, url_for
from sqlalchemy import column, inspect, select, table

from portal.auth import tokens
from portal.auth.models import TokenPurpose
from portal.auth.passwords import hash_password
from portal.extensions import db
from tests import factories
from tests.conftest import csrf_token
from tests.security.test_route_matrix import GRANTED, MATRIX, make_user

_seq = itertools.count(1)

# --- The forms of a page ----------------------------------------------------------------------


@dataclass
class Field:
    name: str
    html_type: str = "text"
    default: str = ""
    options: list[str] = field(default_factory=list)  # select options, button and hidden values


@dataclass
class Form:
    method: str
    action: str
    fields: dict[str, Field] = field(default_factory=dict)


class FormParser(HTMLParser):
    """Every form on a page with its named controls (input, select, textarea, button)."""

    def __init__(self):
        super().__init__()
        self.forms: list[Form] = []
        self._select: Field | None = None
        self._textarea: Field | None = None

    def _add(self, attrs, tag) -> Field | None:
        name = attrs.get("name")
        if not name or name == "csrf_token" or not self.forms:
            return None
        html_type = (attrs.get("type") or tag).lower()
        item = self.forms[-1].fields.setdefault(name, Field(name, html_type))
        value = attrs.get("value")
        if value is not None and html_type in ("hidden", "submit", "button", "checkbox",
                                               "radio"):
            item.options.append(value)
        if value and not item.default and html_type not in ("submit", "button"):
            item.default = value
        return item

    def handle_starttag(self, tag, attrs):
        attrs = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append(Form(attrs.get("method", "get").lower(), attrs.get("action", "")))
        elif tag in ("input", "button"):
            self._add(attrs, tag)
        elif tag == "select":
            self._select = self._add(attrs, "select")
        elif tag == "option" and self._select is not None:
            self._select.options.append(attrs.get("value", ""))
            if "selected" in attrs:
                self._select.default = attrs.get("value", "")
        elif tag == "textarea":
            self._textarea = self._add(attrs, "textarea")

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea is not None and not self._textarea.default:
            self._textarea.default = data.strip()


def forms_on(html: str, path: str, method: str) -> dict[str, Field]:
    """The fields of the page's forms that `method` to `path` (an empty action is the page)."""
    parser = FormParser()
    parser.feed(html)
    fields: dict[str, Field] = {}
    for form in parser.forms:
        if form.method == method and form.action.split("?")[0] in ("", path):
            for name, item in form.fields.items():
                fields.setdefault(name, item)
    return fields


# --- Clients, users and the objects they may use ----------------------------------------------

TODAY = date.today()
VALID = {
    "name": "Fuzz Tester", "organisation_name": "Fuzz B.V.", "kvk": "12345678",
    "password": "een lang nieuw wachtwoord 2026", "confirm": "een lang nieuw wachtwoord 2026",
    "current_password": factories.PASSWORD, "title": "Van stage naar vast werk",
    "summary": "Twee mensen werken nu vast bij ons.", "body": "Het *verhaal*.",
    "people_count": "2", "reference": "C-FUZZ", "description": "Onderhoud",
    "start_date": "01-01-2026", "annual_value": "212.500,00", "certificate_number": "PSO-9",
    "issued_on": (TODAY - timedelta(days=30)).isoformat(),
    "valid_until": (TODAY + timedelta(days=300)).isoformat(),
    "effective_from": (TODAY + timedelta(days=1)).isoformat(), "threshold": "150.000,00",
    "reason": "Er staat een achternaam in.", "expected": "200.000,00", "next": "/",
    "end_date": "", "effective_until": "", "note": "", "q": "",
}


def valid_value(item: Field) -> str:
    if item.name == "email":
        return f"fuzz{next(_seq)}@example.org"
    if item.default:
        return item.default
    if item.name in VALID:
        return VALID[item.name]
    return next((o for o in item.options if o), "x")  # a new field: a value, at least


def log_in(client, user) -> str:
    """Log `client` in as `user` (or not, for None); the CSRF token for its next POSTs."""
    if user is not None:
        response = client.post("/login", data={
            "email": user.email, "password": factories.PASSWORD,
            "csrf_token": csrf_token(client, "/login")})
        assert response.status_code == 303, "the fuzz user could not log in"
    return csrf_token(client, "/" if user else "/login")


def _story(endpoint, user):
    org = user.organisation if user and user.organisation else None
    if endpoint in ("stories.approve", "stories.reject"):
        return factories.story(state="submitted")
    if endpoint in ("stories.unpublish", "stories.take_offline") or org is None:
        return factories.story(organisation=org, state="published")
    return factories.story(organisation=org, author=user)


def _token(endpoint, user):
    if endpoint == "auth.accept_invitation":
        return tokens.issue(factories.user(password=None), TokenPurpose.INVITATION)
    return tokens.issue(user or factories.user(), TokenPurpose.PASSWORD_RESET)


def url_values(endpoint: str, user) -> dict:
    """Objects of the user's own organisation, so the fuzz reaches the form rather than a 404."""
    org = user.organisation if user is not None else None
    makers = {
        "user_id": lambda: factories.user(organisation=org).id,
        "certificate_id": lambda: factories.certificate(organisation=org).id,
        "story_id": lambda: _story(endpoint, user).id,
        "organisation_id": lambda: factories.organisation().id,
        "contract_id": lambda: factories.contract().id,
        "import_id": lambda: factories.contract_import(actor=user).id,
        "token": lambda: _token(endpoint, user),
    }
    return {name: makers[name]() for name in MATRIX[endpoint][1]}


@dataclass
class Actor:
    """One role's logged-in client on one endpoint."""

    role: str
    client: object
    user: object
    path: str
    token: str = ""
    fields: dict | None = None

    def refresh(self, endpoint):
        """After a successful POST: the same user, able to log in again, on a fresh object."""
        if self.user is not None:
            self.user.password_hash = hash_password(factories.PASSWORD)
            self.user.active = True
            db.session.commit()
        self.client = current_app.test_client()  # no cookie of the old session left
        self.token = log_in(self.client, self.user)
        self.path = url_for(endpoint, **url_values(endpoint, self.user))
        self.fields = None  # read again: hidden values such as a version have changed


def roles_for(endpoint: str) -> list[str]:
    return sorted(GRANTED[MATRIX[endpoint][0]])


def actor(app, endpoint: str, role: str) -> Actor:
    user = make_user(role)
    values = url_values(endpoint, user)
    client = app.test_client()
    return Actor(role, client, user, url_for(endpoint, **values), log_in(client, user))


# --- A fingerprint of the database ------------------------------------------------------------

# Written by requests that change nothing else: when a session was last used.
VOLATILE_COLUMNS = {("user_sessions", "last_seen_at")}
# A refused request records the refusal itself, on purpose: a 403 writes "access_refused"
# (portal.errors), and a refused login counts the failure towards throttling.
REFUSAL_RECORDS = {"access_refused"}
LOGIN_REFUSAL_RECORDS = {"login_failed", "login_throttled"}
_tables: dict[str, object] = {}


def snapshot(endpoint: str, upload_folder: str) -> dict[str, tuple[int, str]]:
    """Per table its row count and a hash of its rows; uploaded files as one more entry."""
    if not _tables:  # every table in the database, also those without a model (FTS5)
        inspector = inspect(db.engine)
        _tables.update({name: table(name, *(column(c["name"]) for c in inspector.get_columns(
            name))) for name in inspector.get_table_names()})
    db.session.commit()  # what the test itself made is part of "before"
    skip_actions = REFUSAL_RECORDS | (LOGIN_REFUSAL_RECORDS if endpoint == "auth.login" else set())
    result = {}
    for name, rows_of in _tables.items():
        if name == "login_failures" and endpoint == "auth.login":
            continue
        rows = db.session.execute(select(rows_of))
        keys = list(rows.keys())
        kept = []
        for row in rows:
            values = dict(zip(keys, row, strict=True))
            if name == "audit_events" and values["action"] in skip_actions:
                continue
            kept.append(repr([(k, v) for k, v in values.items()
                              if (name, k) not in VOLATILE_COLUMNS]))
        kept.sort()
        result[name] = (len(kept), hashlib.sha256("\n".join(kept).encode()).hexdigest())
    files = sorted(str(p) for p in Path(upload_folder).rglob("*") if p.is_file())
    result["<uploads>"] = (len(files), hashlib.sha256("\n".join(files).encode()).hexdigest())
    db.session.commit()
    return result
