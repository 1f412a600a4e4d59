"""The permission predicates as sentences, on plain objects: no app, no database.

The route x role matrix (tests/security/test_route_matrix.py) shows the views follow them;
this shows what each one says, deactivated accounts and other organisations included.
"""

from types import SimpleNamespace

import pytest

from portal import permissions
from portal.exceptions import PermissionDenied

ORG, OTHER = 1, 2


def person(kind: str, *, active: bool = True, organisation_id: int | None = ORG):
    staff = kind in ("staff", "moderator")
    return SimpleNamespace(
        is_staff=staff, is_moderator=kind == "moderator",
        is_supplier_admin=kind == "supplier_admin", active=active,
        organisation_id=None if staff else organisation_id)


KINDS = ["supplier_user", "supplier_admin", "staff", "moderator"]
STAFF_PREDICATES = [permissions.is_staff_member, permissions.can_manage_suppliers,
                    permissions.can_manage_contracts, permissions.can_change_policy,
                    permissions.can_decide_certificates]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("predicate", STAFF_PREDICATES, ids=lambda p: p.__name__)
def test_staff_work_is_for_active_staff(predicate, kind):
    assert predicate(person(kind)) == (kind in ("staff", "moderator"))
    assert not predicate(person(kind, active=False))


@pytest.mark.parametrize("kind", KINDS)
def test_moderating_is_for_active_moderators(kind):
    assert permissions.can_moderate(person(kind)) == (kind == "moderator")
    assert not permissions.can_moderate(person(kind, active=False))


@pytest.mark.parametrize("kind", KINDS)
def test_supplier_pages_are_for_active_accounts_of_an_organisation(kind):
    supplier = kind.startswith("supplier")
    assert permissions.is_supplier(person(kind)) == supplier
    assert permissions.is_supplier_admin(person(kind)) == (kind == "supplier_admin")
    assert not permissions.is_supplier(person(kind, active=False))
    assert not permissions.is_supplier(person(kind, organisation_id=None))


def test_colleagues_are_managed_by_their_own_organisations_admin():
    admin = person("supplier_admin")
    assert permissions.can_manage_colleague(admin, person("supplier_user"))
    assert not permissions.can_manage_colleague(admin, person("supplier_user",
                                                              organisation_id=OTHER))
    assert not permissions.can_manage_colleague(person("supplier_user"), person("supplier_user"))
    assert not permissions.can_manage_colleague(person("staff"), person("supplier_user"))
    assert permissions.can_manage_colleagues_of(admin, SimpleNamespace(id=ORG))
    assert not permissions.can_manage_colleagues_of(admin, SimpleNamespace(id=OTHER))


def story(published: bool, organisation_id: int = ORG):
    return SimpleNamespace(is_public=published, organisation_id=organisation_id)


@pytest.mark.parametrize("published", [False, True])
def test_stories(published):
    own, other = story(published), story(published, OTHER)
    user, staff, moderator = person("supplier_user"), person("staff"), person("moderator")
    assert permissions.can_view_story(user, own)
    assert permissions.can_view_story(user, other) == published
    assert permissions.can_view_story(staff, other)
    assert permissions.can_edit_story(user, own) and not permissions.can_edit_story(user, other)
    assert not permissions.can_edit_story(staff, own)
    assert not permissions.can_edit_story(person("supplier_user", active=False), own)
    assert permissions.sees_story_internals(user, own) and permissions.sees_story_internals(
        staff, other)
    assert not permissions.sees_story_internals(user, other)
    assert permissions.can_take_offline(moderator, other)
    assert permissions.can_take_offline(user, own)
    assert not permissions.can_take_offline(user, other) and not permissions.can_take_offline(
        staff, other)


def test_certificates_are_seen_by_their_organisation_and_staff():
    certificate = SimpleNamespace(organisation_id=ORG)
    assert permissions.can_view_certificate(person("supplier_user"), certificate)
    assert permissions.can_view_certificate(person("staff"), certificate)
    assert not permissions.can_view_certificate(person("supplier_user", organisation_id=OTHER),
                                                certificate)
    assert not permissions.can_view_certificate(person("supplier_user", organisation_id=None),
                                                certificate)


def test_require_refuses_with_permission_denied():
    permissions.require(True)
    with pytest.raises(PermissionDenied):
        permissions.require(False)


def test_templates_ask_the_predicates_not_the_roles():
    """A template that decides by `current_user.is_staff` would drift from the views; only the
    account page names the role, as a fact about the person."""
    from pathlib import Path

    templates = Path(__file__).resolve().parent.parent / "templates"
    found = [f"{path.relative_to(templates)}: {line.strip()}"
             for path in templates.rglob("*.html")
             for line in path.read_text().splitlines()
             if any(f"current_user.{role}" in line
                    for role in ("is_staff", "is_moderator", "is_supplier_admin"))
             and path.name != "account.html"]
    assert found == []
