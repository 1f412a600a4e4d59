"""What the whole-site checks (axe in a browser, the Nu HTML checker) share: which pages a role
may open, so that a page added later without being checked fails, and the links in mail."""

import re

from tests.security.test_route_matrix import GRANTED, MATRIX

ROLES = ("anonymous", "supplier_user", "supplier_admin", "staff", "moderator")
_LINK = re.compile(r"https?://[^/\s]+(/[^\s\"<>]+)")


def pages_not_visited(app, visited: dict[str, set], not_pages: set[str]) -> dict[str, list]:
    """Per role, the GET endpoints it may open that are missing from `visited[role]`."""
    missing = {}
    for role in ROLES:
        allowed = {endpoint for endpoint, (level, _values) in MATRIX.items()
                   if role in GRANTED[level] and endpoint not in not_pages}
        gets = allowed & {r.endpoint for r in app.url_map.iter_rules() if "GET" in r.methods}
        # Public pages are the anonymous visitor's; a logged-in user is sent on from them.
        public = {e for e in gets if MATRIX[e][0] == "public"}
        gets = public if role == "anonymous" else gets - public
        left = gets - visited.get(role, set())
        if left:
            missing[role] = sorted(left)
    return missing


def link_pages(staff, reset_email: str, outbox) -> dict[str, str]:
    """A working invitation link and password-reset link, made as people make them: staff
    invite a supplier's contact, and `reset_email` asks for a new password."""
    from portal.auth import services as auth_services
    from portal.extensions import db
    from portal.staff import services as staff_services

    staff_services.invite_supplier_contact(staff, organisation_name="Dakwerken Beek",
                                           kvk="14099999", name="Bea Beek",
                                           email="bea@dakwerken-beek.example")
    auth_services.request_password_reset(reset_email)
    db.session.commit()
    links = mail_paths(outbox)
    return {"invitation": next(p for p in links if p.startswith("/invitation/")),
            "reset": next(p for p in links if p.startswith("/password/reset/"))}


def mail_paths(outbox) -> list[str]:
    """The path of the first link in each e-mail sent, e.g. an invitation's."""
    return [match.group(1) for m in outbox if (match := _LINK.search(m.get_content()))]
