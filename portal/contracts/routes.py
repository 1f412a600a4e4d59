from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal import formats, routing, views
from portal.auth.decorators import staff_required
from portal.contracts import bp, explain, importing, services
from portal.contracts.forms import ContractForm, ImportForm
from portal.contracts.models import Contract, ContractImport
from portal.exceptions import DomainError
from portal.extensions import db
from portal.forms import ConfirmForm
from portal.states import RowKind
from portal.suppliers.models import Organisation

ROWS_PER_PAGE = 100


def _load_import(import_id) -> ContractImport:
    return views.load(ContractImport, import_id)


@bp.route("/staff/contracts/import", methods=["GET", "POST"])
@staff_required
def import_file():
    form = ImportForm()
    if form.validate_on_submit():
        upload = form.file.data
        contract_import = views.attempt(form, importing.start, current_user,
                                        filename=upload.filename or "", data=upload.read())
        if contract_import is not views.REFUSED:
            return redirect(url_for("contracts.preview", import_id=contract_import.id), 303)
    return views.form_page("contracts/import.html", form, imports=importing.recent(),
                           explain=explain)


@bp.route("/staff/contracts/imports/<int:import_id>")
@staff_required
def preview(import_id):
    contract_import = _load_import(import_id)
    counts = importing.counts(contract_import)
    kind = request.args.get("kind", "")
    if kind not in counts:  # "all", or nothing chosen: the errors first, when there are any
        kind = RowKind.ERROR if counts[RowKind.ERROR] and kind != "all" else ""
    rows = importing.rows_page(contract_import, kind, routing.page_number(request.args.get("page")),
                               ROWS_PER_PAGE)
    suppliers, supplier_total = importing.new_suppliers(contract_import)
    return render_template("contracts/preview.html", contract_import=contract_import,
                           counts=counts, kind=kind, rows=rows, suppliers=suppliers,
                           supplier_total=supplier_total, form=ConfirmForm(), explain=explain)


@bp.route("/staff/contracts/imports/<int:import_id>/check", methods=["POST"])
@staff_required
def check(import_id):
    contract_import = _load_import(import_id)
    try:
        importing.check_next_chunk(current_user, contract_import)
    except DomainError:
        db.session.rollback()  # another request checked this chunk; show where it stands
    else:
        db.session.commit()
    return redirect(url_for("contracts.preview", import_id=import_id), 303)


@bp.route("/staff/contracts/imports/<int:import_id>/apply", methods=["POST"])
@staff_required
def apply(import_id):
    contract_import = _load_import(import_id)
    result = views.act(importing.apply, current_user, contract_import)
    if result is views.REFUSED:
        return redirect(url_for("contracts.preview", import_id=import_id), 303)
    flash(_("Het bestand is verwerkt: %(added)s contracten toegevoegd, %(changed)s gewijzigd, "
            "%(unchanged)s ongewijzigd, %(suppliers)s leveranciers aangemaakt.",
            added=result["added"], changed=result["changed"], unchanged=result["unchanged"],
            suppliers=result["suppliers_created"]), "success")
    return redirect(url_for("contracts.preview", import_id=import_id), 303)


@bp.route("/staff/contracts/imports/<int:import_id>/discard", methods=["POST"])
@staff_required
def discard(import_id):
    contract_import = _load_import(import_id)
    if views.act(importing.discard, current_user, contract_import) is views.REFUSED:
        return redirect(url_for("contracts.preview", import_id=import_id), 303)
    flash(_("Het bestand is verworpen; er is niets gewijzigd."), "success")
    return redirect(url_for("contracts.import_file"), 303)


def _contract_values(form: ContractForm) -> dict:
    return {"reference": form.reference.data, "description": form.description.data,
            "start_date": form.start_date.parsed, "end_date": form.end_date.parsed,
            "annual_value_cents": form.annual_value.parsed}


@bp.route("/staff/suppliers/<int:organisation_id>/contracts/new", methods=["GET", "POST"])
@staff_required
def new(organisation_id):
    organisation = views.load(Organisation, organisation_id)
    form = ContractForm()
    if form.validate_on_submit():
        contract = views.attempt(form, services.create, current_user, organisation,
                                 **_contract_values(form))
        if contract is not views.REFUSED:
            flash(_("Contract %(reference)s is toegevoegd.", reference=contract.reference),
                  "success")
            return redirect(url_for("staff.supplier", organisation_id=organisation.id), 303)
    return views.form_page("contracts/form.html", form, organisation=organisation,
                           contract=None)


@bp.route("/staff/contracts/<int:contract_id>/edit", methods=["GET", "POST"])
@staff_required
def edit(contract_id):
    contract = views.load(Contract, contract_id)
    form = ContractForm(data=None if request.method == "POST" else {
        "reference": contract.reference, "description": contract.description,
        "start_date": contract.start_date.strftime("%d-%m-%Y"),
        "end_date": contract.end_date.strftime("%d-%m-%Y") if contract.end_date else "",
        "annual_value": formats.format_euro(contract.annual_value_cents),
        "version": services.version_of(contract),
    })
    if form.validate_on_submit():
        changed = views.attempt(form, services.update, current_user, contract,
                                **_contract_values(form), seen_version=form.version.data or None)
        if changed is not views.REFUSED:
            flash(_("Contract %(reference)s is opgeslagen.", reference=contract.reference)
                  if changed else _("Er was niets gewijzigd."), "success")
            return redirect(url_for("staff.supplier", organisation_id=contract.organisation_id),
                            303)
    return views.form_page("contracts/form.html", form, organisation=contract.organisation,
                           contract=contract)
