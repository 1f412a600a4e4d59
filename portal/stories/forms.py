from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from portal import markdown
from portal.stories import facts
from portal.stories.services import BODY_TOO_LONG, CONSENT_MISSING, StoryFields

CONSENT_LABEL = _l("De mensen over wie dit verhaal gaat, gaven toestemming voor publicatie. "
                   "Niemand is zonder eigen toestemming herkenbaar (naam, foto, adres of "
                   "andere details).")


def _choices(prompt, items):
    return lambda: [SelectChoice("", prompt)] + [SelectChoice(value, label)
                                                 for value, label in items()]


class StoryForm(FlaskForm):
    # Lists are checked by the service with a Dutch message per field, not by WTForms.
    title = StringField(
        _l("Titel"),
        validators=[DataRequired(_l("Geef het verhaal een titel.")),
                    Length(max=facts.TITLE_MAX)],
        description=_l("Kort en concreet, bijvoorbeeld: Van werkervaringsplaats naar vast "
                       "contract."),
        render_kw={"maxlength": facts.TITLE_MAX},
    )
    summary = TextAreaField(
        _l("Samenvatting"),
        validators=[DataRequired(_l("Schrijf een korte samenvatting.")),
                    Length(max=facts.SUMMARY_MAX)],
        description=_l("Een of twee zinnen. Die staan in het overzicht van alle verhalen."),
        render_kw={"rows": 3, "maxlength": facts.SUMMARY_MAX},
    )
    body = TextAreaField(
        _l("Verhaal"),
        validators=[DataRequired(_l("Schrijf het verhaal.")),
                    Length(max=markdown.MAX_SOURCE_LENGTH, message=BODY_TOO_LONG)],
        description=_l("Opmaak met Markdown; de uitleg staat onder het formulier. Noem "
                       "mensen alleen bij naam als ze daar toestemming voor gaven."),
        render_kw={"rows": 16},
    )
    target_group = SelectField(
        _l("Doelgroep"), validate_choice=False,
        choices=_choices(_l("Kies een doelgroep"), facts.TARGET_GROUPS.items),
        validators=[DataRequired(_l("Kies een doelgroep uit de lijst."))],
    )
    placement_kind = SelectField(
        _l("Soort plaatsing"), validate_choice=False,
        choices=_choices(_l("Kies een soort plaatsing"), facts.PLACEMENT_KINDS.items),
        validators=[DataRequired(_l("Kies een soort plaatsing uit de lijst."))],
    )
    people_count = IntegerField(
        _l("Aantal mensen"),
        validators=[InputRequired(_l("Vul het aantal mensen in.")),
                    NumberRange(min=1, max=facts.PEOPLE_MAX,
                                message=_l("Vul een aantal van 1 tot en met %(max)d in.",
                                           max=facts.PEOPLE_MAX))],
        description=_l("Hoeveel mensen uit de doelgroep aan het werk kwamen of bleven."),
        render_kw={"inputmode": "numeric", "min": 1, "max": facts.PEOPLE_MAX},
    )
    municipality = SelectField(
        _l("Gemeente"), validate_choice=False,
        choices=_choices(_l("Kies een gemeente"),
                         lambda: [(name, name) for name in facts.MUNICIPALITIES]),
        validators=[DataRequired(_l("Kies een Limburgse gemeente uit de lijst."))],
        description=_l("Waar het werk plaatsvond."),
    )
    consent = BooleanField(CONSENT_LABEL, validators=[DataRequired(CONSENT_MISSING)])
    # The text the form started from (services.version_of), so a colleague's edit made in the
    # meantime is not overwritten unseen.
    version = HiddenField()

    def fields(self) -> StoryFields:
        return StoryFields(
            title=self.title.data or "", summary=self.summary.data or "",
            body=self.body.data or "", target_group=self.target_group.data or "",
            placement_kind=self.placement_kind.data or "",
            people_count=self.people_count.data, municipality=self.municipality.data or "",
            consent=bool(self.consent.data),
        )


class ReasonForm(FlaskForm):
    """A reason for rejecting a revision or taking a story offline."""

    reason = TextAreaField(
        _l("Reden"),
        validators=[DataRequired(_l("Geef een reden, zodat de schrijver weet wat er anders "
                                    "moet.")), Length(max=2000)],
        render_kw={"rows": 3},
    )
