"""a currency (ISO 4217 code) per initiative

Revision ID: 0003_currency
Revises: 0002_sponsor_link
Create Date: 2026-12-02 06:00:00

An option's annual cost was a bare number. Each initiative now says which currency
its money is in; every existing initiative is in euros, the planner's default.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_currency"
down_revision = "0002_sponsor_link"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ALTER TABLE, never a batch copy (see 0002: a rebuilt initiative table would
    # cascade its deletion to every record).
    op.add_column("initiative", sa.Column("currency", sa.String(length=200), nullable=True))
    op.execute("update initiative set currency = 'EUR'")


def downgrade() -> None:
    op.execute("ALTER TABLE initiative DROP COLUMN currency")
