"""Moderators' decisions: approve or reject a submitted revision, take a story offline.

Every decision is a conditional UPDATE on the row's state, so of two moderators deciding on
the same story at once exactly one wins; the other gets a DecisionConflict that says who
decided what, and their own input (a reason they typed) is handed back to them, not dropped.
"""

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.orm import joinedload

from portal import audit, permissions
from portal.auth.models import User
from portal.clock import local_today
from portal.db import utcnow
from portal.exceptions import DomainError
from portal.extensions import db
from portal.states import RevisionState, StoryState, check_move
from portal.stories import facts, mails
from portal.stories.models import Story, StoryRevision

REASON_MAX = 2000
# Copied from the approved revision onto the story (see Story).
PUBLISHED_FACTS = ("target_group", "placement_kind", "municipality", "people_count")


class DecisionConflict(DomainError):
    """Someone else acted on this story first; `message` says who did what."""


def queue() -> list[StoryRevision]:
    """Submitted revisions, oldest submission first: first come, first served."""
    return list(db.session.scalars(
        select(StoryRevision).where(StoryRevision.state == RevisionState.SUBMITTED)
        .options(joinedload(StoryRevision.story).joinedload(Story.organisation),
                 joinedload(StoryRevision.story).joinedload(Story.published_revision),
                 joinedload(StoryRevision.submitted_by))
        .order_by(StoryRevision.submitted_at, StoryRevision.id)
    ).unique())


def queue_count() -> int:
    return db.session.scalar(select(func.count()).select_from(StoryRevision)
                             .where(StoryRevision.state == RevisionState.SUBMITTED))


def _pending(story: Story) -> StoryRevision | None:
    return db.session.scalars(select(StoryRevision).where(
        StoryRevision.story_id == story.id, StoryRevision.state == RevisionState.SUBMITTED)).first()


def _conflict(story: Story, revision_id: int | None) -> DecisionConflict:
    """Why there is nothing (any more) to decide on, in words for the moderator."""
    db.session.refresh(story)
    seen = db.session.get(StoryRevision, revision_id) if revision_id else None
    if seen is None or seen.story_id != story.id:
        seen = story.latest
    db.session.refresh(seen)
    decided = (RevisionState.APPROVED, RevisionState.REJECTED)
    if seen.state in decided and seen.decided_by is not None:
        return DecisionConflict(_l(
            "Over \"%(title)s\" is al beslist door %(name)s: %(decision)s. Uw beslissing is "
            "niet uitgevoerd.", title=seen.title, name=seen.decided_by.name,
            decision=facts.REVISION_STATE_LABELS[seen.state].lower()))
    if seen.state in (RevisionState.WITHDRAWN, RevisionState.DRAFT):
        if _pending(story) is not None:
            return DecisionConflict(_l(
                "\"%(title)s\" is intussen gewijzigd en opnieuw ingediend. Bekijk de nieuwe "
                "versie in de wachtrij; uw beslissing is niet uitgevoerd.", title=seen.title))
        return DecisionConflict(_l(
            "De schrijver heeft \"%(title)s\" teruggehaald om het aan te passen; het wacht "
            "niet meer op beoordeling. Uw beslissing is niet uitgevoerd.", title=seen.title))
    return DecisionConflict(_l("\"%(title)s\" wacht niet op beoordeling. Uw beslissing is niet "
                               "uitgevoerd.", title=seen.title))


def _decide(actor: User, story: Story, revision_id: int | None, state: RevisionState,
            reason: str | None) -> StoryRevision:
    """Move the story's submitted revision to `state`; one of two moderators wins."""
    permissions.require(permissions.can_moderate(actor))
    pending = _pending(story)
    if pending is None or (revision_id is not None and pending.id != revision_id):
        raise _conflict(story, revision_id)
    result = db.session.execute(
        update(StoryRevision)
        .where(StoryRevision.id == pending.id, StoryRevision.state == RevisionState.SUBMITTED)
        .values(state=check_move(RevisionState.SUBMITTED, state), rejection_reason=reason,
                decided_by_id=actor.id, decided_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise _conflict(story, pending.id)
    db.session.refresh(pending)
    return pending


def approve(actor: User, story: Story, revision_id: int | None = None) -> StoryRevision:
    """Publish the submitted revision; it replaces the version online, if there is one.

    `revision_id` is the revision the moderator read: when the story changed since, nothing
    is published. Without it, the revision waiting now is approved.
    """
    revision = _decide(actor, story, revision_id, RevisionState.APPROVED, None)
    now = utcnow()
    story.published_revision_id = revision.id
    story.move_to(StoryState.PUBLISHED)
    for fact in PUBLISHED_FACTS:
        setattr(story, fact, getattr(revision, fact))
    if story.published_at is None:
        story.published_at = now
        story.published_on = local_today()
    story.unpublished_at = story.unpublished_by_id = story.unpublish_reason = None
    db.session.flush()
    db.session.refresh(story)
    audit.record("story_approved", actor=actor, obj=story, revision=revision.number,
                 title=revision.title)
    mails.approved(revision)
    return revision


def _reason(reason: str | None) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_l("Geef een reden, zodat de schrijver weet wat er anders moet."),
                          field="reason")
    if len(reason) > REASON_MAX:
        raise DomainError(_l("De reden mag hoogstens %(n)d tekens lang zijn.", n=REASON_MAX),
                          field="reason")
    return reason


def reject(actor: User, story: Story, reason: str, revision_id: int | None = None
           ) -> StoryRevision:
    """Refuse the submitted revision, with a reason; a published version stays online."""
    permissions.require(permissions.can_moderate(actor))
    reason = _reason(reason)
    revision = _decide(actor, story, revision_id, RevisionState.REJECTED, reason)
    if story.published_revision_id is None:
        story.move_to(StoryState.REJECTED)
    db.session.flush()
    audit.record("story_rejected", actor=actor, obj=story, revision=revision.number,
                 title=revision.title, reason=reason)
    mails.rejected(revision)
    return revision


def unpublish(actor: User, story: Story, reason: str) -> None:
    """Take a published story offline, with a reason: a moderator, or its own organisation
    (someone described in it may withdraw their consent). A revision waiting for moderation
    stays in the queue; approving it brings the story back online."""
    permissions.require(permissions.can_take_offline(actor, story))
    reason = _reason(reason)
    result = db.session.execute(
        update(Story).where(Story.id == story.id, Story.state == StoryState.PUBLISHED)
        .values(state=check_move(StoryState.PUBLISHED, StoryState.UNPUBLISHED),
                unpublished_at=utcnow(), unpublished_by_id=actor.id, unpublish_reason=reason)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(story)
    if result.rowcount != 1:
        if story.is_unpublished and story.unpublished_by is not None:
            raise DecisionConflict(_l("%(name)s heeft dit verhaal al offline gehaald.",
                                      name=story.unpublished_by.name))
        raise DecisionConflict(_l("Dit verhaal staat niet online."))
    audit.record("story_unpublished", actor=actor, obj=story, reason=reason)
    mails.unpublished(story, actor)
