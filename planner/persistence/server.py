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

import json
import threading
from collections.abc import Callable
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


CONNECTION_OPTIONS: dict[str, int] = {
    "connect_timeout": 5,
    "keepalives": 1,
    "keepalives_idle": 3,
    "keepalives_interval": 1,
    "keepalives_count": 3,
    "tcp_user_timeout": 5000,
}
"""libpq's options for every connection to a team server, so that a network gone silent
(Wi-Fi lost, a VPN dropped, a cable pulled: no packet comes back, and none says the
connection ended) is noticed in seconds rather than never. An idle connection (the
listener's, the pool's) sends TCP keepalives after 3 s of quiet and gives up after 3
unanswered ones a second apart; a statement sent but not acknowledged fails after 5 s
(`tcp_user_timeout`, milliseconds); a new connection waits at most 5 s. Without them a
silent drop leaves the listener waiting and a save blocked for as long as the
operating system keeps a dead connection, which is many minutes."""


def server_engine(url: URL) -> Engine:
    """An engine whose connections check themselves before use (a server may restart)."""
    return create_engine(
        url, pool_pre_ping=True, pool_size=2, max_overflow=4, connect_args=CONNECTION_OPTIONS
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


# ------------------------------------------------------------------ live refresh
CHANNEL = "planner"
"""The NOTIFY channel every committed change of a team plan is announced on."""
_PAYLOAD_LIMIT = 7000  # PostgreSQL refuses payloads of 8000 bytes and more


def change_payload(kinds: list[str], ids: list[str], by: str) -> str:
    """What a change says to the other windows: which kinds, which records, whose window.

    A change of very many records names only the kinds (the others reload them all).
    """
    payload = json.dumps({"kinds": sorted(set(kinds)), "ids": ids, "by": by})
    if len(payload) > _PAYLOAD_LIMIT:
        payload = json.dumps({"kinds": sorted(set(kinds)), "ids": [], "by": by})
    return payload


def announce_change(connection: Connection, payload: str) -> None:
    """NOTIFY the others within the write transaction: sent when, and only if, it commits."""
    connection.execute(
        text("SELECT pg_notify(:channel, :payload)"), {"channel": CHANNEL, "payload": payload}
    )


class ChangeListener:
    """ONE listening connection to a team plan, on a thread of its own.

    `on_change(payload)` gets each announced change (a dict: kinds, ids, by);
    `on_lost(message)` when the connection drops; `on_back()` once it is
    listening again (the caller reloads then: changes made meanwhile were not
    heard). Every callback runs on the listener's thread. `stop()` ends it.
    """

    RETRY_SECONDS = 1.0

    def __init__(
        self,
        url: str,
        on_change: Callable[[dict[str, Any]], None],
        on_lost: Callable[[str], None],
        on_back: Callable[[], None],
    ) -> None:
        self._conninfo = _libpq_url(url)
        self._on_change = on_change
        self._on_lost = on_lost
        self._on_back = on_back
        self._stopping = threading.Event()
        self._connection: Any = None
        self._lost = False
        self._thread = threading.Thread(target=self._run, name="planner-listen", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        self._thread.join(5)

    def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                self._listen()
            except Exception as exc:  # noqa: BLE001 - any failure of the connection
                self._connection = None
                if self._stopping.is_set():
                    return
                if not self._lost:
                    self._lost = True
                    self._on_lost(" ".join(str(exc).split())[:200] or type(exc).__name__)
                self._stopping.wait(self.RETRY_SECONDS)

    def _listen(self) -> None:
        import psycopg
        from psycopg.conninfo import make_conninfo

        conninfo = make_conninfo(self._conninfo, **CONNECTION_OPTIONS)
        with psycopg.connect(conninfo, autocommit=True) as connection:
            self._connection = connection
            connection.execute(f"LISTEN {CHANNEL}")
            if self._lost:
                self._lost = False
                self._on_back()
            while not self._stopping.is_set():
                for notice in connection.notifies(timeout=0.5):
                    self._deliver(notice.payload)
        self._connection = None

    def _deliver(self, payload: str) -> None:
        try:
            change = json.loads(payload)
        except ValueError:
            change = {}
        if not isinstance(change, dict):
            change = {}
        self._on_change(change)


def _libpq_url(url: str) -> str:
    """The libpq form of a planner server URL (no SQLAlchemy driver name)."""
    parsed = make_url(url)
    return parsed.set(drivername="postgresql").render_as_string(hide_password=False)
