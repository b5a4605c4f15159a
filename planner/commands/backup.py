"""`planner backup --db postgresql://user@host/database --to plan-copy.db`: a team plan
copied into a new local planner file (every record as it is on the server).

The file is a planner file like any other (`planner check --db plan-copy.db`),
and `planner publish --db plan-copy.db --to postgresql://…` restores it into a
new, empty database. An existing target file is refused: a backup never
overwrites anything. A copy that fails part-way leaves no file behind.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from planner.commands.common import add_db_option, open_from_args
from planner.commands.publish import copied_summary
from planner.persistence.server import is_server_url


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "backup", help="copy a team plan from its server into a new local planner file"
    )
    add_db_option(parser, required=True)
    parser.add_argument(
        "--to", metavar="FILE", required=True, help="the new planner file (must not exist yet)"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from planner.persistence.database import open_database
    from planner.persistence.errors import DatabaseError
    from planner.persistence.publish import publish

    if is_server_url(args.to) or "://" in args.to:
        raise DatabaseError(f"--to must name a new local file, not {args.to!r}; nothing was copied")
    target_path = Path(args.to)
    if target_path.exists() or target_path.is_symlink():
        raise DatabaseError(
            f"{target_path} already exists; a backup never overwrites a file, so nothing "
            f"was copied (name a new file)"
        )
    if not target_path.parent.is_dir():
        raise DatabaseError(f"{target_path.parent} is not a folder; nothing was copied")
    source = open_from_args(args, read_only=True)
    try:
        target = open_database(target_path, if_locked="refuse", backup_on_open="no")
        try:
            copied = publish(source, target)
            where = target.describe()
        except BaseException:
            target.close()
            _remove(target_path)
            raise
        target.close()
    finally:
        source.close()
    print(f"Backed up {source.describe()} to {where}: {copied_summary(copied)}")
    return 0


def _remove(path: Path) -> None:
    """The partial copy and SQLite's side files, so that a failed backup leaves nothing."""
    for leftover in (
        path,
        *(path.with_name(path.name + end) for end in ("-wal", "-shm", "-journal")),
    ):
        leftover.unlink(missing_ok=True)
