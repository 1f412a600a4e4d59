from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal import views
from portal.auth.decorators import supplier_admin_required
from portal.forms import ConfirmForm
from portal.suppliers import bp, services
from portal.suppliers.forms import InviteColleagueForm, RoleForm


def _load_colleague(user_id):
    user = services.get_colleague(current_user, user_id)
    if user is None:
        abort(404)
    return user


@bp.route("/organisation/users")
@supplier_admin_required
def users():
    people = services.colleagues(current_user.organisation)
    return render_template("suppliers/users.html", people=people, confirm_form=ConfirmForm(),
                           role_form=RoleForm)


@bp.route("/organisation/users/invite", methods=["GET", "POST"])
@supplier_admin_required
def invite():
    form = InviteColleagueForm()
    if form.validate_on_submit():
        user = views.attempt(form, services.invite_colleague, current_user,
                             email=form.email.data, name=form.name.data, role=form.role.data)
        if user is not views.REFUSED:
            flash(_("Uitnodiging verstuurd naar %(email)s.", email=user.email), "success")
            return redirect(url_for("suppliers.users"), 303)
    return views.form_page("suppliers/invite.html", form)


def _change(user, change, done_message):
    if views.act(change, user) is not views.REFUSED:
        flash(done_message % {"name": user.name}, "success")
    return redirect(url_for("suppliers.users"), 303)


@bp.route("/organisation/users/<int:user_id>/deactivate", methods=["POST"])
@supplier_admin_required
def deactivate(user_id):
    return _change(_load_colleague(user_id), lambda u: services.set_active(current_user, u, False),
                   _("%(name)s kan niet meer inloggen."))


@bp.route("/organisation/users/<int:user_id>/activate", methods=["POST"])
@supplier_admin_required
def activate(user_id):
    return _change(_load_colleague(user_id), lambda u: services.set_active(current_user, u, True),
                   _("%(name)s kan weer inloggen."))


@bp.route("/organisation/users/<int:user_id>/role", methods=["POST"])
@supplier_admin_required
def change_role(user_id):
    user = _load_colleague(user_id)
    form = RoleForm()
    if not form.validate_on_submit():
        flash(_("Kies een rol uit de lijst."), "error")
        return redirect(url_for("suppliers.users"), 303)
    return _change(user, lambda u: services.set_role(current_user, u, form.role.data),
                   _("De rol van %(name)s is gewijzigd."))


@bp.route("/organisation/users/<int:user_id>/resend", methods=["POST"])
@supplier_admin_required
def resend(user_id):
    return _change(_load_colleague(user_id),
                   lambda u: services.resend_invitation(current_user, u),
                   _("De uitnodiging aan %(name)s is opnieuw verstuurd."))
