"""The texts of the reminders to suppliers, composed per recipient in their own language.

Kept apart from `reminder_due` and `reminders`, which decide who is due what and record it: the
wording changes for other reasons (a review by the team Inkoopadvies) than the rules for
sending.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING

from flask_babel import gettext as _
from flask_babel import ngettext

from portal import formats
from portal.obligations import explain

if TYPE_CHECKING:  # only for the annotations; reminders imports this module
    from portal.obligations.reminder_due import Due
    from portal.obligations.reminders import Person


def level(value) -> str:
    """A level inside a sentence: "trede 2", but "PSO 30+" as it is written."""
    label = explain.level(value)
    return label if label.startswith("PSO") else label.lower()


def why(due: Due) -> dict[str, object]:
    """The requirement and its reason, for the messages: level, threshold, year and sum."""
    obligation = due.assessment.obligation
    return {
        "organisation": due.organisation_name,
        "required": level(obligation.required_level),
        "threshold": formats.format_euro(obligation.rule.threshold_cents),
        "year": obligation.day.year,
        "sum": formats.format_euro(obligation.annual_sum_cents),
    }


def expiry_mail(due: Due, link: str) -> Callable[[Person], tuple[str, str]]:
    a = due.assessment
    certificate = due.ending or a.renewal or a.certificate

    def compose(person: Person) -> tuple[str, str]:
        until = explain.day(a.expires_on)
        subject = _("Herinnering: uw PSO-certificaat is geldig tot en met %(until)s",
                    until=until)
        body = _(
            "Beste %(name)s,\n\n"
            "Het PSO-certificaat %(level)s (nr. %(number)s) van %(organisation)s is geldig "
            "tot en met %(until)s.\n\n"
            "Wonen Limburg vraagt minimaal PSO %(required)s van leveranciers met een "
            "opdrachtsom van %(threshold)s of meer per jaar. De opdrachtsom van "
            "%(organisation)s in %(year)d is %(sum)s. Zonder nieuw certificaat voldoet "
            "%(organisation)s vanaf %(after)s niet meer aan deze eis.\n\n"
            "Vraag daarom op tijd een nieuw certificaat aan en upload het in het portaal. "
            "Uw verplichting ziet u hier:\n\n%(link)s\n\n"
            "Wonen Limburg, team Inkoopadvies",
            name=person.name, level=level(certificate.level), number=certificate.number,
            until=until, after=explain.day(a.expires_on + timedelta(days=1)), link=link,
            **why(due),
        )
        return subject, body

    return compose


def held_sentence(due: Due) -> str:
    """The highest verified certificate on the day of the assessment, when it is too low."""
    held = due.assessment.best_held
    if held is None:
        return ""
    return _(
        "Het hoogste goedgekeurde certificaat van %(organisation)s is %(level)s "
        "(nr. %(number)s), geldig tot en met %(until)s. Dat is niet genoeg.",
        organisation=due.organisation_name, level=level(held.level),
        number=held.number, until=explain.day(held.valid_until),
    ) + "\n\n"


def upcoming_mail(due: Due, link: str) -> Callable[[Person], tuple[str, str]]:
    """A new requirement begins on the day of the assessment and the supplier will not meet it:
    from when, which level, why, and what to do before that day."""
    a = due.assessment

    def compose(person: Person) -> tuple[str, str]:
        starts = explain.day(a.day)
        subject = _("Vanaf %(day)s vraagt Wonen Limburg PSO %(required)s van %(organisation)s",
                    day=starts, required=level(a.required_level),
                    organisation=due.organisation_name)
        when = ngettext("Dat is over %(num)d dag.", "Dat is over %(num)d dagen.", due.days_left)
        body = _(
            "Beste %(name)s,\n\n"
            "Vanaf %(day)s vraagt Wonen Limburg minimaal PSO %(required)s van "
            "%(organisation)s. %(when)s\n\n"
            "Wonen Limburg vraagt minimaal PSO %(required)s van leveranciers met een "
            "opdrachtsom van %(threshold)s of meer per jaar. De opdrachtsom van "
            "%(organisation)s in %(year)d is %(sum)s. In het portaal heeft %(organisation)s "
            "geen goedgekeurd PSO-certificaat van dat niveau of hoger dat op %(day)s geldig "
            "is.\n\n%(held)s"
            "Upload daarom vóór %(day)s in het portaal een PSO-certificaat van minimaal "
            "%(required)s dat op %(day)s geldig is. Daar ziet u ook hoe de eis voor uw "
            "organisatie is bepaald:\n\n%(link)s\n\n"
            "U krijgt deze herinnering 90, 30 en 7 dagen voordat de eis ingaat, tot er een "
            "certificaat is geüpload.\n\n"
            "Wonen Limburg, team Inkoopadvies",
            name=person.name, day=starts, when=when, held=held_sentence(due), link=link,
            **why(due),
        )
        return subject, body

    return compose


def not_met_mail(due: Due, link: str) -> Callable[[Person], tuple[str, str]]:
    a = due.assessment

    def compose(person: Person) -> tuple[str, str]:
        subject = _("%(organisation)s voldoet niet aan de PSO-eis van Wonen Limburg",
                    organisation=due.organisation_name)
        body = _(
            "Beste %(name)s,\n\n"
            "Wonen Limburg vraagt minimaal PSO %(required)s van leveranciers met een "
            "opdrachtsom van %(threshold)s of meer per jaar. De opdrachtsom van "
            "%(organisation)s in %(year)d is %(sum)s. Op %(day)s heeft %(organisation)s "
            "geen goedgekeurd, geldig PSO-certificaat van dat niveau of hoger in het "
            "portaal.\n\n%(held)s"
            "Upload een geldig certificaat in het portaal. Daar ziet u ook hoe de eis voor "
            "uw organisatie is bepaald:\n\n%(link)s\n\n"
            "U krijgt deze herinnering één keer per jaar.\n\n"
            "Wonen Limburg, team Inkoopadvies",
            name=person.name, day=explain.day(a.day), held=held_sentence(due), link=link,
            **why(due),
        )
        return subject, body

    return compose
