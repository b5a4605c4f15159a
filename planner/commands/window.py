"""`planner [--db FILE]`: open the window."""

from __future__ import annotations

import argparse
from pathlib import Path

from planner.commands.common import database_target
from planner.persistence.errors import DatabaseError
from planner.persistence.server import describe_url, is_server_url


def run_window(args: argparse.Namespace) -> int:
    target = database_target(args)
    if isinstance(target, str) and is_server_url(target):
        raise DatabaseError(
            f"the window does not open a team database yet ({describe_url(target)}); "
            f"the commands do (check, chart, export, import, report, calendar, doctor)"
        )
    first_run = getattr(args, "db", None) is None and not Path(target).exists()
    from planner.ui.app import run

    return run(Path(target), create_sample=first_run)
