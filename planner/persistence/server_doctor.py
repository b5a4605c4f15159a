"""`planner doctor` for a team database on a PostgreSQL server: reads only.

It checks what a server can get wrong for the planner: that it answers, that the
schema revision is one this planner knows (and whether it is current), that the
tables hold exactly the planner's columns and keys (Alembic's comparison of the
database with the planner's tables), that every record has a row version, and
that every plan table still has the trigger that keeps its audit trail, and
who is in the team: the members and their roles, a login that can change the
plan without a team role, a team role whose grants were changed by hand.
The server itself keeps pages and foreign keys whole, so there is no page check.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError as SQLAlchemyDBAPIError

from planner.domain.quoting import shown
from planner.domain.wording import plural
from planner.persistence.doctor import DoctorReport, Status
from planner.persistence.errors import DatabaseError
from planner.persistence.schema import HEAD_REVISION
from planner.persistence.server import (
    describe_url,
    server_engine,
    server_revision,
    server_url,
    unreachable,
)
from planner.persistence.tables import TABLES, metadata

_MAX_SHOWN = 5


def server_doctor(text: str) -> DoctorReport:
    url = server_url(text)
    where = describe_url(url)
    report = DoctorReport(where)
    engine = server_engine(url)
    try:
        with engine.connect() as connection:
            version = connection.exec_driver_sql("SHOW server_version").scalar()
            report.add("server", Status.OK, f"PostgreSQL {version} answers")
            _check_schema(report, connection, where)
    except SQLAlchemyDBAPIError as exc:
        report.add("server", Status.PROBLEM, str(unreachable(where, exc, "nothing was checked")))
    finally:
        engine.dispose()
    return report


def _check_schema(report: DoctorReport, connection: Connection, where: str) -> None:
    try:
        revision = server_revision(connection, where)
    except DatabaseError as exc:
        report.add("schema", Status.PROBLEM, str(exc))
        return
    if revision is None:
        report.add("schema", Status.WARNING, "the database is empty: it holds no plan yet")
        return
    if revision != HEAD_REVISION:
        report.add(
            "schema",
            Status.WARNING,
            f"revision {revision}, older than this planner's {HEAD_REVISION}: the next "
            f"planner to open it for writing upgrades it",
        )
        return
    report.add("schema", Status.OK, f"revision {revision}, this planner's own")
    _check_tables(report, connection)
    _check_versions(report, connection)
    _check_trail(report, connection)
    _check_team(report, connection)


def _check_tables(report: DoctorReport, connection: Connection) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    context = MigrationContext.configure(connection, opts={"compare_type": False})
    differences = [
        difference
        for difference in compare_metadata(context, metadata)
        if not _is_version_table(difference)
    ]
    if not differences:
        report.add("tables", Status.OK, f"{len(metadata.tables)} tables as the planner makes them")
        return
    listed = "; ".join(_describe(difference) for difference in differences[:_MAX_SHOWN])
    more = f" (and {len(differences) - _MAX_SHOWN} more)" if len(differences) > _MAX_SHOWN else ""
    report.add("tables", Status.PROBLEM, f"differ from the planner's: {listed}{more}")


def _is_version_table(difference: object) -> bool:
    """Alembic's own table is not among the planner's tables, and is no difference."""
    return (
        isinstance(difference, tuple)
        and difference[0] == "remove_table"
        and getattr(difference[1], "name", "") == "alembic_version"
    )


def _describe(difference: object) -> str:
    if isinstance(difference, tuple) and difference:
        what = str(difference[0]).replace("_", " ")
        names = [str(getattr(part, "name", "")) for part in difference[1:] if hasattr(part, "name")]
        names += [str(part) for part in difference[1:4] if isinstance(part, str) and part]
        return f"{what} {' '.join(n for n in names if n)}".strip()
    return " ".join(str(difference).split())[:120]


def _check_versions(report: DoctorReport, connection: Connection) -> None:
    bad = []
    for table in TABLES.values():
        count = connection.execute(
            select(func.count()).select_from(table).where(table.c.version < 1)
        ).scalar()
        if count:
            bad.append(f"{table.name} ({count})")
    if bad:
        report.add("row versions", Status.PROBLEM, "rows without a version: " + ", ".join(bad))
    else:
        report.add("row versions", Status.OK, "every record has its row version")


def _check_trail(report: DoctorReport, connection: Connection) -> None:
    """A trigger dropped or disabled by hand (only the tables' owner can) leaves changes of
    that table out of the audit trail."""
    from planner.persistence.record_trail import untracked_tables

    missing = untracked_tables(connection)
    if missing:
        shown_tables = ", ".join(missing[:_MAX_SHOWN])
        more = f" and {len(missing) - _MAX_SHOWN} more" if len(missing) > _MAX_SHOWN else ""
        report.add(
            "audit trail",
            Status.PROBLEM,
            f"changes of {shown_tables}{more} are not recorded in the audit trail: the "
            f"trigger <table>_trail was dropped or disabled by hand (ALTER TABLE <table> "
            f"ENABLE TRIGGER <table>_trail turns a disabled one back on)",
        )
    else:
        report.add("audit trail", Status.OK, "every change of every record is recorded")


def _check_team(report: DoctorReport, connection: Connection) -> None:
    from planner.persistence.team_audit import audit

    found = audit(connection)
    if not found.roles_made:
        report.add(
            "team", Status.OK, "no team roles granted: only the plan's administrators use it"
        )
    elif found.members:
        people = ", ".join(f"{shown(user)} ({role})" for user, role in found.members)
        report.add("team", Status.OK, f"{plural(len(found.members), 'member')}: {people}")
    else:
        report.add("team", Status.OK, "the team roles are made, but nobody holds one")
    for problem in found.role_problems:
        report.add("team roles", Status.PROBLEM, problem)
    if found.roles_made and not found.role_problems:
        report.add("team roles", Status.OK, "viewer, editor and owner hold their grants")
    for problem in found.writer_problems:
        report.add("writers", Status.PROBLEM, problem)
    if not found.writer_problems:
        report.add(
            "writers", Status.OK, "only editors, owners and administrators can change the plan"
        )
