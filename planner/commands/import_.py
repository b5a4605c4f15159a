"""`planner import --db FILE IN.xlsx [--dry-run] [--prune] [--prefer SIDE] [--as-new |
--match-by-name]`."""

from __future__ import annotations

import argparse
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from planner.commands.common import add_db_option, database_path, open_from_args
from planner.persistence.database import Database, open_database

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
    pairing = parser.add_mutually_exclusive_group()
    pairing.add_argument(
        "--as-new",
        action="store_true",
        help="import the workbook's initiative as a separate one, every record new "
        "(for a workbook from another file whose initiative has a name used here)",
    )
    pairing.add_argument(
        "--match-by-name",
        action="store_true",
        help="import into the initiative of the same name here, matching each record by "
        "its name rather than by its ID (a workbook from another file)",
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
    from planner.services.excel.staging import PlanChoice
    from planner.services.planning import PlanService

    choice = (
        PlanChoice.SEPARATE
        if args.as_new
        else PlanChoice.MATCH_BY_NAME
        if args.match_by_name
        else PlanChoice.SAME
    )
    with _opened(args) as db:
        service = PlanService(db)
        preview = preview_import(service, Path(args.workbook), prune=args.prune, choice=choice)
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


@contextmanager
def _opened(args: argparse.Namespace) -> Iterator[Database]:
    """The database to import into. A dry run into a file that does not exist yet previews
    against an empty plan, as the real import would create the file, and writes nothing
    where the file would be."""
    text = str(getattr(args, "db", "") or "")
    missing = args.dry_run and "://" not in text and not database_path(args).exists()
    if not missing:
        db = open_from_args(args, read_only=args.dry_run, backup_on_open=False)
        try:
            yield db
        finally:
            db.close()
        return
    target = database_path(args)
    if not target.parent.is_dir():
        from planner.persistence.errors import DatabaseError

        raise DatabaseError(f"cannot create {target}: the folder {target.parent} does not exist")
    with tempfile.TemporaryDirectory(prefix="planner-dry-run-") as folder:
        db = open_database(Path(folder) / target.name, backup_on_open="no")
        try:
            print(f"{target} does not exist yet; the import would create it.")
            yield db
        finally:
            db.close()
