"""`planner backups --db FILE`: the verified backups of a file, newest first."""

from __future__ import annotations

import argparse
from typing import Any

from planner.commands.common import add_db_option, database_path


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("backups", help="list the backups of a database file")
    add_db_option(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from planner.persistence.backup import backup_folder, list_backups

    path = database_path(args)
    backups = list_backups(path)
    if not backups:
        print(f"No backups of {path} yet (they are kept in {backup_folder(path)})")
        return 0
    print(f"Backups of {path}, newest first (restore one with: planner restore --db FILE N):")
    for number, info in enumerate(backups, start=1):
        print(f"  {number:>3}  {info.describe()}  {info.path}")
    return 0
