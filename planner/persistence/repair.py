"""Copying the data of a file the planner refused into a clean new planner file.

A received file whose schema is not the planner's (a trigger, a view, a table
replaced by a view, other columns) is never opened for use. What can be saved
of it is its data: the rows of every table that is still a real table, in the
columns the planner knows, copied as they are (values untouched) into a new
file made by the planner itself. Nothing of the file runs on the way: its rows
are read with plain SELECTs over real tables under the usual time limit, so a
view or a trigger is never executed, and the file itself is never written.
Rows that the clean schema refuses (a reference to a record that is not
there, a duplicate) are left out and counted, and so is every foreign object.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Table

from planner.domain.wording import plural
from planner.persistence.database import open_database
from planner.persistence.errors import DatabaseError, ForeignSchemaError
from planner.persistence.inspection import check_file_kind, file_path, inspect_file
from planner.persistence.schema import HEAD_REVISION, KNOWN_REVISIONS
from planner.persistence.schema_objects import SchemaObject, describe, differences, expected
from planner.persistence.tables import metadata
from planner.persistence.untrusted import interrupted, open_read_only, too_long


@dataclass
class RepairResult:
    source: Path
    target: Path
    copied: dict[str, int] = field(default_factory=dict)
    refused: dict[str, int] = field(default_factory=dict)
    left_out: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        rows = sum(self.copied.values())
        out = [
            f"Copied {plural(rows, 'row')} of {self.source.name} into {self.target}, a clean file"
        ]
        out += [f"  left out: {what}" for what in self.left_out]
        out += [
            f"  left out: {plural(count, 'row')} of {table} the clean file refused "
            f"(a required value missing, a reference to a missing record, or a duplicate)"
            for table, count in sorted(self.refused.items())
        ]
        return out


def repair(source: str | Path, target: str | Path) -> RepairResult:
    """Copy the data of `source` into the new file `target`; `source` is only read.

    One-line DatabaseError when there is nothing to copy from, or `target`
    exists; a target left half-made by an error is removed.
    """
    source, target = file_path(source), file_path(target)
    if not check_file_kind(source):
        raise DatabaseError(f"{source} does not exist")
    if target.exists() or target.is_symlink():
        raise DatabaseError(f"{target} already exists; name a new file for the clean copy")
    try:
        conn, deadline = open_read_only(source)
    except sqlite3.Error as exc:
        raise DatabaseError(f"cannot open {source}: {exc}") from None
    result = RepairResult(source, target)
    try:
        found = _source_schema(conn, source)
        result.left_out = differences(found, expected(HEAD_REVISION))
        clean = open_database(target, if_locked="refuse", backup_on_open="no")
        try:
            with clean.transaction() as connection:
                out = connection.connection.dbapi_connection
                assert isinstance(out, sqlite3.Connection)
                for table in metadata.sorted_tables:
                    obj = found.get(table.name)
                    if table.name == "alembic_version" or obj is None or obj.kind != "table":
                        continue
                    deadline.start()
                    _copy_table(conn, out, table.name, _columns(obj, table), result)
        finally:
            clean.close()
        inspect_file(target, learn=False)
    except BaseException as exc:
        conn.close()
        _remove(target)
        if isinstance(exc, sqlite3.DatabaseError):
            if interrupted(exc):
                raise too_long(str(source)) from None
            raise DatabaseError(f"{source} could not be read to the end: {exc}") from None
        raise
    conn.close()
    return result


def _source_schema(conn: sqlite3.Connection, source: Path) -> dict[str, SchemaObject]:
    found = describe(conn)
    version = found.get("alembic_version")
    if version is not None and version.kind == "table":
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        revision = str(row[0]) if row else HEAD_REVISION
        if revision not in KNOWN_REVISIONS:
            raise ForeignSchemaError(
                f"{source} was written by a newer planner (schema {revision}); "
                f"update the planner to copy its data"
            )
        if revision != HEAD_REVISION:
            raise DatabaseError(
                f"{source} is at the older schema {revision}; open it in the planner to "
                f"upgrade it, or copy it with the planner that wrote it"
            )
    return found


def _columns(obj: SchemaObject, table: Table) -> list[str]:
    """The planner's columns that the file's table holds as plain (not generated) columns."""
    plain = {c[0] for c in obj.columns if c[5] == 0}
    return [c.name for c in table.columns if c.name in plain]


def _copy_table(
    source: sqlite3.Connection,
    target: sqlite3.Connection,
    name: str,
    columns: list[str],
    result: RepairResult,
) -> None:
    quoted = ", ".join(f'"{c}"' for c in columns)
    marks = ", ".join("?" for _ in columns)
    insert = f'INSERT INTO "{name}" ({quoted}) VALUES ({marks})'
    copied = refused = 0
    for row in source.execute(f'SELECT {quoted} FROM "{name}"'):
        try:
            target.execute(insert, row)
        except sqlite3.IntegrityError:
            refused += 1
        else:
            copied += 1
    result.copied[name] = copied
    if refused:
        result.refused[name] = refused


def _remove(target: Path) -> None:
    for leftover in (target, target.with_name(target.name + "-journal")):
        try:
            leftover.unlink(missing_ok=True)
        except OSError:
            pass
