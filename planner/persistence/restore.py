"""Putting a backup back in place of a database file, without losing what was there.

The file being replaced is never written to: a healthy one is first backed
up (so the restore itself can be undone by restoring that backup), a damaged
or unreadable one is kept aside as `plan.db.corrupt-<time>` with its bytes
unchanged, together with any journal beside it. The backup is copied next to
the target with SQLite's backup API, checked, and only then moved over it in
one atomic rename; older backups are pruned only after that. The whole
restore holds the file's writer lock, so it cannot happen under a planner
that has the file open.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from planner.persistence.backup import (
    BackupInfo,
    copy_database,
    list_backups,
    make_backup,
    prune_backups,
    quick_check,
    remember_source,
)
from planner.persistence.errors import DatabaseError
from planner.persistence.inspection import check_file_kind, file_path, inspect_file
from planner.persistence.lock import LockedError, acquire


@dataclass(frozen=True)
class RestoreResult:
    restored: BackupInfo
    safety_backup: Path | None
    set_aside: Path | None
    target: Path
    link: Path | None = None

    def describe(self) -> str:
        """What was put back where, naming the link that was followed, if any."""
        where = (
            f"{self.target} (the file {self.link} links to; the link is kept)"
            if self.link is not None
            else str(self.target)
        )
        return f"Restored {where} from the backup of {self.restored.describe()}"


def real_file(database: Path) -> Path:
    """The file a restore must replace: a symbolic link is followed, never replaced.

    Replacing the link itself would leave the real plan as it was and turn the
    link into a copy; so the chain of links is resolved first, and a link
    that leads nowhere is refused.
    """
    if not database.is_symlink():
        return database
    try:
        target = database.resolve(strict=True)
    except (OSError, RuntimeError):
        raise DatabaseError(
            f"{database} is a link to {os.path.realpath(database)}, which does not exist; "
            "nothing was changed"
        ) from None
    if not target.is_file():
        raise DatabaseError(f"{database} is a link to {target}, which is not a file")
    return target


def set_aside(database: Path) -> Path:
    """Keep a damaged file under a clear name, bytes untouched, before it is replaced.

    A hard link (or, where links are not possible, a copy) keeps the original
    in place until the restored file is renamed over it, so there is never a
    moment without a `plan.db`. Its journal, if any, moves with it: left
    beside the restored file, SQLite would replay it into the wrong database.
    """
    stamp = datetime.now().strftime("%Y%m%dT%H%M%S")
    target = database.with_name(f"{database.name}.corrupt-{stamp}")
    counter = 1
    while target.exists():
        counter += 1
        target = database.with_name(f"{database.name}.corrupt-{stamp}-{counter}")
    try:
        os.link(database, target)
    except OSError:
        shutil.copy2(database, target)
    journal = database.with_name(database.name + "-journal")
    if journal.exists():
        os.replace(journal, target.with_name(target.name + "-journal"))
    return target


def choose_backup(database: Path, wanted: str | Path | None) -> BackupInfo:
    """The backup to restore: a path, a number from `planner backups`, or the newest good one."""
    backups = list_backups(database)
    if wanted is None:
        for info in backups:
            if quick_check(info.path) == "ok":
                return info
        raise DatabaseError(f"no good backup of {database} was found")
    text = str(wanted).strip()
    if text.isdigit():
        number = int(text)
        if not 1 <= number <= len(backups):
            raise DatabaseError(
                f"there is no backup number {number} of {database.name} (there are {len(backups)})"
            )
        return backups[number - 1]
    path = Path(text).expanduser()
    for info in backups:
        if info.path.resolve() == path.resolve():
            return info
    if not path.is_file():
        raise DatabaseError(f"{path} does not exist")
    stat = path.stat()
    return BackupInfo(
        path, datetime.fromtimestamp(stat.st_mtime).astimezone(), stat.st_size, "chosen file"
    )


def restore_backup(database: Path, backup: str | Path | BackupInfo | None = None) -> RestoreResult:
    """Replace `database` with a backup (the newest good one when none is named).

    The window must close its own `Database` first: a restore needs the
    writer lock and refuses while any planner holds the file.
    """
    given = file_path(database)
    database = real_file(given)
    try:
        lock = acquire(database)
    except LockedError as exc:
        raise LockedError(
            f"{exc}; close it there before restoring, nothing was changed", exc.holder
        ) from None
    except OSError as exc:
        raise DatabaseError(f"cannot restore over {database}: {exc.strerror}") from None
    try:
        info = backup if isinstance(backup, BackupInfo) else choose_backup(database, backup)
        inspect_file(info.path)
        incoming = database.with_name(database.name + ".restoring")
        copy_database(info.path, incoming)
        safety, aside = _clear_the_way(database)
        os.replace(incoming, database)
        remember_source(database)
        prune_backups(database)
        return RestoreResult(info, safety, aside, database, given if given != database else None)
    finally:
        lock.release()


def _clear_the_way(database: Path) -> tuple[Path | None, Path | None]:
    """Back up a healthy file, or rename an unhealthy one aside, before it is replaced."""
    try:
        if not check_file_kind(database):
            return None, None
    except DatabaseError:
        return None, set_aside(database)
    journal = database.with_name(database.name + "-journal")
    if not journal.exists() and quick_check(database) == "ok":
        return make_backup(database, "before-restore", rotate=False), None
    return None, set_aside(database)
