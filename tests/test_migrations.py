"""The migrations build exactly the schema the models describe, and undo it completely."""

import warnings

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from portal.extensions import db
from portal.models import include_object
from portal.suppliers.models import NAME_INDEX


def schema_diff():
    # Only the full-text search table (SQLite) or column and index (PostgreSQL) are left out:
    # they are no model; test_full_text_search_objects_exist_and_go checks them instead.
    with db.engine.connect() as conn, warnings.catch_warnings():
        # SQLite cannot reflect an index on lower(name); test_name_index_exists checks it.
        warnings.filterwarnings("ignore", f".*expression-based index .?{NAME_INDEX}")
        context = MigrationContext.configure(conn, opts={"compare_type": True,
                                                         "include_object": include_object})
        return compare_metadata(context, db.metadata)


def test_upgrade_matches_models_and_downgrade_removes_everything(app):
    with app.app_context():
        db.session.remove()
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        assert schema_diff() == []
        assert set(db.metadata.tables) <= set(inspect(db.engine).get_table_names())


def search_objects() -> set[str]:
    """The full-text search objects present: FTS5 tables and triggers, or column and index."""
    with db.engine.connect() as conn:
        if db.engine.dialect.name == "sqlite":
            return set(conn.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE name LIKE 'story_search%'").scalars())
        return set(conn.exec_driver_sql(
            "SELECT indexname FROM pg_indexes WHERE indexname = 'ix_story_revisions_search'"
            " UNION SELECT column_name FROM information_schema.columns"
            " WHERE table_name = 'story_revisions' AND column_name = 'search_vector'"
        ).scalars())


def test_name_index_exists_and_goes(app):
    def indexes():
        with db.engine.connect() as conn:
            if db.engine.dialect.name == "sqlite":
                query = "SELECT name FROM sqlite_master WHERE type = 'index'"
            else:
                query = "SELECT indexname FROM pg_indexes"
            return set(conn.execute(text(query)).scalars())

    with app.app_context():
        db.session.remove()
        assert NAME_INDEX in indexes()
        downgrade(revision="0005")
        assert NAME_INDEX not in indexes()
        upgrade()
        assert NAME_INDEX in indexes()


def test_full_text_search_objects_exist_and_go(app):
    with app.app_context():
        db.session.remove()
        if db.engine.dialect.name == "sqlite":
            expected = {"story_search", "story_search_insert", "story_search_update",
                        "story_search_delete"}
        else:
            expected = {"ix_story_revisions_search", "search_vector"}
        assert expected <= search_objects()
        downgrade(revision="0003")
        assert search_objects() == set()
        assert not {"stories", "story_revisions"} & set(inspect(db.engine).get_table_names())
        upgrade()
        assert expected <= search_objects()


def test_upgrade_seeds_the_leaflets_two_rules(app, db_session):
    from datetime import date

    from sqlalchemy import select

    from portal.obligations.models import PolicyRule

    rules = db_session.scalars(select(PolicyRule).order_by(PolicyRule.effective_from)).all()
    assert [(r.effective_from, r.threshold_cents, r.required_level) for r in rules] == [
        (date(2021, 1, 1), 15_000_000, "trede_1"),
        (date(2022, 1, 1), 15_000_000, "trede_2"),
    ]


def test_upgrade_renders_every_stored_story_again(app, db_session):
    """0005 re-renders each revision's HTML from its Markdown with the current renderer, so
    HTML stored by the renderer before it (here: made up) is replaced."""
    from sqlalchemy import select

    from portal.markdown import render
    from portal.stories.models import StoryRevision
    from tests import factories

    bodies = ["Tekst\n- een lijst direct eronder", "Mail <inkoop@wonenlimburg.nl>", "*Anna*"]
    for body in bodies:
        factories.story(body=body, body_html="<p>zoals het vroeger was</p>")
    db_session.commit()
    db_session.remove()
    downgrade(revision="0004")
    upgrade()
    stored = db.session.execute(select(StoryRevision.body, StoryRevision.body_html)).all()
    assert sorted(stored) == sorted((body, render(body)) for body in bodies)
    assert "<ul>" in render(bodies[0])
