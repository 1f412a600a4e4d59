"""Settings: production refuses an unsafe secret key; development makes and keeps its own."""

import os
import stat
from pathlib import Path

import pytest
from flask import Flask

import portal
from portal import config, create_app
from portal.config import ConfigError

PROJECT = Path(__file__).resolve().parent.parent
REPO_INSTANCE = PROJECT / "instance"
GOOD_KEY = "0f3c9a1e5b7d2468ace13579bdf02468ace13579bdf02468ace13579bdf02468"


def snapshot(folder: Path):
    """What a test here could change in an instance folder: its files, and the kept key."""
    if not folder.exists():
        return None
    key = folder / "secret_key"
    return sorted(p.name for p in folder.iterdir()), key.exists() and key.read_bytes()


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch):
    """Every app here keeps its instance folder in tmp_path and sees no PORTAL_* variables.

    The repository's own instance/ folder is checked to be untouched afterwards.
    """
    for name in list(os.environ):
        if name.startswith("PORTAL_"):
            monkeypatch.delenv(name)
    instance = tmp_path / "instance"

    class TmpInstanceFlask(Flask):
        def __init__(self, *args, **kwargs):
            kwargs["instance_path"] = str(instance)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(portal, "Flask", TmpInstanceFlask)
    before = snapshot(REPO_INSTANCE)
    yield instance
    assert snapshot(REPO_INSTANCE) == before, "a test wrote into the repository's instance/"


# Where a production server keeps its data; nothing is written there when the app starts.
PERSISTENT = {"SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://portal@db.example/portal",
              "UPLOAD_FOLDER": "/srv/portal/uploads"}


def production(**overrides):
    settings = {"ENV": "production", "SECRET_KEY": GOOD_KEY, "MAIL_SERVER": "smtp.example.org",
                **PERSISTENT}
    settings.update(overrides)
    return create_app(settings)


@pytest.mark.parametrize("key", [None, "", "dev", "changeme", "secret", "demo-secret",
                                 "Changeme", "x" * 31, GOOD_KEY[:31]])
def test_production_refuses_a_missing_short_or_insecure_key(key, isolated):
    with pytest.raises(ConfigError, match="PORTAL_SECRET_KEY"):
        production(SECRET_KEY=key)
    assert not (isolated / "secret_key").exists()  # and no key is made up in its place


def test_production_refuses_an_unset_key_from_the_environment(monkeypatch):
    monkeypatch.setenv("PORTAL_ENV", "production")
    with pytest.raises(ConfigError):
        create_app()


def test_production_with_a_good_key_starts_with_secure_cookies(tmp_path):
    app = production()
    assert app.config["SECRET_KEY"] == GOOD_KEY
    assert app.config["SESSION_COOKIE_SECURE"] is True
    response = app.test_client().get("/login")
    assert response.status_code == 200
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("portal_session=")
    assert "Secure" in cookie and "HttpOnly" in cookie


def test_production_reads_its_key_and_env_from_the_environment(monkeypatch):
    monkeypatch.setenv("PORTAL_ENV", "production")
    monkeypatch.setenv("PORTAL_SECRET_KEY", GOOD_KEY)
    monkeypatch.setenv("PORTAL_MAIL_SERVER", "smtp.example.org")
    monkeypatch.setenv("PORTAL_SQLALCHEMY_DATABASE_URI", PERSISTENT["SQLALCHEMY_DATABASE_URI"])
    monkeypatch.setenv("PORTAL_UPLOAD_FOLDER", PERSISTENT["UPLOAD_FOLDER"])
    app = create_app()
    assert app.config["SECRET_KEY"] == GOOD_KEY
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_development_cookie_is_not_secure(tmp_path):
    app = create_app({"SECRET_KEY": GOOD_KEY,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'dev.sqlite3'}"})
    assert app.config["ENV"] == "development"
    assert app.config["SESSION_COOKIE_SECURE"] is False
    cookie = app.test_client().get("/login").headers["Set-Cookie"]
    assert "Secure" not in cookie and "HttpOnly" in cookie


def test_development_makes_a_key_and_keeps_it_in_the_instance_folder(isolated):
    first = create_app()
    key = first.config["SECRET_KEY"]
    assert len(key) >= 32 and key.lower() not in config.INSECURE_SECRETS
    key_file = isolated / "secret_key"
    assert key_file.read_text().strip() == key
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600  # readable by its owner only
    # A restart keeps it, so that sessions survive `make run` being restarted.
    assert create_app().config["SECRET_KEY"] == key
    # Defaults that depend on the instance folder point into it.
    assert first.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{isolated / 'portal.sqlite3'}"
    assert first.config["UPLOAD_FOLDER"] == str(isolated / "uploads")


def test_development_keys_differ_per_instance_folder(tmp_path):
    keys = set()
    for name in ("one", "two"):
        app = Flask("fake", instance_path=str(tmp_path / name))
        app.config.from_mapping(config.DEFAULTS)
        config.finish(app)
        keys.add(app.config["SECRET_KEY"])
    assert len(keys) == 2


def test_development_keeps_a_configured_key_and_writes_no_file(isolated):
    app = create_app({"SECRET_KEY": GOOD_KEY})
    assert app.config["SECRET_KEY"] == GOOD_KEY
    assert not (isolated / "secret_key").exists()


def test_check_production_accepts_a_long_random_key():
    config.check_production({"SECRET_KEY": GOOD_KEY, "MAIL_SERVER": "smtp", **PERSISTENT})
    with pytest.raises(ConfigError):
        config.check_production({})


def test_production_refuses_to_start_without_a_mail_server(isolated):
    with pytest.raises(ConfigError, match="PORTAL_MAIL_SERVER"):
        production(MAIL_SERVER=None)


def test_production_refuses_the_development_key_that_make_run_kept(isolated):
    development_key = create_app().config["SECRET_KEY"]  # as `make run` leaves it
    with pytest.raises(ConfigError, match="development key"):
        production(SECRET_KEY=development_key)


@pytest.mark.parametrize("uri", ["sqlite://", "sqlite:///:memory:", "sqlite:////tmp/portal.db",
                                 "sqlite:////var/tmp/portal/portal.sqlite3",
                                 "sqlite:////dev/shm/portal.sqlite3"])
def test_production_refuses_sqlite_in_memory_or_in_a_temporary_folder(uri):
    with pytest.raises(ConfigError, match="SQLite"):
        production(SQLALCHEMY_DATABASE_URI=uri)


def test_production_refuses_the_default_sqlite_when_the_instance_folder_is_temporary(isolated):
    with pytest.raises(ConfigError, match="SQLite"):  # isolated lies under the temporary folder
        production(SQLALCHEMY_DATABASE_URI=None)


def test_production_accepts_sqlite_on_persistent_storage():
    app = production(SQLALCHEMY_DATABASE_URI="sqlite:////srv/portal/portal.sqlite3")
    assert app.config["ENV"] == "production"


def test_production_refuses_an_upload_folder_in_a_temporary_folder(tmp_path):
    with pytest.raises(ConfigError, match="PORTAL_UPLOAD_FOLDER"):
        production(UPLOAD_FOLDER=str(tmp_path / "uploads"))


def test_gunicorn_settings_bound_every_request():
    """README's production command reads gunicorn.conf.py; a worker is never held for long."""
    settings: dict = {}
    exec((PROJECT / "gunicorn.conf.py").read_text(), settings)  # noqa: S102 - our own file
    assert 0 < settings["timeout"] <= 30 and settings["graceful_timeout"] <= 30
    assert settings["limit_request_line"] <= 8190 and settings["limit_request_fields"] <= 100
    assert "-c gunicorn.conf.py" in (PROJECT / "README.md").read_text()
