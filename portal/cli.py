"""Commands for operators: `flask --app portal seed-demo`, `create-staff`, `send-reminders`,
`check-storage`, `refresh-compliance`, `check-compliance`."""

import sys

import click
from flask import current_app
from flask_babel import force_locale
from sqlalchemy import func, select

from portal import audit, demo, mail
from portal.auth.models import Role, User
from portal.auth.passwords import hash_password, password_problem
from portal.auth.services import find_user, normalise_email
from portal.certificates.models import Certificate
from portal.certificates.services import stored_file_problems
from portal.clock import local_today
from portal.extensions import db
from portal.obligations import compliance, reminders
from portal.suppliers.models import Organisation


def init_app(app):
    app.cli.add_command(seed_demo)
    app.cli.add_command(create_staff)
    app.cli.add_command(send_reminders)
    app.cli.add_command(check_storage)
    app.cli.add_command(refresh_compliance)
    app.cli.add_command(check_compliance)


@click.command("seed-demo")
@click.option("--if-empty", is_flag=True,
              help="Do nothing (and succeed) when the database already has accounts.")
def seed_demo(if_empty):
    """Fill an empty database with demo organisations and accounts, and print them."""
    if current_app.config["ENV"] == "production":
        raise click.ClickException("seed-demo refuses to run with PORTAL_ENV=production.")
    if db.session.scalar(select(func.count()).select_from(User)):
        if if_empty:
            click.echo("The database already has accounts; no demo data added.")
            return
        raise click.ClickException("The database already has accounts; seed-demo runs only once, "
                                   "on an empty database.")
    accounts = demo.seed()
    db.session.commit()
    click.echo(f"Demo data added. Every account has the password {demo.PASSWORD!r}:")
    for email, description in accounts:
        click.echo(f"  {email:34} {description}")


@click.command("create-staff")
@click.argument("email")
@click.option("--name", required=True, help="Full name, shown in the audit log.")
@click.option("--moderator", is_flag=True, help="May also moderate success stories.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def create_staff(email, name, moderator, password_stdin):
    """Create an account for a Wonen Limburg employee."""
    email = normalise_email(email)
    if "@" not in email:
        raise click.ClickException("That is not an e-mail address.")
    if find_user(email) is not None:
        raise click.ClickException(f"An account for {email} exists already.")
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    # The policy's message is translated lazily, and outside a request no user or session
    # chooses the language (evaluating it there raised RuntimeError); the commands speak English.
    with force_locale("en"):
        problem = password_problem(password, email)
        if problem:
            raise click.ClickException(str(problem))
    user = User(email=email, name=name.strip(), role=Role.STAFF.value, is_moderator=moderator,
                password_hash=hash_password(password))
    db.session.add(user)
    audit.record("staff_created", obj=user, email=email, moderator=moderator)
    db.session.commit()
    click.echo(f"Created staff account {email}{' (moderator)' if moderator else ''}.")


TODAY_OPTION = click.option(
    "--today", "day", type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Act as on this day (YYYY-MM-DD) instead of today, to test or catch up.")


@click.command("send-reminders")
@TODAY_OPTION
def send_reminders(day):
    """E-mail the reminders due today that were not sent before; safe to run every day."""
    today = day.date() if day else local_today()
    try:
        report = reminders.send_reminders(today)
    except mail.MissingBaseURL as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(report.summary(today))
    if report.failed:
        raise click.ClickException(f"{report.failed} reminder(s) could not be sent (see the "
                                   "log); the next run tries them again.")


@click.command("check-storage")
def check_storage():
    """Check that every certificate's file exists and matches its SHA-256; exit 1 if not.

    Run it after a restore, and now and then from cron: a broken disk or an incomplete backup
    is found here rather than when staff or a supplier opens a certificate.
    """
    problems = stored_file_problems()
    total = db.session.scalar(select(func.count()).select_from(Certificate))
    for certificate, problem in problems:
        what = "file missing" if problem == "missing" else "file altered (SHA-256 differs)"
        click.echo(f"certificate {certificate.id} ({certificate.organisation.kvk}, "
                   f"{certificate.number}): {what}: {certificate.file_key}", err=True)
    if problems:
        raise click.ClickException(f"{len(problems)} of {total} certificate files are missing "
                                   "or altered.")
    click.echo(f"All {total} certificate files are present and match their SHA-256.")


@click.command("refresh-compliance")
@TODAY_OPTION
def refresh_compliance(day):
    """Compute every supplier's stored status for today and record the day's counts.

    Run it daily, soon after midnight: it makes the changes the date alone brings (a
    certificate ends, a rule or a contract starts). Safe to run again; a run that finds
    nothing changed writes only the day.
    """
    today = day.date() if day else local_today()
    result = compliance.refresh(None, today, commit_each_chunk=True)
    counts = compliance.record_snapshot(today)
    db.session.commit()
    click.echo(f"Compliance for {today.isoformat()}: {result.computed} suppliers computed, "
               f"{result.written} changed. "
               + ", ".join(f"{status} {n}" for status, n in counts.items()) + ".")


@click.command("check-compliance")
def check_compliance():
    """Compute every supplier's status again, for the day its stored status was computed for,
    and compare; print each difference and exit 1 on any."""
    found = compliance.differences()
    for d in found:
        click.echo(f"organisation {d.organisation_id}: {d.column} is {d.stored!s}, "
                   f"computed {d.expected!s}", err=True)
    if found:
        raise click.ClickException(f"{len(found)} stored value(s) differ from what is "
                                   "computed; `refresh-compliance` sets them.")
    total = db.session.scalar(select(func.count()).select_from(Organisation))
    click.echo(f"The stored compliance of all {total} suppliers matches what is computed.")
