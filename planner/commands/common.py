"""Helpers shared by sub-commands: the --db option and opening the database."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from planner.paths import default_database
from planner.persistence.database import Database, open_database
from planner.persistence.inspection import file_path


def add_db_option(parser: argparse.ArgumentParser, *, required: bool = False) -> None:
    parser.add_argument(
        "--db",
        metavar="FILE",
        required=required,
        default=argparse.SUPPRESS if not required else None,
        help="planner database file",
    )


def database_path(args: argparse.Namespace) -> Path:
    value = getattr(args, "db", None)
    return file_path(value) if value else default_database()


def open_from_args(args: argparse.Namespace, *, read_only: bool = False) -> Database:
    """Commands that write refuse a file another planner holds; readers share it."""
    return open_database(database_path(args), read_only=read_only, if_locked="refuse")


def iso_date(text: str) -> date:
    """An argparse type: a YYYY-MM-DD date, or one line saying what is wrong."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (use YYYY-MM-DD)") from None
