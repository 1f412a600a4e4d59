"""Factories for test data: the smallest valid object, with overrides."""

import hashlib
import itertools
from datetime import date, timedelta

from portal import markdown
from portal.auth.models import Role, User
from portal.auth.passwords import hash_password
from portal.certificates.models import Certificate
from portal.contracts.models import Contract
from portal.db import utcnow
from portal.demo import demo_pdf
from portal.extensions import db
from portal.storage import get_storage
from portal.stories.models import Story, StoryRevision
from portal.suppliers.models import Organisation

PASSWORD = "een-lang-test-wachtwoord"
_seq = itertools.count(1)


def organisation(**overrides) -> Organisation:
    n = next(_seq)
    values = {"name": f"Leverancier {n}", "kvk": f"{10000000 + n:08d}"}
    values.update(overrides)
    org = Organisation(**values)
    db.session.add(org)
    db.session.flush()
    return org


def user(role: str = Role.SUPPLIER_USER.value, organisation=None, password=PASSWORD,
         **overrides) -> User:
    n = next(_seq)
    if role != Role.STAFF.value and organisation is None:
        organisation = globals()["organisation"]()
    values = {
        "email": f"persoon{n}@example.org",
        "name": f"Persoon {n}",
        "role": role,
        "organisation": organisation,
        "password_hash": hash_password(password) if password else None,
    }
    values.update(overrides)
    person = User(**values)
    db.session.add(person)
    db.session.flush()
    return person


def staff(moderator=False, **overrides) -> User:
    return user(Role.STAFF.value, is_moderator=moderator, **overrides)


def supplier_admin(organisation=None, **overrides) -> User:
    return user(Role.SUPPLIER_ADMIN.value, organisation=organisation, **overrides)


def pdf_bytes(title: str = "PSO-certificaat") -> bytes:
    """A real, small PDF; the title makes its bytes (and so its SHA-256) unique."""
    return demo_pdf(title)


def certificate(organisation=None, level="trede_2", state="pending", issued_on=None,
                valid_until=None, **overrides) -> Certificate:
    n = next(_seq)
    organisation = organisation or globals()["organisation"]()
    issued_on = issued_on or date.today() - timedelta(days=30)
    valid_until = valid_until or issued_on + timedelta(days=700)
    data = pdf_bytes(f"certificaat {n}")
    values = {
        "organisation": organisation, "level": level, "number": f"PSO-{n:05d}",
        "issued_on": issued_on, "valid_until": valid_until, "state": state,
        "file_key": get_storage().save(data), "original_name": f"certificaat-{n}.pdf",
        "size": len(data), "sha256": hashlib.sha256(data).hexdigest(),
    }
    values.update(overrides)
    cert = Certificate(**values)
    db.session.add(cert)
    db.session.flush()
    return cert


def contract(organisation=None, annual_value_cents=20_000_000, start_date=None, end_date=None,
             **overrides) -> Contract:
    n = next(_seq)
    organisation = organisation or globals()["organisation"]()
    values = {
        "organisation": organisation, "reference": f"C-{n:05d}",
        "description": f"Onderhoud complex {n}", "annual_value_cents": annual_value_cents,
        "start_date": start_date or date(date.today().year, 1, 1), "end_date": end_date,
    }
    values.update(overrides)
    item = Contract(**values)
    db.session.add(item)
    db.session.flush()
    return item


def contract_import(rows: str = "12345678;Leverancier;C-1;;2026-01-01;;1000\n", actor=None):
    """A contracts file through the real dry run, as staff would upload it."""
    from portal.contracts import importing

    data = ("kvk;leverancier;referentie;omschrijving;startdatum;einddatum;jaarbedrag\n"
            + rows).encode()
    item = importing.start(actor or staff(), filename="contracten.csv", data=data)
    db.session.flush()
    return item


STORY_REVISION_STATE = {"draft": "draft", "submitted": "submitted", "published": "approved",
                        "rejected": "rejected", "unpublished": "approved"}


def story(organisation=None, state="draft", author=None, published_on=None, body=None,
          **overrides) -> Story:
    """A story with one revision in the matching state; `overrides` go to the revision."""
    n = next(_seq)
    organisation = organisation or (author.organisation if author else None) or globals()[
        "organisation"]()
    body = body if body is not None else f"Verhaal {n}: *Anna* werkt nu vast bij ons."
    revision_values = {
        "number": 1, "state": STORY_REVISION_STATE[state], "title": f"Succesverhaal {n}",
        "summary": f"Samenvatting van verhaal {n}.", "body": body,
        "body_html": markdown.render(body), "target_group": "participatiewet",
        "placement_kind": "betaalde_baan", "people_count": 2, "municipality": "Venlo",
        "consent": True, "created_by": author,
    }
    if state != "draft":
        revision_values.update(submitted_by=author, submitted_at=utcnow())
    if state == "rejected":
        revision_values["rejection_reason"] = "Er staat een achternaam in."
    revision_values.update(overrides)
    online = state in ("published", "unpublished")
    item = Story(organisation=organisation, state="draft" if online else state,
                 created_by=author)
    revision = StoryRevision(**revision_values)
    item.revisions.append(revision)
    db.session.add(item)
    db.session.flush()
    if online:
        now = utcnow()
        item.state = state
        item.published_revision_id = revision.id
        item.published_at = now
        item.published_on = published_on or date.today()
        for fact in ("target_group", "placement_kind", "municipality", "people_count"):
            setattr(item, fact, getattr(revision, fact))
        revision.decided_at = now
        if state == "unpublished":
            item.unpublished_at = now
            item.unpublish_reason = "Toestemming ingetrokken."
        db.session.flush()
    return item
