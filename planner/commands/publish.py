"""`planner publish --db plan.db --to postgresql://user@host/database`: a local plan onto a
team server, into an empty database (the schema is made there first)."""

from __future__ import annotations

import argparse
from typing import Any

from planner.commands.common import add_db_option, open_from_args
from planner.domain.wording import plural
from planner.persistence.server import is_server_url


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "publish", help="copy a local plan into an empty team database on a server"
    )
    add_db_option(parser, required=True)
    parser.add_argument(
        "--to",
        metavar="URL",
        required=True,
        help="the empty server database: postgresql://user@host[:port]/database "
        "(the password from ~/.pgpass or PGPASSWORD)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from planner.persistence.database import open_database
    from planner.persistence.errors import DatabaseError
    from planner.persistence.publish import check_source, publish

    if not is_server_url(args.to):
        raise DatabaseError(
            f"--to must name a server database (postgresql://user@host/database), "
            f"not {args.to!r}; nothing was copied"
        )
    source = open_from_args(args, read_only=True)
    try:
        check_source(source)
        target = open_database(args.to)
        try:
            copied = publish(source, target)
            where = target.describe()
        finally:
            target.close()
    finally:
        source.close()
    print(f"Published {source.describe()} to {where}: {copied_summary(copied)}")
    return 0


def copied_summary(copied: dict[str, int]) -> str:
    """'3 initiatives, 214 records in all': what a publish or a backup copied."""
    records = sum(copied.values())
    return f"{plural(copied.get('initiative', 0), 'initiative')}, {records} records in all"
