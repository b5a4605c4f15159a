"""`planner calendar --db FILE [--initiative NAME] [--audience NAME] OUT.ics`.

Training sessions and dated communications as calendar events; importing a
newer file updates the events instead of duplicating them (stable UIDs).
"""

from __future__ import annotations

import argparse
from typing import Any

from planner.commands.common import add_db_option, read_plan
from planner.domain.wording import plural


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "calendar",
        help="write training sessions and communications as an iCalendar (.ics) file",
        description="Write an initiative's training sessions and dated communications as "
        "calendar events (.ics) for Outlook, Thunderbird or a phone.",
    )
    add_db_option(parser, required=True)
    parser.add_argument("--initiative", metavar="NAME", help="initiative (optional with only one)")
    parser.add_argument(
        "--audience",
        metavar="NAME",
        help="only the events of this stakeholder (a group or person), by name",
    )
    parser.add_argument("output", metavar="OUT.ics", help="calendar file to write")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from planner.services.invitations import CalendarError, write_calendar

    if Path(args.output).suffix.lower() != ".ics":
        raise CalendarError(f"cannot write a calendar to {Path(args.output).name}: name it .ics")
    plan = read_plan(args)
    result = write_calendar(plan, args.output, args.audience)
    undated = ""
    if result.undated:
        undated = f"; {plural(result.undated, 'communication')} without a date left out"
    print(
        f"Wrote {plural(result.sessions, 'training session')} and "
        f"{plural(result.communications, 'communication')} of ‘{plan.initiative.name}’ "
        f"to {result.path}{undated}"
    )
    return 0
