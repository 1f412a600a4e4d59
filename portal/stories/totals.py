"""What the published stories add up to: stories and people placed, per target group and year.

Counted by the database in one GROUP BY over (target group, year), from the facts each story
carries of its published revision; only the few group rows are added up here, so the cost does
not depend on how many stories there are.
"""

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import extract, func, select

from portal.extensions import db
from portal.states import StoryState
from portal.stories import facts
from portal.stories.models import Story


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


def totals() -> Totals:
    year = extract("year", Story.published_on)
    groups: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    years: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for group, in_year, stories, people in db.session.execute(
            select(Story.target_group, year, func.count(),
                   func.coalesce(func.sum(Story.people_count), 0))
            .where(Story.state == StoryState.PUBLISHED).group_by(Story.target_group, year)):
        for line in (groups[group], years[int(in_year)]):
            line[0] += stories
            line[1] += people
    # In the order of the fixed list, leaving out groups without stories; newest year first.
    by_group = [Line(g, *groups[g]) for g in facts.TARGET_GROUPS if g in groups]
    by_year = [Line(y, *years[y]) for y in sorted(years, reverse=True)]
    return Totals(stories=sum(line.stories for line in by_year),
                  people=sum(line.people for line in by_year),
                  by_target_group=by_group, by_year=by_year)
