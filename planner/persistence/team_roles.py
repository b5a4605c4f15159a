"""Who may do what on a team plan: PostgreSQL group roles per database.

`planner_<database>_viewer` may SELECT the plan tables but not the private
columns (stakeholders' notes and attitudes, `planner.persistence.private_columns`:
on those tables it holds SELECT on the other columns only), `..._editor` may
read everything and INSERT, UPDATE and DELETE, `..._owner` is an editor that may
grant the roles to others (WITH ADMIN OPTION). The server enforces it: a viewer's
own hand-made SQL is refused with InsufficientPrivilege. A member is an existing
login role.

Every role may only read the audit trail (`record_change`): the server's trigger
writes it, as its owner, for whoever changed a record (see `record_trail`). A
viewer reads all of it but the changed values (its `fields` column), which would
show past notes and attitudes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError as SQLAlchemyDBAPIError

from planner.domain.quoting import shown
from planner.persistence.errors import DatabaseError
from planner.persistence.private_columns import PRIVATE, public_columns
from planner.persistence.tables import PLAN_TABLES, RECORD_CHANGES, TABLES

ROLES = ("viewer", "editor", "owner")
_INSUFFICIENT_PRIVILEGE = "42501"
TRAIL = RECORD_CHANGES.name
_PRIVILEGES = {
    "viewer": "SELECT",
    "editor": "SELECT, INSERT, UPDATE, DELETE",
    "owner": "SELECT, INSERT, UPDATE, DELETE",
}


def group_role(database: str, role: str) -> str:
    """planner_<database>_<role>, lower case, only letters, digits and underscores."""
    safe = re.sub(r"[^a-z0-9_]", "_", database.lower())[:40]
    return f"planner_{safe}_{role}"


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _database(connection: Connection) -> str:
    return str(connection.execute(text("SELECT current_database()")).scalar())


def _check(connection: Connection, user: str, role: str) -> None:
    if role not in ROLES:
        raise DatabaseError(
            f"{shown(role)!r} is not a team role (viewer, editor or owner); nothing was changed"
        )
    found = connection.execute(
        text("SELECT 1 FROM pg_roles WHERE rolname = :name"), {"name": user}
    ).first()
    if found is None:
        raise DatabaseError(
            f"the server has no user {shown(user)!r} (create it first: CREATE ROLE ... LOGIN); "
            f"nothing was changed"
        )


def ensure_group_roles(connection: Connection) -> None:
    """The three group roles of this database, with their table privileges."""
    database = _database(connection)
    # The link tables too (a communication's audience...): an editor's save writes them.
    tables = ", ".join(_quote(table.name) for table in PLAN_TABLES)
    private_tables = ", ".join(_quote(TABLES[kind].name) for kind in PRIVATE)
    for role in ROLES:
        name = group_role(database, role)
        exists = connection.execute(
            text("SELECT 1 FROM pg_roles WHERE rolname = :name"), {"name": name}
        ).first()
        if exists is None:
            connection.execute(text(f"CREATE ROLE {_quote(name)} NOLOGIN"))
        connection.execute(text(f"GRANT CONNECT ON DATABASE {_quote(database)} TO {_quote(name)}"))
        connection.execute(text(f"GRANT USAGE ON SCHEMA public TO {_quote(name)}"))
        connection.execute(text(f"GRANT {_PRIVILEGES[role]} ON {tables} TO {_quote(name)}"))
        connection.execute(text(f"GRANT SELECT ON alembic_version TO {_quote(name)}"))
        if role == "viewer":
            _withhold_private(connection, name, private_tables)
            # The trail's old and new values would show past notes and attitudes: a viewer
            # reads who changed which record when, not what (see `record_trail.trail`).
            connection.execute(text(f"REVOKE SELECT ON {TRAIL} FROM {_quote(name)}"))
            seen = ", ".join(_quote(c.name) for c in RECORD_CHANGES.c if c.name != "fields")
            connection.execute(text(f"GRANT SELECT ({seen}) ON {TRAIL} TO {_quote(name)}"))
        else:
            connection.execute(text(f"GRANT SELECT ON {TRAIL} TO {_quote(name)}"))


def _withhold_private(connection: Connection, role: str, private_tables: str) -> None:
    """The viewer role's SELECT on the tables holding private fields, column by column.

    Revoking the table's SELECT also revokes every column's, so what is left is
    exactly the public columns, whatever was granted before.
    """
    connection.execute(text(f"REVOKE SELECT ON {private_tables} FROM {_quote(role)}"))
    for kind in PRIVATE:
        columns = ", ".join(_quote(c) for c in public_columns(kind))
        connection.execute(
            text(f"GRANT SELECT ({columns}) ON {_quote(TABLES[kind].name)} TO {_quote(role)}")
        )


@contextmanager
def _refused_unless_owner(connection: Connection, what: str) -> Iterator[None]:
    """The server's refusal of a member who may not hand out roles, as one line.

    Only an owner of the team plan (or the server's administrator) holds the
    roles WITH ADMIN OPTION; anyone else's GRANT or REVOKE is refused by the
    server, and the transaction it was in is rolled back.
    """
    me = str(connection.execute(text("SELECT current_user")).scalar())
    try:
        yield
    except SQLAlchemyDBAPIError as exc:
        if getattr(exc.orig, "sqlstate", None) != _INSUFFICIENT_PRIVILEGE:
            raise
        raise DatabaseError(
            f"the server refused: {shown(me)!r} may not {what} on this team plan "
            f"(only its owners can); nothing was changed"
        ) from None


def grant(connection: Connection, user: str, role: str) -> str:
    """Give `user` the team role (and only it); the group role's name."""
    _check(connection, user, role)
    with _refused_unless_owner(connection, "grant team roles"):
        return _grant(connection, user, role)


def _grant(connection: Connection, user: str, role: str) -> str:
    _can_make_group_roles(connection)
    ensure_group_roles(connection)
    database = _database(connection)
    for other in ROLES:
        if other != role:
            connection.execute(
                text(f"REVOKE {_quote(group_role(database, other))} FROM {_quote(user)}")
            )
    name = group_role(database, role)
    admin = " WITH ADMIN OPTION" if role == "owner" else ""
    connection.execute(text(f"GRANT {_quote(name)} TO {_quote(user)}{admin}"))
    if role == "owner":
        for other in ("viewer", "editor"):
            connection.execute(
                text(
                    f"GRANT {_quote(group_role(database, other))} TO {_quote(name)} "
                    f"WITH ADMIN OPTION"
                )
            )
    return name


def _can_make_group_roles(connection: Connection) -> None:
    """The first grant on a plan makes its three group roles, which takes CREATEROLE (or a
    superuser): say what the server's administrator does once, rather than refuse later."""
    database = _database(connection)
    missing = [
        role
        for role in ROLES
        if connection.execute(
            text("SELECT 1 FROM pg_roles WHERE rolname = :name"),
            {"name": group_role(database, role)},
        ).first()
        is None
    ]
    if not missing:
        return
    me, allowed = connection.execute(
        text("SELECT rolname, rolcreaterole OR rolsuper FROM pg_roles WHERE rolname = current_user")
    ).one()
    if not allowed:
        raise DatabaseError(
            f"this team plan has no team roles yet, and making them takes a login that may "
            f"create roles: the server's administrator runs once "
            f"ALTER ROLE {_quote(str(me))} CREATEROLE (or grants with a superuser login); "
            f"nothing was changed"
        )


def revoke(connection: Connection, user: str) -> None:
    """Take every team role of this database from `user`."""
    _check(connection, user, "viewer")
    database = _database(connection)
    with _refused_unless_owner(connection, "revoke team roles"):
        for role in ROLES:
            name = group_role(database, role)
            if connection.execute(
                text("SELECT 1 FROM pg_roles WHERE rolname = :name"), {"name": name}
            ).first():
                connection.execute(text(f"REVOKE {_quote(name)} FROM {_quote(user)}"))


def members(connection: Connection) -> list[tuple[str, str]]:
    """(user, role) of every member of this database's team roles, by user."""
    database = _database(connection)
    found: list[tuple[str, str]] = []
    for role in ROLES:
        rows = connection.execute(
            text(
                "SELECT m.rolname FROM pg_auth_members a JOIN pg_roles g ON g.oid = a.roleid "
                "JOIN pg_roles m ON m.oid = a.member WHERE g.rolname = :name AND m.rolcanlogin"
            ),
            {"name": group_role(database, role)},
        )
        found.extend((str(row[0]), role) for row in rows)
    return sorted(found)


def is_viewer(connection: Connection) -> bool:
    """Whether this connection may read the plan but not change it."""
    table = next(iter(TABLES.values())).name
    can_write = connection.execute(
        text("SELECT has_table_privilege(:t, 'INSERT')"), {"t": table}
    ).scalar()
    return not can_write
