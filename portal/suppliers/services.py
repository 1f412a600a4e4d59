"""A supplier admin managing the colleagues of their own organisation."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal import audit, permissions
from portal.auth import services as auth_services
from portal.auth import sessions
from portal.auth.models import Role, User
from portal.exceptions import DomainError, PermissionDenied
from portal.extensions import db
from portal.suppliers.models import Organisation

SUPPLIER_ROLES = {Role.SUPPLIER_USER.value, Role.SUPPLIER_ADMIN.value}


def colleagues(organisation: Organisation) -> list[User]:
    return list(db.session.scalars(
        select(User).where(User.organisation_id == organisation.id).order_by(User.name)
    ))


def get_colleague(actor: User, user_id: int) -> User | None:
    """A user of the actor's own organisation, or None: another organisation's user stays unseen."""
    user = db.session.get(User, user_id)
    if user is None or actor.organisation_id is None:
        return None
    if user.organisation_id != actor.organisation_id:
        return None
    return user


def invite_colleague(actor: User, *, email: str, name: str, role: str) -> User:
    """Invite into the actor's own organisation: no other organisation can be named."""
    organisation = actor.organisation
    if organisation is None or not permissions.can_manage_colleagues_of(actor, organisation):
        raise PermissionDenied
    if role not in SUPPLIER_ROLES:
        raise DomainError(_l("Kies een rol uit de lijst."), field="role")
    return auth_services.invite(actor, email=email, name=name, role=role,
                                organisation=organisation)


def _check_other_colleague(actor: User, user: User) -> None:
    permissions.require(permissions.can_manage_colleague(actor, user))
    if user.id == actor.id:
        raise DomainError(_l("U kunt uw eigen account niet wijzigen; vraag een andere beheerder."))


def set_active(actor: User, user: User, active: bool) -> None:
    """Deactivate (ending every session at once) or reactivate a colleague."""
    _check_other_colleague(actor, user)
    if user.active == active:
        return
    user.active = active
    if not active:
        sessions.end_all(user)
    audit.record("user_activated" if active else "user_deactivated", actor=actor, obj=user)


def set_role(actor: User, user: User, role: str) -> None:
    _check_other_colleague(actor, user)
    if role not in SUPPLIER_ROLES:
        raise DomainError(_l("Kies een rol uit de lijst."), field="role")
    if user.role == role:
        return
    audit.record("role_changed", actor=actor, obj=user, old=user.role, new=role)
    user.role = role


def resend_invitation(actor: User, user: User) -> None:
    _check_other_colleague(actor, user)
    if not user.is_pending:
        raise DomainError(_l("%(name)s heeft de uitnodiging al geaccepteerd.", name=user.name))
    if not user.active:
        raise DomainError(_l("Het account van %(name)s is gedeactiveerd. Activeer het eerst.",
                             name=user.name))
    auth_services.send_invitation(actor, user)
