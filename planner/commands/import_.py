"""`planner import --db FILE IN.xlsx [--dry-run] [--prune] [--prefer SIDE]`."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from planner.commands.common import add_db_option, open_from_args

MAX_LISTED = 40


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("import", help="import an edited Excel workbook")
    add_db_option(parser, required=True)
    parser.add_argument("workbook", metavar="IN.xlsx", help="workbook to import")
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="show what the import would change, and change nothing",
    )
    parser.add_argument(
        "--prune", action="store_true", help="delete records that the workbook no longer lists"
    )
    parser.add_argument(
        "--prefer",
        choices=("workbook", "database"),
        default=None,
        help="which side wins for rows changed in both since the export",
    )
    parser.add_argument(
        "--report",
        metavar="FILE.xlsx",
        default=None,
        help="also save the plan and its problems as a workbook",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from planner.services.excel.importer import ImportRefused, apply_import, preview_import
    from planner.services.excel.preview import Side
    from planner.services.excel.report import save_report, summary_lines
    from planner.services.planning import PlanService

    db = open_from_args(args, read_only=args.dry_run, backup_on_open=False)
    try:
        service = PlanService(db)
        preview = preview_import(service, Path(args.workbook), prune=args.prune)
        for line in summary_lines(preview, limit=MAX_LISTED):
            print(line)
        if args.report:
            save_report(preview, Path(args.report))
            print(f"Report saved to {args.report}")
        if args.dry_run:
            print("Dry run: nothing was changed.")
            if preview.errors:
                count = len(preview.errors)
                raise ImportRefused(
                    f"the workbook has {count} problem{'s' if count != 1 else ''} "
                    "to fix before it can be imported"
                )
            return 0
        prefer = Side(args.prefer) if args.prefer else None
        outcome = apply_import(service, preview, prefer=prefer)
    finally:
        db.close()
    if outcome.created + outcome.updated + outcome.deleted == 0:
        print("Nothing to change: the database already holds this workbook's data.")
    else:
        print(
            f"Imported: {outcome.created} new, {outcome.updated} changed, "
            f"{outcome.deleted} deleted"
            + (f", {outcome.kept} kept from the database" if outcome.kept else "")
            + (f". Backup: {outcome.backup}" if outcome.backup else "")
        )
    return 0
