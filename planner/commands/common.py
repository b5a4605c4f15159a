"""Helpers shared by sub-commands: the --db option and opening the database."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from planner.domain.fields import MAX_DATE, MIN_DATE
from planner.domain.plan import Plan
from planner.domain.quoting import shown
from planner.paths import default_database
from planner.persistence.database import Database, open_database
from planner.persistence.errors import DatabaseError
from planner.persistence.inspection import file_path
from planner.persistence.server import describe_url, is_server_url

DB_HELP = "planner database: a file, or a team server's postgresql://user@host[:port]/database"


def add_db_option(parser: argparse.ArgumentParser, *, required: bool = False) -> None:
    parser.add_argument(
        "--db",
        metavar="DB",
        required=required,
        default=argparse.SUPPRESS if not required else None,
        help=DB_HELP,
    )


def database_path(args: argparse.Namespace) -> Path:
    """The database file of `--db`, for commands that work on files only (backups, restore)."""
    value = getattr(args, "db", None)
    if value and is_server_url(str(value)):
        raise DatabaseError(
            f"{describe_url(str(value))} is a server database: this command works on "
            f"planner files (back a server database up with the server's tools, pg_dump)"
        )
    return file_path(value) if value else default_database()


def database_target(args: argparse.Namespace) -> str | Path:
    """What `--db` names: a database URL (a server's), or a file (the default one if none)."""
    value = getattr(args, "db", None)
    if value and "://" in str(value) and not str(value).startswith("file:"):
        return str(value)
    return database_path(args)


def open_from_args(
    args: argparse.Namespace, *, read_only: bool = False, backup_on_open: bool = True
) -> Database:
    """Commands that write refuse a file another planner holds; readers share it.

    `backup_on_open=False` is for a command that backs the file up itself, only
    once it knows it will change it (the import), so that a refused one takes none.
    """
    return open_database(
        database_target(args),
        read_only=read_only,
        if_locked="refuse",
        backup_on_open="now" if backup_on_open else "no",
    )


def date_option(text: str) -> date:
    """A date given on the command line: ISO format, within the dates a plan may hold.

    The same range as a record's dates: a day far outside it would make the
    readiness check and the charts span millennia (or overflow the calendar).
    """
    try:
        value = date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{shown(text)}' is not a date (use YYYY-MM-DD)"
        ) from None
    if not MIN_DATE <= value <= MAX_DATE:
        raise argparse.ArgumentTypeError(
            f"{value.isoformat()} is outside the supported dates, "
            f"{MIN_DATE.isoformat()} to {MAX_DATE.isoformat()}"
        )
    return value


def read_plan(args: argparse.Namespace) -> Plan:
    """The plan of `--initiative` (or the file's only one), read from the file read-only."""
    from planner.services.planning import PlanService

    db = open_from_args(args, read_only=True)
    try:
        service = PlanService(db)
        return service.plan(service.find_initiative(args.initiative).id)
    finally:
        db.close()
