"""sponsor as a link to a stakeholder; per-initiative readiness thresholds

Revision ID: 0002_sponsor_link
Revises: 0001_initial
Create Date: 2026-12-02 02:30:00

The sponsor was free text, so nothing could tell who the sponsor is (an IT-side CIO
of an IT-led change, say). Each initiative's text is matched to one of its own
stakeholders by name (ignoring case and spacing, then ignoring a trailing
"(role)"); a text that matches nobody becomes a new person stakeholder with that
name, so no sponsor is lost, and the initiative links to it.
"""

from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision = "0002_sponsor_link"
down_revision = "0001_initial"
branch_labels = None
depends_on = None


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def _without_role(text: str) -> str:
    """ "Dana Whitfield (CEO)" -> "dana whitfield"."""
    key = _key(text)
    if key.endswith(")") and " (" in key:
        key = key[: key.rindex(" (")]
    return key


def _sponsor_for(bind: sa.Connection, initiative_id: str, text: str, stamp: datetime) -> str:
    rows = bind.execute(
        sa.text(
            "select id, name, power from stakeholder where initiative_id = :ini "
            "order by power desc, name, id"
        ),
        {"ini": initiative_id},
    ).all()
    for match in (_key, _without_role):
        wanted = match(text)
        for row in rows:
            if match(row.name) == wanted:
                return str(row.id)
    new_id = str(uuid.uuid4())
    bind.execute(
        sa.text(
            "insert into stakeholder (id, created_at, updated_at, initiative_id, name, kind, "
            "headcount, side, power, interest, engagement, desired_engagement, impact, "
            "adkar_awareness, adkar_desire, adkar_knowledge, adkar_ability, "
            "adkar_reinforcement, notes) values (:id, :stamp, :stamp, :ini, :name, 'person', "
            "1, 'executive', 5, 4, 'supportive', 'leading', 'low', 3, 3, 3, 3, 3, :notes)"
        ),
        {
            "id": new_id,
            "stamp": stamp,
            "ini": initiative_id,
            "name": " ".join(text.split())[:200],
            "notes": "Added when the sponsor became a stakeholder: the plan named this "
            "sponsor, but no stakeholder of that name.",
        },
    )
    return new_id


def upgrade() -> None:
    # Plain ALTER TABLE, never a batch copy: SQLite rebuilds a table in batch mode by
    # dropping it, and with foreign keys on, dropping the initiative table would cascade
    # to every record of every plan.
    op.add_column("initiative", sa.Column("sponsor_id", sa.String(length=36), nullable=True))
    op.add_column("initiative", sa.Column("readiness_thresholds", sa.Text(), nullable=True))
    bind = op.get_bind()
    stamp = datetime.now().replace(microsecond=0)
    for row in bind.execute(sa.text("select id, sponsor from initiative")).all():
        if row.sponsor is None or not row.sponsor.strip():
            continue
        sponsor_id = _sponsor_for(bind, row.id, row.sponsor, stamp)
        bind.execute(
            sa.text("update initiative set sponsor_id = :sponsor where id = :id"),
            {"sponsor": sponsor_id, "id": row.id},
        )
    op.execute("ALTER TABLE initiative DROP COLUMN sponsor")


def downgrade() -> None:
    op.add_column("initiative", sa.Column("sponsor", sa.String(length=200), nullable=True))
    op.execute(
        "update initiative set sponsor = (select s.name from stakeholder s "
        "where s.id = initiative.sponsor_id)"
    )
    op.execute("ALTER TABLE initiative DROP COLUMN readiness_thresholds")
    op.execute("ALTER TABLE initiative DROP COLUMN sponsor_id")
