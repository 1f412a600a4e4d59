from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import Length, ValidationError

from portal import pso


def euro_amount(form, field):
    try:
        field.parsed = pso.parse_euro(field.data or "")
    except pso.AmbiguousAmount as exc:
        raise ValidationError(_l("Dit bedrag kan op twee manieren gelezen worden. Schrijf het "
                                 "als 150.000,00.")) from exc
    except ValueError as exc:
        raise ValidationError(_l("Vul een bedrag in euro in, bijvoorbeeld 150.000,00.")) from exc


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
