"""portfolio: the file's register of organisational units and impact assessments

Revision ID: 0005_portfolio
Revises: 0004_row_versions
Create Date: 2026-12-02 06:10:00

One file holds many initiatives, and the same people appear in several of them as
stakeholder groups. This revision adds the register of organisational units they
can share, a stakeholder's link to its unit, and an impact assessment per
initiative and unit.

Existing plans: a unit is made for every distinct name of a group stakeholder,
and every group of exactly that name (in any initiative) is linked to it; its
headcount is the largest any of them gives. Names that differ only a little
("Inside sales" and "Inside Sales team") are NOT merged here, since they may be
different people: the portfolio check reports them (rule
`portfolio-similar-unit-names`) for the user to merge or keep apart.
"""

from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision = "0005_portfolio"
down_revision = "0004_row_versions"
branch_labels = None
depends_on = None

ASPECTS = (
    "processes",
    "systems",
    "job_roles",
    "skills",
    "reporting_lines",
    "performance_measures",
    "location",
    "culture",
)


def _version() -> sa.Column[int]:
    """The row version every record has since 0004_row_versions."""
    return sa.Column("version", sa.Integer(), nullable=False, server_default=sa.text("1"))


def _create_tables() -> None:
    op.create_table(
        "unit",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("headcount", sa.Integer(), nullable=False),
        sa.Column("parent_unit_id", sa.String(length=36), nullable=True),
        sa.Column("capacity", sa.Float(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        _version(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unit")),
        sa.UniqueConstraint("name", name=op.f("uq_unit_name")),
    )
    op.create_table(
        "impact_assessment",
        sa.Column("initiative_id", sa.String(length=36), nullable=False),
        sa.Column("unit_id", sa.String(length=36), nullable=False),
        *(sa.Column(name, sa.String(length=32), nullable=False) for name in ASPECTS),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        _version(),
        sa.ForeignKeyConstraint(
            ["initiative_id"],
            ["initiative.id"],
            name=op.f("fk_impact_assessment_initiative_id_initiative"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["unit.id"],
            name=op.f("fk_impact_assessment_unit_id_unit"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_impact_assessment")),
        sa.UniqueConstraint(
            "initiative_id", "unit_id", name=op.f("uq_impact_assessment_initiative_id")
        ),
    )
    with op.batch_alter_table("impact_assessment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_impact_assessment_initiative_id"), ["initiative_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_impact_assessment_unit_id"), ["unit_id"], unique=False)


def _units_from_groups(bind: sa.Connection) -> None:
    """A unit per distinct group name (exactly the same name: one unit), linked to its groups."""
    stamp = datetime.now().replace(microsecond=0)
    rows = bind.execute(
        sa.text(
            "select name, max(headcount) as headcount, min(function) as function "
            "from stakeholder where kind = 'group' group by name order by name"
        )
    ).all()
    for row in rows:
        unit_id = str(uuid.uuid4())
        bind.execute(
            sa.text(
                "insert into unit (id, created_at, updated_at, name, kind, headcount, capacity, "
                "notes) values (:id, :stamp, :stamp, :name, 'team', :headcount, 8.0, :notes)"
            ),
            {
                "id": unit_id,
                "stamp": stamp,
                "name": row.name,
                "headcount": row.headcount,
                "notes": "Made from the stakeholder groups of this name when the file "
                "gained the portfolio"
                + (f" (function: {row.function})" if row.function else "")
                + ".",
            },
        )
        bind.execute(
            sa.text("update stakeholder set unit_id = :unit where kind = 'group' and name = :name"),
            {"unit": unit_id, "name": row.name},
        )


def upgrade() -> None:
    _create_tables()
    # Plain ALTER TABLE, never a batch copy (see 0002: a rebuilt stakeholder table would
    # cascade-delete every link row pointing at it).
    op.add_column("stakeholder", sa.Column("unit_id", sa.String(length=36), nullable=True))
    _units_from_groups(op.get_bind())


def downgrade() -> None:
    op.execute("ALTER TABLE stakeholder DROP COLUMN unit_id")
    op.drop_table("impact_assessment")
    op.drop_table("unit")
