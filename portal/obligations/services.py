"""A supplier's obligation as its pages show it: its facts (portal.obligations.loader) through
the pure rules of portal.pso."""

from datetime import date
from functools import cached_property

from portal import pso, pso_timeline
from portal.extensions import db
from portal.obligations import compliance, loader
from portal.suppliers.models import Organisation


class Picture:
    """Everything the obligation page shows for one supplier, computed once: the facts are
    read in three statements, and the timeline only when a page shows it (the dashboard
    does not)."""

    def __init__(self, organisation: Organisation, today: date, years: int = 3):
        rules, self.notes = loader.rules_and_notes()
        self._facts = (rules, loader.contracts([organisation.id])[organisation.id],
                       loader.certificates([organisation.id])[organisation.id])
        self._years = years
        self.organisation = organisation
        self.today = today
        self.rules = rules
        self.assessment = pso.assess(*self._facts, today)
        self.upcoming = pso_timeline.next_change(*self._facts, today)

    @cached_property
    def timeline(self) -> list[pso_timeline.TimelineEntry]:
        return pso_timeline.timeline(*self._facts, self.today, years=self._years)

    @property
    def status(self) -> pso.Status:
        return self.assessment.status


def what_if(annual_cents: int, day: date) -> pso.Obligation:
    """The requirement for a supplier whose annual contract sum would be `annual_cents`."""
    contract = pso.Contract(start=date(day.year, 1, 1), end=None, annual_value_cents=annual_cents)
    return pso.obligation_on(loader.rules(), [contract], day)


def current_statuses(today: date) -> None:
    """Bring stored statuses computed for another day up to `today`, for a page about to show
    them, and commit them at once: every later page then finds them current. Normally the
    daily refresh did this and it costs one query; a separate commit, because what it writes
    is true whatever the page goes on to do."""
    if compliance.bring_up_to_date(today).computed:
        db.session.commit()
