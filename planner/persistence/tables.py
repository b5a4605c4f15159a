"""The database schema as SQLAlchemy 2 Core tables, derived from the domain's records.

Each record kind's table is built from its declaration (`planner.domain.records`):
one column per field, named as the field, typed by its `FieldKind`, NOT NULL
when it is required; a reference is an indexed foreign key to the referenced
kind's table, and a list of references a link table. Nothing here names a
kind or any field but the id, the two timestamps and the row version every
record has. What
the tables build must equal what the migrations build (the migration tests
compare them), so a new field is its record's field plus a migration.
Enumerations are stored as their stable string values; validation lives in
the domain, not in database CHECKs, so that an Alembic batch migration never
has to rebuild constraint logic. Every foreign key cascades: the store walks
the same graph first to record what a delete removes, so that it can be
undone.

Why Core tables and not ORM mapped classes: every read and write of the
planner is a Core statement over a table (records are the domain's frozen
dataclasses, never ORM instances), so mapped classes would only describe the
schema, at the price of importing `sqlalchemy.orm` and mapping twenty classes
on every start (about 0.15 s, a third of the time a bare Qt window with an
SQLAlchemy import takes to appear). A column's `nullable` says what a
`Mapped[X | None]` annotation would.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.sql.schema import SchemaItem
from sqlalchemy.types import TypeEngine

from planner.domain.fields import FieldKind, FieldSpec
from planner.domain.records import RECORD_TYPES, Record, record_type

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

# A field's kind -> its column type; references are foreign keys, lists are link tables.
_TYPES: dict[FieldKind, TypeEngine[Any]] = {
    FieldKind.TEXT: NAME,
    FieldKind.LONGTEXT: Text(),
    FieldKind.INT: Integer(),
    FieldKind.FLOAT: Float(),
    FieldKind.DATE: Date(),
    FieldKind.BOOL: Boolean(),
    FieldKind.CHOICE: CHOICE,
}
_STAMPS = ("id", "created_at", "updated_at")


def _column(cls: type[Record], spec: FieldSpec) -> Column[Any]:
    """A field's column: NOT NULL when required (a yes/no field is never empty)."""
    nullable = not spec.required and spec.kind is not FieldKind.BOOL
    if spec.kind is FieldKind.REF and not spec.enforced:
        return Column(spec.name, ID, nullable=nullable)
    if spec.kind is FieldKind.REF:
        assert spec.ref is not None
        target = record_type(spec.ref).TABLE
        return Column(
            spec.name,
            ID,
            ForeignKey(f"{target}.id", ondelete="CASCADE"),
            nullable=nullable,
            index=True,
        )
    unique = (spec.name,) == cls.UNIQUE
    if spec.name == "version":
        # Added to existing rows by revision 0004, which needs a default to do so.
        return Column(spec.name, Integer(), nullable=False, server_default=text("1"))
    return Column(spec.name, _TYPES[spec.kind], nullable=nullable, unique=unique)


def _records(cls: type[Record]) -> Table:
    """A kind's table: its own columns in field order, then the id and the two timestamps,
    then the columns later migrations added (`Record.ADDED`)."""
    columns = [
        spec
        for spec in cls.SPECS.values()
        if spec.name not in _STAMPS and spec.kind is not FieldKind.REFS
    ]
    own = [_column(cls, spec) for spec in columns if spec.name not in cls.ADDED]
    added = [_column(cls, cls.SPECS[name]) for name in cls.ADDED]
    together: list[SchemaItem] = []
    if len(cls.UNIQUE) > 1:
        together.append(UniqueConstraint(*cls.UNIQUE))
    return Table(
        cls.TABLE,
        metadata,
        *own,
        Column("id", ID, primary_key=True),
        Column("created_at", DateTime, nullable=False),
        Column("updated_at", DateTime, nullable=False),
        *added,
        *together,
    )


def _link(cls: type[Record], spec: FieldSpec) -> Table:
    """Which records one record's list field points at (a communication's audience...).

    Named `<owner table>_<field without _ids>`, with `<owner kind>_id` and `<target kind>_id`.
    """
    assert spec.ref is not None
    target = record_type(spec.ref)
    return Table(
        f"{cls.TABLE}_{spec.name.removesuffix('_ids')}",
        metadata,
        Column(
            f"{cls.KIND}_id",
            ID,
            ForeignKey(f"{cls.TABLE}.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        Column(
            f"{target.KIND}_id",
            ID,
            ForeignKey(f"{target.TABLE}.id", ondelete="CASCADE"),
            primary_key=True,
            index=True,
        ),
    )


# Record kind (`Record.KIND`) -> its table.
TABLES: dict[str, Table] = {}
# kind -> field -> (link table, column pointing at the owner, column pointing at the target)
LINKS: dict[str, dict[str, tuple[Table, str, str]]] = {}

for _cls in RECORD_TYPES.values():
    TABLES[_cls.KIND] = _records(_cls)
    for _spec in _cls.SPECS.values():
        if _spec.kind is FieldKind.REFS:
            _table = _link(_cls, _spec)
            _owner, _target = (column.name for column in _table.columns)
            LINKS.setdefault(_cls.KIND, {})[_spec.name] = (_table, _owner, _target)

# Record kind -> its table's name, and back (three differ: session, option, score).
TABLE_NAMES: dict[str, str] = {kind: table.name for kind, table in TABLES.items()}
KIND_OF_TABLE: dict[str, str] = {name: kind for kind, name in TABLE_NAMES.items()}

# Who changed which record and when, as the server saw it (`planner.persistence.record_trail`):
# written on a team server by a trigger in the same transaction as the change; a file
# holds the table too, so that one schema serves both, but keeps it empty.
RECORD_CHANGES = Table(
    "record_change",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", CHOICE, nullable=False),
    Column("record_id", ID, nullable=False),
    Column("action", CHOICE, nullable=False),
    Column("fields", Text(), nullable=False),
    Column("login", NAME, nullable=False),
    Column("changed_at", DateTime(timezone=True), nullable=False),
    Column("version", Integer, nullable=True),
    Column("transaction_id", BigInteger, nullable=False),
    Index("ix_record_change_record", "kind", "record_id"),
)

# The tables a plan is held in, parents first: the records' and the link tables, not the
# trail (which is the server's record of the plan's changes, not part of the plan).
PLAN_TABLES: tuple[Table, ...] = tuple(t for t in metadata.sorted_tables if t is not RECORD_CHANGES)
