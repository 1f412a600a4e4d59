from flask import Response, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal import labels, routing, views
from portal.auth.decorators import staff_required
from portal.certificates import services as certificate_services
from portal.clock import local_today
from portal.contracts import services as contract_services
from portal.obligations import explain, overview
from portal.obligations import services as obligation_services
from portal.obligations.services import Picture
from portal.staff import bp, services
from portal.staff.forms import InviteSupplierForm
from portal.stories import services as story_services
from portal.suppliers import services as supplier_services
from portal.suppliers.models import Organisation

PAGE_SIZE = 50


@bp.route("/suppliers")
@staff_required
def suppliers():
    today = local_today()
    obligation_services.current_statuses(today)
    filters = overview.Filters.from_args(request.args)
    counts = overview.counts()
    rows, total, page = overview.page(filters, today, routing.page_number(
        request.args.get("page")), PAGE_SIZE, counts)
    return render_template("staff/suppliers.html", rows=rows, total=total, page=page,
                           pages=max(1, -(-total // PAGE_SIZE)), filters=filters,
                           counts=counts, status_labels=labels.resolved(explain.STATUS_LABELS),
                           level_labels=labels.resolved(labels.LEVEL_LABELS),
                           upcoming_days=overview.UPCOMING_FILTER_DAYS)


@bp.route("/suppliers/<int:organisation_id>")
@staff_required
def supplier(organisation_id):
    """One supplier as staff need it on the phone: status, contracts, certificates, people."""
    organisation = views.load(Organisation, organisation_id)
    return render_template(
        "staff/supplier.html", organisation=organisation,
        picture=Picture(organisation, local_today()), explain=explain,
        contracts=contract_services.for_organisation(organisation),
        certificates=certificate_services.for_organisation(organisation),
        users=supplier_services.colleagues(organisation),
        stories=story_services.stories_of(organisation.id))


@bp.route("/suppliers.csv")
@staff_required
def suppliers_csv():
    today = local_today()
    obligation_services.current_statuses(today)
    body = b"".join(overview.csv_lines(overview.Filters.from_args(request.args), today))
    name = f"leveranciers-pso-{today.isoformat()}.csv"
    return Response(body, mimetype="text/csv",
                    headers={"Content-Disposition": f"attachment; filename={name}",
                             "Cache-Control": "private, no-store"})


@bp.route("/invitations/new", methods=["GET", "POST"])
@staff_required
def invite_supplier():
    form = InviteSupplierForm()
    if form.validate_on_submit():
        invited = views.attempt(form, services.invite_supplier_contact, current_user,
                                organisation_name=form.organisation_name.data,
                                kvk=form.kvk.data, name=form.name.data, email=form.email.data)
        if invited is not views.REFUSED:
            user, created = invited
            if created:
                message = _("%(org)s is aangemaakt en %(email)s is uitgenodigd.",
                            org=user.organisation.name, email=user.email)
            else:
                message = _("%(email)s is uitgenodigd bij de bestaande leverancier %(org)s.",
                            org=user.organisation.name, email=user.email)
            flash(message, "success")
            return redirect(url_for("staff.suppliers"), 303)
    return views.form_page("staff/invite_supplier.html", form)


@bp.route("/audit")
@staff_required
def audit_log():
    page = routing.page_number(request.args.get("page"))
    events = services.audit_page(page, current_app.config["AUDIT_PAGE_SIZE"])
    return render_template("staff/audit.html", events=events)
