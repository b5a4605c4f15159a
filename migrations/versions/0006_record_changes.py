"""record changes: the audit trail of a team plan (who changed which record, and when)

Revision ID: 0006_record_changes
Revises: 0005_portfolio
Create Date: 2026-12-02 13:40:00

Adds `record_change` on both engines (one schema for files and servers); on a
PostgreSQL server also the trigger on every record and link table that fills it
in the same transaction as the change (see planner.persistence.record_trail).
A file keeps the table empty. Changes made before this revision are not in the
trail: the server never recorded them. The tables are named here as they are at
this revision.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from planner.persistence.record_trail import install

revision = "0006_record_changes"
down_revision = "0005_portfolio"
branch_labels = None
depends_on = None

# (table, kind) at this revision.
RECORD_TABLES = (
    ("initiative", "initiative"),
    ("stakeholder", "stakeholder"),
    ("snapshot", "snapshot"),
    ("objective", "objective"),
    ("kpi", "kpi"),
    ("measurement", "measurement"),
    ("communication", "communication"),
    ("course", "course"),
    ("training_session", "session"),
    ("attendance", "attendance"),
    ("phase", "phase"),
    ("gate_criterion", "gate_criterion"),
    ("tech_option", "option"),
    ("criterion", "criterion"),
    ("option_score", "score"),
    ("risk", "risk"),
    ("unit", "unit"),
    ("impact_assessment", "impact_assessment"),
)
# (link table, owner kind, list field, owner column, target column, owner table).
LINK_TABLES = (
    (
        "communication_audience",
        "communication",
        "audience_ids",
        "communication_id",
        "stakeholder_id",
        "communication",
    ),
    ("course_audience", "course", "audience_ids", "course_id", "stakeholder_id", "course"),
    ("phase_scope", "phase", "scope_ids", "phase_id", "stakeholder_id", "phase"),
    ("risk_stakeholder", "risk", "stakeholder_ids", "risk_id", "stakeholder_id", "risk"),
)
FUNCTIONS = (
    "planner_link_changed()",
    "planner_record_changed()",
    "planner_note_change(text, text, text, jsonb, integer)",
)


def upgrade() -> None:
    op.create_table(
        "record_change",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("fields", sa.Text(), nullable=False),
        sa.Column("login", sa.String(length=200), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=True),
        sa.Column("transaction_id", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_record_change")),
    )
    op.create_index("ix_record_change_record", "record_change", ["kind", "record_id"])
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        install(bind, RECORD_TABLES, LINK_TABLES)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        for table, *_ in (*RECORD_TABLES, *LINK_TABLES):
            op.execute(f'DROP TRIGGER IF EXISTS "{table}_trail" ON "{table}"')
        for function in FUNCTIONS:
            op.execute(f"DROP FUNCTION IF EXISTS {function}")
    op.drop_index("ix_record_change_record", table_name="record_change")
    op.drop_table("record_change")
