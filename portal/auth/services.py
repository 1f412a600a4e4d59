"""Logging in, throttling, passwords, invitations and resets. No request or session here."""

from datetime import timedelta

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select

from portal import audit, mail
from portal.auth import sessions, tokens
from portal.auth.models import LoginFailure, TokenPurpose, User
from portal.auth.passwords import check_password, hash_password, password_problem
from portal.db import utcnow
from portal.exceptions import DomainError
from portal.extensions import db


class AddressThrottled(Exception):
    """Too many failed logins from one client address: answered with 429."""


class LoginRefused(DomainError):
    """Wrong e-mail or password, or the account is throttled; the message says which."""


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def find_user(email: str) -> User | None:
    return db.session.scalars(select(User).where(User.email == normalise_email(email))).first()


def _failures_since(column, value, since, checked_only=False) -> int:
    stmt = select(func.count()).select_from(LoginFailure).where(
        column == value, LoginFailure.at > since
    )
    if checked_only:
        stmt = stmt.where(LoginFailure.checked.is_(True))
    return db.session.scalar(stmt)


def check_address(address: str) -> None:
    """Raise AddressThrottled when `address` has failed too often within the window."""
    cfg = current_app.config
    since = utcnow() - timedelta(seconds=int(cfg["LOGIN_FAILURE_WINDOW"]))
    failures = _failures_since(LoginFailure.address, address, since)
    if failures >= cfg["LOGIN_MAX_FAILURES_PER_ADDRESS"]:
        raise AddressThrottled


def authenticate(email: str, password: str, address: str) -> User:
    """The user these credentials belong to, or LoginRefused.

    An unknown address, a wrong password, an account not yet activated and a deactivated
    one get the same answer and cost the same time, so that nobody can find out which
    addresses have an account. Throttling is counted per typed address for the same reason.
    """
    cfg = current_app.config
    check_address(address)
    email = normalise_email(email)
    now = utcnow()
    since = now - timedelta(seconds=int(cfg["LOGIN_FAILURE_WINDOW"]))
    if _failures_since(LoginFailure.email, email, since, checked_only=True) >= cfg[
        "LOGIN_MAX_FAILURES_PER_ACCOUNT"
    ]:
        db.session.add(LoginFailure(email=email, address=address, checked=False, at=now))
        audit.record("login_throttled", address=address, email=email)
        minutes = int(cfg["LOGIN_FAILURE_WINDOW"]) // 60
        raise LoginRefused(
            _l("Te veel mislukte inlogpogingen voor dit account. Om het te beschermen kunt u "
               "pas over %(minutes)d minuten opnieuw inloggen. Wachtwoord vergeten? "
               "Vraag dan een nieuw wachtwoord aan.", minutes=minutes)
        )
    user = find_user(email)
    valid = check_password(user.password_hash if user else None, password)
    if not (valid and user.active):
        db.session.add(LoginFailure(email=email, address=address, at=now))
        audit.record("login_failed", actor=user, obj=user, address=address, email=email)
        raise LoginRefused(_l("Het e-mailadres of het wachtwoord is onjuist."))
    db.session.execute(delete(LoginFailure).where(LoginFailure.email == email))
    return user


def log_in(user: User, remember: bool, locale: str | None = None) -> str:
    """Start a session for an authenticated user; returns the session key for the cookie.

    A language chosen on the login page becomes the user's language.
    """
    user.last_login_at = utcnow()
    if locale in current_app.config["LANGUAGES"]:
        user.locale = locale
    audit.record("login", actor=user, obj=user)
    return sessions.start(user, remember)


def log_out(user: User) -> None:
    sessions.end(user.session_key)
    audit.record("logout", actor=user, obj=user)


def check_new_password(password: str, user: User) -> None:
    problem = password_problem(password, user.email)
    if problem:
        raise DomainError(problem, field="password")


def change_password(user: User, current: str, new: str) -> None:
    """Change one's own password; every other session of the user ends."""
    if not check_password(user.password_hash, current):
        raise DomainError(_l("Uw huidige wachtwoord is onjuist."), field="current_password")
    check_new_password(new, user)
    user.password_hash = hash_password(new)
    sessions.end_all(user, keep_key=user.session_key)
    audit.record("password_changed", actor=user, obj=user)


def request_password_reset(email: str) -> None:
    """Mail a reset link when the address belongs to an active account; say nothing either way."""
    user = find_user(email)
    if user is None or not user.active or user.is_pending:
        audit.record("password_reset_requested_unknown", email=normalise_email(email))
        return
    token = tokens.issue(user, TokenPurpose.PASSWORD_RESET)
    link = mail.external_url("auth.reset_password", token=token)
    minutes = tokens.max_age(TokenPurpose.PASSWORD_RESET) // 60
    with force_locale(user.locale):
        mail.send(
            user.email,
            _("Nieuw wachtwoord voor het leveranciersportaal van Wonen Limburg"),
            _(
                "Beste %(name)s,\n\nU vroeg een nieuw wachtwoord aan. Kies het via deze link, "
                "die %(minutes)d minuten geldig is en één keer werkt:\n\n%(link)s\n\n"
                "Vroeg u dit niet aan? Dan kunt u dit bericht negeren; uw wachtwoord blijft "
                "hetzelfde.\n\nWonen Limburg, team Inkoopadvies",
                name=user.name, minutes=minutes, link=link,
            ),
        )
    audit.record("password_reset_requested", actor=user, obj=user)


def user_for_token(purpose: str, value: str) -> User:
    """The user behind a valid link, for showing the form; DomainError when the link is bad."""
    try:
        return tokens.peek(purpose, value).user
    except tokens.InvalidToken as exc:
        raise DomainError(_invalid_link_message(purpose)) from exc


def _invalid_link_message(purpose: str):
    if purpose == TokenPurpose.INVITATION:
        return _l("Deze uitnodiging is verlopen of al gebruikt. Vraag degene die u uitnodigde "
                  "om een nieuwe.")
    return _l("Deze link is verlopen of al gebruikt. Vraag hieronder een nieuwe aan.")


def set_password_with_token(purpose: str, value: str, password: str) -> User:
    """Accept an invitation or complete a reset: set the password, end all sessions."""
    user = user_for_token(purpose, value)
    check_new_password(password, user)
    try:
        tokens.consume(purpose, value)
    except tokens.InvalidToken as exc:
        raise DomainError(_invalid_link_message(purpose)) from exc
    if not user.active:
        raise DomainError(_invalid_link_message(purpose))
    user.password_hash = hash_password(password)
    sessions.end_all(user)
    action = "invitation_accepted" if purpose == TokenPurpose.INVITATION else "password_reset"
    audit.record(action, actor=user, obj=user)
    return user


def send_invitation(actor: User, user: User) -> None:
    """Mail `user` a fresh invitation link; an earlier one stops working."""
    token = tokens.issue(user, TokenPurpose.INVITATION)
    link = mail.external_url("auth.accept_invitation", token=token)
    days = tokens.max_age(TokenPurpose.INVITATION) // 86400
    organisation = user.organisation.name if user.organisation else "Wonen Limburg"
    with force_locale(user.locale):
        mail.send(
            user.email,
            _("Uitnodiging voor het leveranciersportaal van Wonen Limburg"),
            _(
                "Beste %(name)s,\n\n%(inviter)s nodigt u uit voor het leveranciersportaal "
                "Social Return van Wonen Limburg, namens %(organisation)s. Daar ziet u of uw "
                "organisatie een PSO-certificaat nodig heeft, levert u certificaten aan en "
                "deelt u succesverhalen.\n\nKies via deze link een wachtwoord; de link is "
                "%(days)d dagen geldig en werkt één keer:\n\n%(link)s\n\n"
                "Wonen Limburg, team Inkoopadvies (088 - 385 0800)",
                name=user.name, inviter=actor.name, organisation=organisation, days=days,
                link=link,
            ),
        )
    audit.record("invitation_sent", actor=actor, obj=user, email=user.email)


def invite(actor: User, *, email: str, name: str, role: str, organisation) -> User:
    """Create a not-yet-activated account and mail its invitation.

    Inviting an address again whose invitation was never accepted sends a new link to the
    same account instead of refusing, because lost invitation e-mails are common.
    """
    email = normalise_email(email)
    existing = find_user(email)
    if existing is not None:
        if existing.is_pending and existing.organisation_id == getattr(organisation, "id", None):
            # Inviting someone again means they are wanted, even if deactivated meanwhile.
            if not existing.active:
                existing.active = True
                audit.record("user_activated", actor=actor, obj=existing)
            existing.name = name.strip()
            existing.role = role
            send_invitation(actor, existing)
            return existing
        raise DomainError(_l("Er bestaat al een account met dit e-mailadres."), field="email")
    user = User(email=email, name=name.strip(), role=role, organisation=organisation,
                locale=current_app.config["BABEL_DEFAULT_LOCALE"])
    db.session.add(user)
    db.session.flush()
    send_invitation(actor, user)
    return user
