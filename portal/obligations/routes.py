from flask import render_template, request
from flask_login import current_user

from portal.auth.decorators import supplier_required
from portal.obligations import bp, explain, services
from portal.obligations.forms import WhatIfForm


@bp.route("/obligation")
@supplier_required
def obligation():
    picture = services.Picture(current_user.organisation, services.local_today())
    form = WhatIfForm(request.args)
    what_if = None
    if request.args.get("expected") and form.validate():
        what_if = services.what_if(form.expected.parsed, picture.today)
    status = 422 if form.errors else 200
    return render_template("obligations/obligation.html", picture=picture, explain=explain,
                           form=form, what_if=what_if), status
