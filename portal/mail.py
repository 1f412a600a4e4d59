"""Sending e-mail over SMTP, or to the log when no mail server is configured.

Without `PORTAL_MAIL_SERVER` (trying the portal on a laptop) the whole message, links
included, is written to the log so that invitations can still be followed; production
refuses to start without a mail server, so links never reach a production log.
"""

import logging
import smtplib
from email.message import EmailMessage

from flask import current_app, url_for

log = logging.getLogger(__name__)


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
    """An absolute link for an e-mail, from `PORTAL_BASE_URL` when set (needed outside requests)."""
    base = current_app.config.get("BASE_URL")
    if base:
        return base.rstrip("/") + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)
