"""The database schema as SQLAlchemy 2 Core tables.

Column names equal the domain field names, so the store maps records to rows
generically. Enumerations are stored as their stable string values;
validation lives in the domain, not in database CHECKs, so that an Alembic
batch migration never has to rebuild constraint logic. Every foreign key
cascades: the store walks the same graph first to record what a delete
removes, so that it can be undone.

Why Core tables and not ORM mapped classes: every read and write of the
planner is a Core statement over a table (records are the domain's frozen
dataclasses, never ORM instances), so mapped classes would only describe the
schema, at the price of importing `sqlalchemy.orm` and mapping twenty classes
on every start (about 0.15 s, a third of the time a bare Qt window with an
SQLAlchemy import takes to appear). A column's `nullable` says what a
`Mapped[X | None]` annotation would.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.sql.schema import SchemaItem

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING_CONVENTION)

ID = String(36)
NAME = String(200)
CHOICE = String(32)


def _required(name: str, type_: object, **options: object) -> Column[object]:
    return Column(name, type_, nullable=False, **options)  # type: ignore[arg-type]


def _optional(name: str, type_: object) -> Column[object]:
    return Column(name, type_, nullable=True)  # type: ignore[arg-type]


def _fk(name: str, target: str, *, nullable: bool = False) -> Column[str]:
    return Column(
        name, ID, ForeignKey(f"{target}.id", ondelete="CASCADE"), nullable=nullable, index=True
    )


def _records(name: str, *items: SchemaItem) -> Table:
    """A table of one kind of record: its own columns, then the id and the two timestamps."""
    return Table(
        name,
        metadata,
        *items,
        Column("id", ID, primary_key=True),
        _required("created_at", DateTime),
        _required("updated_at", DateTime),
    )


def _link(name: str, owner: str, owner_column: str) -> Table:
    """Which stakeholders one record (a communication, a course...) points at."""
    return Table(
        name,
        metadata,
        Column(owner_column, ID, ForeignKey(f"{owner}.id", ondelete="CASCADE"), primary_key=True),
        Column(
            "stakeholder_id",
            ID,
            ForeignKey("stakeholder.id", ondelete="CASCADE"),
            primary_key=True,
            index=True,
        ),
    )


initiative = _records(
    "initiative",
    _required("name", NAME, unique=True),
    _optional("summary", Text),
    _optional("start", Date),
    _optional("go_live", Date),
    _required("status", CHOICE),
)
# Added by revision 0002 with ALTER TABLE, hence after the timestamps. The sponsor is a
# stakeholder of this initiative, but deliberately without a foreign key: a cascade would
# delete the initiative with its sponsor, and SET NULL would change the initiative behind
# the undo history's back. A dangling id reads as "no sponsor", and the readiness check
# says so.
initiative.append_column(Column("sponsor_id", ID, nullable=True))
initiative.append_column(_optional("readiness_thresholds", Text))

stakeholder = _records(
    "stakeholder",
    _fk("initiative_id", "initiative"),
    _required("name", NAME),
    _required("kind", CHOICE),
    _required("headcount", Integer),
    _optional("function", NAME),
    _required("side", CHOICE),
    _required("power", Integer),
    _required("interest", Integer),
    _required("engagement", CHOICE),
    _required("desired_engagement", CHOICE),
    _required("impact", CHOICE),
    _required("adkar_awareness", Integer),
    _required("adkar_desire", Integer),
    _required("adkar_knowledge", Integer),
    _required("adkar_ability", Integer),
    _required("adkar_reinforcement", Integer),
    _optional("involved_on", Date),
    _optional("owner", NAME),
    _optional("notes", Text),
)

snapshot = _records(
    "snapshot",
    _fk("stakeholder_id", "stakeholder"),
    _required("taken_on", Date),
    _optional("label", NAME),
    _required("power", Integer),
    _required("interest", Integer),
    _required("engagement", CHOICE),
)

objective = _records(
    "objective",
    _fk("initiative_id", "initiative"),
    _required("name", NAME),
    _optional("description", Text),
    _optional("owner", NAME),
    _optional("due", Date),
)

kpi = _records(
    "kpi",
    _fk("objective_id", "objective"),
    _required("name", NAME),
    _optional("unit", NAME),
    _optional("baseline", Float),
    _optional("target", Float),
    _required("direction", CHOICE),
    _optional("due", Date),
    _optional("owner", NAME),
)

measurement = _records(
    "measurement",
    _fk("kpi_id", "kpi"),
    _required("measured_on", Date),
    _required("value", Float),
    _optional("note", NAME),
)

communication = _records(
    "communication",
    _fk("initiative_id", "initiative"),
    _required("name", NAME),
    _optional("message", Text),
    _required("covers_goals", Boolean),
    _required("covers_benefits", Boolean),
    _required("covers_timeline", Boolean),
    _required("covers_what_changes", Boolean),
    _required("covers_help", Boolean),
    _required("channel", CHOICE),
    _optional("owner", NAME),
    _optional("scheduled_on", Date),
    _required("recurrence", CHOICE),
    _optional("repeat_until", Date),
    _required("status", CHOICE),
)

communication_audience = _link("communication_audience", "communication", "communication_id")

course = _records(
    "course",
    _fk("initiative_id", "initiative"),
    _required("name", NAME),
    _required("format", CHOICE),
    _optional("duration_hours", Float),
    _optional("description", Text),
)

course_audience = _link("course_audience", "course", "course_id")

training_session = _records(
    "training_session",
    _fk("course_id", "course"),
    _required("name", NAME),
    _required("held_on", Date),
    _optional("location", NAME),
    _optional("trainer", NAME),
    _required("capacity", Integer),
)

attendance = _records(
    "attendance",
    _fk("session_id", "training_session"),
    _fk("stakeholder_id", "stakeholder"),
    _required("count", Integer),
    _required("status", CHOICE),
    UniqueConstraint("session_id", "stakeholder_id"),
)

phase = _records(
    "phase",
    _fk("initiative_id", "initiative"),
    _required("name", NAME),
    _required("kind", CHOICE),
    _required("sequence", Integer),
    _optional("starts_on", Date),
    _optional("ends_on", Date),
    _required("decision", CHOICE),
    _optional("decided_on", Date),
    _optional("rationale", Text),
)

phase_scope = _link("phase_scope", "phase", "phase_id")

gate_criterion = _records(
    "gate_criterion",
    _fk("phase_id", "phase"),
    _required("name", NAME),
    _required("kind", CHOICE),
    _fk("kpi_id", "kpi", nullable=True),
    _optional("threshold", Float),
    _optional("adkar_stage", CHOICE),
    _required("met", Boolean),
)

tech_option = _records(
    "tech_option",
    _fk("initiative_id", "initiative"),
    _required("name", NAME),
    _optional("vendor", NAME),
    _optional("annual_cost", Float),
    _required("chosen", Boolean),
    _optional("description", Text),
)

criterion = _records(
    "criterion",
    _fk("initiative_id", "initiative"),
    _required("name", NAME),
    _required("category", CHOICE),
    _required("weight", Float),
)

option_score = _records(
    "option_score",
    _fk("option_id", "tech_option"),
    _fk("criterion_id", "criterion"),
    _required("score", Float),
    _optional("note", NAME),
    UniqueConstraint("option_id", "criterion_id"),
)

risk = _records(
    "risk",
    _fk("initiative_id", "initiative"),
    _required("name", NAME),
    _optional("description", Text),
    _required("likelihood", Integer),
    _required("impact", Integer),
    _optional("mitigation", Text),
    _optional("owner", NAME),
    _required("status", CHOICE),
)

risk_stakeholder = _link("risk_stakeholder", "risk", "risk_id")

# Record kind (`Record.KIND`) -> its table.
TABLES: dict[str, Table] = {
    "initiative": initiative,
    "stakeholder": stakeholder,
    "snapshot": snapshot,
    "objective": objective,
    "kpi": kpi,
    "measurement": measurement,
    "communication": communication,
    "course": course,
    "session": training_session,
    "attendance": attendance,
    "phase": phase,
    "gate_criterion": gate_criterion,
    "option": tech_option,
    "criterion": criterion,
    "score": option_score,
    "risk": risk,
}

# kind -> field -> (link table, column pointing at the owner, column pointing at the target)
LINKS: dict[str, dict[str, tuple[Table, str, str]]] = {
    "communication": {
        "audience_ids": (communication_audience, "communication_id", "stakeholder_id")
    },
    "course": {"audience_ids": (course_audience, "course_id", "stakeholder_id")},
    "phase": {"scope_ids": (phase_scope, "phase_id", "stakeholder_id")},
    "risk": {"stakeholder_ids": (risk_stakeholder, "risk_id", "stakeholder_id")},
}
