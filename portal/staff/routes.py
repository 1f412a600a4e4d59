from flask import Response, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal import pso, routing, views
from portal.auth.decorators import staff_required
from portal.certificates import services as certificate_services
from portal.clock import local_today
from portal.contracts import services as contract_services
from portal.obligations import explain, overview
from portal.obligations.services import Picture
from portal.staff import bp, services
from portal.staff.forms import InviteSupplierForm
from portal.stories import services as story_services
from portal.suppliers import services as supplier_services
from portal.suppliers.models import Organisation

PAGE_SIZE = 50


def _filtered_rows():
    args = request.args
    all_rows = overview.rows(local_today())
    status = args.get("status", "")
    if status and status not in {s.value for s in pso.Status}:
        status = ""
    sort = args.get("sort", "name") if args.get("sort") in overview.SORTS else "name"
    selected = overview.select_rows(all_rows, q=args.get("q", ""), status=status, sort=sort,
                                    descending=args.get("desc") == "1")
    return all_rows, selected, {"q": args.get("q", ""), "status": status, "sort": sort,
                                "desc": args.get("desc") == "1"}


@bp.route("/suppliers")
@staff_required
def suppliers():
    all_rows, selected, filters = _filtered_rows()
    pages = max(1, -(-len(selected) // PAGE_SIZE))
    page = min(routing.page_number(request.args.get("page")), pages)
    shown = selected[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]
    return render_template("staff/suppliers.html", rows=shown, total=len(selected), page=page,
                           pages=pages, filters=filters, counts=overview.counts(all_rows),
                           status_labels=explain.STATUS_LABELS)


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
    _all, selected, _filters = _filtered_rows()
    name = f"leveranciers-pso-{local_today().isoformat()}.csv"
    return Response(overview.to_csv(selected), mimetype="text/csv",
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
