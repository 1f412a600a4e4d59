"""The migrations build exactly the schema the models describe, and undo it completely."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from portal.extensions import db


def schema_diff():
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


def test_upgrade_matches_models_and_downgrade_removes_everything(app):
    with app.app_context():
        db.session.remove()
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        assert schema_diff() == []
        assert set(db.metadata.tables) <= set(inspect(db.engine).get_table_names())


def test_upgrade_seeds_the_leaflets_two_rules(app, db_session):
    from datetime import date

    from sqlalchemy import select

    from portal.obligations.models import PolicyRule

    rules = db_session.scalars(select(PolicyRule).order_by(PolicyRule.effective_from)).all()
    assert [(r.effective_from, r.threshold_cents, r.required_level) for r in rules] == [
        (date(2021, 1, 1), 15_000_000, "trede_1"),
        (date(2022, 1, 1), 15_000_000, "trede_2"),
    ]
