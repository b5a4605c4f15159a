"""Opening a planner database: one writer, crash recovery, refuse what is not one, migrate what is old.

A `postgresql://` URL opens a team database on a server instead (`server.py`):
many planners write it at once, and every save is compare-and-set on the
record's row version (`store.apply_changes`), so none overwrites another's.

A file is inspected read-only with the `sqlite3` module before SQLAlchemy or
Alembic touch it: empty files, files of another kind, damaged files and files
from a newer planner are refused with one line and left byte-for-byte as they
were (a damaged one with the newest good backup named). Only one planner
writes to a file at a time (`lock.py`); a file held by another, or one this
process may not write, opens read-only and says why in `read_only_reason`.
A change cut short by a crash is rolled back, after rehearsing the rollback
on a copy. A file at an older schema revision is backed up (and the backup
checked) before Alembic migrates it, and a file changed since its last backup
is backed up on open. The window does the whole-file check (SQLite's
quick_check) and that backup on a thread while it shows the plan (the file is
already known to be a planner database of a known revision): every write waits
for them, so nothing is written to a file found damaged, and the backup holds
the file as it was opened. Alembic itself is imported only when a
migration runs.

The journal is SQLite's rollback journal with `synchronous=FULL`: a commit
returns only once the change is on disk, so a committed edit survives a crash
or a power cut, and it works on network shares, where WAL does not.
"""

from __future__ import annotations

import os
import sys
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import (
    Column,
    MetaData,
    String,
    Table,
    create_engine,
    create_mock_engine,
    event,
    insert,
)
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.engine.mock import MockConnection
from sqlalchemy.exc import DBAPIError as SQLAlchemyDBAPIError
from sqlalchemy.exc import InterfaceError, OperationalError

from planner.domain.quoting import shown
from planner.paths import migrations_dir
from planner.persistence.backup import (
    changed_since_last_backup,
    make_backup,
    newest_good_backup,
    quick_check,
)
from planner.persistence.errors import (
    CorruptDatabaseError,
    DatabaseError,
    OfflineError,
    ReadOnlyError,
    sqlite_said,
)
from planner.persistence.inspection import (
    check_file_kind,
    damaged,
    file_path,
    inspect_file,
    recover_interrupted_change,
)
from planner.persistence.lock import (
    ForeignLockError,
    LockedError,
    LockLostError,
    WriterLock,
    acquire,
)
from planner.persistence.schema import HEAD_REVISION
from planner.persistence.server import (
    ChangeListener,
    announce_change,
    change_payload,
    describe_url,
    is_server_url,
    prepare_schema,
    reading_options,
    server_engine,
    server_url,
    unreachable,
)
from planner.persistence.tables import metadata
from planner.persistence.untrusted import Deadline, harden, too_long

ASKED_READ_ONLY = "opened read-only"
_VERSION_TABLE = Table(
    "alembic_version", MetaData(), Column("version_num", String(32), primary_key=True)
)


@dataclass
class Database:
    """An open planner database: hands out one connection (one unit of work) per user action.

    `read_only_reason` says, in words fit for a banner, why a file that was
    not asked for read-only is read-only (held by another planner, no write
    permission, a read-only disk, damage found while in use).
    """

    url: str
    engine: Engine
    path: Path | None = None
    read_only: bool = False
    migrated_from: str | None = None
    backup: Path | None = None
    read_only_reason: str | None = None
    lock: WriterLock | None = None
    backup_problem: str | None = None
    damage: CorruptDatabaseError | None = None
    hidden: frozenset[tuple[str, str]] = frozenset()
    """(kind, field) of the private fields this login may not read (a team plan's viewer;
    `planner.persistence.private_columns`): its records hold their defaults there."""
    _checks: threading.Thread | None = field(default=None, init=False, repr=False)
    _checks_go: threading.Event = field(default_factory=threading.Event, init=False, repr=False)
    writer_id: str = field(default_factory=lambda: uuid.uuid4().hex, init=False)
    """Names this open database in the changes it announces, so it can ignore its own."""
    offline: str | None = field(default=None, init=False)
    """While its listener cannot reach the team server: what the server said. Every change
    is refused at once then, rather than sent to a server that is not there."""

    def start_checks(self, after: float = 0.0) -> None:
        """On a thread of its own: quick_check the file, then back it up if it changed.

        A damaged file turns read-only (with `damage` saying what and which
        backup is good), and is not backed up: a damaged copy is no backup.
        They begin `after` seconds from now (the window's first page is read and
        painted first), or at once when something needs them done (`wait_for_checks`:
        every write waits for them).
        """
        path = self.path
        assert path is not None
        go = self._checks_go

        def check() -> None:
            go.wait(after)
            _in_the_background()
            verdict = " ".join(quick_check(path).split())
            if verdict != "ok":
                self.damage = damaged(path, f"SQLite reports: {verdict}")
                self.read_only = True
                self.read_only_reason = f"{path.name} is damaged"
                return
            try:
                if changed_since_last_backup(path):
                    make_backup(path, "on-open")
            except (DatabaseError, OSError) as exc:
                self.backup_problem = f"no backup could be taken ({exc})"

        self._checks = threading.Thread(target=check, name="planner-checks-on-open", daemon=True)
        self._checks.start()

    @property
    def checking(self) -> bool:
        return self._checks is not None and self._checks.is_alive()

    def wait_for_checks(self) -> str | None:
        """Wait for the check and backup started on open, if running; a backup problem, if any."""
        job = self._checks
        if job is not None:
            self._checks_go.set()
            job.join()
        return self.backup_problem

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One unit of work: committed when the block ends, rolled back on any error."""
        self.wait_for_checks()
        self._check_still_the_writer()
        if self.read_only:
            reason = (self.read_only_reason or "").removeprefix("Read-only: ")
            why = f" ({reason})" if reason and reason != ASKED_READ_ONLY else ""
            raise ReadOnlyError(f"{self.describe()} is open read-only{why}; nothing was changed")
        if self.offline is not None:
            raise OfflineError(
                f"{self.describe()}: the team server cannot be reached; the change was not saved"
            )
        try:
            with self.engine.begin() as connection:
                yield connection
        except SQLAlchemyDBAPIError as exc:
            problem = self._problem(exc, "the change was not saved", writing=True)
            if problem is None:
                raise
            raise problem from None

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """One read transaction: every SELECT in the block sees the same state of the file.

        Python's sqlite3 starts no transaction for a SELECT, so each statement
        would see whatever was committed just before it, and a plan read while
        another planner saves would mix two states (links to records not read).
        An explicit BEGIN holds one snapshot until the block ends.

        While the team server cannot be reached (`offline`), a read is refused at once
        rather than wait on a network that answers nothing: the window keeps what it
        last read, and reads again once the server is back.
        """
        if self.offline is not None:
            raise OfflineError(
                f"{self.describe()}: the team server cannot be reached; nothing new was read"
            )
        try:
            with self.engine.connect() as connection:
                if self.engine.dialect.name == "sqlite":
                    connection.exec_driver_sql("BEGIN")
                else:
                    connection.execution_options(**reading_options())
                yield connection
        except SQLAlchemyDBAPIError as exc:
            problem = self._problem(exc, "it could not be read")
            if problem is None:
                raise
            raise problem from None

    def backup_now(self, reason: str, *, rotate: bool = True) -> Path:
        """A verified backup taken now, after the on-open checks (the importer's, say).

        `rotate=False` leaves pruning older backups to the caller, for an operation
        that prunes only once it has succeeded.
        """
        self.wait_for_checks()
        self._check_still_the_writer()
        if self.path is None or self.read_only:
            raise ReadOnlyError(f"{self.describe()} is open read-only; no backup was taken")
        return make_backup(self.path, reason, rotate=rotate)

    def announce(self, connection: Connection, kinds: list[str], ids: list[str]) -> None:
        """On a server: tell every other window of the change, once this transaction commits."""
        if self.on_server:
            announce_change(connection, change_payload(kinds, ids, self.writer_id))

    def listen(
        self,
        on_change: Callable[[dict[str, Any]], None],
        on_lost: Callable[[str], None],
        on_back: Callable[[], None],
    ) -> ChangeListener | None:
        """A started listener for the changes others commit (None for a file: one writer).

        What it hears of the connection also says whether the server can be reached:
        `offline` is set when it is lost and cleared once it listens again.
        """
        if not self.on_server:
            return None

        def lost(detail: str) -> None:
            self.offline = detail
            on_lost(detail)

        def back() -> None:
            self.offline = None
            on_back()

        listener = ChangeListener(self.url, on_change, lost, back)
        listener.start()
        return listener

    @property
    def on_server(self) -> bool:
        """A team database on a PostgreSQL server, shared by many planners at once."""
        return self.engine.dialect.name == "postgresql"

    def describe(self) -> str:
        return str(self.path) if self.path else describe_url(self.url)

    def _check_still_the_writer(self) -> None:
        """Before every write: the lock file on disk must still be ours, or the file turns
        read-only (another planner may have taken it after the lock file was removed)."""
        if self.lock is None or self.read_only:
            return
        try:
            self.lock.verify()
        except LockLostError as exc:
            self.read_only = True
            self.read_only_reason = str(exc)
            raise

    def close(self) -> None:
        self.wait_for_checks()
        self.engine.dispose()
        if self.lock is not None:
            self.lock.release()

    def _problem(
        self, exc: SQLAlchemyDBAPIError, outcome: str, *, writing: bool = False
    ) -> DatabaseError | None:
        """A one-line error for what the disk, the file or the server did wrong; None for a bug."""
        name = str(getattr(exc.orig, "sqlite_errorname", "") or "")
        where = self.describe()
        if self.on_server:
            if isinstance(exc, (OperationalError, InterfaceError)):
                return unreachable(where, exc, outcome)
            if getattr(exc.orig, "sqlstate", None) == INSUFFICIENT_PRIVILEGE:
                return self._refused_by_role(exc, outcome, writing)
            return None
        if name == "SQLITE_INTERRUPT":
            return too_long(where, outcome)
        if name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")):
            self.read_only = True
            self.read_only_reason = f"{Path(where).name} is damaged"
            return CorruptDatabaseError(
                f"{where} is damaged ({sqlite_said(exc.orig)}); {outcome} and nothing more will be written "
                f"to it: restore it from a backup",
                path=self.path,
                backup=newest_good_backup(self.path) if self.path else None,
            )
        for prefix, what in _DISK_PROBLEMS:
            if name.startswith(prefix):
                return DatabaseError(f"{where}: {what}; {outcome}")
        return None

    def _refused_by_role(
        self, exc: SQLAlchemyDBAPIError, outcome: str, writing: bool
    ) -> DatabaseError:
        """The server said no to this login: its owner changed its role since it connected
        (an editor made a viewer, or taken off the team). The database turns read-only, as a
        viewer's opens, until it is opened again with the new role."""
        said = " ".join(str(exc.orig).split())[:200]
        self.read_only = True
        self.read_only_reason = (
            f"Read-only: {ROLE_CHANGED}; open it again to work with your new role"
        )
        refused = ReadOnlyError if writing else DatabaseError
        return refused(
            f"{self.describe()}: the server refused it, {ROLE_CHANGED} ({said}); {outcome}"
        )


def _in_the_background() -> None:
    """This thread yields the processor to the window's: on Linux a thread has a nice value
    of its own, and the on-open check and backup (compiled SQLite, which lets go of the
    interpreter lock) then take only what the window and its workers leave on a laptop's
    two cores. Elsewhere, or where not allowed, it runs as it is."""
    if sys.platform != "linux":
        return
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), BACKGROUND_NICE)
    except OSError:
        pass


BACKGROUND_NICE = 10
CHECKS_AFTER_S = 1.0
"""How long the window's on-open check and backup wait before they begin: the first page
is read and painted first (a write, or closing the file, starts them at once)."""

INSUFFICIENT_PRIVILEGE = "42501"
"""PostgreSQL's SQLSTATE for a statement the login's privileges do not allow."""
ROLE_CHANGED = "your role on this team plan has changed since you opened it"


_DISK_PROBLEMS = (
    ("SQLITE_FULL", "the disk is full"),
    ("SQLITE_BUSY", "another program is using the file"),
    ("SQLITE_LOCKED", "another program is using the file"),
    (
        "SQLITE_READONLY_ROLLBACK",
        (
            "the planner writing it stopped in the middle of a change; "
            "open the file again to recover it"
        ),
    ),
    ("SQLITE_READONLY", "the file cannot be written to"),
    ("SQLITE_IOERR", "the disk reported an input/output error"),
    ("SQLITE_CANTOPEN", "the file cannot be opened any more"),
)


def _configure_sqlite(engine: Engine, *, read_only: bool) -> None:
    """Pragmas on every connection, and a time limit on every statement (`untrusted.py`)."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, record: Any) -> None:
        deadline = Deadline()
        record.info["deadline"] = deadline
        harden(dbapi_connection, deadline)
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA busy_timeout=5000")
        if not read_only:
            # Rollback journal with a full sync on every commit: a committed edit
            # survives a crash or power loss, and it works on network shares too.
            cursor.execute("PRAGMA journal_mode=DELETE")
            cursor.execute("PRAGMA synchronous=FULL")
        cursor.close()

    @event.listens_for(engine, "before_cursor_execute")
    def _start_clock(connection: Connection, *_args: Any) -> None:
        deadline = connection.connection.info.get("deadline")
        if deadline is not None:
            deadline.start()

    @event.listens_for(engine, "checkin")
    def _stop_clock(_dbapi_connection: Any, record: Any) -> None:
        deadline = record.info.get("deadline")
        if deadline is not None:
            deadline.stop()

    for name in ("commit", "rollback"):
        event.listen(engine, name, _stop_clock_of)


def _stop_clock_of(connection: Connection) -> None:
    """Committing or rolling back is never cut short by the clock of the last statement."""
    deadline = connection.connection.info.get("deadline")
    if deadline is not None:
        deadline.stop()


def run_migrations(connection: Any, target: str = "head") -> None:
    """Upgrade to `target` (head) with Alembic, on an existing connection (imported only here)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    config.attributes["connection"] = connection
    command.upgrade(config, target)


def _sqlite_url(path: Path, read_only: bool) -> str:
    if read_only:
        return f"sqlite:///{path.resolve().as_uri()}?mode=ro&uri=true"
    return f"sqlite:///{path}"


def open_database(
    target: str | Path,
    *,
    read_only: bool = False,
    if_locked: Literal["read_only", "refuse"] = "read_only",
    backup_on_open: Literal["now", "background", "no"] = "now",
) -> Database:
    """Open (creating or migrating as needed) a planner database file or URL.

    A file changed since its last backup is backed up first (`"now"`), or on a
    thread while the caller goes on (`"background"`: the window, which wants to
    show the plan at once); that thread also runs the whole-file quick_check,
    and every write waits for both.

    Only one planner writes to a file at a time. When another holds it, or the
    file cannot be written, it opens read-only with `read_only_reason` set,
    unless `if_locked="refuse"`, which raises LockedError instead (for commands
    whose whole point is to write).
    """
    text = str(target)
    if is_server_url(text):
        return _open_server(text, read_only=read_only)
    if "://" in text and not text.startswith("file:"):
        local = _sqlite_file_of(text)
        if local is None:
            return _open_url(text, read_only=read_only)
        text = local  # an SQLite URL is a file, checked like any other
    path = file_path(text)
    exists = check_file_kind(path)
    if not exists and read_only:
        raise DatabaseError(f"{path} does not exist")
    reason = ASKED_READ_ONLY if read_only else _why_not_writable(path, exists)
    if reason is not None and not exists:
        raise DatabaseError(f"cannot create {path}: {reason}")
    lock = None
    if reason is None:
        if not exists:
            _make_folder(path)
        try:
            lock = acquire(path)
        except LockedError as exc:
            if if_locked == "refuse" or not exists:
                hint = "" if isinstance(exc, ForeignLockError) else "close it there first, "
                raise LockedError(f"{exc}; {hint}nothing was changed", exc.holder) from None
            reason = str(exc)
        except OSError as exc:
            if not exists:
                raise DatabaseError(f"cannot create {path}: {exc.strerror}") from None
            reason = f"{path.name} cannot be locked for writing ({exc.strerror})"
    try:
        return _open_file(path, exists, lock, reason, backup_on_open=backup_on_open)
    except BaseException:
        if lock is not None:
            lock.release()
        raise


def _open_file(
    path: Path,
    exists: bool,
    lock: WriterLock | None,
    reason: str | None,
    *,
    backup_on_open: Literal["now", "background", "no"],
) -> Database:
    if lock is not None and exists:
        recover_interrupted_change(path)
    in_background = lock is not None and exists and backup_on_open == "background"
    learn = lock is not None
    revision = inspect_file(path, full_check=not in_background, learn=learn)
    if in_background and revision != HEAD_REVISION:
        # A file about to be migrated is checked before anything else happens.
        in_background = False
        revision = inspect_file(path, learn=learn)
    if revision is None:
        _create_file(path)
        revision = HEAD_REVISION
        if lock is not None:
            lock.hold_data_file()
    backup = None
    backup_problem = None
    if revision != HEAD_REVISION:
        if lock is None:
            raise DatabaseError(
                f"{path} needs an upgrade, which a read-only open cannot do"
                + (f" ({reason})" if reason else "")
            )
        backup = make_backup(path, f"before-upgrade-from-{revision}")
    elif (
        lock is not None and exists and backup_on_open == "now" and changed_since_last_backup(path)
    ):
        try:
            make_backup(path, "on-open")
        except (DatabaseError, OSError) as exc:
            backup_problem = f"no backup could be taken ({exc})"
    read_only = lock is None
    engine = create_engine(_sqlite_url(path, read_only))
    _configure_sqlite(engine, read_only=read_only)
    db = Database(
        url=str(engine.url),
        engine=engine,
        path=path,
        read_only=read_only,
        migrated_from=revision if backup else None,
        backup=backup,
        read_only_reason=reason,
        lock=lock,
        backup_problem=backup_problem,
    )
    if backup is None and in_background:
        db.start_checks(after=CHECKS_AFTER_S)
    if backup is not None:
        try:
            with engine.begin() as connection:
                run_migrations(connection)
        except BaseException:
            engine.dispose()
            raise
    return db


def _why_not_writable(path: Path, exists: bool) -> str | None:
    """Why this process cannot write the file (or its journal beside it), in words."""
    folder = path.parent
    if exists and not os.access(path, os.W_OK):
        if _on_read_only_disk(path):
            return f"{path.name} is on a read-only disk"
        return f"you do not have permission to change {path.name}"
    if folder.exists() and not os.access(folder, os.W_OK | os.X_OK):
        if _on_read_only_disk(folder):
            return f"{path.name} is on a read-only disk"
        return f"the folder holding {path.name} cannot be written to"
    return None


def _on_read_only_disk(path: Path) -> bool:
    statvfs = getattr(os, "statvfs", None)
    if statvfs is None:
        return False
    try:
        return bool(statvfs(path).f_flag & os.ST_RDONLY)
    except OSError:
        return False


def _make_folder(path: Path) -> None:
    """The folder of a new file (the user data folder on a first start) and its lock."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DatabaseError(f"cannot create {path.parent}: {exc.strerror}") from None


def _create_file(path: Path) -> None:
    """Build a new file beside the target and move it into place, so a crash leaves none."""
    _make_folder(path)
    fresh = path.with_name(path.name + ".new")
    for leftover in (fresh, fresh.with_name(fresh.name + "-journal")):
        leftover.unlink(missing_ok=True)
    engine = create_engine(_sqlite_url(fresh, False))
    _configure_sqlite(engine, read_only=False)
    try:
        with engine.begin() as connection:
            create_schema(connection)
        engine.dispose()
        os.replace(fresh, path)
    except (SQLAlchemyDBAPIError, OSError) as exc:
        engine.dispose()
        fresh.unlink(missing_ok=True)
        detail = getattr(exc, "orig", None) or getattr(exc, "strerror", None) or exc
        raise DatabaseError(f"cannot create {path}: {detail}") from None
    _sync_folder(path.parent)


def _sync_folder(folder: Path) -> None:
    """Make a rename durable: POSIX needs the folder itself flushed to disk."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def create_schema(connection: Connection) -> None:
    """A new file gets the head schema directly, stamped at the head revision; a new team
    database also the triggers that keep its audit trail."""
    _create_tables(connection)
    if connection.dialect.name == "postgresql":
        from planner.persistence.record_trail import install_head

        install_head(connection)
    connection.execute(insert(_VERSION_TABLE).values(version_num=HEAD_REVISION))


def _create_tables(bind: Connection | MockConnection) -> None:
    """Every table and index of the head revision, and the version table, on an empty database."""
    metadata.create_all(bind, checkfirst=False)
    _VERSION_TABLE.create(bind, checkfirst=False)


def head_schema_statements() -> list[str]:
    """The statements `create_schema` runs to make the tables, as SQLite text.

    SQLAlchemy's mock engine collects them instead of running them: no engine, no
    database, no round trips (what the on-open schema comparison builds its side from).
    """
    statements: list[str] = []

    def collect(statement: Any, *_args: Any, **_kwargs: Any) -> None:
        statements.append(str(statement.compile(dialect=mock.dialect)))

    mock = create_mock_engine("sqlite://", collect)
    _create_tables(mock)
    return statements


def _sqlite_file_of(url: str) -> str | None:
    """The file an `sqlite:///path` URL names (None for a server or an in-memory database)."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        parsed = make_url(url)
    except ArgumentError:
        raise DatabaseError(f"{url!r} is neither a file name nor a database URL") from None
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return parsed.database


def _open_server(text: str, *, read_only: bool) -> Database:
    """A team database on a PostgreSQL server: created, migrated or refused like a file."""
    url = server_url(text)
    where = describe_url(url)
    engine = server_engine(url)
    try:
        revision = prepare_schema(engine, where, read_only=read_only)
    except SQLAlchemyDBAPIError as exc:
        engine.dispose()
        if isinstance(exc, (OperationalError, InterfaceError)):
            raise unreachable(where, exc, "nothing was opened") from None
        if getattr(exc.orig, "sqlstate", None) == INSUFFICIENT_PRIVILEGE:
            user = url.username or "this login"
            raise DatabaseError(
                f"{where}: {shown(user)!r} has no role on this team plan (the server said: "
                f"{' '.join(str(exc.orig).split())[:160]}); an owner of it gives one with "
                f"planner team grant --user {shown(user)} --role editor (or viewer); "
                "nothing was opened"
            ) from None
        raise
    except BaseException:
        engine.dispose()
        raise
    from planner.persistence.private_columns import hidden_fields
    from planner.persistence.team_roles import is_viewer

    with engine.connect() as connection:
        viewer = is_viewer(connection)
        hidden = hidden_fields(connection)
    return Database(
        url=url.render_as_string(hide_password=False),
        engine=engine,
        read_only=read_only or viewer,
        migrated_from=revision,
        read_only_reason="Read-only: you are a viewer of this team plan" if viewer else None,
        hidden=hidden,
    )


def _open_url(url: str, *, read_only: bool) -> Database:
    if make_url(url).get_backend_name() != "sqlite":
        raise DatabaseError(
            f"{describe_url(url)}: the planner keeps plans in SQLite files and on "
            f"PostgreSQL servers (postgresql://user@host/database), not there"
        )
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine, read_only=read_only)
    if not read_only:
        with engine.begin() as connection:
            run_migrations(connection)
    return Database(url=url, engine=engine, read_only=read_only)
