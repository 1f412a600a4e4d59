"""The house pattern of a view, written once, so that a view says only what differs.

A view loads its object or answers 404, checks access or answers 403 (a decorator, or the
`visible` predicate of `load`), validates its form, calls a service, commits once and
redirects; when the service refuses, the transaction is rolled back and the refusal is shown,
on the form with 422 or as a message after a button. For example:

    form = ContractForm()
    if form.validate_on_submit():
        contract = views.attempt(form, services.create, current_user, organisation, **values)
        if contract is not views.REFUSED:
            flash(...)
            return redirect(url_for(...), 303)
    return views.form_page("contracts/form.html", form, organisation=organisation)
"""

from collections.abc import Callable

from flask import abort, flash, render_template
from flask_login import current_user

from portal.exceptions import DomainError
from portal.extensions import db
from portal.forms import show_error


class _Refused:
    """What `attempt` and `act` return when the service refused: nothing was changed."""

    def __repr__(self) -> str:
        return "REFUSED"


REFUSED = _Refused()


def load(model, object_id: int, visible: Callable | None = None, options=()):
    """The row, or 404; also 404 when `visible(current_user, row)` says no, so that another
    organisation's object stays unseen rather than forbidden. `options` (loader options)
    fetch what the page shows of the row in the same statement."""
    row = db.session.get(model, object_id, options=options)
    if row is None or (visible is not None and not visible(current_user, row)):
        abort(404)
    return row


def attempt(form, work: Callable, *args, on_refusal: Callable | None = None, **kwargs):
    """Call the service `work(*args, **kwargs)` as the request's one unit of work: commit and
    return its result, or, when it raises DomainError, roll back, put the message on `form`
    (next to the field it names), call `on_refusal(error)` if given, and return REFUSED."""
    try:
        result = work(*args, **kwargs)
    except DomainError as error:
        db.session.rollback()
        show_error(form, error)
        if on_refusal is not None:
            on_refusal(error)
        return REFUSED
    db.session.commit()
    return result


def act(work: Callable, *args, **kwargs):
    """For a button's POST, which has no form to show again: like `attempt`, but a refusal
    becomes a flashed message for the page the view redirects to."""
    try:
        result = work(*args, **kwargs)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return REFUSED
    db.session.commit()
    return result


def form_page(template: str, form, **context):
    """The page with its form: 200 when it is new, 422 when it shows errors."""
    status = 422 if form.errors or getattr(form, "form_errors", None) else 200
    return render_template(template, form=form, **context), status
