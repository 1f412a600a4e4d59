"""obligations: stored compliance per supplier, and daily counts per status

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28 05:20:00.000000

Every organisation gets a row at once, marked as computed for 1900-01-01: a row older than
today is brought up to date before any page shows it, so the first page or the first
`flask --app portal refresh-compliance` after the upgrade fills them in.
"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# Written out as the models' CHECKs read, so this migration keeps meaning what it meant.
STATUS_KNOWN = "status IN ('not_required', 'compliant', 'pending', 'expiring', 'non_compliant')"
NEXT_STATUS_KNOWN = "next_status IS NULL OR next_status IN ('not_required', 'compliant', 'pending', 'expiring', 'non_compliant')"  # noqa: E501
REQUIRED_LEVEL_KNOWN = "required_level IS NULL OR required_level IN ('aspirant', 'basistrede', 'trede_1', 'trede_2', 'trede_3', 'pso_30plus')"  # noqa: E501
NEXT_REQUIRED_LEVEL_KNOWN = "next_required_level IS NULL OR next_required_level IN ('aspirant', 'basistrede', 'trede_1', 'trede_2', 'trede_3', 'pso_30plus')"  # noqa: E501


def upgrade():
    op.create_table(
        "compliance",
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("computed_for", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("required_level", sa.String(length=20), nullable=True),
        sa.Column("annual_sum_cents", sa.BigInteger(), nullable=False),
        sa.Column("certificate_id", sa.Integer(), nullable=True),
        sa.Column("covered_until", sa.Date(), nullable=True),
        sa.Column("pending_certificate_id", sa.Integer(), nullable=True),
        sa.Column("next_change_on", sa.Date(), nullable=True),
        sa.Column("next_status", sa.String(length=20), nullable=True),
        sa.Column("next_required_level", sa.String(length=20), nullable=True),
        sa.CheckConstraint(STATUS_KNOWN, name=op.f("ck_compliance_status_known")),
        sa.CheckConstraint(NEXT_STATUS_KNOWN, name=op.f("ck_compliance_next_status_known")),
        sa.CheckConstraint(REQUIRED_LEVEL_KNOWN,
                           name=op.f("ck_compliance_required_level_known")),
        sa.CheckConstraint(NEXT_REQUIRED_LEVEL_KNOWN,
                           name=op.f("ck_compliance_next_required_level_known")),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisations.id"], ondelete="CASCADE",
                                name=op.f("fk_compliance_organisation_id_organisations")),
        sa.ForeignKeyConstraint(["certificate_id"], ["certificates.id"], ondelete="SET NULL",
                                name=op.f("fk_compliance_certificate_id_certificates")),
        sa.ForeignKeyConstraint(["pending_certificate_id"], ["certificates.id"],
                                ondelete="SET NULL",
                                name=op.f("fk_compliance_pending_certificate_id_certificates")),
        sa.PrimaryKeyConstraint("organisation_id", name=op.f("pk_compliance")),
    )
    op.create_index("ix_compliance_status_sum", "compliance", ["status", "annual_sum_cents"])
    op.create_index("ix_compliance_sum", "compliance", ["annual_sum_cents"])
    op.create_index("ix_compliance_covered_until", "compliance", ["covered_until"])
    op.create_index("ix_compliance_next_change_on", "compliance", ["next_change_on"])
    op.create_index("ix_compliance_computed_for", "compliance", ["computed_for"])
    # The overview sorts by name as people read it, without regard to case.
    op.create_index("ix_organisations_name_lower", "organisations", [sa.text("lower(name)")])
    op.create_table(
        "compliance_snapshots",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("suppliers", sa.Integer(), nullable=False),
        sa.CheckConstraint(STATUS_KNOWN, name=op.f("ck_compliance_snapshots_status_known")),
        sa.PrimaryKeyConstraint("day", "status", name=op.f("pk_compliance_snapshots")),
    )
    op.execute("INSERT INTO compliance (organisation_id, computed_for, status, annual_sum_cents) "
               "SELECT id, '1900-01-01', 'not_required', 0 FROM organisations")


def downgrade():
    op.drop_table("compliance_snapshots")
    op.drop_index("ix_organisations_name_lower", table_name="organisations")
    op.drop_table("compliance")
