"""Writing and submitting success stories, and who may see or change them.

Who sees what: a published story is for every logged-in user; every other state (draft,
submitted, rejected, unpublished) only for the story's own organisation and for staff.
Any active colleague of the organisation may edit its stories: the organisation, not one
person, shares them, and the site manager who wrote one may be on holiday.
"""

from dataclasses import dataclass
from datetime import date

from flask_babel import format_datetime
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.orm import selectinload

from portal import audit, markdown, permissions, pso
from portal.auth.models import User
from portal.certificates.models import Certificate
from portal.db import utcnow
from portal.exceptions import DomainError
from portal.extensions import db
from portal.states import CertificateState, RevisionState, StoryState, check_move
from portal.stories import facts, mails
from portal.stories.models import Story, StoryRevision

# The renderer's time grows with the body's length, so a longer body is refused before it is
# rendered: by the form, by the live preview and here.
BODY_TOO_LONG = _l("Schrijf het verhaal; het mag hoogstens %(n)d tekens lang zijn.",
                   n=markdown.MAX_SOURCE_LENGTH)


@dataclass(frozen=True)
class StoryFields:
    """What an author fills in; the form has checked its shape, the service checks the rules."""

    title: str
    summary: str
    body: str
    target_group: str
    placement_kind: str
    people_count: int | None
    municipality: str
    consent: bool


def checked(fields: StoryFields) -> StoryFields:
    """The fields with their text trimmed, or DomainError naming the first field that is wrong."""
    title, summary, body = fields.title.strip(), fields.summary.strip(), fields.body.strip()
    if not title or len(title) > facts.TITLE_MAX:
        raise DomainError(_l("Geef het verhaal een titel van hoogstens %(n)d tekens.",
                             n=facts.TITLE_MAX), field="title")
    if not summary or len(summary) > facts.SUMMARY_MAX:
        raise DomainError(_l("Schrijf een samenvatting van hoogstens %(n)d tekens.",
                             n=facts.SUMMARY_MAX), field="summary")
    if not body or len(body) > markdown.MAX_SOURCE_LENGTH:
        raise DomainError(BODY_TOO_LONG, field="body")
    if fields.target_group not in facts.TARGET_GROUPS:
        raise DomainError(_l("Kies een doelgroep uit de lijst."), field="target_group")
    if fields.placement_kind not in facts.PLACEMENT_KINDS:
        raise DomainError(_l("Kies een soort plaatsing uit de lijst."), field="placement_kind")
    if fields.people_count is None or not 1 <= fields.people_count <= facts.PEOPLE_MAX:
        raise DomainError(_l("Vul het aantal mensen in: een heel getal van 1 tot en met "
                             "%(n)d.", n=facts.PEOPLE_MAX), field="people_count")
    if fields.municipality not in facts.MUNICIPALITIES:
        raise DomainError(_l("Kies een Limburgse gemeente uit de lijst."), field="municipality")
    if not fields.consent:
        raise DomainError(CONSENT_MISSING, field="consent")
    return StoryFields(title=title, summary=summary, body=body,
                       target_group=fields.target_group, placement_kind=fields.placement_kind,
                       people_count=fields.people_count, municipality=fields.municipality,
                       consent=True)


CONSENT_MISSING = _l("Vink deze verklaring aan. Zonder toestemming van de mensen in het "
                     "verhaal kan het niet online.")


def _content(fields: StoryFields) -> dict:
    return {"title": fields.title, "summary": fields.summary, "body": fields.body,
            "body_html": markdown.render(fields.body), "target_group": fields.target_group,
            "placement_kind": fields.placement_kind, "people_count": fields.people_count,
            "municipality": fields.municipality, "consent": fields.consent}


def _new_revision(story: Story, fields: StoryFields, actor: User) -> StoryRevision:
    number = story.revisions[-1].number + 1 if story.revisions else 1
    revision = StoryRevision(number=number, state=RevisionState.DRAFT, created_by_id=actor.id,
                             **_content(fields))
    story.revisions.append(revision)
    return revision


def _require_author(actor: User, story: Story | None = None) -> None:
    permissions.require(permissions.can_write_stories(actor) if story is None
                        else permissions.can_edit_story(actor, story))


def create(actor: User, fields: StoryFields) -> Story:
    """A new story of the actor's organisation, as a draft."""
    _require_author(actor)
    fields = checked(fields)
    story = Story(organisation_id=actor.organisation_id, state=StoryState.DRAFT,
                  created_by_id=actor.id)
    _new_revision(story, fields, actor)
    db.session.add(story)
    db.session.flush()
    audit.record("story_created", actor=actor, obj=story, title=fields.title)
    return story


class EditConflict(DomainError):
    """A colleague saved the story after this edit began; saving would overwrite their text."""


def version_of(story: Story) -> str:
    """Which text an edit form started from: its latest revision and when that last changed."""
    latest = story.latest
    return f"{latest.id}-{latest.updated_at.timestamp():.6f}"


def _edit_conflict(story: Story) -> EditConflict:
    return EditConflict(_l(
        "Een collega heeft dit verhaal intussen gewijzigd (%(when)s). Uw tekst staat hieronder "
        "nog. Slaat u opnieuw op, dan vervangt die de versie van uw collega; bekijk die eerst "
        "in een ander tabblad als u twijfelt.",
        when=format_datetime(story.latest.updated_at, "short")))


def save(actor: User, story: Story, fields: StoryFields,
         expected_version: str | None = None) -> StoryRevision:
    """Store an edit. A draft is changed in place; any other latest revision stays as it was
    and the edit becomes a new draft, so a published text stays online and what a moderator
    is reading never changes under their eyes. Editing a submitted story takes it back out of
    moderation (the author submits it again when done).

    `expected_version` (from `version_of` when the form was opened) refuses to overwrite a
    colleague's edit made in the meantime.
    """
    _require_author(actor, story)
    fields = checked(fields)
    latest = story.latest
    if expected_version and expected_version != version_of(story):
        raise _edit_conflict(story)
    if latest.is_draft:
        changed = db.session.execute(
            update(StoryRevision)
            .where(StoryRevision.id == latest.id, StoryRevision.state == RevisionState.DRAFT,
                   StoryRevision.updated_at == latest.updated_at)
            .values(updated_at=utcnow(), **_content(fields))
            .execution_options(synchronize_session=False)
        ).rowcount == 1
        db.session.refresh(latest)
        if not changed:  # saved or submitted by a colleague a moment ago
            raise _edit_conflict(story)
        return latest
    if latest.is_submitted:
        withdrawn = db.session.execute(
            update(StoryRevision)
            .where(StoryRevision.id == latest.id, StoryRevision.state == RevisionState.SUBMITTED)
            .values(state=check_move(RevisionState.SUBMITTED, RevisionState.WITHDRAWN),
                    updated_at=utcnow())
            .execution_options(synchronize_session=False)
        ).rowcount == 1
        db.session.refresh(latest)
        if withdrawn:
            audit.record("story_withdrawn", actor=actor, obj=story, revision=latest.number)
        # Not withdrawn: a moderator decided a moment ago. The edit still becomes the next
        # draft, so nothing the author typed is lost.
    revision = _new_revision(story, fields, actor)
    if story.published_revision_id is None:
        story.move_to(StoryState.DRAFT)
    db.session.flush()
    return revision


def submit(actor: User, story: Story) -> StoryRevision:
    """Send the story's draft to the moderators."""
    _require_author(actor, story)
    latest = story.latest
    if latest.is_submitted:
        raise DomainError(_l("Dit verhaal wacht al op beoordeling door Wonen Limburg."))
    if not story.can_be_submitted:
        raise DomainError(_l("Er is geen nieuwe versie om in te dienen. Wijzig het verhaal "
                             "eerst."))
    if not latest.consent:
        raise DomainError(CONSENT_MISSING, field="consent")
    now = utcnow()
    result = db.session.execute(
        update(StoryRevision)
        .where(StoryRevision.id == latest.id, StoryRevision.state == RevisionState.DRAFT)
        .values(state=check_move(RevisionState.DRAFT, RevisionState.SUBMITTED),
                submitted_by_id=actor.id, submitted_at=now, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(latest)
    if result.rowcount != 1:
        raise DomainError(_l("Een collega heeft dit verhaal zojuist al ingediend."))
    if story.published_revision_id is None:
        story.move_to(StoryState.SUBMITTED)
    audit.record("story_submitted", actor=actor, obj=story, revision=latest.number,
                 title=latest.title)
    mails.new_submission(latest)
    return latest


def stories_of(organisation_id: int) -> list[Story]:
    """Every story of one organisation, in every state, newest first, with its revisions.

    For the organisation's own page and for staff pages about a supplier.
    """
    return list(db.session.scalars(
        select(Story).where(Story.organisation_id == organisation_id)
        .options(selectinload(Story.revisions).selectinload(StoryRevision.created_by),
                 selectinload(Story.published_revision))
        .order_by(Story.created_at.desc(), Story.id.desc())
    ))


def organisation_level(organisation_id: int, today: date) -> str | None:
    """The highest level among the organisation's verified certificates valid `today`."""
    levels = db.session.scalars(select(Certificate.level).where(
        Certificate.organisation_id == organisation_id,
        Certificate.state == CertificateState.VERIFIED,
        Certificate.issued_on <= today, Certificate.valid_until >= today))
    known = [pso.Level(level) for level in levels if level in KNOWN_LEVELS]
    return max(known, key=pso.LEVELS.index).value if known else None


KNOWN_LEVELS = {level.value for level in pso.LEVELS}


def state_counts(organisation_id: int) -> dict[str, int]:
    """How many of the organisation's stories are in each state, for its dashboard."""
    rows = db.session.execute(select(Story.state, func.count()).where(
        Story.organisation_id == organisation_id).group_by(Story.state))
    return {state: n for state, n in rows}
