"""The one way from database rows to the pure facts of portal.pso.

The obligation page, the staff overview, the policy preview and the reminders all assess
suppliers; they load the rules, contracts and certificates here, so a column read differently
in one of them cannot make two pages disagree about a status. Plain columns, not ORM objects:
for thousands of suppliers, building objects per row cost most of a request.
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from sqlalchemy import Integer, any_, literal, or_, select
from sqlalchemy.dialects.postgresql import ARRAY

from portal import pso
from portal.certificates.models import Certificate
from portal.contracts.models import Contract
from portal.extensions import db
from portal.obligations.models import PolicyRule
from portal.states import CertificateState


def rules() -> list[pso.Rule]:
    return rules_and_notes()[0]


def rules_and_notes() -> tuple[list[pso.Rule], dict[int, str]]:
    """The rules, and the explanation staff gave with each rule by id (e.g. how the leaflet
    was read), from one statement: a page that shows both reads the table once."""
    rows = db.session.execute(select(
        PolicyRule.effective_from, PolicyRule.threshold_cents, PolicyRule.required_level,
        PolicyRule.effective_until, PolicyRule.id, PolicyRule.note,
    ).order_by(PolicyRule.effective_from, PolicyRule.id)).all()
    return ([pso.Rule(effective_from=r.effective_from, threshold_cents=r.threshold_cents,
                      required_level=r.required_level, effective_until=r.effective_until,
                      id=r.id) for r in rows],
            {r.id: r.note for r in rows if r.note})


def contracts(organisation_ids: Iterable[int] | None = None,
              year: int | None = None) -> dict[int, list[pso.Contract]]:
    """Per organisation its contracts; with `year`, only those that run in it, by the same test
    as pso.Contract.runs_in (the only ones pso.annual_contract_sum counts in that year)."""
    query = select(Contract.organisation_id, Contract.start_date, Contract.end_date,
                   Contract.annual_value_cents, Contract.reference, Contract.id)
    if organisation_ids is not None:
        query = query.where(_among(Contract.organisation_id, organisation_ids))
    if year is not None:
        query = query.where(Contract.start_date <= date(year, 12, 31),
                            or_(Contract.end_date.is_(None),
                                Contract.end_date >= date(year, 1, 1)))
    found = defaultdict(list)
    for org_id, start, end, cents, reference, contract_id in _plain_rows(query):
        found[org_id].append(pso.Contract(start=start, end=end, annual_value_cents=cents,
                                          reference=reference, id=contract_id))
    return found


def certificates(organisation_ids: Iterable[int] | None = None,
                 ) -> dict[int, list[pso.Certificate]]:
    """Per organisation its certificates that can count: pending and verified ones."""
    query = select(Certificate.organisation_id, Certificate.level, Certificate.issued_on,
                   Certificate.valid_until, Certificate.state, Certificate.number,
                   Certificate.id).where(Certificate.state != CertificateState.REJECTED)
    if organisation_ids is not None:
        query = query.where(_among(Certificate.organisation_id, organisation_ids))
    found = defaultdict(list)
    for org_id, level, issued_on, valid_until, state, number, certificate_id in \
            _plain_rows(query):
        found[org_id].append(pso.Certificate(level=level, issued_on=issued_on,
                                             valid_until=valid_until, state=state,
                                             number=number, id=certificate_id))
    return found


def _among(column, organisation_ids: Iterable[int]):
    """`column IN (...)`; on PostgreSQL `column = ANY(:array)`, one parameter: the daily
    refresh asks for 2,000 suppliers at a time, and sending 2,000 parameters took psycopg
    longer than the database took to answer."""
    ids = list(organisation_ids)
    if db.session.get_bind().dialect.name == "postgresql":
        return column == any_(literal(ids, ARRAY(Integer)))
    return column.in_(ids)


def _plain_rows(query):
    """The rows of `query` as session.execute() gives them, after the same autoflush, but
    straight from the connection: the ORM's work per row was a third of a daily refresh."""
    session = db.session()
    if session.autoflush:
        session.flush()
    return session.connection().execute(query).all()


def certificate_of(row: Certificate) -> pso.Certificate:
    """One certificate's facts, for a caller that already holds its row."""
    return pso.Certificate(level=row.level, issued_on=row.issued_on, valid_until=row.valid_until,
                           state=row.state, number=row.number, id=row.id)
