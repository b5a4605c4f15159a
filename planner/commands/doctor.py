"""`planner doctor --db FILE`: a full integrity, foreign-key, schema, lock and backup check.

`--repair CLEAN.db` copies the data of a file refused for its schema (or any
planner file) into a new clean file instead, reading the file only.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from planner.commands.common import add_db_option, database_path, database_target
from planner.persistence.errors import DatabaseError
from planner.persistence.server import is_server_url


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("doctor", help="check a database file thoroughly (read-only)")
    add_db_option(parser)
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument(
        "--repair",
        metavar="CLEAN.db",
        default=None,
        help="copy the file's data into this new, clean planner file (the file is only read)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from planner.persistence.doctor import doctor

    if args.repair is not None:
        from planner.persistence.repair import repair

        print("\n".join(repair(database_path(args), args.repair).lines()))
        return 0
    target = database_target(args)
    if isinstance(target, str) and is_server_url(target):
        from planner.persistence.server_doctor import server_doctor

        report = server_doctor(target)
    else:
        report = doctor(Path(target))
    if args.format == "json":
        print(json.dumps(report.as_dict(), indent=2))
    else:
        print("\n".join(report.lines()))
    if not report.healthy:
        raise DatabaseError(report.summary())
    return 0
