"""Staff actions on suppliers and the audit log."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal import audit, permissions, routing
from portal.audit import AuditEvent
from portal.auth import services as auth_services
from portal.auth.models import Role, User
from portal.exceptions import DomainError
from portal.extensions import db
from portal.pso import normalise_kvk
from portal.suppliers.models import Organisation


def find_organisation(kvk: str) -> Organisation | None:
    return db.session.scalars(select(Organisation).where(Organisation.kvk == kvk)).first()


def invite_supplier_contact(actor: User, *, organisation_name: str, kvk: str, name: str,
                            email: str) -> tuple[User, bool]:
    """Invite a supplier's contact as its admin, creating the organisation if it is new.

    Returns the user and whether the organisation was created. An existing organisation
    keeps its name: the KvK number identifies it, and a typo in the name should not rename it.
    """
    permissions.require(permissions.can_manage_suppliers(actor))
    number = normalise_kvk(kvk)
    if number is None:
        raise DomainError(_l("Een KvK-nummer bestaat uit 8 cijfers."), field="kvk")
    organisation = find_organisation(number)
    created = organisation is None
    if created:
        organisation = Organisation(name=organisation_name.strip(), kvk=number)
        db.session.add(organisation)
        db.session.flush()
        audit.record("organisation_created", actor=actor, obj=organisation, kvk=number,
                     name=organisation.name)
    user = auth_services.invite(actor, email=email, name=name, role=Role.SUPPLIER_ADMIN.value,
                                organisation=organisation)
    return user, created


def audit_page(page: int, per_page: int):
    stmt = select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    return routing.paginate(stmt, page, per_page)
