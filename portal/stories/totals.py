"""What the published stories add up to: stories and people placed, per target group and year.

Read from `story_totals`, a few rows (target group x year) that the database keeps in step
with the stories (see `StoryTotal`): a page never counts the stories themselves, so its cost
does not grow with their number, and the sums are exact in every transaction, on every app
server. Only those few rows are added up here.
"""

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select

from portal.extensions import db
from portal.stories import facts
from portal.stories.models import StoryTotal


@dataclass(frozen=True)
class Line:
    key: object  # a target group value, or a year
    stories: int
    people: int


@dataclass(frozen=True)
class Totals:
    stories: int
    people: int
    by_target_group: list[Line]
    by_year: list[Line]

    @property
    def years(self) -> list[int]:
        return [line.key for line in self.by_year]

    def stories_in(self, target_group: str | None = None, year: int | None = None) -> int:
        """How many published stories have this target group, or this year (not both)."""
        lines, key = (self.by_year, year) if year else (self.by_target_group, target_group)
        return next((line.stories for line in lines if line.key == key), 0)


def totals() -> Totals:
    groups: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    years: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for group, year, stories, people in db.session.execute(
            select(StoryTotal.target_group, StoryTotal.year, StoryTotal.stories,
                   StoryTotal.people).where(StoryTotal.stories > 0)):
        for line in (groups[group], years[year]):
            line[0] += stories
            line[1] += people
    # In the order of the fixed list, leaving out groups without stories; newest year first.
    by_group = [Line(g, *groups[g]) for g in facts.TARGET_GROUPS if g in groups]
    by_year = [Line(y, *years[y]) for y in sorted(years, reverse=True)]
    return Totals(stories=sum(line.stories for line in by_year),
                  people=sum(line.people for line in by_year),
                  by_target_group=by_group, by_year=by_year)
