"""`planner [--db FILE|postgresql://…]`: open the window on a file or a team database."""

from __future__ import annotations

import argparse
from pathlib import Path

from planner.commands.common import database_target
from planner.persistence.database import open_database
from planner.persistence.server import is_server_url


def run_window(args: argparse.Namespace) -> int:
    target = database_target(args)
    if isinstance(target, str) and is_server_url(target):
        # Reached (or refused, in one line) before any window shows.
        db = open_database(target)
        from planner.ui.app import run_on

        try:
            return run_on(db)
        finally:
            db.close()
    first_run = getattr(args, "db", None) is None and not Path(target).exists()
    from planner.ui.app import run

    return run(Path(target), create_sample=first_run)
