"""Copies of a database file made with SQLite's online backup API, checked and rotated.

A backup is only trusted once the copy has been opened and passed
`PRAGMA quick_check`; a copy that fails is deleted and the caller is told, and
older backups are pruned only after a new one has passed. Backups are taken
on open when the file changed since the last one, before every migration and
before every import. Rotation keeps the ten newest, the newest of each of the
last seven days, the newest of each of the last eight weeks, and the newest
one taken before a schema upgrade.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from planner.paths import backups_dir
from planner.persistence.errors import DatabaseError

KEEP_RECENT = 10
KEEP_DAYS = 7
KEEP_WEEKS = 8
_STAMP = "%Y%m%dT%H%M%S%fZ"
_NAME = re.compile(r"-(\d{8}T\d{12}Z)-([\w.-]+)\.db$")
_LAST_SOURCE = "last-source.sha256"


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    taken_at: datetime
    size: int
    reason: str

    def describe(self) -> str:
        local = self.taken_at.astimezone()
        return f"{local:%Y-%m-%d %H:%M:%S} ({_size(self.size)}, {self.reason.replace('-', ' ')})"


def _size(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def quick_check(path: Path) -> str:
    """'ok', or the first problem SQLite's quick_check reports."""
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        return str(exc)
    try:
        row = conn.execute("PRAGMA quick_check").fetchone()
        return str(row[0]) if row else "no answer from quick_check"
    except sqlite3.Error as exc:
        return str(exc)
    finally:
        conn.close()


def copy_database(source: Path, destination: Path) -> Path:
    """Copy `source` to `destination` with the backup API and verify the copy."""
    try:
        destination.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DatabaseError(f"cannot create {destination.parent}: {exc.strerror}") from None
    partial = destination.with_name(destination.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise DatabaseError(f"could not read {source.name}: {exc}") from None
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


def make_backup(database: Path, reason: str, *, rotate: bool = True) -> Path:
    """A verified backup of `database`; older ones are pruned only once it has passed."""
    stamp = datetime.now(UTC).strftime(_STAMP)
    target = backup_folder(database) / f"{database.stem}-{stamp}-{reason}.db"
    try:
        copy_database(database, target)
        remember_source(database)
        if rotate:
            prune_backups(database)
    except OSError as exc:
        raise DatabaseError(f"could not back up {database.name}: {exc.strerror or exc}") from None
    return target


def list_backups(database: Path) -> list[BackupInfo]:
    """The backups of `database`, newest first."""
    folder = backup_folder(database)
    try:
        candidates = list(folder.glob("*.db")) if folder.is_dir() else []
    except OSError:
        return []
    found: list[BackupInfo] = []
    for candidate in candidates:
        match = _NAME.search(candidate.name)
        if match is None:
            continue
        try:
            taken = datetime.strptime(match.group(1), _STAMP).replace(tzinfo=UTC)
            size = candidate.stat().st_size
        except (ValueError, OSError):
            continue
        found.append(BackupInfo(candidate, taken, size, match.group(2)))
    return sorted(found, key=lambda info: info.taken_at, reverse=True)


def newest_good_backup(database: Path) -> BackupInfo | None:
    """The newest backup that still passes quick_check (a backup can rot on disk too)."""
    for info in list_backups(database):
        if quick_check(info.path) == "ok":
            return info
    return None


def backups_to_keep(backups: list[BackupInfo], now: datetime) -> set[Path]:
    """The rotation policy, as a pure function of the backups and the time."""
    newest_first = sorted(backups, key=lambda info: info.taken_at, reverse=True)
    keep = {info.path for info in newest_first[:KEEP_RECENT]}
    days: set[object] = set()
    weeks: set[object] = set()
    upgrade_kept = False
    for info in newest_first:
        age = now - info.taken_at
        day = info.taken_at.date()
        week = info.taken_at.isocalendar()[:2]
        if age < timedelta(days=KEEP_DAYS) and day not in days:
            days.add(day)
            keep.add(info.path)
        if age < timedelta(weeks=KEEP_WEEKS) and week not in weeks:
            weeks.add(week)
            keep.add(info.path)
        if info.reason.startswith("before-upgrade") and not upgrade_kept:
            upgrade_kept = True
            keep.add(info.path)
    return keep


def prune_backups(database: Path, now: datetime | None = None) -> list[Path]:
    """Delete backups the policy no longer keeps, and copies left half-made by a crash."""
    folder = backup_folder(database)
    backups = list_backups(database)
    keep = backups_to_keep(backups, now or datetime.now(UTC))
    removed = [info.path for info in backups if info.path not in keep]
    removed.extend(folder.glob("*.partial"))
    for path in removed:
        path.unlink(missing_ok=True)
    return removed


def changed_since_last_backup(database: Path) -> bool:
    try:
        recorded = (backup_folder(database) / _LAST_SOURCE).read_text().strip()
    except OSError:
        return True
    return recorded != _digest(database)


def remember_source(database: Path) -> None:
    """Note what the file held when backed up, so an unchanged file is not copied again."""
    marker = backup_folder(database) / _LAST_SOURCE
    fresh = marker.with_name(marker.name + ".new")
    fresh.write_text(_digest(database))
    fresh.replace(marker)


def _digest(path: Path) -> str:
    sha = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            sha.update(block)
    return sha.hexdigest()
