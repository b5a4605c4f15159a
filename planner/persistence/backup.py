"""Copies of a database file made with SQLite's online backup API, checked and rotated.

A backup is only trusted once the copy has been opened and passed
`PRAGMA quick_check`; a copy that fails is deleted and the caller is told, and
older backups are pruned only after a new one has passed. Backups are taken
on open when the file changed since the last one, before every migration and
before every import.

Rotation counts distinct states of the plan, not files: each backup carries
the hash of its bytes (the backup API writes the same bytes for the same
file), a new backup whose content is already kept is dropped and the kept
one returned, and rotation drops duplicates left by older planners
first. Of the distinct states it keeps the ten newest, the newest of each of
the last seven days, the newest of each of the last eight weeks, and the
newest one taken before a schema upgrade. So a run of refused operations,
each backing up the same unchanged file, can never push an older state out.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from planner.paths import backups_dir
from planner.persistence.errors import DatabaseError, sqlite_said

KEEP_RECENT = 10
KEEP_DAYS = 7
KEEP_WEEKS = 8
_STAMP = "%Y%m%dT%H%M%S%fZ"
_NAME = re.compile(r"-(\d{8}T\d{12}Z)-([\w.-]+)\.db$")
_LAST_SOURCE = "last-source.sha256"
_STATE = ".state"


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
        return sqlite_said(exc)
    try:
        row = conn.execute("PRAGMA quick_check").fetchone()
        return sqlite_said(row[0]) if row else "no answer from quick_check"
    except sqlite3.Error as exc:
        return sqlite_said(exc)
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
    """Backups of one database file live in their own folder in the user data dir.

    The folder is named after the real file, so a plan reached through a
    symbolic link shares its backups with the plan opened by its own name.
    """
    real = database.resolve()
    digest = hashlib.sha1(str(real).encode()).hexdigest()[:8]
    return backups_dir() / f"{real.stem}-{digest}"


def make_backup(database: Path, reason: str, *, rotate: bool = True) -> Path:
    """A verified backup of `database`; older ones are pruned only once it has passed.

    When a kept backup already holds the same content, the new copy is dropped
    and that backup is returned (relabelled if this one is taken before an
    upgrade, so the upgrade rule still finds it): the state is backed up once.
    `rotate=False` leaves pruning to the caller, for an operation that prunes
    only once it has succeeded.
    """
    stamp = datetime.now(UTC).strftime(_STAMP)
    target = backup_folder(database) / f"{database.stem}-{stamp}-{reason}.db"
    try:
        copy_database(database, target)
        state = content_digest(target)
        same = next(
            (i for i in list_backups(database) if i.path != target and state_of(i.path) == state),
            None,
        )
        if same is None:
            _state_file(target).write_text(state)
        else:
            target.unlink()
            target = _relabelled(same, reason)
        remember_source(database)
        if rotate:
            prune_backups(database)
    except OSError as exc:
        raise DatabaseError(f"could not back up {database.name}: {exc.strerror or exc}") from None
    return target


def _relabelled(info: BackupInfo, reason: str) -> Path:
    """The kept copy of a state, renamed to say it was also taken before an upgrade."""
    if not reason.startswith("before-upgrade") or info.reason.startswith("before-upgrade"):
        return info.path
    stamp = info.taken_at.strftime(_STAMP)
    renamed = info.path.with_name(_NAME.sub(f"-{stamp}-{reason}.db", info.path.name))
    _state_file(info.path).replace(_state_file(renamed))
    info.path.replace(renamed)
    return renamed


def content_digest(path: Path) -> str:
    """A hash of a backup's bytes: what tells one backed-up state from another.

    SQLite's backup API writes the same bytes for the same source file, so
    backups of an unchanged plan hash the same. A change and its undo leave
    the pages laid out differently and count as a new state; that costs one
    extra backup, where a hash of every row would cost the window's on-open
    thread (which holds the interpreter while it reads rows) half a second on
    a large plan. Read by blocks, with the interpreter free while hashing.
    """
    return _digest(path)


def _state_file(backup: Path) -> Path:
    return backup.with_name(backup.name + _STATE)


def state_of(backup: Path) -> str | None:
    """The content hash of a backup, worked out once (for backups older planners made)."""
    marker = _state_file(backup)
    try:
        return marker.read_text().strip()
    except OSError:
        pass
    try:
        state = content_digest(backup)
    except OSError:
        return None
    try:
        marker.write_text(state)
    except OSError:
        pass
    return state


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


def distinct_states(backups: list[BackupInfo], state: dict[Path, str | None]) -> list[BackupInfo]:
    """One backup per content hash, newest first: the one taken before an upgrade if
    any, else the newest. A backup whose content cannot be read counts on its own."""
    chosen: dict[str, BackupInfo] = {}
    for info in sorted(backups, key=lambda i: i.taken_at, reverse=True):
        key = state.get(info.path) or str(info.path)
        held = chosen.get(key)
        if held is None or (
            info.reason.startswith("before-upgrade")
            and not held.reason.startswith("before-upgrade")
        ):
            chosen[key] = info
    return sorted(chosen.values(), key=lambda i: i.taken_at, reverse=True)


def backups_to_keep(
    backups: list[BackupInfo], now: datetime, state: dict[Path, str | None] | None = None
) -> set[Path]:
    """The rotation policy, as a pure function of the backups, their content and the time."""
    newest_first = distinct_states(backups, state or {})
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
    state = {info.path: state_of(info.path) for info in backups}
    keep = backups_to_keep(backups, now or datetime.now(UTC), state)
    removed = [info.path for info in backups if info.path not in keep]
    removed.extend(folder.glob("*.partial"))
    for path in removed:
        path.unlink(missing_ok=True)
        _state_file(path).unlink(missing_ok=True)
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
