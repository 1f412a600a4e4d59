"""stories: totals kept per target group and year, and indexes for the newest-first list

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28 06:00:00.000000

The story pages showed totals (stories and people placed, per target group and per year) by
counting every published story on every request. `story_totals` keeps those sums instead,
one row per (target group, year of first publication), changed by triggers on `stories` in
the transaction that publishes a story, takes it offline or changes its published facts.
Triggers rather than application code, so that every writer keeps the table exact: the
moderation service's conditional UPDATE, the demo data, bulk loads, a fix by hand. The table
starts filled from the stories that are published now.

SQLite drops a table's triggers when a migration rebuilds it (batch mode copies the table):
a later migration that rebuilds `stories` must create them again, as `SQLITE_TRIGGERS` here
does. On PostgreSQL the triggers run once per statement and add up its changes, so that a
bulk load of stories writes each totals row once.

The list walks published stories newest first, with the id breaking ties, and so does a
search for a common word (the planner follows the index and checks each story's match until
the page is full); the index gets the id, and each filter an index of its own in that order.
"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

TRIGGERS = ("story_totals_insert", "story_totals_delete", "story_totals_update")
SUMMED = "state, target_group, people_count, published_on"

# A story's key in the table, and what it adds: on both databases a missing year or target
# group counts as 0 or "" (the portal never publishes one without them).
SQLITE_KEY = ("COALESCE({row}.target_group, ''), "
              "COALESCE(CAST(strftime('%Y', {row}.published_on) AS INTEGER), 0)")
SQLITE_ADD = ("INSERT INTO story_totals (target_group, year, stories, people) "
              f"VALUES ({SQLITE_KEY.format(row='NEW')}, 1, COALESCE(NEW.people_count, 0)) "
              "ON CONFLICT (target_group, year) DO UPDATE SET stories = stories + 1, "
              "people = people + excluded.people;")
SQLITE_REMOVE = ("UPDATE story_totals SET stories = stories - 1, "
                 "people = people - COALESCE(OLD.people_count, 0) "
                 f"WHERE (target_group, year) = ({SQLITE_KEY.format(row='OLD')});")
SQLITE_TRIGGERS = (
    "CREATE TRIGGER story_totals_insert AFTER INSERT ON stories "
    f"WHEN NEW.state = 'published' BEGIN {SQLITE_ADD} END",
    "CREATE TRIGGER story_totals_delete AFTER DELETE ON stories "
    f"WHEN OLD.state = 'published' BEGIN {SQLITE_REMOVE} END",
    # One trigger, two statements: the old contribution goes, the new one comes. Each is a
    # no-op when its row is not published (an UPDATE matching nothing, an INSERT of nothing).
    f"CREATE TRIGGER story_totals_update AFTER UPDATE OF {SUMMED} ON stories BEGIN "
    + SQLITE_REMOVE.replace(";", " AND OLD.state = 'published';")
    + " INSERT INTO story_totals (target_group, year, stories, people) "
    f"SELECT {SQLITE_KEY.format(row='NEW')}, 1, COALESCE(NEW.people_count, 0) "
    "WHERE NEW.state = 'published' "
    "ON CONFLICT (target_group, year) DO UPDATE SET stories = stories + 1, "
    "people = people + excluded.people; END",
)

# PostgreSQL: one trigger per statement, which adds up what the statement changed (its
# transition tables) per target group and year, so a bulk load writes each row of the
# table once instead of once per story. (Transition tables rule out a column list on the
# UPDATE trigger: an UPDATE that changes nothing summed changes nothing here.)
POSTGRESQL_KEY = ("COALESCE(target_group, ''), "
                  "COALESCE(EXTRACT(YEAR FROM published_on)::integer, 0)")
POSTGRESQL_CHANGES = {
    "INSERT": f"SELECT {POSTGRESQL_KEY}, 1, COALESCE(people_count, 0) FROM new_rows "
              "WHERE state = 'published'",
    "DELETE": f"SELECT {POSTGRESQL_KEY}, -1, -COALESCE(people_count, 0) FROM old_rows "
              "WHERE state = 'published'",
}
POSTGRESQL_CHANGES["UPDATE"] = (POSTGRESQL_CHANGES["INSERT"] + " UNION ALL "
                                + POSTGRESQL_CHANGES["DELETE"])
POSTGRESQL_APPLY = (
    "INSERT INTO story_totals AS t (target_group, year, stories, people) "
    "SELECT target_group, year, sum(stories), sum(people) "
    "FROM ({changes}) AS change (target_group, year, stories, people) "
    "GROUP BY target_group, year HAVING sum(stories) <> 0 OR sum(people) <> 0 "
    "ORDER BY target_group, year "  # the same order in every transaction: no deadlock
    "ON CONFLICT (target_group, year) DO UPDATE "
    "SET stories = t.stories + EXCLUDED.stories, people = t.people + EXCLUDED.people;"
)
POSTGRESQL_FUNCTION = (
    "CREATE FUNCTION story_totals_follow() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    + " ".join(f"{'IF' if i == 0 else 'ELSIF'} TG_OP = '{op_}' THEN "
               + POSTGRESQL_APPLY.format(changes=changes)
               for i, (op_, changes) in enumerate(POSTGRESQL_CHANGES.items()))
    + " END IF; RETURN NULL; END $$"
)
POSTGRESQL_TRIGGERS = (
    "CREATE TRIGGER story_totals_insert AFTER INSERT ON stories REFERENCING NEW TABLE AS "
    "new_rows FOR EACH STATEMENT EXECUTE FUNCTION story_totals_follow()",
    "CREATE TRIGGER story_totals_delete AFTER DELETE ON stories REFERENCING OLD TABLE AS "
    "old_rows FOR EACH STATEMENT EXECUTE FUNCTION story_totals_follow()",
    "CREATE TRIGGER story_totals_update AFTER UPDATE ON stories REFERENCING OLD TABLE AS "
    "old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION story_totals_follow()",
)
# A search never waits on the GIN index's list of pending entries (a bulk load leaves one
# until the next vacuum, and the planner then avoids the index): revisions are few.
POSTGRESQL_SEARCH_INDEX_DIRECT = (
    "ALTER INDEX ix_story_revisions_search SET (fastupdate = off)",
    "SELECT gin_clean_pending_list('ix_story_revisions_search'::regclass)",
)

BACKFILL = {
    "sqlite": "INSERT INTO story_totals (target_group, year, stories, people) "
              "SELECT {key}, count(*), COALESCE(sum(people_count), 0) FROM stories "
              "WHERE state = 'published' GROUP BY 1, 2".format(
                  key=SQLITE_KEY.format(row="stories")),
    "postgresql": "INSERT INTO story_totals (target_group, year, stories, people) "
                  "SELECT COALESCE(target_group, ''), "
                  "COALESCE(EXTRACT(YEAR FROM published_on)::integer, 0), count(*), "
                  "COALESCE(sum(people_count), 0) FROM stories "
                  "WHERE state = 'published' GROUP BY 1, 2",
}

# (name, columns) of the list's indexes; the ones they replace.
NEW_INDEXES = (
    ("ix_stories_state_newest", ["state", "published_at", "id"]),
    ("ix_stories_state_target_group_newest", ["state", "target_group", "published_at"]),
    ("ix_stories_state_placement_kind_newest", ["state", "placement_kind", "published_at"]),
    ("ix_stories_state_municipality_newest", ["state", "municipality", "published_at"]),
)
OLD_INDEXES = (
    ("ix_stories_state_published_at", ["state", "published_at"]),
    ("ix_stories_state_totals", ["state", "target_group", "published_on", "people_count"]),
)


def create_triggers():
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for statement in SQLITE_TRIGGERS:
            op.execute(statement)
    elif dialect == "postgresql":
        op.execute(POSTGRESQL_FUNCTION)
        for statement in POSTGRESQL_TRIGGERS:
            op.execute(statement)
        for statement in POSTGRESQL_SEARCH_INDEX_DIRECT:
            op.execute(statement)


def upgrade():
    op.create_table(
        "story_totals",
        sa.Column("target_group", sa.String(length=40), nullable=False),
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("stories", sa.Integer(), nullable=False),
        sa.Column("people", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("target_group", "year", name=op.f("pk_story_totals")),
    )
    dialect = op.get_bind().dialect.name
    if dialect in BACKFILL:
        op.execute(BACKFILL[dialect])
    create_triggers()
    for name, columns in NEW_INDEXES:
        op.create_index(name, "stories", columns, unique=False)
    for name, _columns in OLD_INDEXES:
        op.drop_index(name, table_name="stories")


def downgrade():
    for name, columns in OLD_INDEXES:
        op.create_index(name, "stories", columns, unique=False)
    for name, _columns in NEW_INDEXES:
        op.drop_index(name, table_name="stories")
    postgresql = op.get_bind().dialect.name == "postgresql"
    for trigger in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}" + (" ON stories" if postgresql else ""))
    if postgresql:
        op.execute("DROP FUNCTION IF EXISTS story_totals_follow()")
        op.execute("ALTER INDEX ix_story_revisions_search RESET (fastupdate)")
    op.drop_table("story_totals")
