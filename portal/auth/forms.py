from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from portal.auth.passwords import password_problem

EMAIL_REQUIRED = _l("Vul uw e-mailadres in.")


def strong_password(form, field):
    problem = password_problem(field.data or "")
    if problem:
        raise ValidationError(problem)


def new_password_fields():
    """The pair of fields that sets a new password."""
    password = PasswordField(
        _l("Nieuw wachtwoord"),
        validators=[DataRequired(_l("Vul een wachtwoord in.")), strong_password],
        description=_l("Minstens 12 tekens. Een zin van een paar woorden werkt goed."),
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("Herhaal het nieuwe wachtwoord"),
        validators=[
            DataRequired(_l("Herhaal het wachtwoord.")),
            EqualTo("password", _l("De twee wachtwoorden zijn niet gelijk.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )
    return password, confirm


class LoginForm(FlaskForm):
    email = StringField(
        _l("E-mailadres"),
        validators=[DataRequired(EMAIL_REQUIRED), Length(max=254)],
        render_kw={"autocomplete": "username", "type": "email"},
    )
    password = PasswordField(
        _l("Wachtwoord"),
        validators=[DataRequired(_l("Vul uw wachtwoord in.")), Length(max=200)],
        render_kw={"autocomplete": "current-password"},
    )
    remember = BooleanField(_l("Onthoud mij op dit apparaat (12 uur)"))
    next = HiddenField()


class ForgotPasswordForm(FlaskForm):
    email = StringField(
        _l("E-mailadres"),
        validators=[DataRequired(EMAIL_REQUIRED), Email(_l("Dit is geen geldig e-mailadres.")),
                    Length(max=254)],
        render_kw={"autocomplete": "email", "type": "email"},
    )


class SetPasswordForm(FlaskForm):
    password, confirm = new_password_fields()


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        _l("Huidig wachtwoord"),
        validators=[DataRequired(_l("Vul uw huidige wachtwoord in."))],
        render_kw={"autocomplete": "current-password"},
    )
    password, confirm = new_password_fields()


# Each language in its own name. base.html writes the footer's form out from these.
LANGUAGE_CHOICES = (SelectChoice("nl", "Nederlands"), SelectChoice("en", "English"))


class LanguageForm(FlaskForm):
    # No DataRequired: it would render `required`, which HTML forbids on a select whose first
    # option has a value (both options are real languages, so there is no empty placeholder).
    # The server still refuses a missing or unknown language: SelectField accepts only a choice.
    language = SelectField(_l("Taal"), choices=list(LANGUAGE_CHOICES))
    next = HiddenField()
