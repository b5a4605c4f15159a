"""`planner restore --db FILE [BACKUP]`: put a backup back in place of the file."""

from __future__ import annotations

import argparse
from typing import Any

from planner.commands.common import add_db_option, database_path


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "restore", help="replace a database file with one of its backups"
    )
    add_db_option(parser)
    parser.add_argument(
        "backup",
        nargs="?",
        metavar="BACKUP",
        default=None,
        help="a number from `planner backups`, or a backup file (default: the newest good backup)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from planner.persistence.restore import restore_backup

    path = database_path(args)
    result = restore_backup(path, args.backup)
    print(result.describe())
    if result.safety_backup is not None:
        print(f"The file it replaced was backed up first: {result.safety_backup}")
    if result.set_aside is not None:
        print(f"The damaged file it replaced was kept unchanged as {result.set_aside}")
    return 0
