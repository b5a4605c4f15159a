"""One writer per database file: an operating-system lock on a small file beside it.

The lock file (`plan.db.lock`) records who has the database open for writing
(process id, host, since when) so that a second planner can say who. The lock
itself is the operating system's advisory lock (`flock` on POSIX, `msvcrt` on
Windows), which the OS drops when its holder exits or is killed. A lock file
left behind by a crashed planner is therefore unlocked, recognised as stale
and taken over, and a process id reused by another program cannot keep it
alive. Locks taken by this process are also tracked in memory, so a second
window of the same planner is refused like a second copy of the app.
"""

from __future__ import annotations

import json
import os
import socket
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from planner.persistence.errors import DatabaseError

_HELD: dict[str, WriterLock] = {}
_RETRIES = 5


class LockedError(DatabaseError):
    """Another planner (or another window of this one) is writing to the file."""

    def __init__(self, message: str, holder: LockHolder | None) -> None:
        super().__init__(message)
        self.holder = holder


@dataclass(frozen=True)
class LockHolder:
    pid: int | None
    host: str
    since: datetime | None

    def describe(self) -> str:
        who = f"process {self.pid}" if self.pid is not None else "another process"
        where = f" on {self.host}" if self.host else ""
        when = f" since {self.since:%Y-%m-%d %H:%M}" if self.since else ""
        return f"{who}{where}{when}"

    def to_json(self) -> str:
        return json.dumps(
            {
                "pid": self.pid,
                "host": self.host,
                "since": self.since.isoformat() if self.since else None,
            }
        )

    @classmethod
    def parse(cls, text: str) -> LockHolder | None:
        try:
            data = json.loads(text)
            since = datetime.fromisoformat(data["since"]) if data.get("since") else None
            pid = data.get("pid")
            return cls(int(pid) if pid is not None else None, str(data.get("host") or ""), since)
        except (ValueError, TypeError, KeyError, AttributeError):
            return None

    @classmethod
    def me(cls) -> LockHolder:
        return cls(os.getpid(), socket.gethostname(), datetime.now().replace(microsecond=0))


def lock_path(database: Path) -> Path:
    """Beside the real file, so two links to one database share one lock."""
    real = Path(os.path.realpath(database))
    return real.with_name(real.name + ".lock")


def _key(database: Path) -> str:
    return os.path.realpath(database)


class WriterLock:
    """The right to write one database file, held until `release()`."""

    def __init__(self, database: Path, fd: int, took_over: LockHolder | None) -> None:
        self.database = database
        self.path = lock_path(database)
        self._fd: int | None = fd
        self.took_over = took_over

    @property
    def held(self) -> bool:
        return self._fd is not None

    def release(self) -> None:
        if self._fd is None:
            return
        _HELD.pop(_key(self.database), None)
        if sys.platform != "win32":
            # Unlinked while still locked: anyone who opened the old file re-checks
            # its identity after locking and starts over on the new one.
            try:
                self.path.unlink()
            except OSError:
                pass
        os.close(self._fd)
        self._fd = None


def acquire(database: Path) -> WriterLock:
    """Take the writer lock of `database`, or raise LockedError naming who holds it.

    OSError (a read-only folder, no permission) is left to the caller, who
    opens the file read-only instead.
    """
    key = _key(database)
    mine = _HELD.get(key)
    if mine is not None and mine.held:
        raise LockedError(
            f"{database.name} is already open in another window of this planner", LockHolder.me()
        )
    path = lock_path(database)
    for _attempt in range(_RETRIES):
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        if not _try_lock(fd):
            holder = LockHolder.parse(_read(fd))
            os.close(fd)
            who = holder.describe() if holder else "another process"
            raise LockedError(f"{database.name} is open in another planner ({who})", holder)
        if not _same_file(fd, path):
            os.close(fd)
            continue
        try:
            previous = LockHolder.parse(_read(fd))
            _write(fd, LockHolder.me().to_json())
        except BaseException:
            os.close(fd)
            raise
        lock = WriterLock(database, fd, previous)
        _HELD[key] = lock
        return lock
    raise DatabaseError(f"could not lock {database.name}: its lock file keeps changing")


def current_holder(database: Path) -> tuple[bool, LockHolder | None]:
    """(locked now, recorded holder) without taking or creating anything: for doctor."""
    mine = _HELD.get(_key(database))
    if mine is not None and mine.held:
        return True, LockHolder.me()
    path = lock_path(database)
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return False, None
    try:
        holder = LockHolder.parse(_read(fd))
        if _try_lock(fd, shared=True):
            _unlock(fd)
            return False, holder
        return True, holder
    finally:
        os.close(fd)


def _same_file(fd: int, path: Path) -> bool:
    try:
        on_disk = os.stat(path)
    except FileNotFoundError:
        return False
    mine = os.fstat(fd)
    return (mine.st_dev, mine.st_ino) == (on_disk.st_dev, on_disk.st_ino)


def _read(fd: int) -> str:
    os.lseek(fd, 0, os.SEEK_SET)
    return os.read(fd, 4096).decode("utf-8", "replace")


def _write(fd: int, text: str) -> None:
    os.lseek(fd, 0, os.SEEK_SET)
    os.ftruncate(fd, 0)
    os.write(fd, text.encode())


if sys.platform == "win32":
    import msvcrt

    # Windows locks are mandatory: lock one byte far past the text, so the
    # holder's details stay readable by the planner that is turned away.
    _WIN_OFFSET = 1 << 30

    def _try_lock(fd: int, *, shared: bool = False) -> bool:
        os.lseek(fd, _WIN_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        os.lseek(fd, _WIN_OFFSET, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
else:
    import fcntl

    def _try_lock(fd: int, *, shared: bool = False) -> bool:
        try:
            fcntl.flock(fd, (fcntl.LOCK_SH if shared else fcntl.LOCK_EX) | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
