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


def mail_paths(outbox) -> list[str]:
    """The path of the first link in each e-mail sent, e.g. an invitation's."""
    return [match.group(1) for m in outbox if (match := _LINK.search(m.get_content()))]
