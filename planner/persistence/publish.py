"""Copying a whole plan database into an empty one: a local file onto a team server.

Every row of every plan table is copied as it is (ids, timestamps and row
versions included), parents before children, in one transaction of the
target: either the whole plan arrives or nothing does. A server's audit trail
is not copied: it is the server's record of who changed the plan, which a file
does not keep; publishing onto a server starts its trail with the copy's rows. A target that already
holds a plan is refused; on a server, the emptiness check and the copy hold an
advisory lock, so that two planners publishing at once cannot both succeed.
"""

from __future__ import annotations

from sqlalchemy import func, insert, select, text
from sqlalchemy.engine import Connection

from planner.domain.wording import plural
from planner.persistence.database import Database
from planner.persistence.errors import DatabaseError
from planner.persistence.private_columns import hidden_fields
from planner.persistence.rows import bad_data
from planner.persistence.tables import KIND_OF_TABLE, PLAN_TABLES, TABLES

BATCH = 2000
_PUBLISH_LOCK = 0x7075626C


def publish(source: Database, target: Database) -> dict[str, int]:
    """Copy every record of `source` into the empty `target`; rows copied per kind."""
    copied: dict[str, int] = {}
    with source.reading() as reader:
        _refuse_bad_data(reader)
        _copy(reader, target, copied)
    return copied


def check_source(source: Database) -> None:
    """Refuse, before the target is even opened, a file holding values no record could hold:
    publish copies rows as they are stored, and must not spread them to the team's server."""
    with source.reading() as reader:
        _refuse_bad_data(reader)


def _refuse_bad_data(reader: Connection) -> None:
    if hidden_fields(reader):
        raise DatabaseError(
            "the server withholds stakeholders' notes and attitudes from your login (a viewer "
            "of this team plan), so no whole copy can be made; nothing was copied (an editor "
            "or owner can make it)"
        )
    refused = bad_data(reader)
    if refused is not None:
        raise DatabaseError(f"{refused}; nothing was copied")
    if reader.dialect.name != "sqlite":
        return
    dangling = reader.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if dangling:
        tables = ", ".join(sorted({str(row[0]) for row in dangling}))
        raise DatabaseError(
            f"{plural(len(dangling), 'row')} of the file {'points' if len(dangling) == 1 else 'point'} at records that do not exist (in "
            f"{tables}); nothing was copied (planner doctor --repair makes a clean copy)"
        )


def _copy(reader: Connection, target: Database, copied: dict[str, int]) -> None:
    with target.transaction() as writer:
        if target.on_server:
            writer.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PUBLISH_LOCK})
        held = _records_held(writer)
        if held:
            raise DatabaseError(
                f"{target.describe()} already holds a plan ({held} records); publish copies "
                f"only into an empty database, so nothing was copied"
            )
        for table in PLAN_TABLES:
            count = 0
            result = reader.execute(select(table))
            for part in result.mappings().partitions(BATCH):
                writer.execute(insert(table), [dict(row) for row in part])
                count += len(part)
            kind = KIND_OF_TABLE.get(table.name)
            if kind is not None:
                copied[kind] = count


def _records_held(connection: Connection) -> int:
    return sum(
        int(connection.execute(select(func.count()).select_from(table)).scalar() or 0)
        for table in TABLES.values()
    )
