"""`planner publish --db plan.db --to postgresql://user@host/database`: a local plan onto a
team server, into an empty database (the schema is made there first)."""

from __future__ import annotations

import argparse
from typing import Any

from planner.commands.common import add_db_option, open_from_args
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
    records = sum(copied.values())
    initiatives = copied.get("initiative", 0)
    print(
        f"Published {source.describe()} to {where}: {initiatives} initiative"
        f"{'s' if initiatives != 1 else ''}, {records} records in all"
    )
    return 0
