"""What a file is, before anything writes to it; and bringing it back after a crash.

Everything here reads with the `sqlite3` module in read-only mode, except the
rollback of a change a crash cut short, which is first rehearsed on a copy.
Nothing here knows about locks or sessions: `database.py` decides when to
call it.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
from pathlib import Path

from planner.domain.quoting import shown
from planner.domain.wording import plural
from planner.persistence.backup import newest_good_backup
from planner.persistence.errors import (
    CorruptDatabaseError,
    DatabaseError,
    ForeignSchemaError,
    NewerSchemaError,
    sqlite_said,
)
from planner.persistence.schema import KNOWN_REVISIONS
from planner.persistence.schema_objects import foreign_objects, remember
from planner.persistence.untrusted import interrupted, open_read_only, too_long

SQLITE_MAGIC = b"SQLite format 3\x00"
_SIGNATURES = [
    (b"PK\x03\x04", "a zip file (an Excel workbook?); to bring a workbook in, use import"),
    (b"%PDF", "a PDF document"),
    (b"\xd0\xcf\x11\xe0", "an old Office document"),
    (b"\x89PNG", "a PNG image"),
]


def file_path(target: str | Path) -> Path:
    """A path the operating system can take, or a one-line error saying why not."""
    text = str(target)
    if "\x00" in text:
        raise DatabaseError(f"{text!r} is not a usable file name (it contains a NUL character)")
    try:
        os.fsencode(text)
    except UnicodeEncodeError:
        raise DatabaseError(
            f"{text!r} is not a usable file name (it has characters no file name can hold)"
        ) from None
    return Path(text).expanduser()


def change_counter(path: Path) -> int | None:
    """SQLite's file change counter, which every committed change moves in the rollback
    journal mode the planner writes with: two reads with the same counter before and
    after saw the same data. None where it says nothing (a WAL file, no file)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(28)
    except OSError:
        return None
    if len(head) < 28 or not head.startswith(SQLITE_MAGIC) or head[18] != 1:
        return None
    return int.from_bytes(head[24:28], "big")


def check_file_kind(path: Path) -> bool:
    """Whether the file exists; refuses, by its first bytes alone, what is not SQLite."""
    try:
        if not path.exists():
            return False
        is_folder = path.is_dir()
    except OSError as exc:
        raise DatabaseError(f"cannot use {path}: {exc.strerror}") from None
    if is_folder:
        raise DatabaseError(f"{path} is a folder, not a planner database")
    if not path.is_file():
        raise DatabaseError(
            f"{path} is not a regular file (a device or a pipe?), not a planner database"
        )
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
    return True


def inspect_file(path: Path, *, full_check: bool = True, learn: bool = True) -> str | None:
    """The file's schema revision, or None for a file that does not exist yet.

    Raises DatabaseError (one line, file untouched) for anything that is not a
    usable planner database, CorruptDatabaseError (offering the newest good
    backup) for a damaged one. `full_check=False` leaves out SQLite's
    quick_check, which reads the whole file, for a caller that runs it itself
    before anything is written (see `Database.start_checks`). The schema is
    compared with the planner's (`schema_objects.py`); `learn=False` leaves
    the user data folder as it is (a read-only open).
    """
    if not check_file_kind(path):
        return None
    try:
        conn, _deadline = open_read_only(path)
    except sqlite3.Error as exc:
        raise DatabaseError(f"cannot open {path}: {exc}") from None
    try:
        revision = _revision(conn, path)
        problems = foreign_objects(conn, revision)
        if full_check and not problems:
            verdict = " ".join(str(conn.execute("PRAGMA quick_check").fetchone()[0]).split())
            if verdict != "ok":
                raise damaged(path, f"SQLite reports: {verdict}")
        if learn and not problems:
            remember(conn, revision)
    except sqlite3.DatabaseError as exc:
        if interrupted(exc):
            raise too_long(str(path)) from None
        if getattr(exc, "sqlite_errorname", "") == "SQLITE_READONLY_ROLLBACK":
            raise DatabaseError(
                f"{path} holds a change interrupted by a crash, which only a "
                f"planner allowed to write to it can roll back"
            ) from None
        raise damaged(path, str(exc)) from None
    finally:
        conn.close()
    if problems:
        raise foreign_schema(path, problems)
    return revision


def _revision(conn: sqlite3.Connection, path: Path) -> str:
    """The revision the file claims, read only once its version table is known to be a table."""
    kinds = dict(
        conn.execute(
            "SELECT name, type FROM sqlite_schema WHERE name IN ('alembic_version', 'initiative')"
        ).fetchall()
    )
    if not kinds.keys() >= {"alembic_version", "initiative"}:
        raise DatabaseError(f"{path} is an SQLite database but not a planner database")
    for name, kind in sorted(kinds.items()):
        if kind != "table":
            raise foreign_schema(path, [f"‘{name}’ is a {kind}, where the planner keeps a table"])
    row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    if row is None:
        raise DatabaseError(f"{path} has no schema revision; it is not a usable planner database")
    revision = str(row[0])
    if revision not in KNOWN_REVISIONS:
        raise NewerSchemaError(
            f"{path} was written by a newer version of the planner (schema {shown(revision)}); "
            f"update the planner to open it"
        )
    return revision


def foreign_schema(path: Path, problems: list[str]) -> ForeignSchemaError:
    """The one line for a file whose schema is not the planner's: what, and the way out."""
    more = f" (and {plural(len(problems) - 1, 'more difference')})" if len(problems) > 1 else ""
    return ForeignSchemaError(
        f"{path} holds {problems[0]}{more}; the planner runs nothing from a file it "
        f"did not write and left it untouched: copy its data into a clean file with "
        f"`planner doctor --db {path} --repair CLEAN.db`"
    )


def damaged(path: Path, detail: str) -> CorruptDatabaseError:
    """The one-line report of a damaged file, naming the newest good backup if there is one."""
    good = newest_good_backup(path)
    offer = (
        f"the newest good backup is from {good.describe()}: restore it with "
        f"`planner restore --db {path}`"
        if good
        else "no backup of it was found"
    )
    return CorruptDatabaseError(
        f"{path} is damaged ({sqlite_said(detail)}); it was left untouched, and {offer}",
        path=path,
        backup=good,
    )


def recover_interrupted_change(path: Path) -> None:
    """Roll back a transaction cut short by a crash, as SQLite would, but look first.

    A hot journal is rolled back into the file on the first connection that
    can write. Before letting that happen to the real file, the rollback is
    rehearsed on a copy of the file and its journal; if the result fails
    quick_check, the real file is refused untouched as damaged.
    """
    if not has_hot_journal(path):
        return
    journal = path.with_name(path.name + "-journal")
    try:
        with tempfile.TemporaryDirectory(prefix="planner-recovery-") as scratch:
            rehearsal = Path(scratch) / path.name
            shutil.copyfile(path, rehearsal)
            shutil.copyfile(journal, rehearsal.with_name(journal.name))
            verdict = _read_back(rehearsal)
    except OSError as exc:
        raise DatabaseError(
            f"{path} holds a change interrupted by a crash, and there is no "
            f"room to check it before rolling it back ({exc.strerror})"
        ) from None
    if verdict != "ok":
        raise damaged(path, f"an interrupted change could not be rolled back: {verdict}")
    verdict = _read_back(path)
    if verdict != "ok":
        raise damaged(path, f"rolling back an interrupted change failed: {verdict}")


def has_hot_journal(path: Path) -> bool:
    """A rollback journal SQLite would replay: present and started (first byte not zero).

    A crash while the journal was still being written leaves one beginning
    with zeros; the file was not touched yet and SQLite ignores it.
    """
    try:
        with path.with_name(path.name + "-journal").open("rb") as handle:
            first = handle.read(1)
    except OSError:
        return False
    return first not in (b"", b"\x00")


def _read_back(path: Path) -> str:
    """Open read-write (which rolls back a hot journal) and quick_check the result."""
    try:
        conn = sqlite3.connect(path)
    except sqlite3.Error as exc:
        return str(exc)
    try:
        row = conn.execute("PRAGMA quick_check").fetchone()
        return " ".join(str(row[0]).split()) if row else "no answer from quick_check"
    except sqlite3.Error as exc:
        return str(exc)
    finally:
        conn.close()
