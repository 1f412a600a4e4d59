from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from portal import views
from portal.auth import bp, services
from portal.auth.decorators import login_required
from portal.auth.forms import (
    ChangePasswordForm,
    ForgotPasswordForm,
    LanguageForm,
    LoginForm,
    SetPasswordForm,
)
from portal.auth.models import TokenPurpose
from portal.exceptions import DomainError
from portal.extensions import db
from portal.forms import ConfirmForm
from portal.urls import is_safe_path


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    if current_user.is_authenticated and request.method == "GET":
        return redirect(url_for("main.dashboard"))
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.email.data, form.password.data, request.remote_addr)
        except services.AddressThrottled:
            abort(429)
        except services.LoginRefused as error:
            db.session.commit()  # the failure counts towards throttling
            form.form_errors.append(error.message)
        else:
            chosen_language = session.get("lang")
            session.clear()  # a fresh session: nothing from before the login carries over
            services.log_in(user, remember=form.remember.data, locale=chosen_language)
            session.permanent = bool(form.remember.data)
            login_user(user)
            db.session.commit()
            target = form.next.data
            return redirect(target if is_safe_path(target) else url_for("main.dashboard"), 303)
    elif request.method == "POST":
        try:
            services.check_address(request.remote_addr)
        except services.AddressThrottled:
            abort(429)
    return views.form_page("auth/login.html", form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    ConfirmForm().validate_on_submit()  # CSRFProtect has already refused a bad token
    services.log_out(current_user)
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("U bent uitgelogd."), "success")
    return redirect(url_for("auth.login"), 303)


@bp.route("/password/forgot", methods=["GET", "POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        db.session.commit()
        flash(
            _("Als er een account bij dit e-mailadres hoort, ontvangt u binnen enkele minuten "
              "een e-mail met een link om een nieuw wachtwoord te kiezen."),
            "success",
        )
        return redirect(url_for("auth.login"), 303)
    return views.form_page("auth/forgot_password.html", form)


def _token_page(purpose, token, template, done_message):
    try:
        user = services.user_for_token(purpose, token)
    except DomainError as error:
        return render_template("auth/link_invalid.html", message=error.message,
                               purpose=purpose), 404
    form = SetPasswordForm()
    if form.validate_on_submit() and views.attempt(
            form, services.set_password_with_token, purpose, token,
            form.password.data) is not views.REFUSED:
        logout_user()
        session.clear()
        flash(done_message, "success")
        return redirect(url_for("auth.login"), 303)
    return views.form_page(template, form, user=user)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token):
    return _token_page(TokenPurpose.PASSWORD_RESET, token, "auth/reset_password.html",
                       _("Uw wachtwoord is gewijzigd. Log in met uw nieuwe wachtwoord."))


@bp.route("/invitation/<token>", methods=["GET", "POST"])
def accept_invitation(token):
    return _token_page(TokenPurpose.INVITATION, token, "auth/accept_invitation.html",
                       _("Welkom! Uw account is klaar. Log in met uw e-mailadres en het "
                         "wachtwoord dat u net koos."))


@bp.route("/account", methods=["GET"])
@login_required
def account():
    language_form = LanguageForm(language=current_user.locale)
    return render_template("auth/account.html", language_form=language_form)


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit() and views.attempt(
            form, services.change_password, current_user, form.current_password.data,
            form.password.data) is not views.REFUSED:
        flash(_("Uw wachtwoord is gewijzigd. Op andere apparaten bent u uitgelogd."), "success")
        return redirect(url_for("auth.account"), 303)
    return views.form_page("auth/change_password.html", form)


@bp.route("/language", methods=["POST"])
def set_language():
    form = LanguageForm()
    if not form.validate_on_submit():
        abort(400)
    session["lang"] = form.language.data
    if current_user.is_authenticated:
        current_user.locale = form.language.data
        db.session.commit()
    target = form.next.data
    return redirect(target if is_safe_path(target) else url_for("main.dashboard"), 303)
