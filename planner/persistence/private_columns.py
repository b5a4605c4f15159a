"""The private fields a team plan's viewers may not read, and which this connection may.

The domain marks them (`FieldSpec.private`: a stakeholder's engagement, desired
engagement and notes, a snapshot's engagement). `team_roles` grants the viewer
role SELECT on the other columns of those tables only, so the server itself
refuses a viewer's `SELECT notes FROM stakeholder`. The store asks the server,
once per connection, which private columns it may read, and reads a withheld one
as the field's declared default, so that the records still build and the plan
says what was withheld (`Plan.hidden`) for the check, charts and export to honour.
A file has no roles: everything in it is readable.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum
from typing import Any

from sqlalchemy import ARRAY, Table, bindparam, literal, text
from sqlalchemy.engine import Connection
from sqlalchemy.types import Text

from planner.domain.records import RECORD_TYPES
from planner.persistence.tables import KIND_OF_TABLE, TABLES

PRIVATE: dict[str, tuple[str, ...]] = {
    kind: names
    for kind, cls in RECORD_TYPES.items()
    if (names := tuple(name for name, spec in cls.SPECS.items() if spec.private))
}
"""Kind -> its private fields, in declaration order (each is a column of its table)."""

Hidden = frozenset[tuple[str, str]]
_CACHE_KEY = "planner_hidden_fields"


def public_columns(kind: str) -> list[str]:
    """The columns of `kind`'s table that every viewer may read."""
    private = PRIVATE.get(kind, ())
    return [column.name for column in TABLES[kind].columns if column.name not in private]


def hidden_fields(db: Connection) -> Hidden:
    """(kind, field) of the private fields this connection's login may not read.

    Asked of the server once per database connection (kept in its `info`, which
    lives as long as the connection does) with `has_column_privilege`, which
    counts the login's group roles, superusers and the tables' owner alike.
    """
    if db.dialect.name != "postgresql":
        return frozenset()
    cached = db.info.get(_CACHE_KEY)
    if cached is None:
        pairs = [(TABLES[kind].name, name) for kind, names in PRIVATE.items() for name in names]
        rows = db.execute(
            text(
                "SELECT x.t, x.c FROM unnest(:tables, :columns) AS x(t, c) "
                "JOIN pg_attribute a ON a.attrelid = to_regclass(quote_ident(x.t)) "
                "AND a.attname = x.c AND NOT a.attisdropped "
                "WHERE NOT has_column_privilege(a.attrelid, a.attnum, 'SELECT')"
            ).bindparams(
                bindparam("tables", type_=ARRAY(Text)), bindparam("columns", type_=ARRAY(Text))
            ),
            {"tables": [t for t, _ in pairs], "columns": [c for _, c in pairs]},
        )
        cached = frozenset((KIND_OF_TABLE[str(t)], str(c)) for t, c in rows)
        db.info[_CACHE_KEY] = cached
    return cached


def readable(table: Table, kind: str, hidden: Hidden) -> Sequence[Any]:
    """The columns to select from `kind`'s table: a withheld one as its field's default."""
    if not hidden or kind not in PRIVATE:
        return list(table.columns)
    defaults = RECORD_TYPES[kind].DEFAULTS
    out: list[Any] = []
    for column in table.columns:
        if (kind, column.name) not in hidden:
            out.append(column)
            continue
        value = defaults.get(column.name)
        stored = value.value if isinstance(value, Enum) else value
        out.append(literal(stored, type_=column.type).label(column.name))
    return out
