"""Factories for test data: the smallest valid object, with overrides."""

import itertools

from portal.auth.models import Role, User
from portal.auth.passwords import hash_password
from portal.extensions import db
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
