"""`planner export --db FILE --initiative NAME OUT.xlsx`: the plan as an editable workbook."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from planner.commands.common import add_db_option, date_option, open_from_args
from planner.domain.quoting import shown


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("export", help="export a plan to an Excel workbook")
    add_db_option(parser, required=True)
    parser.add_argument(
        "--initiative",
        metavar="NAME",
        default=None,
        help="initiative to export (needed when the file holds several)",
    )
    parser.add_argument(
        "--no-charts", action="store_true", help="leave out the Charts sheet (faster for big plans)"
    )
    parser.add_argument(
        "--today",
        metavar="YYYY-MM-DD",
        type=date_option,
        default=None,
        help="date the readiness check and charts are drawn for",
    )
    parser.add_argument("output", metavar="OUT.xlsx", help="workbook to write")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from planner.services.excel.workbook import export_initiative
    from planner.services.planning import PlanService

    db = open_from_args(args, read_only=True)
    try:
        service = PlanService(db)
        initiative = service.find_initiative(args.initiative)
        result = export_initiative(
            service, initiative.id, Path(args.output), today=args.today, charts=not args.no_charts
        )
    finally:
        db.close()
    rows = sum(result.counts.values())
    print(
        f"Exported ‘{shown(initiative.name, 200)}’ to {result.path}: {rows} rows on "
        f"{sum(1 for n in result.counts.values() if n)} sheets"
    )
    for warning in result.warnings:
        print(f"warning: {warning}")
    return 0
