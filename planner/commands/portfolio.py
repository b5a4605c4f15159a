"""`planner portfolio --db FILE [--from DATE --to DATE] [--format text|json | --json]`.

The change load on every organisational unit per week across all the file's
initiatives, and the collisions between them. Reads the file read-only; exit
status 0 whenever the check ran, whatever it found.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from planner.commands.common import add_db_option, date_option, open_from_args


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "portfolio",
        help="change load per organisational unit and week across every initiative",
        description="Change load per organisational unit and ISO week across every "
        "initiative of the file, against each unit's capacity, and the collisions.",
    )
    add_db_option(parser, required=True)
    parser.add_argument(
        "--from",
        dest="start",
        metavar="YYYY-MM-DD",
        type=date_option,
        default=None,
        help="first week shown (default: the first week anything lands on a unit)",
    )
    parser.add_argument(
        "--to",
        dest="end",
        metavar="YYYY-MM-DD",
        type=date_option,
        default=None,
        help="last week shown (default: the last week anything lands on a unit)",
    )
    parser.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="text for people (default), json for scripts",
    )
    parser.add_argument("--json", action="store_true", help="the same as --format json")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from planner.commands.portfolio_text import render_text
    from planner.domain.errors import DomainError
    from planner.services import portfolio
    from planner.services.planning import PlanService

    if args.start is not None and args.end is not None and args.end < args.start:
        raise DomainError(f"--to {args.end.isoformat()} is before --from {args.start.isoformat()}")
    db = open_from_args(args, read_only=True)
    try:
        result = portfolio.read(PlanService(db), start=args.start, end=args.end)
    finally:
        db.close()
    if args.json or args.format == "json":
        print(json.dumps(result.to_json(), indent=2, ensure_ascii=False))
    else:
        print(render_text(result), end="")
    return 0
