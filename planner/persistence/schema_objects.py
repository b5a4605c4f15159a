"""A received database runs no code: its schema objects must be exactly the planner's own.

An SQLite file carries code of its own: triggers run on every insert, update
or delete; views run a query (a recursive one can run forever) wherever a
table of that name is expected; a CHECK, a DEFAULT or a generated column
holds expressions. A file the planner did not write is therefore compared,
before anything else reads or writes it, with the schema the planner itself
makes at the file's revision, object by object: every table with its columns
(declared type, NOT NULL, primary key, default), foreign keys and the words of
its definition, every index, and no trigger or view at all. Anything foreign
is refused with one line naming it, and the file is left as it was.

The expected schema is never a hand-written list: it is read back from a
fresh in-memory database built from the SQLAlchemy `MetaData` (the head
revision) or by running the Alembic migrations up to the file's revision
(an older one), with the same introspection as the file, so both sides are
described by SQLite itself.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sqlite3
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from planner.persistence.schema import HEAD_REVISION

# SQLite's own bookkeeping objects, which it makes itself and which run nothing.
_INTERNAL = re.compile(r"^sqlite_autoindex_")
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*|\d+|[^\sA-Za-z0-9_\"`\[\],()]")


@dataclass(frozen=True)
class SchemaObject:
    """One object of sqlite_schema as SQLite describes it, comparable across files."""

    kind: str
    name: str
    table: str
    columns: tuple[tuple[str, str, bool, int, str | None, int], ...] = ()
    foreign_keys: tuple[tuple[str, ...], ...] = ()
    index: tuple[bool, tuple[str, ...], bool] | None = None
    words: tuple[tuple[str, int], ...] = ()

    def label(self) -> str:
        return f"{self.kind} ‘{self.name}’"


def describe(conn: sqlite3.Connection) -> dict[str, SchemaObject]:
    """Every schema object of the database open on `conn`, by name (reads only, runs nothing).

    Five statements in all, over SQLite's pragma table functions, so describing
    a file costs a few milliseconds however many tables it has.
    """
    rows = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_schema").fetchall()
    real = [str(r[1]) for r in rows if r[0] == "table" and not _virtual(r[3])]
    columns = _grouped(
        conn,
        'SELECT t.value, c.name, c.type, c."notnull", c.pk, c.dflt_value, c.hidden '
        "FROM json_each(?) t, pragma_table_xinfo(t.value) c",
        real,
    )
    keys = _grouped(
        conn,
        'SELECT t.value, k."from", k."table", k."to", k.on_update, k.on_delete '
        "FROM json_each(?) t, pragma_foreign_key_list(t.value) k",
        real,
    )
    indexes = _grouped(
        conn,
        'SELECT t.value, i.name, i."unique", i.origin, i.partial '
        "FROM json_each(?) t, pragma_index_list(t.value) i",
        real,
    )
    index_names = [str(i[0]) for group in indexes.values() for i in group]
    index_columns = {
        name: tuple("<expression>" if cid == -2 else str(col) for cid, col in group)
        for name, group in _grouped(
            conn,
            "SELECT t.value, x.cid, x.name FROM json_each(?) t, pragma_index_xinfo(t.value) x "
            'WHERE x."key"',
            index_names,
        ).items()
    }
    index_shape = {
        str(name): (bool(unique), index_columns.get(str(name), ()), bool(partial))
        for group in indexes.values()
        for name, unique, _origin, partial in group
    }
    found: dict[str, SchemaObject] = {}
    for kind, name, table, sql in rows:
        name, table = str(name), str(table)
        if kind == "index" and _INTERNAL.match(name):
            continue
        if kind == "table" and _virtual(sql):
            found[name] = SchemaObject("virtual table", name, table, words=_words(sql))
        elif kind == "table":
            unique = sorted(
                ",".join(index_columns.get(str(i[0]), ()))
                for i in indexes.get(name, ())
                if i[2] in ("u", "pk")
            )
            found[name] = SchemaObject(
                "table",
                name,
                table,
                columns=tuple(
                    sorted(
                        (str(c), str(t).upper().replace(" ", ""), bool(n), int(p), d, int(h))
                        for c, t, n, p, d, h in columns.get(name, ())
                    )
                ),
                foreign_keys=tuple(sorted(tuple(map(str, k)) for k in keys.get(name, ()))),
                index=(True, tuple(unique), False),
                words=_words(_without_constraint_names(sql)),
            )
        elif kind == "index":
            found[name] = SchemaObject("index", name, table, index=index_shape.get(name))
        else:
            found[name] = SchemaObject(str(kind), name, table, words=_words(sql))
    return found


def _virtual(sql: object) -> bool:
    return isinstance(sql, str) and sql.lstrip().upper().startswith("CREATE VIRTUAL")


def _grouped(
    conn: sqlite3.Connection, query: str, names: list[str]
) -> dict[str, list[tuple[Any, ...]]]:
    """Rows of a pragma function over many objects, grouped by the object's name."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    for first, *rest in conn.execute(query, (json.dumps(names),)):
        out.setdefault(str(first), []).append(tuple(rest))
    return out


def _without_constraint_names(sql: str | None) -> str | None:
    """Constraint names differ between a file made by `create_all` and one made by migrations."""
    if sql is None:
        return None
    return re.sub(r"CONSTRAINT\s+(\"[^\"]*\"|\w+)\s*", "", sql, flags=re.IGNORECASE)


def _words(sql: str | None) -> tuple[tuple[str, int], ...]:
    """The definition as a bag of words: equal for equal definitions however laid out,
    different as soon as a CHECK, a COLLATE, a generated column or any expression is added."""
    if not sql:
        return ()
    counted = Counter(word.upper() for word in _WORD.findall(sql))
    return tuple(sorted(counted.items()))


def differences(found: dict[str, SchemaObject], expected: dict[str, SchemaObject]) -> list[str]:
    """What the file holds that the planner's schema does not, and the other way round."""
    problems: list[str] = []
    for name in sorted(found.keys() - expected.keys()):
        obj = found[name]
        on = f" on ‘{obj.table}’" if obj.kind in ("trigger", "index") else ""
        problems.append(f"a {obj.kind} ‘{name}’{on} that no planner makes")
    for name in sorted(expected.keys() - found.keys()):
        problems.append(f"no {expected[name].label()}")
    for name in sorted(found.keys() & expected.keys()):
        problems.extend(_compare(found[name], expected[name]))
    return problems


def _compare(got: SchemaObject, want: SchemaObject) -> list[str]:
    if got.kind != want.kind:
        return [f"‘{got.name}’ is a {got.kind}, where the planner keeps a {want.kind}"]
    if got.table != want.table:
        return [f"{got.label()} is on ‘{got.table}’, not ‘{want.table}’"]
    problems: list[str] = []
    have = {c[0]: c for c in got.columns}
    need = {c[0]: c for c in want.columns}
    for column in sorted(have.keys() - need.keys()):
        problems.append(f"table ‘{got.name}’ has a column ‘{column}’ that no planner makes")
    for column in sorted(need.keys() - have.keys()):
        problems.append(f"table ‘{got.name}’ has no column ‘{column}’")
    for column in sorted(have.keys() & need.keys()):
        if have[column] != need[column]:
            problems.append(
                f"column ‘{got.name}.{column}’ is {_shape(have[column])}, "
                f"where the planner's is {_shape(need[column])}"
            )
    if got.foreign_keys != want.foreign_keys:
        problems.append(f"table ‘{got.name}’ has other references than the planner's")
    if got.index != want.index:
        what = "unique keys" if got.kind == "table" else "columns or kind"
        problems.append(f"{got.label()} has other {what} than the planner's")
    if not problems and got.words != want.words:
        extra = Counter(dict(got.words)) - Counter(dict(want.words))
        shown = " ".join(sorted(extra)[:6]) or "a different layout"
        problems.append(f"{got.label()} is defined with more than the planner writes ({shown})")
    return problems


def _shape(column: tuple[str, str, bool, int, str | None, int]) -> str:
    _name, type_, notnull, pk, default, hidden = column
    parts = [type_ or "untyped", "NOT NULL" if notnull else "nullable"]
    if pk:
        parts.append("primary key")
    if default is not None:
        parts.append(f"default {default}")
    if hidden:
        parts.append("generated" if hidden > 1 else "hidden")
    return " ".join(parts)


@cache
def expected(revision: str) -> dict[str, SchemaObject]:
    """The planner's own schema at `revision`, read back from a fresh in-memory database.

    Once per process and revision. The head's is made with plain `sqlite3` from the
    very statements `create_schema` runs, collected without an engine: about half the
    time of an engine running `create_all`, paid by the first open of a file in each
    user data folder. An older revision's runs the migrations up to it.
    """
    from planner.persistence.database import head_schema_statements, run_migrations

    if revision == HEAD_REVISION:
        conn = sqlite3.connect(":memory:")
        try:
            for statement in head_schema_statements():
                conn.execute(statement)
            return describe(conn)
        finally:
            conn.close()
    from sqlalchemy import create_engine

    engine = create_engine("sqlite://")
    try:
        with engine.begin() as connection:
            run_migrations(connection, revision)
            raw = connection.connection.dbapi_connection
            assert isinstance(raw, sqlite3.Connection)
            return describe(raw)
    finally:
        engine.dispose()


def foreign_objects(
    conn: sqlite3.Connection, revision: str, *, remembered: bool = True
) -> list[str]:
    """Every difference between the file on `conn` and the planner's schema at `revision`;
    an object SQLite cannot even describe (a virtual table of an unknown module) is one.

    Building the expected schema costs more than the comparison, which every start
    would pay. So the exact text of a file's schema,
    once it has passed, is remembered in the user data folder with this
    planner's version and a fingerprint of its tables: the next file with the
    same schema text (every file this planner writes) passes in about a
    millisecond. Any other text, a trigger or a view among it, gets the full
    comparison. `remembered=False` (the doctor) always compares in full.
    A caller that accepts the file calls `remember` once it has.
    """
    try:
        if remembered and _key_of(conn, revision) in _passed():
            return []
        found = describe(conn)
    except sqlite3.DatabaseError as exc:
        if "interrupted" in str(exc):
            raise
        return [f"a schema the planner cannot read ({exc})"]
    return differences(found, expected(revision))


def remember(conn: sqlite3.Connection, revision: str) -> None:
    """Note that the schema of the file on `conn` passed (newest 20 kept); a folder that
    cannot be written costs only the full comparison next time."""
    key = _key_of(conn, revision)
    known = _ordered_passed()
    if known[-1:] == [key]:
        return
    keys = [*[k for k in known if k != key][-19:], key]
    target = _passed_file()
    partial = target.with_name(f"{target.name}.{os.getpid()}.partial")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        partial.write_text("\n".join(keys) + "\n", encoding="ascii")
        os.replace(partial, target)
    except OSError:
        partial.unlink(missing_ok=True)


def _key_of(conn: sqlite3.Connection, revision: str) -> str:
    rows = conn.execute(
        "SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY type, name"
    ).fetchall()
    digest = hashlib.sha256(f"{_planner_fingerprint()}\0{revision}".encode())
    for row in rows:
        digest.update("\0".join(map(str, row)).encode() + b"\1")
    return digest.hexdigest()


@cache
def _planner_fingerprint() -> str:
    """This planner's version and the shape of its tables (once per process)."""
    from planner import __version__
    from planner.persistence.tables import metadata

    tables = [
        (name, [(c.name, type(c.type).__name__, c.nullable) for c in table.columns])
        for name, table in sorted(metadata.tables.items())
    ]
    return f"{__version__} {tables}"


def _passed_file() -> Path:
    from planner.paths import data_dir

    return data_dir() / "schemas-passed.txt"


def _passed() -> set[str]:
    return set(_ordered_passed())


def _ordered_passed() -> list[str]:
    try:
        return _passed_file().read_text(encoding="ascii").split()
    except (OSError, UnicodeDecodeError):
        return []
