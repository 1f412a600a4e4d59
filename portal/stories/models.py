"""Success stories and their revisions.

A story is split in two tables, because a published story must stay online, unchanged, while
an edit of it waits for moderation:

- `Story` is the story itself: whose it is, where it stands (`state`), and which revision
  is online (`published_revision`). It holds no text, only a copy of the published facts.
- `StoryRevision` holds one version of the text and the facts. A draft revision is edited in
  place; once submitted a revision is never changed again, so a moderator approves exactly the
  text they read, and an author who edits a submitted story gets a new draft instead. Approved
  and rejected revisions stay as the history of the story (with the moderator's reason).

Approving a revision points `published_revision` at it (the earlier published revision simply
stops being pointed at) and copies its facts onto the story, for lists and totals. The body
is rendered to sanitised HTML when a revision is saved (`portal.markdown`) and pages show that
stored HTML.

The states of a story and of a revision, and the moves between them, are in `portal.states`.
A published story whose new revision is in moderation stays `published`.
"""

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import UTCDateTime, one_of, utcnow
from portal.extensions import db
from portal.states import RevisionState, StoryState, can_move, check_move


class Story(db.Model):
    __tablename__ = "stories"
    __table_args__ = (
        CheckConstraint(one_of("state", StoryState), name="state_known"),
        CheckConstraint(f"state <> '{StoryState.PUBLISHED}' OR published_revision_id IS NOT NULL",
                        name="published_has_revision"),
        # The browse page: published stories, newest first, in the page's exact order, so
        # that a page (of a search too) is the first rows of an index walk, not a sort.
        Index("ix_stories_state_newest", "state", "published_at", "id"),
        # The same within one filter value.
        Index("ix_stories_state_target_group_newest", "state", "target_group", "published_at"),
        Index("ix_stories_state_placement_kind_newest", "state", "placement_kind",
              "published_at"),
        Index("ix_stories_state_municipality_newest", "state", "municipality", "published_at"),
        # An organisation's stories, and its other published ones on a story page.
        Index("ix_stories_organisation_state_published_at", "organisation_id", "state",
              "published_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    state: Mapped[str] = mapped_column(String(12), default=StoryState.DRAFT)
    # The revision that is (or, when unpublished, was last) online; it cannot be deleted.
    # Indexed for search: the full-text index yields revisions, this finds their stories.
    published_revision_id: Mapped[int | None] = mapped_column(
        ForeignKey("story_revisions.id"), index=True)
    # First publication: the moment orders the list, the day in Dutch time gives its year.
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_on: Mapped[date | None] = mapped_column(index=True)
    # The facts of the published revision, copied when it is approved: the list, its filters
    # and the totals then read this narrow table alone instead of every revision's row.
    target_group: Mapped[str | None] = mapped_column(String(40))
    placement_kind: Mapped[str | None] = mapped_column(String(40))
    municipality: Mapped[str | None] = mapped_column(String(40))
    people_count: Mapped[int | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    unpublished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    unpublished_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    unpublish_reason: Mapped[str | None] = mapped_column(Text)

    organisation: Mapped["Organisation"] = relationship()  # noqa: F821
    created_by: Mapped["User | None"] = relationship(foreign_keys=[created_by_id])  # noqa: F821
    unpublished_by: Mapped["User | None"] = relationship(  # noqa: F821
        foreign_keys=[unpublished_by_id])
    published_revision: Mapped["StoryRevision | None"] = relationship(
        foreign_keys=[published_revision_id], post_update=True)
    revisions: Mapped[list["StoryRevision"]] = relationship(
        back_populates="story", foreign_keys="StoryRevision.story_id",
        order_by="StoryRevision.number", cascade="all, delete-orphan")

    @property
    def latest(self) -> "StoryRevision":
        """The newest revision: the one an author works on or waits for."""
        return self.revisions[-1]

    @property
    def shown_revision(self) -> "StoryRevision":
        """What the story page shows: the text that is (or was) online, even while a newer
        revision waits for moderation; a story never published shows its latest revision."""
        if self.state in (StoryState.PUBLISHED, StoryState.UNPUBLISHED) and self.published_revision:
            return self.published_revision
        return self.latest

    def move_to(self, state: StoryState) -> None:
        """Set the state, refused (IllegalMove) when the lifecycle has no such move; staying
        where it is, as a published story does when its next revision is approved, is fine."""
        if self.state != state:
            self.state = check_move(self.state, state)

    # What pages ask about a story, so that templates compare no state names.

    @property
    def is_draft(self) -> bool:
        return self.state == StoryState.DRAFT

    @property
    def is_submitted(self) -> bool:
        return self.state == StoryState.SUBMITTED

    @property
    def is_public(self) -> bool:
        return self.state == StoryState.PUBLISHED

    @property
    def is_rejected(self) -> bool:
        return self.state == StoryState.REJECTED

    @property
    def is_unpublished(self) -> bool:
        return self.state == StoryState.UNPUBLISHED

    @property
    def can_be_submitted(self) -> bool:
        """Whether its latest revision is a draft that may go to the moderators."""
        return can_move(self.latest.state, RevisionState.SUBMITTED)

    @property
    def can_be_unpublished(self) -> bool:
        return can_move(self.state, StoryState.UNPUBLISHED)


class StoryTotal(db.Model):
    """Published stories and their people per target group and year of first publication:
    what `portal.stories.totals` shows, without counting the stories on every page.

    Kept by triggers on `stories` (migration 0007), in the transaction that changes a story:
    every write that publishes a story, takes it offline or changes its published facts
    keeps it exact, whichever code (or bulk load) makes it, and however many app servers
    there are. A row whose stories went offline stays, with zero. A published story without
    a publication day or target group (never made by the portal) counts under year 0 or "".
    SQLite drops a table's triggers when a migration rebuilds it (batch mode): such a
    migration must create them again, as 0007 does.
    """

    __tablename__ = "story_totals"

    target_group: Mapped[str] = mapped_column(String(40), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    stories: Mapped[int] = mapped_column(default=0)
    people: Mapped[int] = mapped_column(default=0)


class StoryRevision(db.Model):
    __tablename__ = "story_revisions"
    __table_args__ = (
        UniqueConstraint("story_id", "number", name="uq_story_revisions_story_number"),
        CheckConstraint(one_of("state", RevisionState), name="state_known"),
        CheckConstraint("people_count >= 1", name="people_positive"),
        # Nothing reaches a moderator without the author's declaration.
        CheckConstraint(f"state = '{RevisionState.DRAFT}' OR consent",
                        name="consent_before_submission"),
        # The moderation queue: submitted revisions, oldest first.
        Index("ix_story_revisions_state_submitted_at", "state", "submitted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The two tables refer to each other; this key is the one added after both exist, so
    # deleting a story (and with it its revisions) comes first when tables are emptied.
    story_id: Mapped[int] = mapped_column(
        ForeignKey("stories.id", ondelete="CASCADE", use_alter=True), index=True)
    number: Mapped[int]
    state: Mapped[str] = mapped_column(String(10), default=RevisionState.DRAFT)
    target_group: Mapped[str] = mapped_column(String(40))
    placement_kind: Mapped[str] = mapped_column(String(40))
    people_count: Mapped[int]
    municipality: Mapped[str] = mapped_column(String(40))
    consent: Mapped[bool] = mapped_column(default=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    rejection_reason: Mapped[str | None] = mapped_column(Text)
    # The long text last: SQLite reads a row's columns in order, so the facts that lists,
    # filters and totals need stay on the row's first page instead of behind the body.
    title: Mapped[str] = mapped_column(String(150))
    summary: Mapped[str] = mapped_column(String(500))
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)

    story: Mapped[Story] = relationship(back_populates="revisions", foreign_keys=[story_id])
    created_by: Mapped["User | None"] = relationship(foreign_keys=[created_by_id])  # noqa: F821
    submitted_by: Mapped["User | None"] = relationship(  # noqa: F821
        foreign_keys=[submitted_by_id])
    decided_by: Mapped["User | None"] = relationship(foreign_keys=[decided_by_id])  # noqa: F821

    @property
    def is_draft(self) -> bool:
        return self.state == RevisionState.DRAFT

    @property
    def is_submitted(self) -> bool:
        """Whether it waits for a moderator."""
        return self.state == RevisionState.SUBMITTED

    @property
    def is_rejected(self) -> bool:
        return self.state == RevisionState.REJECTED
