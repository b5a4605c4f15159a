"""a row version on every record, for compare-and-set saves

Revision ID: 0004_row_versions
Revises: 0002_sponsor_link
Create Date: 2026-12-02 06:10:00

Every record's row gets `version` (1 for the rows there today); every saved change
of a row sets it to one more, on the condition that it still holds the version the
change was made from, so that two planners saving the same record never overwrite
each other silently. The tables are named here as they are at this revision: a
migration never follows later declarations.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_row_versions"
down_revision = "0003_currency"
branch_labels = None
depends_on = None

RECORD_TABLES = (
    "initiative",
    "stakeholder",
    "snapshot",
    "objective",
    "kpi",
    "measurement",
    "communication",
    "course",
    "training_session",
    "attendance",
    "phase",
    "gate_criterion",
    "tech_option",
    "criterion",
    "option_score",
    "risk",
)


def upgrade() -> None:
    # Plain ALTER TABLE (see 0002): never a batch copy of a table others point at.
    for table in RECORD_TABLES:
        op.add_column(
            table,
            sa.Column("version", sa.Integer(), nullable=False, server_default=sa.text("1")),
        )


def downgrade() -> None:
    for table in reversed(RECORD_TABLES):
        op.execute(f"ALTER TABLE {table} DROP COLUMN version")
