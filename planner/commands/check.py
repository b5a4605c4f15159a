"""`planner check --db FILE [--initiative NAME] [--format text|json] [--today DATE]`.

Reads the file read-only, so checking a plan can never change it. Exit status
0 whenever the check ran, whatever it found: findings are the check's answer,
not an error.
"""

from __future__ import annotations

import argparse
import json
from datetime import date
from typing import Any

from planner.commands.common import add_db_option, date_option, open_from_args


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("check", help="check an initiative's readiness")
    add_db_option(parser, required=True)
    parser.add_argument(
        "--initiative",
        metavar="NAME",
        default=None,
        help="initiative to check (may be left out when the file holds one)",
    )
    parser.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="text for people (default), json for scripts",
    )
    parser.add_argument(
        "--today",
        metavar="YYYY-MM-DD",
        type=date_option,
        default=None,
        help="check as of this date (default: today), for reproducible results",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from planner.commands.check_text import render_text
    from planner.services.planning import PlanService
    from planner.services.readiness import check

    db = open_from_args(args, read_only=True)
    try:
        service = PlanService(db)
        initiative = service.find_initiative(args.initiative)
        plan = service.plan(initiative.id)
    finally:
        db.close()
    report = check(plan, today=args.today or date.today())
    if args.format == "json":
        print(json.dumps(report.to_json(), indent=2, ensure_ascii=False))
    else:
        print(render_text(report), end="")
    return 0
