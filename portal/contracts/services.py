"""Contracts kept by hand: staff add and correct them per supplier, and every change is audited."""

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal import audit
from portal.auth.models import User
from portal.exceptions import DomainError, PermissionDenied
from portal.extensions import db
from portal.suppliers.models import Contract, Organisation

FIELDS = ("reference", "description", "start_date", "end_date", "annual_value_cents")


def _check(actor: User, organisation: Organisation, values: dict,
           contract: Contract | None = None) -> None:
    if not actor.is_staff or not actor.active:
        raise PermissionDenied
    if values["end_date"] is not None and values["end_date"] < values["start_date"]:
        raise DomainError(_l("De einddatum ligt vóór de startdatum."), field="end_date")
    if values["annual_value_cents"] < 0:
        raise DomainError(_l("Een jaarbedrag is niet negatief."), field="annual_value")
    same = db.session.scalars(select(Contract).where(
        Contract.organisation_id == organisation.id,
        Contract.reference == values["reference"])).first()
    if same is not None and same is not contract:
        raise DomainError(_l("%(org)s heeft al een contract met referentie %(reference)s.",
                             org=organisation.name, reference=values["reference"]),
                          field="reference")


def create(actor: User, organisation: Organisation, *, reference: str, description: str,
           start_date: date, end_date: date | None, annual_value_cents: int) -> Contract:
    values = {"reference": reference.strip(), "description": (description or "").strip(),
              "start_date": start_date, "end_date": end_date,
              "annual_value_cents": annual_value_cents}
    _check(actor, organisation, values)
    contract = Contract(organisation=organisation, **values)
    db.session.add(contract)
    audit.record("contract_created", actor=actor, obj=contract, organisation=organisation.kvk,
                 reference=contract.reference, annual_value_cents=annual_value_cents)
    return contract


def update(actor: User, contract: Contract, *, reference: str, description: str,
           start_date: date, end_date: date | None, annual_value_cents: int) -> list[str]:
    """Change a contract; returns the names of the fields that changed (none: nothing audited)."""
    values = {"reference": reference.strip(), "description": (description or "").strip(),
              "start_date": start_date, "end_date": end_date,
              "annual_value_cents": annual_value_cents}
    _check(actor, contract.organisation, values, contract)
    changed = {name: [_plain(getattr(contract, name)), _plain(value)]
               for name, value in values.items() if getattr(contract, name) != value}
    for name in changed:
        setattr(contract, name, values[name])
    if changed:
        audit.record("contract_changed", actor=actor, obj=contract,
                     organisation=contract.organisation.kvk, changes=changed)
    return list(changed)


def _plain(value):
    return value.isoformat() if isinstance(value, date) else value


def for_organisation(organisation: Organisation) -> list[Contract]:
    return list(db.session.scalars(
        select(Contract).where(Contract.organisation_id == organisation.id)
        .order_by(Contract.start_date.desc(), Contract.reference)))
