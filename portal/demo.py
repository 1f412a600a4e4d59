"""Demo data for trying the portal; `flask --app portal seed-demo` calls it.

Dates are relative to the day it runs, so that the demo statuses hold on any day.
"""

from portal.auth.models import Role, User
from portal.auth.passwords import hash_password
from portal.extensions import db
from portal.suppliers.models import Organisation

PASSWORD = "demo-wachtwoord-2026"  # noqa: S105 - the documented demo password

SUPPLIERS = [
    # (KvK, name, admin e-mail, admin name)
    ("14012345", "Bouwbedrijf Maas B.V.", "jan@bouwbedrijf-maas.example", "Jan Maas"),
    ("14023456", "Schildersbedrijf Roer", "eva@schilders-roer.example", "Eva Roerdink"),
    ("14034567", "Installatietechniek Geul", "tom@installatie-geul.example", "Tom Geulen"),
]


def seed() -> list[tuple[str, str]]:
    """Add the demo organisations and accounts; returns (e-mail, description) per account."""
    password_hash = hash_password(PASSWORD)
    staff = User(email="inkoop@wonenlimburg.example", name="Team Inkoopadvies",
                 role=Role.STAFF.value, is_moderator=True, password_hash=password_hash)
    db.session.add(staff)
    accounts = [(staff.email, "staff and moderator, Wonen Limburg")]
    for kvk, name, email, person in SUPPLIERS:
        organisation = Organisation(name=name, kvk=kvk)
        db.session.add(organisation)
        db.session.add(User(email=email, name=person, role=Role.SUPPLIER_ADMIN.value,
                            organisation=organisation, password_hash=password_hash))
        accounts.append((email, f"supplier admin, {name}"))
    db.session.flush()
    return accounts
