"""`planner doctor --db FILE`: a full integrity, foreign-key, lock and backup check."""

from __future__ import annotations

import argparse
import json
from typing import Any

from planner.commands.common import add_db_option, database_path
from planner.persistence.errors import DatabaseError


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("doctor", help="check a database file thoroughly (read-only)")
    add_db_option(parser)
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from planner.persistence.doctor import doctor

    report = doctor(database_path(args))
    if args.format == "json":
        print(json.dumps(report.as_dict(), indent=2))
    else:
        print("\n".join(report.lines()))
    if not report.healthy:
        raise DatabaseError(report.summary())
    return 0
