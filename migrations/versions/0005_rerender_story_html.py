"""stories: render every revision's HTML again, with the linear renderer

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28 03:00:00.000000

Story bodies are rendered once, when saved, and pages show the stored `body_html`. The
renderer moved from Python-Markdown and bleach to markdown-it-py and nh3 (whose time grows in
step with the text), which writes some things differently: a list right after a line of text
is a list (CommonMark), a sub-list may be indented by two spaces, `<a@b.nl>` loses its angle
brackets. So every stored revision is rendered again from its Markdown source, in batches.

This imports the portal's renderer on purpose: the point is that stored HTML is what the
renderer of this version makes. The schema does not change. Downgrading leaves the HTML as
it is: the old renderer is no longer installed, and the new HTML is just as safe.
"""
from alembic import op
import sqlalchemy as sa

from portal.markdown import render

# revision identifiers, used by Alembic.
revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

BATCH = 500

revisions = sa.table(
    "story_revisions",
    sa.column("id", sa.Integer),
    sa.column("body", sa.Text),
    sa.column("body_html", sa.Text),
)


def upgrade():
    conn = op.get_bind()
    changed = (revisions.update().where(revisions.c.id == sa.bindparam("revision_id"))
               .values(body_html=sa.bindparam("html")))
    last = 0
    while True:
        rows = conn.execute(
            sa.select(revisions.c.id, revisions.c.body, revisions.c.body_html)
            .where(revisions.c.id > last).order_by(revisions.c.id).limit(BATCH)).all()
        if not rows:
            break
        updates = [{"revision_id": id_, "html": html} for id_, body, old in rows
                   if (html := render(body)) != old]
        if updates:
            conn.execute(changed, updates)
        last = rows[-1].id


def downgrade():
    pass
