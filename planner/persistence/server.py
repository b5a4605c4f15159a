"""A plan on a PostgreSQL server (team mode): the URL, the connection and the schema.

`--db postgresql://user@host:port/database` reaches the server through psycopg 3
(libpq). The password is never part of the URL, so never on a command line or
in the settings: libpq finds it in `~/.pgpass` (or PGPASSFILE) or in the
PGPASSWORD environment variable. An empty database gets the head schema at
once, stamped at the head revision, as a new file does; an older one is
migrated by Alembic, one planner at a time (an advisory lock held for the
migration); a schema newer than this planner's is refused and left alone.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.exc import DBAPIError as SQLAlchemyDBAPIError

from planner.domain.quoting import shown
from planner.persistence.errors import DatabaseError, NewerSchemaError
from planner.persistence.schema import HEAD_REVISION, KNOWN_REVISIONS

SERVER_SCHEMES = ("postgresql", "postgres", "postgresql+psycopg")
# Any number will do, as long as it is the planner's own: held while a planner migrates.
_MIGRATION_LOCK = 0x706C616E


def is_server_url(text: str) -> bool:
    """Whether `--db` names a server database rather than a file."""
    scheme = text.split("://", 1)[0].lower() if "://" in text else ""
    return scheme in SERVER_SCHEMES


def server_url(text: str) -> URL:
    """The SQLAlchemy URL of a PostgreSQL database, through psycopg 3; one line if unusable."""
    try:
        url = make_url(text)
    except ArgumentError:
        raise DatabaseError(f"{shown(text)!r} is not a database URL") from None
    if url.password is not None:
        raise DatabaseError(
            "a database URL must not hold the password (it would show in the process "
            "list and the settings): put it in ~/.pgpass or PGPASSWORD; nothing was opened"
        )
    if not url.database:
        raise DatabaseError(
            f"{shown(describe_url(url))} names no database (postgresql://user@host/DATABASE)"
        )
    return url.set(drivername="postgresql+psycopg")


def describe_url(url: URL | str) -> str:
    """The URL as the user wrote it, for messages (never with a password)."""
    parsed = make_url(url) if isinstance(url, str) else url
    shown_url = parsed.set(drivername=parsed.get_backend_name())
    return shown_url.render_as_string(hide_password=True)


def server_engine(url: URL) -> Engine:
    """An engine whose connections check themselves before use (a server may restart)."""
    return create_engine(
        url, pool_pre_ping=True, pool_size=2, max_overflow=4, connect_args={"connect_timeout": 10}
    )


def unreachable(where: str, exc: SQLAlchemyDBAPIError, outcome: str) -> DatabaseError:
    """One line for a server that refused or dropped the connection."""
    detail = " ".join(str(exc.orig).split())
    if len(detail) > 240:
        detail = detail[:237] + "…"
    return DatabaseError(
        f"{where}: the server refused or lost the connection ({detail}); {outcome}"
    )


def server_revision(connection: Connection, where: str) -> str | None:
    """The database's schema revision; None for an empty database; refuses what is not ours."""
    tables = set(inspect(connection).get_table_names())
    if not tables:
        return None
    if not {"alembic_version", "initiative"} <= tables:
        raise DatabaseError(f"{where} holds tables, but not a planner's; nothing was changed")
    row = connection.execute(text("SELECT version_num FROM alembic_version")).first()
    if row is None:
        raise DatabaseError(f"{where} has no schema revision; it is not a usable planner database")
    revision = str(row[0])
    if revision not in KNOWN_REVISIONS:
        raise NewerSchemaError(
            f"{where} was written by a newer version of the planner (schema {shown(revision)}); "
            f"update the planner to open it"
        )
    return revision


def prepare_schema(engine: Engine, where: str, *, read_only: bool) -> str | None:
    """Bring the database to the head schema; the revision it was at when older, else None.

    One planner at a time: the first to arrive holds an advisory lock while it
    builds or migrates the schema; the others wait, then find it done.
    """
    from planner.persistence.database import create_schema, run_migrations

    with engine.connect() as connection:
        revision = server_revision(connection, where)
    if revision == HEAD_REVISION:
        return None
    if read_only:
        if revision is None:
            raise DatabaseError(f"{where} holds no plan yet")
        raise DatabaseError(f"{where} needs an upgrade, which a read-only open cannot do")
    with engine.begin() as connection:
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})
        revision = server_revision(connection, where)
        if revision is None:
            create_schema(connection)
        elif revision != HEAD_REVISION:
            run_migrations(connection)
    return revision


def reading_options() -> dict[str, Any]:
    """A read that sees one state of the plan, however many statements it takes."""
    return {"isolation_level": "REPEATABLE READ"}
