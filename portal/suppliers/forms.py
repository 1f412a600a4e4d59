from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length

from portal.auth.models import Role


def role_choices():
    return [
        SelectChoice(Role.SUPPLIER_USER.value, _l("Medewerker")),
        SelectChoice(Role.SUPPLIER_ADMIN.value, _l("Beheerder (kan collega's uitnodigen)")),
    ]


class PersonFields(FlaskForm):
    name = StringField(
        _l("Naam"),
        validators=[DataRequired(_l("Vul de naam in.")), Length(max=200)],
        render_kw={"autocomplete": "off"},
    )
    email = StringField(
        _l("E-mailadres"),
        validators=[
            DataRequired(_l("Vul het e-mailadres in.")),
            Email(_l("Dit is geen geldig e-mailadres.")),
            Length(max=254),
        ],
        render_kw={"autocomplete": "off", "type": "email"},
    )


class InviteColleagueForm(PersonFields):
    role = SelectField(_l("Rol"), choices=role_choices, default=Role.SUPPLIER_USER.value)


class RoleForm(FlaskForm):
    role = SelectField(_l("Rol"), choices=role_choices)
