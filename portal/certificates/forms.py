from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from portal.forms import date_in_range
from portal.labels import LEVEL_LABELS

DATE_FORMAT_MESSAGE = _l("Vul een datum in als jjjj-mm-dd, bijvoorbeeld 2026-03-01.")


def level_choices():
    return [SelectChoice("", _l("Kies een trede"))] + [
        SelectChoice(value, label) for value, label in LEVEL_LABELS.items()
    ]


class CertificateForm(FlaskForm):
    level = SelectField(_l("Trede"), choices=level_choices,
                        validators=[DataRequired(_l("Kies een trede uit de lijst."))])
    certificate_number = StringField(
        _l("Certificaatnummer"),
        validators=[DataRequired(_l("Vul het certificaatnummer in.")), Length(max=50)],
        description=_l("Zoals het op het certificaat staat."),
    )
    issued_on = DateField(
        _l("Datum van afgifte"), format="%Y-%m-%d",
        validators=[DataRequired(DATE_FORMAT_MESSAGE), date_in_range], render_kw={"type": "date"},
    )
    valid_until = DateField(
        _l("Geldig tot en met"), format="%Y-%m-%d",
        validators=[DataRequired(DATE_FORMAT_MESSAGE), date_in_range], render_kw={"type": "date"},
        description=_l("Een PSO-certificaat is hoogstens 2 jaar geldig."),
    )
    file = FileField(
        _l("Certificaat (PDF, hoogstens 10 MB)"),
        validators=[FileRequired(_l("Kies het PDF-bestand van het certificaat."))],
        render_kw={"accept": "application/pdf,.pdf"},
    )


class RejectForm(FlaskForm):
    reason = TextAreaField(
        _l("Reden van afkeuren"),
        validators=[DataRequired(_l("Geef een reden, zodat de leverancier weet wat er mis is.")),
                    Length(max=2000)],
        render_kw={"rows": 3},
    )


