"""`planner history --db postgresql://… --kind KIND --id ID`: who changed a record, and when.

One line per change, oldest first, from the trail the team server keeps; a
local file keeps none, which is one line too.
"""

from __future__ import annotations

import argparse
from typing import Any

from planner.commands.common import add_db_option


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "history", help="who changed a record of a team plan, when, and what (one line each)"
    )
    add_db_option(parser)
    parser.add_argument("--kind", required=True, metavar="KIND", help="stakeholder, risk, …")
    parser.add_argument("--id", required=True, metavar="ID", dest="record_id")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from planner.commands.common import open_from_args
    from planner.domain.errors import NotFoundError
    from planner.domain.records import record_type
    from planner.persistence.errors import DatabaseError
    from planner.services.planning import PlanService
    from planner.services.record_trail import entry_line

    cls = record_type(args.kind)
    db = open_from_args(args, read_only=True, backup_on_open=False)
    try:
        service = PlanService(db)
        trail = service.record_trail(args.kind, args.record_id)
        if trail is None:
            raise DatabaseError(
                f"{db.describe()} is a local file: the history of a record is kept for "
                f"team plans only (on a PostgreSQL server)"
            )
        if not trail:
            one = "an" if cls.LABEL.lower()[0] in "aeiou" else "a"
            raise NotFoundError(
                f"no change of {one} {cls.LABEL.lower()} with id {args.record_id} "
                f"is recorded on this server"
            )

        def title(kind: str, record_id: str) -> str | None:
            try:
                return str(getattr(service.get(kind, record_id), "name", "")) or None
            except NotFoundError:
                return None

        for entry in trail:
            print(entry_line(entry, title))
    finally:
        db.close()
    return 0
