"""Every lifecycle's table, walked pair by pair, and no state spelled out anywhere but its enum."""

import re
from itertools import product
from pathlib import Path

import pytest

from portal.certificates.services import STATE_LABELS as CERTIFICATE_LABELS
from portal.contracts import explain
from portal.extensions import db
from portal.states import (
    TRANSITIONS,
    CertificateState,
    IllegalMove,
    ImportState,
    RevisionState,
    RowKind,
    StoryState,
    can_move,
    check_move,
    sources,
)
from portal.stories import facts
from portal.stories.models import Story, StoryRevision

ROOT = Path(__file__).resolve().parent.parent

# Written out again on purpose: a change to a table must be a change to this list too.
ALLOWED = {
    CertificateState: {
        ("pending", "verified"), ("pending", "rejected"),
    },
    StoryState: {
        ("draft", "submitted"),
        ("submitted", "draft"), ("submitted", "published"), ("submitted", "rejected"),
        ("rejected", "draft"),
        ("published", "unpublished"),
        ("unpublished", "published"),
    },
    RevisionState: {
        ("draft", "submitted"),
        ("submitted", "approved"), ("submitted", "rejected"), ("submitted", "withdrawn"),
    },
    ImportState: {
        ("checking", "checked"), ("checking", "discarded"),
        ("checked", "applied"), ("checked", "discarded"),
    },
}

PAIRS = [(kind, current, target) for kind in ALLOWED for current, target in product(kind, kind)]


def test_every_lifecycle_has_a_table_and_the_test_knows_them_all():
    assert set(TRANSITIONS) == set(ALLOWED)
    for kind, table in TRANSITIONS.items():
        assert set(table) == set(kind), kind  # a row for every state, even a final one
        for targets in table.values():
            assert all(type(target) is kind for target in targets)


@pytest.mark.parametrize("kind, current, target", PAIRS,
                         ids=[f"{k.__name__}:{c}->{t}" for k, c, t in PAIRS])
def test_each_move_is_allowed_exactly_when_listed(kind, current, target):
    allowed = (current.value, target.value) in ALLOWED[kind]
    # The member, or the plain string the database hands back: the answer is the same.
    for stored in (current, str(current.value)):
        assert can_move(stored, target) is allowed
        if allowed:
            assert check_move(stored, target) is target
        else:
            with pytest.raises(IllegalMove) as refused:
                check_move(stored, target)
            assert (refused.value.current, refused.value.target) == (stored, target)
    assert (current in sources(target)) is allowed


def test_an_unknown_stored_state_is_not_a_state():
    with pytest.raises(ValueError, match="approved"):
        can_move("approved", CertificateState.VERIFIED)


def test_a_story_moves_only_as_its_table_allows(app):
    story = Story(state=StoryState.DRAFT)
    story.move_to(StoryState.DRAFT)  # staying where it is is no move
    with pytest.raises(IllegalMove):
        story.move_to(StoryState.PUBLISHED)
    assert story.state == StoryState.DRAFT
    story.move_to(StoryState.SUBMITTED)
    assert story.state == StoryState.SUBMITTED


@pytest.mark.parametrize("state", list(StoryState))
def test_what_templates_ask_a_story(app, state):
    story = Story(state=state, revisions=[StoryRevision(number=1, state=RevisionState.DRAFT)])
    answers = {StoryState.DRAFT: story.is_draft, StoryState.SUBMITTED: story.is_submitted,
               StoryState.PUBLISHED: story.is_public, StoryState.REJECTED: story.is_rejected,
               StoryState.UNPUBLISHED: story.is_unpublished}
    assert [s for s, answer in answers.items() if answer] == [state]
    assert story.can_be_unpublished is (state == StoryState.PUBLISHED)
    assert story.can_be_submitted  # its latest revision is a draft
    story.revisions.append(StoryRevision(number=2, state=RevisionState.SUBMITTED))
    assert not story.can_be_submitted and story.latest.is_submitted


def test_every_state_and_row_kind_has_a_label():
    assert set(CERTIFICATE_LABELS) == set(CertificateState)
    assert set(facts.STATE_LABELS) == set(StoryState)
    assert set(facts.REVISION_STATE_LABELS) == set(RevisionState)
    assert set(explain.STATE_LABELS) == set(ImportState)
    assert set(explain.KIND_LABELS) == set(RowKind)


def test_the_models_check_the_values_the_migrations_created(app):
    """The enums keep the stored strings: every CHECK of the models (built from the enums)
    is, word for word, one the migrations wrote, so no migration is due."""
    migrations = "".join(path.read_text(encoding="utf-8")
                         for path in (ROOT / "migrations" / "versions").glob("*.py"))
    checks = [str(constraint.sqltext) for table in db.metadata.tables.values()
              for constraint in table.constraints if hasattr(constraint, "sqltext")]
    assert any("'published'" in check for check in checks)
    for check in checks:
        assert repr(check) in migrations, check


# --- No state literal outside its enum ----------------------------------------------------

LIFECYCLES = (CertificateState, StoryState, RevisionState, ImportState)
# (enums, folders searched): a row kind's words ("new", "error") are common elsewhere.
SEARCHED = [
    (LIFECYCLES, ("portal", "templates")),
    ((RowKind,), ("portal/contracts", "templates/contracts")),
]
# (file, text on the line that is not a state, why); the text is blanked before searching.
NOT_STATES = [
    ("portal/pso.py", 'PENDING = "pending"',
     "Status.PENDING: a supplier's standing, a member of its own enum"),
    ("portal/contracts/importing.py", '{"added": added, "changed": changed, "unchanged"',
     "the apply's counts of contracts, which the flash message names"),
    ("portal/contracts/routes.py", 'changed=result["changed"], unchanged=result["unchanged"]',
     "the same counts, read for the flash message"),
]


def state_literals(line: str, values: set[str]) -> list[str]:
    """The quoted words on `line` that are one of `values`: "draft" or 'draft'."""
    return [match.group(2) for match in re.finditer(r"""(["'])([a-z_]+)\1""", line)
            if match.group(2) in values]


def test_the_search_finds_a_state_however_it_is_quoted():
    values = {"draft", "pending"}
    assert state_literals('if story.state == "draft":', values) == ["draft"]
    assert state_literals("{% if c.state in ('pending', 'x') %}", values) == ["pending"]
    assert state_literals('"drafts" and "Draft" and "draft_x"', values) == []


def test_no_state_literal_outside_its_enum():
    found = []
    for enums, folders in SEARCHED:
        values = {member.value for enum in enums for member in enum}
        for folder in folders:
            for path in sorted((ROOT / folder).rglob("*")):
                relative = path.relative_to(ROOT).as_posix()
                if path.suffix not in (".py", ".html") or relative == "portal/states.py":
                    continue
                for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                    for file, text, _why in NOT_STATES:
                        if file == relative:
                            line = line.replace(text, "")
                    found += [f"{relative}:{number}: {word}"
                              for word in state_literals(line, values)]
    assert found == [], "use the enum of portal.states (or a model's property in templates)"


def test_every_exception_to_the_search_is_still_needed():
    for file, text, why in NOT_STATES:
        assert text in (ROOT / file).read_text(encoding="utf-8"), (file, why)
