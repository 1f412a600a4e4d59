from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.auth.decorators import staff_required
from portal.auth.routes import show_error
from portal.exceptions import DomainError
from portal.extensions import db
from portal.staff import bp, services
from portal.staff.forms import InviteSupplierForm


@bp.route("/suppliers")
@staff_required
def suppliers():
    return render_template("staff/suppliers.html", rows=services.supplier_rows())


@bp.route("/invitations/new", methods=["GET", "POST"])
@staff_required
def invite_supplier():
    form = InviteSupplierForm()
    if form.validate_on_submit():
        try:
            user, created = services.invite_supplier_contact(
                current_user,
                organisation_name=form.organisation_name.data,
                kvk=form.kvk.data,
                name=form.name.data,
                email=form.email.data,
            )
        except DomainError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            if created:
                message = _("%(org)s is aangemaakt en %(email)s is uitgenodigd.",
                            org=user.organisation.name, email=user.email)
            else:
                message = _("%(email)s is uitgenodigd bij de bestaande leverancier %(org)s.",
                            org=user.organisation.name, email=user.email)
            flash(message, "success")
            return redirect(url_for("staff.suppliers"), 303)
    status = 422 if form.errors or form.form_errors else 200
    return render_template("staff/invite_supplier.html", form=form), status


@bp.route("/audit")
@staff_required
def audit_log():
    page = request.args.get("page", 1, type=int)
    events = services.audit_page(max(page, 1), current_app.config["AUDIT_PAGE_SIZE"])
    return render_template("staff/audit.html", events=events)
