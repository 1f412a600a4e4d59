"""The races here need a database that lets several writers in at once."""

import pytest


@pytest.fixture(autouse=True)
def postgresql_only(app):
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("races need PostgreSQL (SQLite admits one writer at a time); run the "
                    "suite with PORTAL_SQLALCHEMY_DATABASE_URI=postgresql+psycopg://... "
                    "as .ci/run does")
