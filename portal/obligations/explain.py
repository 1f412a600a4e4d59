"""An assessment in plain Dutch (or English): which rule, which sum, which certificate.

The rules themselves live in portal.pso; this module only puts their outcome into words.
"""

from flask_babel import format_date

from portal import formats, pso, pso_timeline
from portal.i18n import gettext as _
from portal.i18n import lazy_gettext as _l
from portal.labels import LEVEL_LABELS

STATUS_LABELS = {
    pso.Status.NOT_REQUIRED: _l("Niet verplicht"),
    pso.Status.COMPLIANT: _l("In orde"),
    pso.Status.PENDING: _l("Wacht op controle"),
    pso.Status.EXPIRING: _l("Verloopt binnenkort"),
    pso.Status.NON_COMPLIANT: _l("Niet in orde"),
}


def level(value) -> str:
    return str(LEVEL_LABELS[str(value)])


def day(value) -> str:
    return format_date(value, "long")


def requirement(obligation: pso.Obligation) -> str:
    """Why a level is asked, or why not."""
    euro = formats.format_euro
    rule = obligation.rule
    year = obligation.day.year
    if rule is None:
        return _("Op %(day)s geldt er geen PSO-regel van Wonen Limburg.", day=day(obligation.day))
    if obligation.required_level is None:
        return _("Uw opdrachtsom in %(year)d is %(sum)s. Dat is minder dan %(threshold)s per "
                 "jaar, dus Wonen Limburg vraagt geen PSO-certificaat.", year=year,
                 sum=euro(obligation.annual_sum_cents), threshold=euro(rule.threshold_cents))
    return _("Uw opdrachtsom in %(year)d is %(sum)s. Daarom vraagt Wonen Limburg minimaal PSO "
             "%(level)s.", year=year, sum=euro(obligation.annual_sum_cents),
             level=level(obligation.required_level).lower())


def certificate_sentence(assessment: pso.Assessment) -> str | None:
    cert = assessment.certificate
    status = assessment.status
    if status == pso.Status.NOT_REQUIRED:
        return None
    if status in (pso.Status.COMPLIANT, pso.Status.EXPIRING):
        text = _("Uw certificaat %(level)s (nr. %(number)s) is geldig tot en met %(until)s.",
                 level=level(cert.level).lower(), number=cert.number, until=day(cert.valid_until))
        if assessment.expires_on and assessment.expires_on != cert.valid_until:
            text += " " + _("Met uw volgende certificaat bent u gedekt tot en met %(until)s.",
                            until=day(assessment.expires_on))
        if status == pso.Status.EXPIRING:
            text += " " + _("Dat is over %(days)d dagen: upload op tijd een nieuw certificaat.",
                            days=assessment.days_left)
        return text
    if status == pso.Status.PENDING:
        return _("Uw certificaat %(level)s (nr. %(number)s) is ontvangen en wacht op controle "
                 "door Wonen Limburg.", level=level(assessment.pending.level).lower(),
                 number=assessment.pending.number)
    held = assessment.best_held
    if held is not None:
        return _("Uw geldige certificaat is %(level)s (nr. %(number)s); dat is lager dan "
                 "gevraagd. Upload een certificaat van minimaal %(required)s.",
                 level=level(held.level).lower(), number=held.number,
                 required=level(assessment.required_level).lower())
    return _("Wonen Limburg heeft van u geen geldig certificaat van minimaal %(required)s. "
             "Upload uw certificaat.", required=level(assessment.required_level).lower())


def explanation(assessment: pso.Assessment) -> list[str]:
    sentences = [requirement(assessment.obligation)]
    extra = certificate_sentence(assessment)
    if extra:
        sentences.append(extra)
    return sentences


def timeline_entry(entry: pso_timeline.TimelineEntry) -> str:
    a = entry.assessment
    kind = entry.kind
    if kind == pso_timeline.EntryKind.TODAY:
        return _("Vandaag: %(status)s.", status=STATUS_LABELS[a.status].lower())
    if kind == pso_timeline.EntryKind.YEAR:
        if a.required_level is None:
            return _("Opdrachtsom %(year)d: %(sum)s; geen certificaat gevraagd.",
                     year=entry.date.year, sum=formats.format_euro(a.obligation.annual_sum_cents))
        return _("Opdrachtsom %(year)d: %(sum)s; gevraagd wordt minimaal %(level)s.",
                 year=entry.date.year, sum=formats.format_euro(a.obligation.annual_sum_cents),
                 level=level(a.required_level).lower())
    if kind == pso_timeline.EntryKind.RULE_CHANGE:
        rule = a.obligation.rule
        if rule is None:
            return _("Er geldt vanaf nu geen PSO-regel meer.")
        return _("Nieuwe regel: minimaal %(level)s bij een opdrachtsom vanaf %(threshold)s per "
                 "jaar.", level=level(rule.required_level).lower(),
                 threshold=formats.format_euro(rule.threshold_cents))
    if kind == pso_timeline.EntryKind.CERTIFICATE_ENDS:
        cert = entry.certificate
        return _("Laatste geldige dag van uw certificaat %(level)s (nr. %(number)s).",
                 level=level(cert.level).lower(), number=cert.number)
    return _("Vanaf deze dag voldoet u niet meer aan de eis van minimaal %(level)s, tenzij u "
             "op tijd een nieuw certificaat uploadt.", level=level(a.required_level).lower())
