"""Who may do what, as sentences: the one place that answers it.

The view decorators (`portal.auth.decorators`), the services (which refuse with
PermissionDenied) and the templates (the global `permissions`) all ask these predicates, so a
rule is changed once and the three layers cannot drift apart. The route x role matrix test
(tests/security/test_route_matrix.py) is the proof that the views follow them.

Each predicate reads only attributes of the user and the object, never the request or the
database, so it is cheap in a template loop and testable without an app. An account that was
deactivated may do nothing, whatever its role.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from portal.exceptions import PermissionDenied

if TYPE_CHECKING:
    from portal.auth.models import User


class _Owned(Protocol):
    organisation_id: int


def require(allowed: bool) -> None:
    """For services: `require(can_moderate(actor))` refuses with PermissionDenied (a 403)."""
    if not allowed:
        raise PermissionDenied


def belongs_to(user: User, thing: _Owned) -> bool:
    """Whether `thing` (a story, a certificate, a contract) is of the user's organisation."""
    return user.organisation_id is not None and user.organisation_id == thing.organisation_id


# --- Wonen Limburg's own people ---------------------------------------------------------------

def is_staff_member(user: User) -> bool:
    """An active account of Wonen Limburg: the staff pages, suppliers, contracts, rules."""
    return user.is_staff and user.active


def can_manage_suppliers(user: User) -> bool:
    return is_staff_member(user)


def can_manage_contracts(user: User) -> bool:
    return is_staff_member(user)


def can_change_policy(user: User) -> bool:
    return is_staff_member(user)


def can_decide_certificates(user: User) -> bool:
    return is_staff_member(user)


def can_moderate(user: User) -> bool:
    """Approve, reject and take offline any organisation's stories."""
    return is_staff_member(user) and user.is_moderator


# --- Suppliers ---------------------------------------------------------------------------------

def is_supplier(user: User) -> bool:
    """An active account of a supplier organisation: its own obligation, certificates, stories."""
    return not user.is_staff and user.active and user.organisation_id is not None


def is_supplier_admin(user: User) -> bool:
    return is_supplier(user) and user.is_supplier_admin


def can_manage_colleagues_of(user: User, organisation) -> bool:
    """Invite, deactivate and change the role of the organisation's accounts."""
    return is_supplier_admin(user) and user.organisation_id == organisation.id


def can_manage_colleague(user: User, colleague: User) -> bool:
    return is_supplier_admin(user) and belongs_to(user, colleague)


# --- Certificates ------------------------------------------------------------------------------

def can_view_certificate(user: User, certificate: _Owned) -> bool:
    """Staff see every certificate; a supplier only its own organisation's."""
    return user.is_staff or belongs_to(user, certificate)


# --- Stories -----------------------------------------------------------------------------------

def can_write_stories(user: User) -> bool:
    return is_supplier(user)


def can_view_story(user: User, story) -> bool:
    """Published stories are for everyone logged in; the rest for the organisation and staff."""
    return story.is_public or user.is_staff or belongs_to(user, story)


def can_edit_story(user: User, story) -> bool:
    """Any active colleague of the story's organisation; staff never write suppliers' stories."""
    return can_write_stories(user) and belongs_to(user, story)


def sees_story_internals(user: User, story) -> bool:
    """The story's state, drafts and the moderator's reasons: its organisation and staff."""
    return user.is_staff or belongs_to(user, story)


def can_take_offline(user: User, story) -> bool:
    """A moderator, or the organisation itself (when someone withdraws consent)."""
    return can_moderate(user) or can_edit_story(user, story)
