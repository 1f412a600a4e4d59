from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from portal.forms import dutch_date, euro_amount


class ImportForm(FlaskForm):
    file = FileField(
        _l("CSV-export van het inkoopsysteem"),
        validators=[FileRequired(_l("Kies het CSV-bestand met de contracten."))],
        description=_l("Kolommen: kvk;leverancier;referentie;omschrijving;startdatum;"
                       "einddatum;jaarbedrag. Puntkomma of komma als scheidingsteken."),
        render_kw={"accept": ".csv,text/csv"},
    )


class ContractForm(FlaskForm):
    # The contract's version when the form was opened, so a save never overwrites a newer one.
    version = HiddenField()
    reference = StringField(
        _l("Contractreferentie"),
        validators=[DataRequired(_l("Vul de referentie uit het inkoopsysteem in.")),
                    Length(max=100)],
        render_kw={"autocomplete": "off"},
    )
    description = TextAreaField(_l("Omschrijving"), validators=[Length(max=500)],
                                render_kw={"rows": 2})
    start_date = StringField(
        _l("Startdatum"),
        validators=[DataRequired(_l("Vul de startdatum in.")), dutch_date],
        description=_l("dd-mm-jjjj"), render_kw={"autocomplete": "off"},
    )
    end_date = StringField(
        _l("Einddatum (optioneel)"), validators=[dutch_date],
        description=_l("dd-mm-jjjj; leeg laten als het contract doorloopt."),
        render_kw={"autocomplete": "off"},
    )
    annual_value = StringField(
        _l("Jaarbedrag (euro)"),
        validators=[DataRequired(_l("Vul het jaarbedrag in.")), Length(max=30), euro_amount],
        description=_l("Bijvoorbeeld 212.500,00"),
        render_kw={"inputmode": "decimal", "autocomplete": "off"},
    )
