from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from portal.certificates.forms import level_choices
from portal.forms import date_in_range, euro_amount


class WhatIfForm(FlaskForm):
    """A GET form: it changes nothing, so it needs no CSRF token."""

    class Meta:
        csrf = False

    expected = StringField(
        _l("Verwachte opdrachtsom per jaar (euro)"),
        validators=[Length(max=30), euro_amount],
        description=_l("Bijvoorbeeld 212.500,00"),
        render_kw={"inputmode": "decimal", "autocomplete": "off"},
    )


class PolicyRuleForm(FlaskForm):
    effective_from = DateField(
        _l("Geldt vanaf"), format="%Y-%m-%d", render_kw={"type": "date"},
        validators=[DataRequired(_l("Vul een datum in als jjjj-mm-dd.")), date_in_range],
    )
    effective_until = DateField(
        _l("Geldt tot en met (optioneel)"), format="%Y-%m-%d", render_kw={"type": "date"},
        validators=[Optional(), date_in_range],
        description=_l("Leeg laten: de regel geldt tot een nieuwere regel hem opvolgt."),
    )
    threshold = StringField(
        _l("Drempel: opdrachtsom per jaar vanaf (euro)"),
        validators=[DataRequired(_l("Vul een bedrag in.")), Length(max=30), euro_amount],
        render_kw={"inputmode": "decimal", "autocomplete": "off"},
    )
    required_level = SelectField(_l("Gevraagde trede"), choices=level_choices,
                                 validators=[DataRequired(_l("Kies een trede uit de lijst."))])
    note = TextAreaField(_l("Toelichting"), validators=[Length(max=2000)],
                         description=_l("Waarom deze regel; leveranciers zien deze tekst."),
                         render_kw={"rows": 3})
