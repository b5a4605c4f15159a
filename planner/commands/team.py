"""`planner team grant|revoke|list --db postgresql://…`: who may do what on a team plan."""

from __future__ import annotations

import argparse
from typing import Any

from planner.commands.common import add_db_option


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("team", help="grant, revoke and list team roles on a server")
    actions = parser.add_subparsers(dest="team_action", metavar="ACTION", required=True)
    grant = actions.add_parser("grant", help="give a server user a role: owner, editor or viewer")
    add_db_option(grant, required=True)
    grant.add_argument("--user", required=True, metavar="NAME")
    grant.add_argument("--role", required=True, metavar="ROLE", help="owner, editor or viewer")
    revoke = actions.add_parser("revoke", help="take a user's team role away")
    add_db_option(revoke, required=True)
    revoke.add_argument("--user", required=True, metavar="NAME")
    listing = actions.add_parser("list", help="the members of the team and their roles")
    add_db_option(listing, required=True)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from sqlalchemy.exc import InterfaceError, OperationalError

    from planner.persistence import team_roles
    from planner.persistence.errors import DatabaseError
    from planner.persistence.server import (
        describe_url,
        is_server_url,
        server_engine,
        server_url,
        unreachable,
    )

    if not is_server_url(args.db):
        raise DatabaseError(
            f"--db must name a server database (postgresql://user@host/database), "
            f"not {args.db!r}; nothing was changed"
        )
    url = server_url(args.db)
    engine = server_engine(url)
    try:
        with engine.begin() as connection:
            if args.team_action == "grant":
                name = team_roles.grant(connection, args.user, args.role)
                print(f"{args.user} is now {args.role} of {describe_url(url)} ({name})")
            elif args.team_action == "revoke":
                team_roles.revoke(connection, args.user)
                print(f"{args.user} holds no team role on {describe_url(url)} any more")
            else:
                for user, role in team_roles.members(connection):
                    print(f"{user}\t{role}")
    except (OperationalError, InterfaceError) as exc:
        raise unreachable(describe_url(url), exc, "nothing was changed") from None
    finally:
        engine.dispose()
    return 0
