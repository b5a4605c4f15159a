"""`planner report --db FILE [--initiative NAME] [--privacy …] OUT.pdf|OUT.pptx`.

The steering-committee pack of one initiative from the plan as it stands. The
file is read read-only and the output name checked before any work, so a
mistake costs nothing and never leaves a half-written pack.
"""

from __future__ import annotations

import argparse
from typing import Any

from planner.commands.common import add_db_option, date_option, read_plan


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "report",
        help="write the steering-committee pack of an initiative (PDF or PowerPoint)",
        description="Write the steering-committee pack; the file's suffix picks PDF or PowerPoint.",
    )
    add_db_option(parser, required=True)
    parser.add_argument(
        "--initiative", metavar="NAME", help="initiative to report on (optional with only one)"
    )
    parser.add_argument(
        "--privacy",
        choices=("off", "initials", "codes"),
        default="off",
        help="initials: people as initials; codes: every stakeholder as a code; "
        "both hide attitudes and findings about individuals",
    )
    parser.add_argument(
        "--paper", choices=("a4", "letter"), default="a4", help="PDF page size (default a4)"
    )
    parser.add_argument(
        "--today",
        metavar="YYYY-MM-DD",
        type=date_option,
        default=None,
        help="report as of this date (default: today)",
    )
    parser.add_argument("output", metavar="OUT", help="file to write (.pdf or .pptx)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from planner.charts import Privacy
    from planner.services.report import check_report_output, write_report

    out = check_report_output(args.output)
    plan = read_plan(args)
    write_report(plan, out, today=args.today, privacy=Privacy(args.privacy), paper=args.paper)
    print(f"Wrote the steering-committee pack of ‘{plan.initiative.name}’ to {out}")
    return 0
