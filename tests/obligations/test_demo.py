"""The demo accounts show the statuses DESIGN.md promises, on any day."""

import re
from datetime import date

import pytest
from sqlalchemy import select

from portal import demo
from portal.obligations import services
from portal.suppliers.models import Organisation
from tests.conftest import csrf_token

EXPECTED = {
    "jan@bouwbedrijf-maas.example": "compliant",
    "eva@schilders-roer.example": "non_compliant",
    "tom@installatie-geul.example": "not_required",
}


def test_demo_accounts_see_their_status_on_the_obligation_page(app, db):
    demo.seed()
    db.session.commit()
    for email, status in EXPECTED.items():
        client = app.test_client()
        client.post("/login", data={"email": email, "password": demo.PASSWORD,
                                    "csrf_token": csrf_token(client, "/login")})
        html = client.get("/obligation").get_data(as_text=True)
        found = re.findall(r'id="obligation-status" data-status="([a-z_]+)"', html)
        assert found == [status], email


@pytest.mark.parametrize("today", [date(2026, 12, 31), date(2027, 1, 1), date(2028, 2, 29)])
def test_demo_statuses_hold_on_any_day(db, today):
    demo.seed(today=today)
    for organisation in db.session.scalars(select(Organisation)):
        email = organisation.users[0].email
        assert services.Picture(organisation, today).status == EXPECTED[email], (email, today)
