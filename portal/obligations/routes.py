from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.auth.decorators import staff_required, supplier_required
from portal.clock import local_today
from portal.exceptions import DomainError
from portal.extensions import db
from portal.forms import show_error
from portal.obligations import bp, explain, services
from portal.obligations import policy as policy_services
from portal.obligations.forms import PolicyRuleForm, WhatIfForm


@bp.route("/obligation")
@supplier_required
def obligation():
    picture = services.Picture(current_user.organisation, local_today())
    form = WhatIfForm(request.args)
    what_if = None
    if request.args.get("expected") and form.validate():
        what_if = services.what_if(form.expected.parsed, picture.today)
    status = 422 if form.errors else 200
    return render_template("obligations/obligation.html", picture=picture, explain=explain,
                           form=form, what_if=what_if), status


@bp.route("/staff/policy", methods=["GET", "POST"])
@staff_required
def policy():
    form = PolicyRuleForm()
    shown_preview = None
    if form.validate_on_submit():
        values = {"effective_from": form.effective_from.data,
                  "effective_until": form.effective_until.data,
                  "threshold_cents": form.threshold.parsed,
                  "required_level": form.required_level.data}
        today = local_today()
        try:
            if request.form.get("action") == "save":
                policy_services.add_rule(current_user, today, note=form.note.data, **values)
                db.session.commit()
                flash(_("De nieuwe regel is opgeslagen en staat in de auditlog."), "success")
                return redirect(url_for("obligations.policy"), 303)
            shown_preview = policy_services.preview(today, **values)
        except DomainError as error:
            db.session.rollback()
            show_error(form, error)
    status = 422 if form.errors or form.form_errors else 200
    return render_template("obligations/policy.html", form=form, rules=policy_services.all_rules(),
                           preview=shown_preview, explain=explain), status
