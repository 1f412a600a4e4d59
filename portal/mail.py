"""Sending e-mail over SMTP, or to the log when no mail server is configured.

Without `PORTAL_MAIL_SERVER` (trying the portal on a laptop) the whole message, links
included, is written to the log so that invitations can still be followed; production
refuses to start without a mail server, so links never reach a production log.
"""

import logging
import smtplib
from email.message import EmailMessage
from urllib.parse import urlsplit

from flask import current_app, has_request_context, url_for

log = logging.getLogger(__name__)

# Where `make run` serves the portal: links in mail sent by a command in development.
DEVELOPMENT_BASE_URL = "http://127.0.0.1:5000"


class MissingBaseURL(RuntimeError):
    """A link for an e-mail is needed outside a request, but no address is configured."""


def send(to: str, subject: str, body: str) -> None:
    cfg = current_app.config
    msg = EmailMessage()
    msg["From"] = cfg["MAIL_DEFAULT_SENDER"]
    msg["To"] = to
    msg["Subject"] = subject
    msg.set_content(body)

    outbox = current_app.extensions.get("mail_outbox")
    if outbox is not None:  # tests collect mail instead of sending it
        outbox.append(msg)
        return
    if not cfg.get("MAIL_SERVER"):
        log.info("No mail server configured; e-mail not sent:\n%s", msg.as_string())
        return
    with smtplib.SMTP(cfg["MAIL_SERVER"], int(cfg["MAIL_PORT"]), timeout=30) as smtp:
        if cfg.get("MAIL_USE_TLS"):
            smtp.starttls()
        if cfg.get("MAIL_USERNAME"):
            smtp.login(cfg["MAIL_USERNAME"], cfg["MAIL_PASSWORD"])
        smtp.send_message(msg)


def external_url(endpoint: str, **values) -> str:
    """An absolute link for an e-mail, from `PORTAL_BASE_URL` when set (needed outside requests).

    In a request without it, the link follows the address the request came in on. Outside a
    request (a command run by cron) there is no such address: `SERVER_NAME` or `BASE_URL` says
    it, and development falls back to DEVELOPMENT_BASE_URL; production raises MissingBaseURL.
    """
    base = current_app.config.get("BASE_URL")
    if has_request_context() or current_app.config.get("SERVER_NAME"):
        if base:
            return base.rstrip("/") + url_for(endpoint, **values)
        return url_for(endpoint, _external=True, **values)
    parts = urlsplit(command_base_url())
    adapter = current_app.url_map.bind(parts.netloc, script_name=parts.path.rstrip("/") or "/",
                                       url_scheme=parts.scheme)
    return adapter.build(endpoint, values, force_external=True)


def command_base_url() -> str:
    """The address links in mail from a command start with; MissingBaseURL in production
    without `PORTAL_BASE_URL`, rather than mailing links to a host that does not exist."""
    base = current_app.config.get("BASE_URL")
    if base:
        return base
    if current_app.config["ENV"] == "production":
        raise MissingBaseURL("PORTAL_BASE_URL must be set (e.g. https://portaal.wonenlimburg.nl) "
                             "for the links in e-mail sent by a command.")
    return DEVELOPMENT_BASE_URL
