from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal import views
from portal.auth.decorators import staff_required, supplier_required
from portal.clock import local_today
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
    return views.form_page("obligations/obligation.html", form, picture=picture,
                           explain=explain, what_if=what_if)


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
        if request.form.get("action") == "save":
            if views.attempt(form, policy_services.add_rule, current_user, today,
                             note=form.note.data, **values) is not views.REFUSED:
                flash(_("De nieuwe regel is opgeslagen en staat in de auditlog."), "success")
                return redirect(url_for("obligations.policy"), 303)
        else:  # a preview changes nothing; refused, it shows why on the form
            shown_preview = views.attempt(form, policy_services.preview, today, **values)
            if shown_preview is views.REFUSED:
                shown_preview = None
    return views.form_page("obligations/policy.html", form, rules=policy_services.all_rules(),
                           preview=shown_preview, explain=explain)
