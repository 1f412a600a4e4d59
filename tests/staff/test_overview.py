"""The staff compliance overview: statuses, filters, sorting, paging and the CSV export."""

import csv
import io
import re
from datetime import timedelta

import pytest

from portal.clock import local_today
from portal.obligations import overview
from portal.obligations.models import Compliance
from tests import factories


@pytest.fixture
def three_suppliers(db):
    today = local_today()
    ok = factories.organisation(name="Aannemer Alfa", kvk="11111111")
    factories.contract(ok, annual_value_cents=20_000_000)
    factories.certificate(ok, level="trede_2", state="verified",
                          issued_on=today - timedelta(days=10),
                          valid_until=today + timedelta(days=400))
    low = factories.organisation(name="Bouw Beta", kvk="22222222")
    factories.contract(low, annual_value_cents=16_000_000)
    factories.certificate(low, level="trede_1", state="verified",
                          issued_on=today - timedelta(days=10),
                          valid_until=today + timedelta(days=400))
    small = factories.organisation(name="=Klein Gamma", kvk="33333333")
    factories.contract(small, annual_value_cents=1_000_000)
    return ok, low, small


def statuses(html):
    return dict(re.findall(r'data-kvk="(\d{8})" data-status="([a-z_]+)"', html))


def test_every_supplier_with_its_status(client, login_as, three_suppliers):
    login_as(factories.staff())
    html = client.get("/staff/suppliers").get_data(as_text=True)
    assert statuses(html) == {"11111111": "compliant", "22222222": "non_compliant",
                              "33333333": "not_required"}
    assert "€ 200.000,00" in html


@pytest.mark.parametrize("query, expected", [
    ("?status=non_compliant", {"22222222"}),
    ("?q=beta", {"22222222"}),
    ("?q=1111", {"11111111"}),
    ("?q=niemand", set()),
    ("?status=bogus", {"11111111", "22222222", "33333333"}),
])
def test_filters(client, login_as, three_suppliers, query, expected):
    login_as(factories.staff())
    html = client.get("/staff/suppliers" + query).get_data(as_text=True)
    assert set(statuses(html)) == expected


def test_sort_by_sum_descending(client, login_as, three_suppliers):
    login_as(factories.staff())
    html = client.get("/staff/suppliers?sort=sum&desc=1").get_data(as_text=True)
    assert list(statuses(html)) == ["11111111", "22222222", "33333333"]


def test_paging(app, client, login_as, db, monkeypatch):
    from portal.staff import routes

    monkeypatch.setattr(routes, "PAGE_SIZE", 2)
    for n in range(5):
        factories.organisation(name=f"Leverancier {n}", kvk=f"4000000{n}")
    login_as(factories.staff())
    first = statuses(client.get("/staff/suppliers").get_data(as_text=True))
    third = client.get("/staff/suppliers?page=3").get_data(as_text=True)
    assert len(first) == 2 and len(statuses(third)) == 1
    assert "Pagina 3 van 3" in third


def test_csv_export_is_excel_ready_and_filtered(client, login_as, three_suppliers):
    login_as(factories.staff())
    response = client.get("/staff/suppliers.csv?status=non_compliant")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["kvk", "naam", "status"]
    assert rows[0][8:] == ["verandert_op", "status_dan", "gevraagde_trede_dan"]
    assert rows[1:] == [["22222222", "Bouw Beta", "non_compliant", "160.000,00", "trede_2",
                         "trede_1", rows[1][6], rows[1][7], "", "", ""]]


def test_csv_cells_never_start_a_formula(client, login_as, three_suppliers):
    login_as(factories.staff())
    text = client.get("/staff/suppliers.csv").data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    names = [r[1] for r in rows[1:]]
    assert "'=Klein Gamma" in names
    assert all(not cell.startswith(("=", "+", "-", "@")) for r in rows for cell in r)


@pytest.mark.parametrize("value, expected", [
    ("=SUM(A1)", "'=SUM(A1)"), ("+31", "'+31"), ("-5", "'-5"), ("@x", "'@x"),
    ("\tx", "'\tx"), ("\rx", "'\rx"), ("Gewoon", "Gewoon"), (None, ""),
])
def test_safe_cell(value, expected):
    assert overview.safe_cell(value) == expected


def test_query_count_does_not_grow_with_suppliers(app, client, login_as, db):
    from sqlalchemy import event

    def queries_for(n):
        for _ in range(n):
            org = factories.organisation()
            factories.contract(org)
            factories.certificate(org, state="verified")
        statements = []

        def count(*_args):
            statements.append(1)

        event.listen(db.engine, "before_cursor_execute", count)
        try:
            assert client.get("/staff/suppliers").status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        return len(statements)

    login_as(factories.staff())
    assert queries_for(2) == queries_for(20)


def test_only_contracts_running_in_the_year_count_as_in_the_rules(db):
    """The overview leaves contracts outside the year in the database; the edges must still
    agree with pso.annual_contract_sum over all of them."""
    from datetime import date

    from portal import pso

    today = local_today()
    year = today.year
    org = factories.organisation()
    spans = {  # cents chosen so the total shows exactly which contracts were counted
        1: (date(year - 3, 1, 1), date(year - 1, 12, 31)),  # ended the day before the year
        2: (date(year - 1, 6, 1), date(year, 1, 1)),  # ends on the year's first day
        4: (date(year, 12, 31), None),  # starts on the year's last day
        8: (date(year + 1, 1, 1), None),  # starts the day after the year
        16: (date(year - 5, 3, 1), None),  # runs until further notice
        32: (date(year, 3, 1), date(year, 4, 30)),  # within the year
    }
    for cents, (start, end) in spans.items():
        factories.contract(org, annual_value_cents=cents, start_date=start, end_date=end)
    everything = [pso.Contract(start=s, end=e, annual_value_cents=c)
                  for c, (s, e) in spans.items()]

    db.session.commit()
    stored = db.session.get(Compliance, org.id)

    assert stored.annual_sum_cents == 2 + 4 + 16 + 32
    assert stored.annual_sum_cents == pso.annual_contract_sum(everything, year)
