"""What the published stories add up to: stories and people placed, per target group and year.

Counted by the database (GROUP BY), so the cost does not depend on how many stories there are.
Only what is online counts: a story's people are those of its published revision.
"""

from dataclasses import dataclass

from sqlalchemy import extract, func

from portal.extensions import db
from portal.stories import facts
from portal.stories.models import Story, StoryRevision
from portal.stories.search import published


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


def totals() -> Totals:
    counted = (func.count(), func.coalesce(func.sum(StoryRevision.people_count), 0))
    by_group = {group: Line(group, stories, people) for group, stories, people in db.session
                .execute(published().add_columns(StoryRevision.target_group, *counted)
                         .group_by(StoryRevision.target_group))}
    year = extract("year", Story.published_on)
    by_year = [Line(int(y), stories, people) for y, stories, people in db.session.execute(
        published().add_columns(year, *counted).group_by(year).order_by(year.desc()))]
    # In the order of the fixed list, leaving out groups without stories.
    ordered = [by_group[g] for g in facts.TARGET_GROUPS if g in by_group]
    return Totals(stories=sum(line.stories for line in by_year),
                  people=sum(line.people for line in by_year),
                  by_target_group=ordered, by_year=by_year)
