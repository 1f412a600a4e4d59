from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import DataRequired, Length, ValidationError

from portal.pso import normalise_kvk
from portal.suppliers.forms import PersonFields


def kvk_number(form, field):
    if normalise_kvk(field.data or "") is None:
        raise ValidationError(_l("Een KvK-nummer bestaat uit 8 cijfers."))


class InviteSupplierForm(PersonFields):
    organisation_name = StringField(
        _l("Naam van de leverancier"),
        validators=[DataRequired(_l("Vul de naam van de leverancier in.")), Length(max=200)],
    )
    kvk = StringField(
        _l("KvK-nummer"),
        validators=[DataRequired(_l("Vul het KvK-nummer in.")), kvk_number],
        description=_l("8 cijfers. Is de leverancier al bekend, dan komt de contactpersoon "
                       "bij die organisatie."),
        render_kw={"inputmode": "numeric", "autocomplete": "off"},
    )
