"""`planner [--db FILE]`: open the window."""

from __future__ import annotations

import argparse

from planner.commands.common import database_path


def run_window(args: argparse.Namespace) -> int:
    path = database_path(args)
    first_run = getattr(args, "db", None) is None and not path.exists()
    from planner.ui.app import run

    return run(path, create_sample=first_run)
