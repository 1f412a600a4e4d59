"""The states of everything in the portal that has a lifecycle, and the moves allowed between them.

Each lifecycle is an enum and one table: for every state, the states it may move to. A pair
the table does not list is refused, so the whole lifecycle can be read (and tested, pair by
pair) here instead of being pieced together from services and templates. Services check each
move against its table before the conditional UPDATE that makes it; that UPDATE's
`WHERE state = ...` still decides which of two people acting at once wins.

The enums are StrEnums: the database columns stay plain strings holding the same values as
before (no migration), and a value read back from the database equals its member.

Pure: no Flask and no database, like `portal.pso`.
"""

import enum
from collections.abc import Mapping


class CertificateState(enum.StrEnum):
    """An uploaded PSO certificate: waiting for staff, then verified or rejected for good."""

    PENDING = "pending"
    VERIFIED = "verified"
    REJECTED = "rejected"


class StoryState(enum.StrEnum):
    """Where a success story stands. A published story whose next revision waits for
    moderation stays published: the state is about the story, the revision has its own."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    PUBLISHED = "published"
    REJECTED = "rejected"
    UNPUBLISHED = "unpublished"


class RevisionState(enum.StrEnum):
    """One version of a story's text. Only a draft is ever changed; the other states are the
    story's history."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


class ImportState(enum.StrEnum):
    """A contracts file between its upload and its apply: checked in chunks, then applied or
    discarded."""

    CHECKING = "checking"
    CHECKED = "checked"
    APPLIED = "applied"
    DISCARDED = "discarded"


class RowKind(enum.StrEnum):
    """The verdict on one row of a contracts file. Not a lifecycle: a row is judged once."""

    NEW = "new"
    CHANGED = "changed"
    UNCHANGED = "unchanged"
    ERROR = "error"


State = CertificateState | StoryState | RevisionState | ImportState

CERTIFICATE_TRANSITIONS: Mapping[CertificateState, frozenset[CertificateState]] = {
    CertificateState.PENDING: frozenset({CertificateState.VERIFIED, CertificateState.REJECTED}),
    CertificateState.VERIFIED: frozenset(),
    CertificateState.REJECTED: frozenset(),  # the supplier uploads a new certificate instead
}

STORY_TRANSITIONS: Mapping[StoryState, frozenset[StoryState]] = {
    StoryState.DRAFT: frozenset({StoryState.SUBMITTED}),
    # Editing a submitted story takes it back out of moderation.
    StoryState.SUBMITTED: frozenset({StoryState.DRAFT, StoryState.PUBLISHED, StoryState.REJECTED}),
    StoryState.REJECTED: frozenset({StoryState.DRAFT}),  # edited to try again
    StoryState.PUBLISHED: frozenset({StoryState.UNPUBLISHED}),
    # Approving a revision that waited in moderation brings the story back online.
    StoryState.UNPUBLISHED: frozenset({StoryState.PUBLISHED}),
}

REVISION_TRANSITIONS: Mapping[RevisionState, frozenset[RevisionState]] = {
    RevisionState.DRAFT: frozenset({RevisionState.SUBMITTED}),
    RevisionState.SUBMITTED: frozenset(
        {RevisionState.APPROVED, RevisionState.REJECTED, RevisionState.WITHDRAWN}),
    RevisionState.APPROVED: frozenset(),
    RevisionState.REJECTED: frozenset(),
    RevisionState.WITHDRAWN: frozenset(),  # the edit that withdrew it is the next draft
}

IMPORT_TRANSITIONS: Mapping[ImportState, frozenset[ImportState]] = {
    ImportState.CHECKING: frozenset({ImportState.CHECKED, ImportState.DISCARDED}),
    ImportState.CHECKED: frozenset({ImportState.APPLIED, ImportState.DISCARDED}),
    ImportState.APPLIED: frozenset(),
    ImportState.DISCARDED: frozenset(),
}

TRANSITIONS: Mapping[type, Mapping] = {
    CertificateState: CERTIFICATE_TRANSITIONS,
    StoryState: STORY_TRANSITIONS,
    RevisionState: REVISION_TRANSITIONS,
    ImportState: IMPORT_TRANSITIONS,
}


class IllegalMove(ValueError):
    """A move its lifecycle's table does not allow.

    A fault in the program or the data, not a user's mistake: a service asks only for moves
    that the row's state allows, and the conditional UPDATE reports a colleague who moved the
    row first in words of its own. So this carries no message for people and ends as a 500.
    """

    def __init__(self, current: State, target: State):
        super().__init__(f"{type(target).__name__}: {current} may not move to {target}")
        self.current = current
        self.target = target


def can_move(current: str, target: State) -> bool:
    """Whether a row in state `current` (a member or the stored string) may move to `target`.

    Staying in the same state is not a move: the tables list none, so it is refused here.
    """
    kind = type(target)
    return target in TRANSITIONS[kind][kind(current)]


def check_move(current: str, target: State) -> State:
    """`target`, or IllegalMove when `current` may not move there."""
    if not can_move(current, target):
        raise IllegalMove(current, target)
    return target


def sources(target: State) -> tuple[State, ...]:
    """The states that may move to `target`, in the enum's order: the WHERE of an UPDATE."""
    kind = type(target)
    return tuple(state for state in kind if target in TRANSITIONS[kind][state])
