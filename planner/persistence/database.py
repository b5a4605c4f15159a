"""Opening a planner database: refuse what is not one, migrate what is old, never alter what is new.

A file is inspected read-only with the `sqlite3` module before SQLAlchemy or
Alembic touch it: empty files, files of another kind, damaged files and files
from a newer planner are refused with one line and left byte-for-byte as they
were. A file at an older schema revision is backed up (and the backup checked)
before Alembic migrates it. Alembic itself is imported only when a migration
actually runs, so opening an up-to-date file costs one query.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Column, MetaData, String, Table, create_engine, event, insert
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from planner.paths import migrations_dir
from planner.persistence.backup import make_backup
from planner.persistence.errors import DatabaseError, NewerSchemaError, ReadOnlyError
from planner.persistence.orm import Base
from planner.persistence.schema import HEAD_REVISION, KNOWN_REVISIONS

SQLITE_MAGIC = b"SQLite format 3\x00"
_VERSION_TABLE = Table("alembic_version", MetaData(),
                       Column("version_num", String(32), primary_key=True))

_SIGNATURES = [
    (b"PK\x03\x04", "a zip file (an Excel workbook?); to bring a workbook in, use import"),
    (b"%PDF", "a PDF document"),
    (b"\xd0\xcf\x11\xe0", "an old Office document"),
    (b"\x89PNG", "a PNG image"),
]


@dataclass
class Database:
    """An open planner database: hands out one session per user action."""

    url: str
    engine: Engine
    path: Path | None = None
    read_only: bool = False
    migrated_from: str | None = None
    backup: Path | None = None
    _sessions: sessionmaker[Session] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work: committed when the block ends, rolled back on any error."""
        if self.read_only:
            raise ReadOnlyError(f"{self.describe()} is open read-only; nothing was changed")
        with self._sessions.begin() as session:
            yield session

    @contextmanager
    def reading(self) -> Iterator[Session]:
        with self._sessions() as session:
            yield session

    def describe(self) -> str:
        return str(self.path) if self.path else self.url

    def close(self) -> None:
        self.engine.dispose()


def _configure_sqlite(engine: Engine, *, read_only: bool) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        if not read_only:
            # Rollback journal with a full sync on every commit: a committed edit
            # survives a crash or power loss, and it works on network shares too.
            cursor.execute("PRAGMA journal_mode=DELETE")
            cursor.execute("PRAGMA synchronous=FULL")
        cursor.close()


def inspect_file(path: Path) -> str | None:
    """The file's schema revision, or None for a file that does not exist yet.

    Raises DatabaseError (one line, file untouched) for anything that is not a
    usable planner database.
    """
    if not path.exists():
        return None
    if path.is_dir():
        raise DatabaseError(f"{path} is a folder, not a planner database")
    try:
        with path.open("rb") as handle:
            head = handle.read(100)
    except OSError as exc:
        raise DatabaseError(f"cannot read {path}: {exc.strerror}") from None
    if not head:
        raise DatabaseError(f"{path} is empty (0 bytes), not a planner database")
    if not head.startswith(SQLITE_MAGIC):
        for magic, what in _SIGNATURES:
            if head.startswith(magic):
                raise DatabaseError(f"{path} is {what}, not a planner database")
        raise DatabaseError(f"{path} is not a planner database (not an SQLite file)")
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise DatabaseError(f"cannot open {path}: {exc}") from None
    try:
        verdict = conn.execute("PRAGMA quick_check").fetchone()[0]
        if verdict != "ok":
            raise DatabaseError(f"{path} is damaged (SQLite reports: {verdict}); "
                                f"restore it from a backup")
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "alembic_version" not in tables or "initiative" not in tables:
            raise DatabaseError(f"{path} is an SQLite database but not a planner database")
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(f"{path} is damaged or not a planner database ({exc})") from None
    finally:
        conn.close()
    if row is None:
        raise DatabaseError(f"{path} has no schema revision; it is not a usable planner database")
    revision = str(row[0])
    if revision not in KNOWN_REVISIONS:
        raise NewerSchemaError(
            f"{path} was written by a newer version of the planner (schema {revision}); "
            f"update the planner to open it")
    return revision


def run_migrations(connection: Any) -> None:
    """Upgrade to head with Alembic, on an existing connection (imported only here)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    config.attributes["connection"] = connection
    command.upgrade(config, "head")


def _sqlite_url(path: Path, read_only: bool) -> str:
    if read_only:
        return f"sqlite:///{path.resolve().as_uri()}?mode=ro&uri=true"
    return f"sqlite:///{path}"


def open_database(target: str | Path, *, read_only: bool = False) -> Database:
    """Open (creating or migrating as needed) a planner database file or URL."""
    text = str(target)
    if "://" in text and not text.startswith("file:"):
        return _open_url(text, read_only=read_only)
    path = Path(text).expanduser()
    revision = inspect_file(path)
    if revision is None:
        if read_only:
            raise DatabaseError(f"{path} does not exist")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseError(f"cannot create {path.parent}: {exc.strerror}") from None
    backup = None
    if revision is not None and revision != HEAD_REVISION:
        if read_only:
            raise DatabaseError(f"{path} needs an upgrade, which a read-only open cannot do")
        backup = make_backup(path, f"before-upgrade-from-{revision}")
    engine = create_engine(_sqlite_url(path, read_only))
    _configure_sqlite(engine, read_only=read_only)
    db = Database(url=str(engine.url), engine=engine, path=path, read_only=read_only,
                  migrated_from=revision if backup else None, backup=backup)
    try:
        if revision is None:
            _create_schema(engine)
        elif backup is not None:
            with engine.begin() as connection:
                run_migrations(connection)
    except BaseException:
        engine.dispose()
        if revision is None:
            path.unlink(missing_ok=True)
        raise
    return db


def _create_schema(engine: Engine) -> None:
    """A new file gets the head schema directly, stamped at the head revision."""
    with engine.begin() as connection:
        Base.metadata.create_all(connection)
        _VERSION_TABLE.create(connection)
        connection.execute(insert(_VERSION_TABLE).values(version_num=HEAD_REVISION))


def _open_url(url: str, *, read_only: bool) -> Database:
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine, read_only=read_only)
    if not read_only:
        with engine.begin() as connection:
            run_migrations(connection)
    return Database(url=url, engine=engine, read_only=read_only)
