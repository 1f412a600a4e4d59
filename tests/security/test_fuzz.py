"""Fuzz: generated values in every form field, query parameter and path id of every page, for
every role that may use it (the route matrix says which), on SQLite and PostgreSQL.

Two promises are checked on every request: the answer is never a 5xx, and a POST that is
refused (any answer but a redirect) leaves every table and the uploads folder as they were.
Each example starts from a form that would pass and spoils one or more kinds of field in it
(see fuzz_values), so the spoiled value gets past the other fields' checks to the code behind.

CI runs a fixed, small set of examples per page (derandomized). Locally, for more examples
and new ones on every run (PORTAL_FUZZ_SHRINK=1 also reduces a failure to its simplest form):
PORTAL_FUZZ_EXAMPLES=200 PORTAL_FUZZ_RANDOM=1 .venv/bin/pytest tests/security/test_fuzz.py
"""

import io
import os
import re
import zlib

import pytest
from flask import url_for
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st
from werkzeug.routing import IntegerConverter

from portal.auth.forms import LanguageForm
from portal.certificates.forms import RejectForm
from portal.forms import ConfirmForm
from portal.stories.forms import ReasonForm
from portal.suppliers.forms import RoleForm
from tests import factories
from tests.conftest import ROOT
from tests.security import fuzz_values as fv
from tests.security.fuzz_world import Field, actor, forms_on, roles_for, snapshot, valid_value
from tests.security.test_route_matrix import MATRIX

# Examples per page: enough that each kind of field is spoiled a few times in CI, where the
# whole module must stay within a minute per database. PORTAL_FUZZ_EXAMPLES sets them all.
EXAMPLES = os.environ.get("PORTAL_FUZZ_EXAMPLES")
# Shrinking a failure takes minutes of requests; locally PORTAL_FUZZ_SHRINK=1 turns it on.
PHASES = [Phase.explicit, Phase.generate] + (
    [Phase.shrink] if os.environ.get("PORTAL_FUZZ_SHRINK") else [])


RANDOM = bool(os.environ.get("PORTAL_FUZZ_RANDOM"))  # new examples on every run


def fuzz(examples: int, name: str):
    """Hypothesis settings for `examples` examples, fixed per `name` unless RANDOM."""
    def decorate(test):
        test = settings(max_examples=int(EXAMPLES or examples), deadline=None, database=None,
                        phases=PHASES, suppress_health_check=list(HealthCheck))(test)
        return test if RANDOM else seed(zlib.crc32(name.encode()))(test)
    return decorate


def _per_role(examples: int, endpoint: str, role: str, body) -> None:
    """Run `body(data)` for one role on one endpoint: a share of the page's examples, at least
    a few, so that every role the route matrix allows gets its own."""
    share = max(examples // len(roles_for(endpoint)), min(examples, 5))

    @fuzz(share, f"{endpoint} {role}")
    @given(data=st.data())
    def run(data):
        body(data)

    run()


REDIRECTS = (302, 303)

# The query parameters the views read (test_every_parameter_read_is_fuzzed keeps this whole).
QUERY_PARAMS = {
    "stories.index": ["q", "page", "year", "target_group", "placement_kind", "municipality"],
    "staff.suppliers": ["q", "status", "sort", "desc", "upcoming", "page"],
    "staff.suppliers_csv": ["q", "status", "sort", "desc", "upcoming"],
    "staff.audit_log": ["page"],
    "contracts.preview": ["kind", "page"],
    "obligations.obligation": ["expected"],
    "auth.login": ["next"],
}
# Endpoints that only take a POST: the form their button sits in, plus keys read directly.
POST_ONLY = {
    "auth.logout": (ConfirmForm, []), "auth.set_language": (LanguageForm, []),
    "suppliers.deactivate": (ConfirmForm, []), "suppliers.activate": (ConfirmForm, []),
    "suppliers.resend": (ConfirmForm, []), "suppliers.change_role": (RoleForm, []),
    "certificates.verify": (ConfirmForm, []), "certificates.reject": (RejectForm, []),
    "contracts.check": (ConfirmForm, []), "contracts.apply": (ConfirmForm, []),
    "contracts.discard": (ConfirmForm, []), "stories.submit": (ConfirmForm, []),
    "stories.preview": (ConfirmForm, ["body"]), "stories.take_offline": (ReasonForm, []),
    "stories.approve": (ConfirmForm, ["revision"]), "stories.reject": (ReasonForm, ["revision"]),
    "stories.unpublish": (ReasonForm, []),
}
# Buttons: a form with nothing but its CSRF token.
BUTTONS = {endpoint for endpoint, (form, extra) in POST_ONLY.items()
           if form is ConfirmForm and not extra}
# Keys the views take from request.form themselves; "action" is the name of the save, submit
# and preview buttons, which the page's HTML gives.
FORM_KEYS_READ_DIRECTLY = {"action", "body", "revision"}


def _rules(app):
    return {rule.endpoint: rule for rule in app.url_map.iter_rules() if rule.endpoint in MATRIX}


def _methods(rule):
    return sorted(rule.methods - {"HEAD", "OPTIONS"})


def _endpoints(predicate):
    from portal import create_app  # only the routes; no database is touched

    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x" * 40})
    return sorted(e for e, rule in _rules(app).items() if predicate(rule))


FORM_ENDPOINTS = _endpoints(lambda rule: "POST" in rule.methods)
ID_ENDPOINTS = _endpoints(lambda rule: any(isinstance(c, IntegerConverter)
                                           for c in rule._converters.values()))


def _wtforms_fields(form_class, extra) -> dict[str, Field]:
    form = form_class(meta={"csrf": False}, formdata=None)
    fields = {}
    for item in form:
        options = [choice[0] for choice in item.iter_choices()] if hasattr(
            item, "iter_choices") else []
        fields[item.name] = Field(item.name, getattr(item.widget, "input_type", "textarea"),
                                  options=options)
    return fields | {name: Field(name) for name in extra}


def _fields(app, endpoint, act, method) -> dict[str, Field]:
    """The fields to fuzz, read once per actor from its page (or the form class behind it)."""
    cached = act.fields
    if cached is None:
        if method == "post" and endpoint in POST_ONLY:
            cached = _wtforms_fields(*POST_ONLY[endpoint])
        else:
            page = act.client.get(act.path)
            if page.status_code in REDIRECTS:  # the login page, to someone logged in
                page = app.test_client().get(act.path)
            assert page.status_code == 200, f"{endpoint} as {act.role}: {page.status_code}"
            cached = forms_on(page.get_data(as_text=True), act.path, method)
            if method == "get":
                cached |= {n: Field(n) for n in QUERY_PARAMS[endpoint] if n not in cached}
        act.fields = cached
    return cached


def _draw_values(data, endpoint, fields: dict[str, Field]) -> dict:
    """Valid values, except for the fields of one kind (now and then several kinds)."""
    kinds = {name: fv.kind_of(name, item.html_type) for name, item in fields.items()}
    present = sorted(set(kinds.values()), key=fv.KIND_ORDER.index) or ["text"]
    # Hypothesis tries the first choices first, so they are the likeliest to break something.
    if data.draw(st.integers(0, 7), label="several kinds") < 7:
        # Free text is the kind of most fields, and the least likely to reach deep code.
        weighted = [kind for kind in present if kind != "text"] * 2 + present
        spoiled = {data.draw(st.sampled_from(weighted), label="spoiled kind")}
    else:
        spoiled = data.draw(st.sets(st.sampled_from(present)), label="spoiled kinds")
    dates = [name for name, kind in kinds.items() if kind == "date"]
    period = data.draw(fv.periods(len(dates)), label="dates") if "date" in spoiled else []
    values = {}
    for name, item in fields.items():
        kind = kinds[name]
        if kind == "file":
            values[name] = _draw_file(data, endpoint, kind in spoiled)
            continue
        options = [o for o in item.options if o]
        if kind not in spoiled:
            values[name] = data.draw(st.sampled_from(options)) if options else valid_value(item)
            continue
        if kind == "date":  # a period spoils its dates together
            values[name] = fv.written(data.draw, period[dates.index(name)], item.html_type)
            continue
        value = data.draw(fv.nasty(kind), label=name)
        how = "spoil" if kind in ("amount", "integer") else data.draw(
            st.sampled_from(["spoil"] * 6 + ["missing", "repeated"]), label=f"{name} sent as")
        if how == "repeated":
            values[name] = [value, valid_value(item)]
        elif how == "spoil":
            values[name] = value
    return values


def _draw_file(data, endpoint, spoiled):
    if "contracts" in endpoint:
        content = data.draw(fv.csv_files()) if spoiled else (
            ";".join(fv.CSV_HEADER) + "\n" + ";".join(fv.CSV_VALID) + "\n").encode()
    else:
        n = data.draw(st.integers(0, 10**9), label="pdf")
        content = data.draw(fv.pdfs(n)) if spoiled else factories.pdf_bytes(f"fuzz {n}")
    name = data.draw(fv.filenames, label="filename") if spoiled else "bestand"
    return (io.BytesIO(content), name)


@pytest.fixture
def cast(app, db):
    """The actors of one test, made on its first example and kept for the others."""
    return {}


def _actor(app, cast, endpoint, role):
    if role not in cast:
        cast[role] = actor(app, endpoint, role)
    return cast[role]


def _send(app, act, endpoint, method, path, **kwargs):
    before = snapshot(endpoint, app.config["UPLOAD_FOLDER"])
    if method == "GET":
        response = act.client.get(path, **kwargs)
    else:
        kwargs.setdefault("data", {})["csrf_token"] = act.token
        response = act.client.open(path, method=method, **kwargs)
    after = snapshot(endpoint, app.config["UPLOAD_FOLDER"])
    where = f"{method} {path} as {act.role} -> {response.status_code}"
    assert response.status_code < 500, where
    if response.status_code in REDIRECTS and method != "GET":
        act.refresh(endpoint)  # a POST that did something: start again from a known state
    else:
        assert before == after, f"{where} changed the database: " + ", ".join(
            t for t in before if before[t] != after.get(t))
    return response


def _post(app, cast, endpoint, role, data):
    act = _actor(app, cast, endpoint, role)
    fields = _fields(app, endpoint, act, "post")
    values = _draw_values(data, endpoint, fields)
    if not fields:  # a button: only keys it does not expect can be wrong
        values = data.draw(st.dictionaries(fv.text, fv.text, max_size=3), label="stray keys")
        values.pop("csrf_token", None)
    _send(app, act, endpoint, "POST", act.path, data=values)


def _query(app, cast, endpoint, role, data):
    act = _actor(app, cast, endpoint, role)
    values = _draw_values(data, endpoint, _fields(app, endpoint, act, "get"))
    _send(app, act, endpoint, "GET", act.path, query_string=values)


def _cases(endpoints):
    return [(endpoint, role) for endpoint in endpoints for role in roles_for(endpoint)]


@pytest.mark.parametrize(("endpoint", "role"),
                         _cases(e for e in FORM_ENDPOINTS if e not in BUTTONS))
def test_fuzz_form(app, cast, endpoint, role):
    _per_role(16, endpoint, role, lambda data: _post(app, cast, endpoint, role, data))


@pytest.mark.parametrize(("endpoint", "role"), _cases(sorted(BUTTONS)))
def test_fuzz_button(app, cast, endpoint, role):
    _per_role(2, endpoint, role, lambda data: _post(app, cast, endpoint, role, data))


@pytest.mark.parametrize(("endpoint", "role"), _cases(sorted(QUERY_PARAMS)))
def test_fuzz_query(app, cast, endpoint, role):
    _per_role(16, endpoint, role, lambda data: _query(app, cast, endpoint, role, data))


@pytest.mark.parametrize("endpoint", ID_ENDPOINTS)
@fuzz(8, "path ids")
@given(data=st.data())
def test_fuzz_path_id(app, cast, endpoint, data):
    role = data.draw(st.sampled_from([r for r in roles_for(endpoint) if r != "anonymous"]))
    act = _actor(app, cast, endpoint, role)
    rule = _rules(app)[endpoint]
    name = next(n for n, c in rule._converters.items() if isinstance(c, IntegerConverter))
    ident = data.draw(fv.integers, label=name)
    path = url_for(endpoint, **{name: 8675309}).replace("8675309", str(ident))
    method = data.draw(st.sampled_from(_methods(rule)), label="method")
    _send(app, act, endpoint, method, path)


def test_every_post_only_endpoint_has_its_form(app):
    post_only = {e for e, rule in _rules(app).items() if _methods(rule) == ["POST"]}
    assert post_only == set(POST_ONLY), "name the form behind each POST-only endpoint"


def test_every_parameter_read_is_fuzzed():
    """A view reading a new query parameter or form key fails here until the fuzz sends it."""
    source = "\n".join(p.read_text() for p in (ROOT / "portal").rglob("*.py"))
    args = set(re.findall(r"args\.get\(\s*\"(\w+)\"", source))
    assert args <= {name for names in QUERY_PARAMS.values() for name in names}
    assert set(re.findall(r"request\.form\.get\(\s*\"(\w+)\"", source)) <= (
        FORM_KEYS_READ_DIRECTLY)
    # A form filled from the query string: its fields are query parameters too.
    assert re.findall(r"(\w+Form)\(request\.args\)", source) == ["WhatIfForm"]


def test_the_fingerprint_sees_every_change(app, db):
    """The database fingerprint behind "a refused POST changes nothing" does notice changes."""
    folder = app.config["UPLOAD_FOLDER"]
    before = snapshot("staff.supplier", folder)
    organisation = factories.organisation()
    after_insert = snapshot("staff.supplier", folder)
    organisation.name = "Andere naam"
    after_update = snapshot("staff.supplier", folder)
    factories.certificate(organisation=organisation)  # a row and a stored file
    after_upload = snapshot("staff.supplier", folder)
    assert before["organisations"] != after_insert["organisations"] != after_update[
        "organisations"]
    assert after_update["<uploads>"] != after_upload["<uploads>"]
    assert after_update["certificates"] != after_upload["certificates"]
