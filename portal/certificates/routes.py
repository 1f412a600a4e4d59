import io

from flask import flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.utils import secure_filename

from portal import permissions, views
from portal.auth.decorators import login_required, staff_required, supplier_required
from portal.certificates import bp, services
from portal.certificates.forms import CertificateForm, RejectForm
from portal.certificates.models import Certificate
from portal.forms import ConfirmForm


def _load(certificate_id) -> Certificate:
    return views.load(Certificate, certificate_id, permissions.can_view_certificate)


@bp.route("/certificates")
@supplier_required
def index():
    certificates = services.for_organisation(current_user.organisation)
    return render_template("certificates/index.html", certificates=certificates)


@bp.route("/certificates/new", methods=["GET", "POST"])
@supplier_required
def new():
    form = CertificateForm()
    if form.validate_on_submit():
        upload = form.file.data
        certificate = views.attempt(
            form, services.upload, current_user, level=form.level.data,
            number=form.certificate_number.data, issued_on=form.issued_on.data,
            valid_until=form.valid_until.data, filename=upload.filename or "",
            data=upload.read())
        if certificate is not views.REFUSED:
            flash(_("Certificaat %(number)s is ontvangen. Wonen Limburg controleert het; u ziet "
                    "hier wanneer dat gebeurd is.", number=certificate.number), "success")
            return redirect(url_for("certificates.index"), 303)
    return views.form_page("certificates/new.html", form)


@bp.route("/certificates/<int:certificate_id>/file")
@login_required
def file(certificate_id):
    certificate = _load(certificate_id)
    data = services.read_file(current_user, certificate)
    name = secure_filename(f"PSO-certificaat-{certificate.organisation.kvk}-"
                           f"{certificate.number}.pdf") or "PSO-certificaat.pdf"
    response = send_file(io.BytesIO(data), mimetype="application/pdf", as_attachment=True,
                         download_name=name, max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/staff/certificates")
@staff_required
def queue():
    return render_template("certificates/queue.html", certificates=services.pending_queue(),
                           confirm_form=ConfirmForm(), reject_form=RejectForm(formdata=None))


def _decide(certificate_id, decide, done_message):
    certificate = _load(certificate_id)
    # Named before the commit, which expires the row: after it they would be loaded again.
    names = {"number": certificate.number, "organisation": certificate.organisation.name}
    if views.act(decide, certificate) is not views.REFUSED:
        flash(done_message % names, "success")
    return redirect(url_for("certificates.queue"), 303)


@bp.route("/staff/certificates/<int:certificate_id>/verify", methods=["POST"])
@staff_required
def verify(certificate_id):
    return _decide(certificate_id, lambda c: services.verify(current_user, c),
                   _("Certificaat %(number)s van %(organisation)s is goedgekeurd."))


@bp.route("/staff/certificates/<int:certificate_id>/reject", methods=["POST"])
@staff_required
def reject(certificate_id):
    reason = RejectForm().reason.data or ""  # the service refuses an empty reason
    return _decide(certificate_id, lambda c: services.reject(current_user, c, reason),
                   _("Certificaat %(number)s van %(organisation)s is afgekeurd."))
