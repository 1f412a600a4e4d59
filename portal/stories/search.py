"""Browsing published stories: full-text search, filters and pages, in two queries per page.

Full-text search is the database's own: an FTS5 table on SQLite, and on PostgreSQL a stored
column to_tsvector('dutch', title || ' ' || summary || ' ' || body) with a GIN index (both
made by migration 0004). The index covers every revision; matching it against
`stories.published_revision_id` keeps only the text that is online. Filters and counts read
the facts the story carries of its published revision, so they never touch the (wide)
revisions table.

Typed words are reduced to letters and digits and matched as prefixes ("werk" finds
"werkervaringsplaats"), all of them required, so nothing a user types can break the query
syntax. PostgreSQL also stems Dutch words ("plaatsingen" finds
"plaatsing"); SQLite ignores accents.

What a page costs must not grow with the number of stories, nor with how common a searched
word is. So the number of matches comes from the kept totals (`portal.stories.totals`) when
they answer it (no filter, or only a target group or a year), and is otherwise counted up to
`COUNT_LIMIT` only: beyond that the page says "more than", which is all a reader needs to know.
A page is the first rows of a walk over the published stories newest first (an index in that
order), each checked against the search and filters until the page is full. On PostgreSQL,
for a word in almost every story that is a page's worth of checks, and for a rare word the
planner starts from the index's few matches and sorts them instead. SQLite checks each story
against the list of matches it makes first, and counts from the full-text index's matches.

The list never loads a story's body: only the columns a card shows.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime
from itertools import product

from sqlalchemy import and_, bindparam, column, func, literal_column, select, table, text
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.selectable import Join

from portal.extensions import db
from portal.states import StoryState
from portal.stories import totals
from portal.stories.models import Story, StoryRevision
from portal.suppliers.models import Organisation

PAGE_SIZE = 20
MAX_WORDS = 8
# Matches are counted up to this many; more are shown as "more than COUNT_LIMIT".
COUNT_LIMIT = 200

# Not in the models, so `flask db migrate` must leave them alone (see migrations/env.py).
SQLITE_SEARCH_TABLE = "story_search"
POSTGRESQL_SEARCH_COLUMN = "search_vector"
POSTGRESQL_SEARCH_INDEX = "ix_story_revisions_search"
POSTGRESQL_DOCUMENT = literal_column(f"story_revisions.{POSTGRESQL_SEARCH_COLUMN}")
SQLITE_INDEX = table(SQLITE_SEARCH_TABLE, column("rowid"))
SQLITE_ROWID = SQLITE_INDEX.c.rowid


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """For Alembic: skip the search table (with FTS5's shadow tables), column and index."""
    if type_ == "table" and (name == SQLITE_SEARCH_TABLE
                             or (name or "").startswith(SQLITE_SEARCH_TABLE + "_")):
        return False
    if type_ == "column" and name == POSTGRESQL_SEARCH_COLUMN:
        return obj.table.name != "story_revisions"
    return not (type_ == "index" and name == POSTGRESQL_SEARCH_INDEX)


def words(q: str | None) -> list[str]:
    return re.findall(r"\w+", (q or "").lower())[:MAX_WORDS]


def _sqlite_match(found: list[str]):
    query = " ".join(f'"{w[:60]}"*' for w in found)
    return text(f"{SQLITE_SEARCH_TABLE} MATCH :fts").bindparams(fts=query)


def _matches(found: list[str]):
    """A condition on Story: its published revision contains every word (as a prefix).

    On PostgreSQL a semi-join its planner runs either way: from the newest stories, checking
    each one's revision until the page is full (a common word), or from the index's few
    matches (a rare one)."""
    if db.engine.dialect.name == "postgresql":
        query = " & ".join(f"{w[:60]}:*" for w in found)
        return Story.published_revision_id.in_(select(StoryRevision.id).where(
            POSTGRESQL_DOCUMENT.op("@@")(func.to_tsquery(
                literal_column("'dutch'::regconfig"), bindparam("tsquery", query)))))
    return Story.published_revision_id.in_(
        select(SQLITE_ROWID).select_from(SQLITE_INDEX).where(_sqlite_match(found)))


@dataclass(frozen=True)
class Filters:
    q: str = ""
    target_group: str = ""
    placement_kind: str = ""
    municipality: str = ""
    year: int | None = None

    @property
    def active(self) -> bool:
        return bool(self.q or self.target_group or self.placement_kind or self.municipality
                    or self.year)

    def args(self) -> dict:
        """As URL parameters, leaving out the empty ones."""
        values = {"q": self.q, "target_group": self.target_group,
                  "placement_kind": self.placement_kind, "municipality": self.municipality,
                  "year": self.year}
        return {k: v for k, v in values.items() if v}


@dataclass(frozen=True)
class Card:
    """One published story in a list."""

    id: int
    title: str
    summary: str
    target_group: str
    placement_kind: str
    people_count: int
    municipality: str
    organisation_id: int
    organisation_name: str
    published_on: date
    published_at: datetime


@dataclass(frozen=True)
class Page:
    cards: list[Card]
    total: int  # how many stories match; with `exact` False: more than this many
    exact: bool
    page: int
    has_next: bool

    @property
    def pages(self) -> int | None:
        """How many pages there are, when the count is exact."""
        return max(1, -(-self.total // PAGE_SIZE)) if self.exact else None


CARD_COLUMNS = (Story.id, StoryRevision.title, StoryRevision.summary, Story.target_group,
                Story.placement_kind, Story.people_count, Story.municipality, Organisation.id,
                Organisation.name, Story.published_on, Story.published_at)


def published():
    """Published stories (no columns chosen yet)."""
    return select().select_from(Story).where(Story.state == StoryState.PUBLISHED)


def _with_card_columns(query):
    return (query.add_columns(*CARD_COLUMNS)
            .join(StoryRevision, StoryRevision.id == Story.published_revision_id)
            .join(Organisation, Organisation.id == Story.organisation_id))


def conditions(filters: Filters, search: bool = True) -> list:
    found = []
    if search and words(filters.q):
        found.append(_matches(words(filters.q)))
    if filters.target_group:
        found.append(Story.target_group == filters.target_group)
    if filters.placement_kind:
        found.append(Story.placement_kind == filters.placement_kind)
    if filters.municipality:
        found.append(Story.municipality == filters.municipality)
    if filters.year:
        found.append(and_(Story.published_on >= date(filters.year, 1, 1),
                          Story.published_on < date(filters.year + 1, 1, 1)))
    return found


def _cards(query) -> list[Card]:
    return [Card(*row) for row in db.session.execute(query)]


def _known_total(filters: Filters, summed: totals.Totals | None) -> int | None:
    """The number of matches when the kept totals hold it, else None."""
    if summed is None or filters.q or filters.placement_kind or filters.municipality:
        return None
    if filters.target_group and filters.year:
        return None
    if filters.target_group or filters.year:
        return summed.stories_in(target_group=filters.target_group, year=filters.year)
    return summed.stories


class _ReadLeftFirst(Join):
    """A join whose left side SQLite reads first, as its CROSS JOIN does; others: a join."""

    inherit_cache = True


@compiles(_ReadLeftFirst, "sqlite")
def _cross_join(join, compiler, asfrom=False, from_linter=None, **kw):
    if from_linter:
        from_linter.edges.update(product(join.left._from_objects, join.right._from_objects))
    return (join.left._compiler_dispatch(compiler, asfrom=True, from_linter=from_linter, **kw)
            + " CROSS JOIN "
            + join.right._compiler_dispatch(compiler, asfrom=True, from_linter=from_linter,
                                            **kw)
            + " ON " + join.onclause._compiler_dispatch(compiler, from_linter=from_linter, **kw))


def _counted(filters: Filters):
    """The ids of the matching stories, to count, in the order that stops soonest.

    SQLite would walk every story to count a rare word's matches: here it reads the
    full-text index's matches one by one instead, each looking up its story (its planner
    would turn a plain join around), so that counting stops at the limit for a common word
    as well."""
    if not words(filters.q) or db.engine.dialect.name == "postgresql":
        return published().add_columns(Story.id).where(*conditions(filters))
    return (select(Story.id)
            .select_from(_ReadLeftFirst(SQLITE_INDEX, Story.__table__,
                                        Story.published_revision_id == SQLITE_ROWID))
            .where(_sqlite_match(words(filters.q)), Story.state == StoryState.PUBLISHED,
                   *conditions(filters, search=False)))


def _count(filters: Filters) -> tuple[int, bool]:
    """How many stories match, counting no further than one past COUNT_LIMIT: (n, exact)."""
    found = db.session.scalar(select(func.count()).select_from(
        _counted(filters).limit(COUNT_LIMIT + 1).subquery()))
    return min(found, COUNT_LIMIT), found <= COUNT_LIMIT


def page_of(filters: Filters, page: int = 1, summed: totals.Totals | None = None) -> Page:
    """One page of the matching stories, newest first. `summed`, the totals the page shows
    anyway, answers the count when it can; a page past the end is the last page, or empty
    when the count is not exact."""
    where = conditions(filters)
    total = _known_total(filters, summed)
    exact = total is not None
    if not exact:
        total, exact = _count(filters)
    page = max(page, 1)
    if exact:
        page = min(page, max(1, -(-total // PAGE_SIZE)))
    newest_first = (Story.published_at.desc(), Story.id.desc())
    # The page is chosen on the narrow stories table; only its rows are joined. One row
    # more than a page tells whether a next page exists.
    chosen = (published().add_columns(Story.id).where(*where).order_by(*newest_first)
              .limit(PAGE_SIZE + 1).offset((page - 1) * PAGE_SIZE).subquery())
    cards = _cards(_with_card_columns(select().select_from(Story))
                   .join(chosen, chosen.c.id == Story.id).order_by(*newest_first))
    return Page(cards=cards[:PAGE_SIZE], total=total, exact=exact, page=page,
                has_next=len(cards) > PAGE_SIZE)


def other_stories(story: Story, limit: int = 5) -> list[Card]:
    """The organisation's other published stories, newest first."""
    return _cards(_with_card_columns(published())
                  .where(Story.organisation_id == story.organisation_id, Story.id != story.id)
                  .order_by(Story.published_at.desc(), Story.id.desc()).limit(limit))
