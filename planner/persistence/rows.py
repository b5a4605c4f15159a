"""Rows into records: a fast reader per kind, and an exact diagnosis when a row is bad.

Reading a plan builds tens of thousands of records, so each kind's reader is
made once per column order: a plain closure that takes the values by position,
turns stored choice values into their members, refuses a NULL where a value is
required and text where a number belongs (`operator.index` does it from C for
whole numbers), and fills the record's slots.
A file the planner did not write may hold anything (an engagement of `bogus`,
a date of `not a date`, a NULL in a required column, a column missing): when
the fast path meets such a value it stops, and `diagnose` reads the table's
raw stored values again to name every bad one by table, row and column, so
that the user sees one line saying what is wrong, never a traceback.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import Any

from sqlalchemy.engine import Connection
from sqlalchemy.exc import OperationalError

from planner.domain.errors import DomainError
from planner.domain.fields import MAX_LONG_TEXT, MAX_TEXT, FieldKind, FieldSpec, coerce
from planner.domain.records import Record, record_type
from planner.persistence.errors import DatabaseError
from planner.persistence.tables import LINKS, TABLES

Links = dict[str, tuple[str, ...]]
Reader = Callable[[Sequence[Any], Links | None], Record]

# What a failing fast path raises: an unknown choice (KeyError), a stored number
# that is none (ValueError, TypeError), a date SQLAlchemy cannot parse (ValueError).
READ_FAILURES = (LookupError, ValueError, TypeError)


@dataclass(frozen=True)
class BadValue:
    """One stored value a record cannot be built from."""

    table: str
    row: str
    column: str
    problem: str

    def __str__(self) -> str:
        where = f"table {self.table}"
        if self.row:
            where += f", row {self.row}"
        if self.column:
            where += f", column {self.column}"
        return f"{where}: {self.problem}"


class BadDataError(DatabaseError):
    """The file holds values the planner cannot read; nothing was changed.

    The message is the first bad value; `problems` lists those found.
    """

    def __init__(self, problems: Sequence[BadValue], total: int | None = None) -> None:
        total = len(problems) if total is None else total
        more = f" (and {total - 1} more; planner doctor lists them)" if total > 1 else ""
        super().__init__(f"the file holds a value the planner cannot read: {problems[0]}{more}")
        self.problems = tuple(problems)


class _Members(dict[Any, Any]):
    """A choice's stored values -> its members (None too, for an optional choice)."""

    def __init__(self, spec: FieldSpec) -> None:
        assert spec.choices is not None
        super().__init__({member.value: member for member in spec.choices})
        if not spec.required:
            self[None] = None


class _MissingValue(ValueError):
    """A NULL where the record requires a value."""


@cache
def make_reader(kind: str, keys: tuple[str, ...]) -> tuple[Reader, int]:
    """A reader for rows of `kind` whose columns come in the order `keys`, and where the id is.

    Made once per kind and column order. Raises BadDataError when a column the
    record needs is not among `keys`.
    """
    cls = record_type(kind)
    position = {key: index for index, key in enumerate(keys)}
    missing = [
        name
        for name, spec in cls.SPECS.items()
        if spec.kind is not FieldKind.REFS and name not in position
    ]
    if missing:
        raise BadDataError([_missing_column(kind, name) for name in missing])
    plain: list[tuple[str, int]] = []
    converted: list[tuple[str, int, Callable[[Any], Any]]] = []
    refs: list[str] = []
    required: list[int] = []
    for name, spec in cls.SPECS.items():
        if spec.kind is FieldKind.REFS:
            refs.append(name)
            continue
        at = position[name]
        if spec.kind is FieldKind.CHOICE:
            converted.append((name, at, _Members(spec).__getitem__))
        elif spec.kind is FieldKind.INT:
            converted.append((name, at, operator.index if spec.required else _optional_whole))
        elif spec.kind is FieldKind.FLOAT:
            converted.append((name, at, _number if spec.required else _optional_number))
        elif spec.kind in (FieldKind.TEXT, FieldKind.LONGTEXT) and spec.editable:
            limit = MAX_TEXT if spec.kind is FieldKind.TEXT else MAX_LONG_TEXT
            converted.append((name, at, _text(limit, spec.required)))
        else:
            plain.append((name, at))
            if spec.required or spec.kind is FieldKind.BOOL or not spec.editable:
                required.append(at)
    # itemgetter of two or more positions always gives a tuple; the id is always required.
    take_required = operator.itemgetter(*required, position["id"])
    plain_names = tuple(name for name, _at in plain)
    take_plain = operator.itemgetter(*(at for _name, at in plain), position["id"])
    new = cls.__new__
    fill = object.__setattr__
    no_links: Links = {}

    def read(row: Sequence[Any], links: Links | None) -> Record:
        if None in take_required(row):
            raise _MissingValue
        record = new(cls)
        for name, value in zip(
            plain_names, take_plain(row), strict=False
        ):  # the id's extra copy is left
            fill(record, name, value)
        for name, at, convert in converted:
            fill(record, name, convert(row[at]))
        found = links or no_links
        for name in refs:
            fill(record, name, found.get(name, ()))
        return record

    return read, position["id"]


def _number(value: Any) -> float:
    """A stored number as it is; anything else (text in a number column) is refused."""
    if type(value) is float or type(value) is int:
        return value
    raise TypeError(value)


def _optional_number(value: Any) -> float | None:
    return None if value is None else _number(value)


def _text(limit: int, required: bool) -> Callable[[Any], Any]:
    """A stored text as it is, if a record could hold it: a file from elsewhere may hold a
    name of a million characters, which every message quoting it would then repeat."""

    def read(value: Any) -> Any:
        if value is None:
            if required:
                raise _MissingValue
            return None
        if type(value) is not str or len(value) > limit:
            raise ValueError(value)
        return value

    return read


def _optional_whole(value: Any) -> int | None:
    return None if value is None else operator.index(value)


def _missing_column(kind: str, name: str) -> BadValue:
    return BadValue(TABLES[kind].name, "", name, "the column is missing")


def read_rows(
    db: Connection,
    kind: str,
    query: Any,
    links_for: Callable[[Connection, str, list[str]], dict[str, Links]],
    batch: int,
) -> list[Record]:
    """Run `query` over `kind`'s table and build its records; a bad stored value is named."""
    try:
        result = db.execute(query)
        read, at = make_reader(kind, tuple(result.keys()))
        rows = [row for part in result.partitions(batch) for row in part]
        if kind not in LINKS:
            return [read(row, None) for row in rows]
        links = links_for(db, kind, [row[at] for row in rows])
        return [read(row, links.get(row[at])) for row in rows]
    except READ_FAILURES as exc:
        raise _explained(db, kind, exc) from None
    except OperationalError as exc:
        if "no such column" not in str(exc.orig):
            raise
        raise _explained(db, kind, exc) from None


def _explained(db: Connection, kind: str, exc: Exception) -> BadDataError:
    def run(sql: str) -> Iterable[Sequence[Any]]:
        return db.exec_driver_sql(sql)

    if db.dialect.name == "sqlite":  # `diagnose` reads what SQLite stores
        problems = list(diagnose(run, kind, limit=1))
        if problems:
            return BadDataError(problems, sum(1 for _ in diagnose(run, kind)))
    what = " ".join(f"{type(exc).__name__}: {exc}".split())[:200]
    return BadDataError([BadValue(TABLES[kind].name, "", "", f"a value cannot be read ({what})")])


RunSql = Callable[[str], Iterable[Sequence[Any]]]


def bad_data(db: Connection) -> BadDataError | None:
    """The first stored value of any table that no record could hold (and how many there
    are in all), or None; for a whole-file copy that reads rows without building records.
    Only a file's stored values are looked at (a server's columns hold what they declare)."""
    if db.dialect.name != "sqlite":
        return None

    def run(sql: str) -> Iterable[Sequence[Any]]:
        return db.exec_driver_sql(sql)

    for kind in TABLES:
        first = list(diagnose(run, kind, limit=1))
        if first:
            return BadDataError(first, sum(1 for k in TABLES for _ in diagnose(run, k)))
    return None


def diagnose(run: RunSql, kind: str, *, limit: int | None = None) -> Iterator[BadValue]:
    """Every stored value of `kind`'s table that no record could hold, first `limit` of them.

    `run` executes SQL on the file (SQLAlchemy's `exec_driver_sql`, or an
    `sqlite3` connection's `execute`). It reads what SQLite stores, before any
    conversion, so that nothing here can fail on the value it is about to report.
    """
    table = TABLES[kind]
    cls = record_type(kind)
    stored = {str(info[1]) for info in run(f'PRAGMA table_info("{table.name}")')}
    if not stored:
        yield BadValue(table.name, "", "", "the table is missing")
        return
    found = 0
    for name, spec in cls.SPECS.items():
        if spec.kind is not FieldKind.REFS and name not in stored:
            yield _missing_column(kind, name)
            found += 1
            if limit is not None and found >= limit:
                return
    wanted = [
        name
        for name, spec in cls.SPECS.items()
        if spec.kind is not FieldKind.REFS and name in stored
    ]
    if "id" not in wanted:
        return
    columns = ", ".join(f'"{name}"' for name in wanted)
    raw = run(f'SELECT {columns} FROM "{table.name}" ORDER BY rowid')
    for values in raw:
        row = dict(zip(wanted, values, strict=True))
        for name in wanted:
            problem = stored_value_problem(cls, cls.SPECS[name], row[name])
            if problem is not None:
                yield BadValue(table.name, _row_name(row), name, problem)
                found += 1
                if limit is not None and found >= limit:
                    return


def _row_name(row: dict[str, Any]) -> str:
    name, ident = row.get("name"), row.get("id")
    shown = f"id {ident}" if isinstance(ident, str) else "with no id"
    if isinstance(name, str) and name.strip():
        return f"‘{' '.join(name.split())[:80]}’ ({shown})"
    return shown


def stored_value_problem(cls: type[Record], spec: FieldSpec, value: Any) -> str | None:
    """What is wrong with a value as SQLite stores it, or None when a record can hold it."""
    kind = spec.kind
    if value is None:
        if spec.required or kind is FieldKind.BOOL or not spec.editable:
            return "empty, but a value is required"
        return None
    if spec.name == "version":
        ok = type(value) is int and value >= 1
        return None if ok else f"{_quoted(value)} is not a row version (a whole number from 1)"
    if spec.name in ("created_at", "updated_at"):
        try:
            datetime.fromisoformat(str(value))
        except ValueError:
            return f"{_quoted(value)} is not a date and time"
        return None
    if kind is FieldKind.DATE:
        if not isinstance(value, str):
            return f"{_quoted(value)} is not a date (YYYY-MM-DD)"
        try:
            date.fromisoformat(value)
        except ValueError:
            return f"{_quoted(value)} is not a date (YYYY-MM-DD)"
        return None
    if kind is FieldKind.CHOICE:
        assert spec.choices is not None
        allowed = [member.value for member in spec.choices]
        if value not in allowed:
            return f"{_quoted(value)} is not one of {', '.join(allowed)}"
        return None
    if kind is FieldKind.BOOL:
        return None if value in (0, 1) else f"{_quoted(value)} is not yes (1) or no (0)"
    if kind in (FieldKind.INT, FieldKind.FLOAT) and not isinstance(value, (int, float)):
        return f"{_quoted(value)} is not a number"
    if not spec.editable:
        return None if isinstance(value, str) else f"{_quoted(value)} is not a record id"
    try:
        coerce(spec, value, spec.label)
    except DomainError as exc:
        return str(exc).removeprefix(f"{spec.label}: ").removeprefix(spec.label + " ")
    return None


def _quoted(value: Any) -> str:
    text = repr(value)
    text = "".join(ch if ch.isprintable() else "?" for ch in text)
    return text if len(text) <= 60 else text[:57] + "…"
