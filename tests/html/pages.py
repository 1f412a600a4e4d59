"""The pages the Nu HTML checker reads: every page of every role, with the objects they show.

A page is (method, path, extra). For a GET, extra says whether to also post its form back with
only its CSRF token, so that the page shows its form's errors. A POST is an action refused on
purpose (an empty reason, an import with errors), with extra as its form data besides the
CSRF token (None: not even that); its page, or the page it redirects to, shows why.
`{name}` in a path is an object made by `seed`.
"""


from portal import demo, markdown
from portal.auth.models import User
from portal.extensions import db
from portal.stories.models import StoryRevision
from tests import factories
from tests.page_coverage import link_pages

ACCOUNTS = {"supplier_user": "medewerker@schilders-roer.example",
            "supplier_admin": "eva@schilders-roer.example",
            "staff": "staf@wonenlimburg.example", "moderator": "inkoop@wonenlimburg.example"}
# The demo's other suppliers, for the dashboard and obligation of each status.
COMPLIANT, NOT_REQUIRED = "jan@bouwbedrijf-maas.example", "tom@installatie-geul.example"

# Everything the story renderer lets through, and raw HTML that must show as text.
RICH_BODY = (
    "## Hoe het begon\n\nAnna werkt nu **vast** bij ons, met *begeleiding*.\n\n"
    "- een maatje\n- een cursus\n\n1. eerst\n2. daarna\n\n> Een citaat.\n\n"
    "### Meer\n\nZie [de site](https://www.wonenlimburg.nl), mail [ons](mailto:a@b.nl) "
    "of lees `code`.\n\n```\nregel een\n```\n\n"
    "| Jaar | Mensen |\n| :--- | ---: |\n| 2025 | 2 |\n\n"
    '<script>alert(1)</script> <img src="x.png" alt=""> <p id="dubbel" id="twee">x</p>\n'
)

GET, POST = "GET", "POST"
STORY_STATES = ("draft", "submitted", "published", "rejected", "unpublished", "revised")

PAGES = {
    "anonymous": [
        (GET, "/login", True), (GET, "/password/forgot", True), (GET, "{invitation}", True),
        (GET, "{reset}", True), (GET, "/invitation/no-such-token", False),
        (GET, "/password/reset/no-such-token", False), (GET, "/no-such-page", False),
        (GET, "/logout", False),  # 405
        (POST, "/language", None),  # 400: no CSRF token
    ],
    "supplier": [
        (GET, "/", False), (GET, "/obligation", False),
        (GET, "/obligation?expected=212.500,00", False),
        (GET, "/obligation?expected=10.000,00", False),
        (GET, "/obligation?expected=150.000", False), (GET, "/obligation?expected=veel", False),
        (GET, "/certificates", False),
        (GET, "/certificates/new", True), (GET, "/account", False),
        (GET, "/account/password", True), (GET, "/stories", False),
        (GET, "/stories?q=werk&target_group=participatiewet&municipality=Venlo", False),
        (GET, "/stories?q=niets-dat-bestaat", False), (GET, "/stories/mine", False),
        (GET, "/stories/new", True), (GET, "/stories/{other_story}", False),
        *[(GET, f"/stories/{{{state}_story}}", False) for state in STORY_STATES],
        (GET, "/stories/{draft_story}/edit", True), (GET, "/stories/{published_story}/edit", True),
        (POST, "/stories/{submitted_story}/submit", {}),  # already submitted: refused
        (POST, "/stories/{published_story}/unpublish", {}),  # no reason given
        (GET, "/staff/suppliers", False),  # 403
        (GET, "/stories/999999", False),  # 404
    ],
    "supplier_admin": [
        (GET, "/organisation/users", False), (GET, "/organisation/users/invite", True),
        (POST, "/organisation/users/{supplier_admin_id}/deactivate", {}),  # oneself: refused
    ],
    "staff": [
        (GET, "/", False), (GET, "/staff/suppliers", False),
        (GET, "/staff/suppliers?status=compliant&sort=status&desc=1", False),
        (GET, "/staff/suppliers?q=niets-dat-bestaat", False),
        (GET, "/staff/suppliers/{organisation}", False), (GET, "/staff/certificates", False),
        (POST, "/staff/certificates/{pending_certificate}/reject", {}),  # no reason given
        (GET, "/staff/policy", True), (GET, "/staff/invitations/new", True),
        (GET, "/staff/audit", False), (GET, "/staff/contracts/import", True),
        (GET, "/staff/contracts/imports/{import_errors}", False),
        (GET, "/staff/contracts/imports/{import_errors}?kind=all", False),
        (POST, "/staff/contracts/imports/{import_errors}/apply", {}),  # refused: errors
        (GET, "/staff/contracts/imports/{import_clean}", False),
        (GET, "/staff/contracts/imports/{import_checking}", False),
        (GET, "/staff/contracts/imports/{import_applied}", False),
        (GET, "/staff/suppliers/{organisation}/contracts/new", True),
        (GET, "/staff/contracts/{contract}/edit", True), (GET, "/account", False),
        (GET, "/account/password", True), (GET, "/stories", False),
        (GET, "/stories/{other_story}", False),
        *[(GET, f"/stories/{{{state}_story}}", False) for state in STORY_STATES],
        (GET, "/organisation/users", False),  # 403
    ],
    "moderator": [
        (GET, "/staff/moderation", False),
        (POST, "/staff/stories/{submitted_story}/reject", {}),  # no reason given
        (POST, "/staff/stories/{submitted_story}/approve", {"revision": "0"}),  # not the one
        (POST, "/staff/stories/{other_story}/unpublish", {}),  # no reason given
    ],
}
# Pages of the demo's other suppliers: (account, paths), seen by the supplier_admin role.
OTHER_SUPPLIERS = [(COMPLIANT, ["/", "/obligation", "/certificates"]),
                   (NOT_REQUIRED, ["/", "/obligation", "/certificates"])]


def pages_for(role: str) -> list[tuple[str, str, bool | dict]]:
    if role == "anonymous":
        return PAGES["anonymous"]
    if role.startswith("supplier"):
        return PAGES["supplier"] + (PAGES["supplier_admin"] if role == "supplier_admin" else [])
    return PAGES["staff"] + (PAGES["moderator"] if role == "moderator" else [])


def _user(email: str) -> User:
    return db.session.scalars(db.select(User).where(User.email == email)).one()


def _with_new_revision(story) -> None:
    """A published story whose next revision waits for moderation."""
    first = story.latest
    story.revisions.append(StoryRevision(
        number=2, state="submitted", title=first.title + " (bijgewerkt)", summary=first.summary,
        body=first.body, body_html=markdown.render(first.body), target_group=first.target_group,
        placement_kind=first.placement_kind, people_count=first.people_count,
        municipality=first.municipality, consent=True, created_by=first.created_by,
        submitted_by=first.created_by, submitted_at=first.submitted_at))


def seed(app, outbox) -> dict:
    """The demo, plus an object in every state a page shows differently."""
    from portal.contracts import importing

    demo.seed()
    eva = _user(ACCOUNTS["supplier_admin"])
    roer = eva.organisation
    factories.user(organisation=roer, email=ACCOUNTS["supplier_user"], password=demo.PASSWORD)
    factories.user(organisation=roer, password=None)  # invited, not yet joined
    factories.user(organisation=roer, active=False)
    factories.staff(email=ACCOUNTS["staff"], password=demo.PASSWORD)
    staff = _user(ACCOUNTS["moderator"])
    pending = factories.certificate(roer, state="pending")
    factories.certificate(roer, state="rejected", rejection_reason="Het nummer is onleesbaar.")
    maas = _user(COMPLIANT)
    objects = {"organisation": roer.id, "contract": roer.contracts[0].id,
               "pending_certificate": pending.id, "supplier_admin_id": eva.id,
               "other_story": factories.story(maas.organisation, state="published", author=maas,
                                              body=RICH_BODY).id}
    for state in STORY_STATES:
        story = factories.story(roer, state="published" if state == "revised" else state,
                                author=eva, body=RICH_BODY)
        if state == "revised":
            _with_new_revision(story)
        objects[f"{state}_story"] = story.id
    objects["import_errors"] = factories.contract_import(
        "14023456;Schildersbedrijf Roer;N-1;;2026-01-01;;1000\n"
        "123;Fout;N-2;;2026-13-01;;150.000\n", actor=staff).id
    objects["import_clean"] = factories.contract_import(
        "14099998;Glazenwasserij Sittard;G-1;Glasbewassing;2026-01-01;;25000\n", actor=staff).id
    applied = factories.contract_import(
        "14023456;Schildersbedrijf Roer;N-3;Schilderwerk;2026-01-01;;1000\n", actor=staff)
    importing.apply(staff, applied)
    objects["import_applied"] = applied.id
    chunk = app.config["CONTRACT_IMPORT_CHUNK_ROWS"]
    app.config["CONTRACT_IMPORT_CHUNK_ROWS"] = 1  # only the first row checked: "checking"
    try:
        objects["import_checking"] = factories.contract_import(
            "14023456;Schildersbedrijf Roer;N-4;;2026-01-01;;1000\n"
            "14023456;Schildersbedrijf Roer;N-5;;2026-01-01;;2000\n", actor=staff).id
    finally:
        app.config["CONTRACT_IMPORT_CHUNK_ROWS"] = chunk
    objects.update(link_pages(staff, ACCOUNTS["supplier_admin"], outbox))
    return objects
