"""`planner demo --db FILE`: create the sample CRM initiative (and, for the gaps example,
two smaller initiatives sharing its units, so the portfolio has collisions to show)."""

from __future__ import annotations

import argparse
from typing import Any

from planner.commands.common import add_db_option, open_from_args


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("demo", help="create a realistic sample initiative")
    add_db_option(parser, required=True)
    parser.add_argument("--name", default=None, help="name of the sample initiative")
    parser.add_argument(
        "--example",
        choices=("gaps", "good"),
        default="gaps",
        help="gaps: a CRM plan with classic gaps planted (default); good: a well-run plan",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from planner.services.demo import DEMO_NAME, create_demo
    from planner.services.demo_good import GOOD_NAME
    from planner.services.planning import PlanService

    name = args.name or (GOOD_NAME if args.example == "good" else DEMO_NAME)
    db = open_from_args(args)
    try:
        service = PlanService(db)
        counts = create_demo(
            service, name=name, example=args.example, portfolio=args.example == "gaps"
        )
    finally:
        db.close()
    summary = ", ".join(f"{n} {what}" for what, n in counts.items() if what != "initiatives")
    print(f"Created ‘{name}’ in {args.db}: {summary}")
    if counts.get("initiatives", 1) > 1:
        from planner.services.demo_portfolio import EXTRA_NAMES

        others = ", ".join(f"‘{n}’" for n in EXTRA_NAMES)
        print(f"Beside it, sharing its organisational units: {others} (see: planner portfolio)")
    return 0
