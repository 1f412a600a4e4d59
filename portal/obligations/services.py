"""Loads a supplier's facts from the database and hands them to the pure rules in portal.pso."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from portal import pso
from portal.certificates.models import Certificate
from portal.extensions import db
from portal.obligations.models import PolicyRule
from portal.states import CertificateState
from portal.suppliers.models import Contract, Organisation

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def local_today() -> date:
    """Today where Wonen Limburg is: a certificate ending today is valid until midnight there."""
    return datetime.now(AMSTERDAM).date()


def policy_rules() -> list[pso.Rule]:
    rows = db.session.scalars(select(PolicyRule).order_by(PolicyRule.effective_from,
                                                          PolicyRule.id))
    return [pso.Rule(effective_from=r.effective_from, threshold_cents=r.threshold_cents,
                     required_level=r.required_level, effective_until=r.effective_until, id=r.id)
            for r in rows]


def rule_notes() -> dict[int, str]:
    """The explanation staff gave with each rule, by id (e.g. how the leaflet was read)."""
    return {r.id: r.note for r in db.session.scalars(select(PolicyRule)) if r.note}


def contract_facts(organisation: Organisation) -> list[pso.Contract]:
    rows = db.session.scalars(select(Contract).where(Contract.organisation_id == organisation.id))
    return [pso.Contract(start=c.start_date, end=c.end_date,
                         annual_value_cents=c.annual_value_cents, reference=c.reference, id=c.id)
            for c in rows]


def certificate_facts(organisation: Organisation) -> list[pso.Certificate]:
    rows = db.session.scalars(select(Certificate).where(
        Certificate.organisation_id == organisation.id,
        Certificate.state != CertificateState.REJECTED))
    return [pso.Certificate(level=c.level, valid_from=c.issued_on, valid_until=c.valid_until,
                            state=c.state, number=c.number, id=c.id) for c in rows]


class Picture:
    """Everything the obligation page shows for one supplier, computed once."""

    def __init__(self, organisation: Organisation, today: date, years: int = 3):
        rules = policy_rules()
        contracts = contract_facts(organisation)
        certificates = certificate_facts(organisation)
        self.organisation = organisation
        self.today = today
        self.rules = rules
        self.assessment = pso.assess(rules, contracts, certificates, today)
        self.timeline = pso.timeline(rules, contracts, certificates, today, years=years)
        self.notes = rule_notes()

    @property
    def status(self) -> pso.Status:
        return self.assessment.status


def what_if(annual_cents: int, day: date) -> pso.Obligation:
    """The requirement for a supplier whose annual contract sum would be `annual_cents`."""
    contract = pso.Contract(start=date(day.year, 1, 1), end=None, annual_value_cents=annual_cents)
    return pso.obligation_on(policy_rules(), [contract], day)
