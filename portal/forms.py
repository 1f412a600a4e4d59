"""Form pieces shared by the features."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms.validators import ValidationError

from portal import formats
from portal.exceptions import DomainError


def euro_amount(form, field):
    try:
        field.parsed = formats.parse_euro(field.data or "")
    except formats.AmbiguousAmount as exc:
        raise ValidationError(_l("Dit bedrag kan op twee manieren gelezen worden. Schrijf het "
                                 "als 1.500,00 of 1,50.")) from exc
    except formats.AmountError as exc:
        if exc.code == "too_large":
            raise ValidationError(_l("Dit bedrag is te groot: ten hoogste "
                                     "€ 999.999.999.999,99.")) from exc
        raise ValidationError(_l("Vul een bedrag in euro in, bijvoorbeeld 150.000,00.")) from exc
        raise ValidationError(_l("Vul een bedrag in euro in, bijvoorbeeld 150.000,00.")) from exc


DATE_RANGE_MESSAGE = _l("Vul een datum tussen 1900 en 2199 in.")


def date_in_range(form, field):
    """For a DateField: a real date, but one the portal does not take (the year 9999)."""
    if field.data is not None:
        try:
            formats.check_date_range(field.data)
        except formats.DateOutOfRange as exc:
            raise ValidationError(DATE_RANGE_MESSAGE) from exc


def dutch_date(form, field):
    """A date typed as 31-12-2026 or 2026-12-31, as the purchasing export writes them."""
    if not (field.data or "").strip():
        field.parsed = None
        return
    try:
        field.parsed = formats.parse_date(field.data)
    except formats.DateOutOfRange as exc:
        raise ValidationError(DATE_RANGE_MESSAGE) from exc
    except ValueError as exc:
        raise ValidationError(_l("Vul een datum in als dd-mm-jjjj, bijvoorbeeld 31-12-2026.")
                              ) from exc


class ConfirmForm(FlaskForm):
    """A form with only its CSRF token, for buttons that POST (logout, deactivate, ...)."""


def show_error(form, error: DomainError) -> None:
    """Put a service's refusal next to the field it concerns, or above the form."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        form.form_errors.append(error.message)
