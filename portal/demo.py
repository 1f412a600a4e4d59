"""Demo data for trying the portal; `flask --app portal seed-demo` calls it.

Dates are relative to the day it runs, so that the demo statuses hold on any day:
Bouwbedrijf Maas is above EUR 150,000 with a verified trede 2 (compliant), Schildersbedrijf
Roer above it with only trede 1 (non_compliant), Installatietechniek Geul below it
(not_required).
"""

import hashlib
import io
from datetime import date, timedelta

from pypdf import PdfWriter

from portal.auth.models import Role, User
from portal.auth.passwords import hash_password
from portal.certificates.models import Certificate
from portal.contracts.models import Contract
from portal.extensions import db
from portal.states import CertificateState
from portal.storage import get_storage
from portal.stories import demo as story_demo
from portal.suppliers.models import Organisation

PASSWORD = "demo-wachtwoord-2026"  # noqa: S105 - the documented demo password

SUPPLIERS = [
    # KvK, name, admin e-mail, admin name, annual contract sum (cents), verified level, status
    ("14012345", "Bouwbedrijf Maas B.V.", "jan@bouwbedrijf-maas.example", "Jan Maas",
     21_250_000, "trede_2", "compliant"),
    ("14023456", "Schildersbedrijf Roer", "eva@schilders-roer.example", "Eva Roerdink",
     18_000_000, "trede_1", "non_compliant"),
    ("14034567", "Installatietechniek Geul", "tom@installatie-geul.example", "Tom Geulen",
     8_500_000, None, "not_required"),
]


def demo_pdf(title: str) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": title})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def seed(today: date | None = None) -> list[tuple[str, str]]:
    """Add the demo organisations and accounts; returns (e-mail, description) per account."""
    today = today or date.today()
    password_hash = hash_password(PASSWORD)
    staff = User(email="inkoop@wonenlimburg.example", name="Team Inkoopadvies",
                 role=Role.STAFF.value, is_moderator=True, password_hash=password_hash)
    db.session.add(staff)
    accounts = [(staff.email, "staff and moderator, Wonen Limburg")]
    storage = get_storage()
    members = []
    for n, (kvk, name, email, person, cents, level, status) in enumerate(SUPPLIERS, 1):
        organisation = Organisation(name=name, kvk=kvk)
        db.session.add(organisation)
        admin = User(email=email, name=person, role=Role.SUPPLIER_ADMIN.value,
                     organisation=organisation, password_hash=password_hash)
        db.session.add(admin)
        members.append((organisation, admin))
        # A contract that began last year and runs on: it counts in every year shown.
        db.session.add(Contract(
            organisation=organisation, reference=f"WL-{today.year - 1}-{n:03d}",
            description="Planmatig onderhoud woningen", start_date=date(today.year - 1, 3, 1),
            end_date=None, annual_value_cents=cents))
        if level:
            data = demo_pdf(f"Demo PSO-certificaat {name}")
            db.session.add(Certificate(
                organisation=organisation, level=level, number=f"PSO-DEMO-{n:03d}",
                issued_on=today - timedelta(days=200), valid_until=today + timedelta(days=500),
                state=CertificateState.VERIFIED, file_key=storage.save(data),
                original_name="demo.pdf", size=len(data), sha256=hashlib.sha256(data).hexdigest(),
                decided_by=staff))
        accounts.append((email, f"supplier admin, {name}: {status}"))
    db.session.flush()
    story_demo.seed(members, staff, today)
    return accounts
