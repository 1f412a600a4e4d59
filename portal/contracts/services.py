"""Contracts kept by hand: staff add and correct them per supplier, and every change is audited."""

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy import update as sa_update

from portal import audit, permissions
from portal.auth.models import User
from portal.contracts.models import Contract
from portal.db import facts_changed, utcnow
from portal.exceptions import DomainError
from portal.extensions import db
from portal.suppliers.models import Organisation


def _values(reference: str, description: str, start_date: date, end_date: date | None,
            annual_value_cents: int) -> dict:
    return {"reference": reference.strip(), "description": (description or "").strip(),
            "start_date": start_date, "end_date": end_date,
            "annual_value_cents": annual_value_cents}


def _check(actor: User, organisation: Organisation, values: dict,
           contract: Contract | None = None) -> None:
    permissions.require(permissions.can_manage_contracts(actor))
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
    values = _values(reference, description, start_date, end_date, annual_value_cents)
    _check(actor, organisation, values)
    contract = Contract(organisation=organisation, **values)
    db.session.add(contract)
    audit.record("contract_created", actor=actor, obj=contract, organisation=organisation.kvk,
                 reference=contract.reference, annual_value_cents=annual_value_cents)
    return contract


def update(actor: User, contract: Contract, *, reference: str, description: str,
           start_date: date, end_date: date | None, annual_value_cents: int,
           seen_version: str | None = None) -> list[str]:
    """Change a contract; returns the names of the fields that changed (none: nothing audited).

    `seen_version` is the contract's version when the form was opened: if someone (or an
    import) changed it since, the change is refused rather than silently overwriting theirs.
    """
    values = _values(reference, description, start_date, end_date, annual_value_cents)
    _check(actor, contract.organisation, values, contract)
    seen = contract.updated_at if seen_version is None else _parse_version(seen_version)
    changed = {name: [_plain(getattr(contract, name)), _plain(value)]
               for name, value in values.items() if getattr(contract, name) != value}
    if seen != contract.updated_at:
        raise EditConflict(_EDIT_CONFLICT)
    if not changed:
        return []
    # Conditional, so that of two saves at once, or a save and an import, one wins.
    done = db.session.execute(
        sa_update(Contract).where(Contract.id == contract.id, Contract.updated_at == seen)
        .values(**{name: values[name] for name in changed}, updated_at=utcnow())
        .execution_options(synchronize_session=False)).rowcount
    if done != 1:
        raise EditConflict(_EDIT_CONFLICT)
    db.session.refresh(contract)
    facts_changed(contract.organisation_id)  # one UPDATE: no ORM event notes it
    audit.record("contract_changed", actor=actor, obj=contract,
                 organisation=contract.organisation.kvk, changes=changed)
    return list(changed)


_EDIT_CONFLICT = _l("Dit contract is gewijzigd nadat u het opende (door een collega of een "
                    "import). Uw invoer staat hieronder nog; open het contract opnieuw om de "
                    "nieuwe gegevens te zien.")


class EditConflict(DomainError):
    """The contract changed between opening the form and saving it."""


def version_of(contract: Contract) -> str:
    return contract.updated_at.isoformat()


def _parse_version(text: str):
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def _plain(value):
    return value.isoformat() if isinstance(value, date) else value


def for_organisation(organisation: Organisation) -> list[Contract]:
    return list(db.session.scalars(
        select(Contract).where(Contract.organisation_id == organisation.id)
        .order_by(Contract.start_date.desc(), Contract.reference)))
