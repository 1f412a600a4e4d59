"""Settings: defaults here, then `PORTAL_*` environment variables, then a test's overrides.

Production refuses to start on a configuration that would be unsafe there, because such a
mistake is otherwise only noticed after the first incident.
"""

import os
import secrets
import tempfile
from datetime import timedelta
from pathlib import Path

from sqlalchemy.engine import make_url

DEFAULTS = {
    "ENV": "development",
    "SQLALCHEMY_DATABASE_URI": None,  # filled in with SQLite in the instance folder
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    "UPLOAD_FOLDER": None,  # filled in with the instance folder's uploads/
    "MAX_CONTENT_LENGTH": 11 * 1024 * 1024,
    # A certificate's PDF; the request as a whole may be a little larger (the form's fields).
    "CERTIFICATE_MAX_BYTES": 10 * 1024 * 1024,
    "MAIL_SERVER": None,
    "MAIL_PORT": 25,
    "MAIL_USE_TLS": False,
    "MAIL_USERNAME": None,
    "MAIL_PASSWORD": None,
    "MAIL_DEFAULT_SENDER": "portaal@wonenlimburg.example",
    "BASE_URL": None,  # e.g. https://portaal.wonenlimburg.nl; links in e-mail use it when set
    "BABEL_DEFAULT_LOCALE": "nl",
    "BABEL_DEFAULT_TIMEZONE": "Europe/Amsterdam",
    "LANGUAGES": ["nl", "en"],
    # Passwords: werkzeug's scrypt with its default cost; tests lower the cost for speed.
    "PASSWORD_HASH_METHOD": "scrypt",
    "PASSWORD_MIN_LENGTH": 12,
    # Throttling of failed logins; both windows in seconds.
    "LOGIN_MAX_FAILURES_PER_ACCOUNT": 5,
    "LOGIN_MAX_FAILURES_PER_ADDRESS": 50,
    "LOGIN_FAILURE_WINDOW": 15 * 60,
    # Sessions: an absolute lifetime, and an idle timeout unless "remember me" was ticked.
    "SESSION_MAX_AGE": 12 * 60 * 60,
    "SESSION_IDLE_TIMEOUT": 60 * 60,
    "INVITATION_MAX_AGE": 7 * 24 * 60 * 60,
    "PASSWORD_RESET_MAX_AGE": 60 * 60,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_NAME": "portal_session",
    "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session does
    # Number of reverse proxies in front of the app whose X-Forwarded-* headers to trust.
    "TRUSTED_PROXIES": 0,
    "AUDIT_PAGE_SIZE": 50,
    # Rows of a contracts import checked per request, so a large file never holds one long.
    "CONTRACT_IMPORT_CHUNK_ROWS": 5000,
}

INSECURE_SECRETS = {"", "dev", "changeme", "secret", "demo", "demo-secret"}


class ConfigError(RuntimeError):
    """The configuration is unsafe for the environment it runs in."""


def finish(app):
    """Fill in what depends on the instance folder and check production safety."""
    cfg = app.config
    cfg["PERMANENT_SESSION_LIFETIME"] = timedelta(seconds=int(cfg["SESSION_MAX_AGE"]))
    instance = Path(app.instance_path)
    if not cfg.get("SQLALCHEMY_DATABASE_URI"):
        cfg["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{instance / 'portal.sqlite3'}"
    if not cfg.get("UPLOAD_FOLDER"):
        cfg["UPLOAD_FOLDER"] = str(instance / "uploads")
    production = cfg["ENV"] == "production"
    cfg["SESSION_COOKIE_SECURE"] = production
    if production:
        check_production(cfg, instance)
    elif not cfg.get("SECRET_KEY"):
        cfg["SECRET_KEY"] = _development_secret(instance)


def check_production(cfg, instance: Path | None = None):
    key = cfg.get("SECRET_KEY") or ""
    if key.lower() in INSECURE_SECRETS or len(key) < 32:
        raise ConfigError(
            "PORTAL_SECRET_KEY must be set to a random value of at least 32 characters "
            "in production, e.g. python -c 'import secrets; print(secrets.token_hex(32))'"
        )
    development_key = instance / "secret_key" if instance else None
    if development_key and development_key.is_file() and \
            development_key.read_text().strip() == key:
        raise ConfigError("PORTAL_SECRET_KEY is the development key that `make run` made in "
                          "the instance folder; set a new random key for production.")
    if not cfg.get("MAIL_SERVER"):
        # Without one, mail (with its invitation and reset links) would go to the log.
        raise ConfigError("PORTAL_MAIL_SERVER must be set in production: invitations and "
                          "password resets are sent by e-mail.")
    database = make_url(cfg["SQLALCHEMY_DATABASE_URI"])
    if database.get_backend_name() == "sqlite" and (
            not database.database or database.database == ":memory:"
            or in_temporary_folder(database.database)):
        raise ConfigError("PORTAL_SQLALCHEMY_DATABASE_URI points at SQLite in memory or in a "
                          "temporary folder; in production the data must outlive a restart.")
    if in_temporary_folder(cfg["UPLOAD_FOLDER"]):
        raise ConfigError("PORTAL_UPLOAD_FOLDER is in a temporary folder; in production the "
                          "certificates must be kept on persistent storage.")


def in_temporary_folder(path: str) -> bool:
    """Whether `path` lies in a folder the system may empty at a reboot or at any time."""
    resolved = Path(os.path.realpath(path))
    # Named to be recognised, not written to: hence the noqa for ruff's temp-file rule.
    known = ("/tmp", "/var/tmp", "/dev/shm")  # noqa: S108
    temporary = {Path(os.path.realpath(folder)) for folder in (tempfile.gettempdir(), *known)}
    return any(resolved == folder or folder in resolved.parents for folder in temporary)


def _development_secret(instance: Path) -> str:
    """A random key kept in the instance folder, so sessions survive a restart of `make run`."""
    path = instance / "secret_key"
    if path.exists():
        return path.read_text().strip()
    instance.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(key)
    return key
