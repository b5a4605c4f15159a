"""`planner chart --db FILE [--initiative NAME] --kind KIND OUT.png|svg|pdf`.

Reads the file read-only and checks the output name before any work, so a
mistake costs nothing and never leaves a half-written file.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from planner.charts import (
    CHART_KINDS,
    FILE_CHART_KINDS,
    STYLES,
    Privacy,
    build_chart,
    build_portfolio_chart,
    check_output,
    render,
)
from planner.commands.common import add_db_option, date_option, read_plan
from planner.domain.quoting import shown
from planner.domain.wording import plural


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "chart",
        help="draw one chart of an initiative to a PNG, SVG or PDF file",
        description="Draw one chart of an initiative; the file's suffix picks the format.",
    )
    add_db_option(parser, required=True)
    parser.add_argument(
        "--initiative",
        metavar="NAME",
        help="initiative to draw (optional when the file holds only one)",
    )
    parser.add_argument(
        "--kind",
        required=True,
        choices=[*CHART_KINDS, *FILE_CHART_KINDS],
        metavar="KIND",
        help="one of: "
        + ", ".join([*CHART_KINDS, *FILE_CHART_KINDS])
        + " (portfolio: every initiative of the file)",
    )
    parser.add_argument(
        "--style",
        choices=list(STYLES),
        default="normal",
        help="presentation: larger type and lines for a projector",
    )
    parser.add_argument(
        "--privacy",
        choices=[p.value for p in Privacy],
        default="off",
        help="initials: people as initials, attitudes hidden; codes: every stakeholder as a code",
    )
    parser.add_argument(
        "--today",
        metavar="YYYY-MM-DD",
        type=date_option,
        default=None,
        help="draw as of this date (default: today), for reproducible charts",
    )
    parser.add_argument("output", metavar="OUT", help="file to write (.png, .svg or .pdf)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:

    out = check_output(args.output)
    if args.kind in FILE_CHART_KINDS:
        return _file_chart(args, out)
    plan = read_plan(args)
    figure = build_chart(
        args.kind, plan, today=args.today, style=STYLES[args.style], privacy=Privacy(args.privacy)
    )
    render(figure, out)
    print(
        f"Wrote the {CHART_KINDS[args.kind].title.lower()} of ‘{shown(plan.initiative.name, 200)}’ to {out}"
    )
    return 0


def _file_chart(args: argparse.Namespace, out: Path) -> int:
    """A chart of the whole file (the portfolio), from every initiative in it."""
    from planner.commands.common import open_from_args
    from planner.services import portfolio
    from planner.services.planning import PlanService

    db = open_from_args(args, read_only=True)
    try:
        result = portfolio.read(PlanService(db))
    finally:
        db.close()
    render(build_portfolio_chart(result, style=STYLES[args.style]), out)
    spec = FILE_CHART_KINDS[args.kind]
    count = len(result.initiatives)
    print(f"Wrote the {spec.title.lower()} ({plural(count, 'initiative')}) to {out}")
    return 0
