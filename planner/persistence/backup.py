"""Copies of a database file made with SQLite's online backup API, and checked.

A backup is only trusted once the copy has been opened and passed
`PRAGMA quick_check`; a copy that fails is deleted and the caller is told.
"""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from planner.paths import backups_dir
from planner.persistence.errors import DatabaseError


def quick_check(path: Path) -> str:
    """'ok', or the first problem SQLite's quick_check reports."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        row = conn.execute("PRAGMA quick_check").fetchone()
        return str(row[0]) if row else "no answer from quick_check"
    finally:
        conn.close()


def copy_database(source: Path, destination: Path) -> Path:
    """Copy `source` to `destination` with the backup API and verify the copy."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_name(destination.name + ".partial")
    partial.unlink(missing_ok=True)
    src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(partial)
        try:
            src.backup(dst)
        finally:
            dst.close()
    except sqlite3.Error as exc:
        partial.unlink(missing_ok=True)
        raise DatabaseError(f"could not copy {source.name}: {exc}") from None
    finally:
        src.close()
    verdict = quick_check(partial)
    if verdict != "ok":
        partial.unlink(missing_ok=True)
        raise DatabaseError(f"the copy of {source.name} failed its check ({verdict})")
    partial.replace(destination)
    return destination


def backup_folder(database: Path) -> Path:
    """Backups of one database file live in their own folder in the user data dir."""
    digest = hashlib.sha1(str(database.resolve()).encode()).hexdigest()[:8]
    return backups_dir() / f"{database.stem}-{digest}"


def make_backup(database: Path, reason: str) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = backup_folder(database) / f"{database.stem}-{stamp}-{reason}.db"
    return copy_database(database, target)
