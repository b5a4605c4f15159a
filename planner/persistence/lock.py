"""One writer per database file: operating-system locks on the file and on a small file beside it.

The lock file (`plan.db.lock`) records who has the database open for writing
(process id, host, since when) so that a second planner can say who. The lock
itself is the operating system's advisory lock (`flock` on POSIX, `msvcrt` on
Windows), which the OS drops when its holder exits or is killed. A lock file
left behind by a crashed planner is therefore unlocked, recognised as stale
and replaced, and a process id reused by another program cannot keep it
alive. Locks taken by this process are also tracked in memory, so a second
window of the same planner is refused like a second copy of the app.

The lock file sits in a folder other people can write to, so it is untrusted:
it is never opened through a symbolic link, a file that is not a regular file
of one line of planner lock text (a link, a folder, a pipe, a hard link to
another file) is refused and left as it is, and the planner writes only into
a lock file it created itself (made under a temporary name and linked into
place, so it never holds anything but the holder's line). Because anyone may
delete or replace the lock file, the writer also holds an OS lock on the
database file itself (POSIX), which a second writer must get too, and checks
before every write that the lock file on disk is still the one it holds.
"""

from __future__ import annotations

import errno
import json
import os
import socket
import stat
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from planner.persistence.errors import DatabaseError

_HELD: dict[str, WriterLock] = {}
_RETRIES = 5
_MAX_LOCK_BYTES = 4096
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


class LockedError(DatabaseError):
    """Another planner (or another window of this one) is writing to the file."""

    def __init__(self, message: str, holder: LockHolder | None) -> None:
        super().__init__(message)
        self.holder = holder


class ForeignLockError(LockedError):
    """Something that is not a planner's lock file sits where the lock belongs; left as it is."""

    def __init__(self, message: str) -> None:
        super().__init__(message, None)


class LockLostError(DatabaseError):
    """The lock file was removed or replaced while this planner held the file."""


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

    def __init__(
        self, database: Path, fd: int, data_fd: int | None, took_over: LockHolder | None
    ) -> None:
        self.database = database
        self.path = lock_path(database)
        self._fd: int | None = fd
        self._data_fd = data_fd
        self.took_over = took_over

    @property
    def held(self) -> bool:
        return self._fd is not None

    def hold_data_file(self) -> None:
        """Lock the database file itself once it exists (a new file is made after the lock)."""
        if self._data_fd is None and self._fd is not None:
            self._data_fd = _lock_data_file(self.database)

    def verify(self) -> None:
        """Raise LockLostError unless the lock file on disk is still the one this planner holds.

        Called before every write: a lock file deleted or replaced under a running
        planner could let a second writer in, so the first one stops writing.
        """
        if self._fd is None:
            raise LockLostError(f"{self.database.name} is no longer locked for writing")
        try:
            on_disk = os.lstat(self.path)
        except OSError:
            on_disk = None
        mine = os.fstat(self._fd)
        if on_disk is None or (on_disk.st_dev, on_disk.st_ino) != (mine.st_dev, mine.st_ino):
            what = "removed" if on_disk is None else "replaced"
            raise LockLostError(
                f"the lock file {self.path.name} was {what} while this planner had "
                f"{self.database.name} open, so another planner may be writing to it; "
                f"nothing more is written here: open the file again"
            )

    def release(self) -> None:
        if self._fd is None:
            return
        _HELD.pop(_key(self.database), None)
        if sys.platform != "win32":
            # Unlinked while still locked, and only if it is still ours: anyone who
            # opened the old file re-checks its identity after locking and starts over.
            if _is_same(self._fd, self.path):
                try:
                    self.path.unlink()
                except OSError:
                    pass
        if self._data_fd is not None:
            os.close(self._data_fd)
            self._data_fd = None
        os.close(self._fd)
        self._fd = None


def acquire(database: Path) -> WriterLock:
    """Take the writer lock of `database`, or raise LockedError naming who holds it.

    ForeignLockError (a LockedError) when the lock file is not a planner's;
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
    data_fd = _lock_data_file(database)
    try:
        for _attempt in range(_RETRIES):
            previous = _clear_stale(path, database)
            fd = _create_lock(path)
            if fd is None:
                continue
            lock = WriterLock(database, fd, data_fd, previous)
            _HELD[key] = lock
            return lock
    except BaseException:
        if data_fd is not None:
            os.close(data_fd)
        raise
    if data_fd is not None:
        os.close(data_fd)
    raise DatabaseError(f"could not lock {database.name}: its lock file keeps changing")


def _lock_data_file(database: Path) -> int | None:
    """An exclusive OS lock on the database file itself (POSIX), held by the one writer.

    It holds even when the lock file beside it is deleted. It is a `flock`,
    which belongs to this open file alone: SQLite's record locks never meet it,
    and closing another handle on the file does not drop it (as it would a
    record lock). On a network file system Linux turns `flock` into a record
    lock on the whole file, which would stop other planners reading, so there
    the lock file (checked before every write) is the only lock. A file that
    does not exist yet is created under another name and moved into place while
    the lock file is held, so there is nothing to lock yet (None).
    """
    if sys.platform == "win32" or _on_network_share(database):
        return None
    try:
        fd = os.open(os.path.realpath(database), os.O_RDONLY | _NONBLOCK | _CLOEXEC)
    except FileNotFoundError:
        return None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise DatabaseError(f"{database} is not a regular file")
    if not _try_lock(fd):
        os.close(fd)
        holder = current_holder(database)[1]
        who = holder.describe() if holder else "another process"
        raise LockedError(f"{database.name} is open in another planner ({who})", holder)
    return fd


_NETWORK_FILE_SYSTEMS = frozenset({"nfs", "nfs4", "cifs", "smb3", "smbfs", "9p", "afs"})


def _on_network_share(database: Path) -> bool:
    """Whether the file lives on a network file system (Linux: its mount's type)."""
    try:
        mounts = Path("/proc/self/mountinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    kind = file_system_of(os.path.realpath(database), mounts)
    return kind in _NETWORK_FILE_SYSTEMS or kind.startswith("fuse.sshfs")


def file_system_of(real: str, mountinfo: str) -> str:
    """The type of the mount holding the absolute path `real`, from /proc/self/mountinfo text."""
    best, kind = "", ""
    for line in mountinfo.splitlines():
        fields, _, rest = line.partition(" - ")
        parts = fields.split()
        if len(parts) < 5 or not rest:
            continue
        point = parts[4].replace("\\040", " ")
        inside = real == point or real.startswith(point.rstrip("/") + "/")
        if inside and len(point) >= len(best):
            best, kind = point, rest.split()[0]
    return kind


def _clear_stale(path: Path, database: Path) -> LockHolder | None:
    """Remove the lock file a stopped planner left (returning who it was); refuse a foreign one."""
    fd = _open_existing(path, database)
    if fd is None:
        return None
    try:
        if not _try_lock(fd):
            holder = LockHolder.parse(_read(fd))
            who = holder.describe() if holder else "another process"
            raise LockedError(f"{database.name} is open in another planner ({who})", holder)
        holder = _lock_text(fd, path)
        if _is_same(fd, path):
            path.unlink()
        return holder
    finally:
        os.close(fd)


def _open_existing(path: Path, database: Path) -> int | None:
    """The existing lock file, opened without following a link and checked to be a regular file."""
    try:
        seen = os.lstat(path)
    except FileNotFoundError:
        return None
    _refuse_unless_plain(path, seen)
    try:
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW | _NONBLOCK | _CLOEXEC)
    except FileNotFoundError:
        return None
    except OSError as exc:
        if exc.errno == errno.ELOOP:  # it became a link in between
            raise ForeignLockError(_foreign(path, "is a symbolic link")) from None
        raise
    opened = os.fstat(fd)
    if (opened.st_dev, opened.st_ino) != (seen.st_dev, seen.st_ino):
        os.close(fd)
        raise ForeignLockError(_foreign(path, "changed while it was being checked"))
    try:
        _refuse_unless_plain(path, opened)
    except BaseException:
        os.close(fd)
        raise
    return fd


def _refuse_unless_plain(path: Path, info: os.stat_result) -> None:
    if stat.S_ISLNK(info.st_mode):
        raise ForeignLockError(_foreign(path, "is a symbolic link"))
    if not stat.S_ISREG(info.st_mode):
        raise ForeignLockError(_foreign(path, "is not a regular file"))
    if info.st_nlink != 1:
        raise ForeignLockError(_foreign(path, "is a second name (hard link) of another file"))
    if info.st_size > _MAX_LOCK_BYTES:
        raise ForeignLockError(_foreign(path, f"holds {info.st_size} bytes, not a lock's line"))


def _lock_text(fd: int, path: Path) -> LockHolder | None:
    """The holder a stale lock names; refuses a file that is not one line of lock text."""
    text = _read(fd)
    if not text:
        return None
    holder = LockHolder.parse(text)
    if holder is None or "\n" in text.rstrip("\n"):
        raise ForeignLockError(_foreign(path, "does not hold a planner's lock line"))
    return holder


def _foreign(path: Path, what: str) -> str:
    return (
        f"{path.name} {what}, which no planner makes; it was left as it is and the file "
        f"is not opened for writing: remove {path} if nothing else uses it"
    )


def _create_lock(path: Path) -> int | None:
    """A new lock file holding our line, put in place only if none exists (None: lost a race).

    On POSIX it is written under a temporary name and hard-linked into place,
    so no other planner ever sees it empty; Windows cannot delete an open file,
    so there it is created in place.
    """
    line = (LockHolder.me().to_json() + "\n").encode()
    flags = os.O_RDWR | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC
    if sys.platform == "win32":
        try:
            fd = os.open(path, flags, 0o644)
        except FileExistsError:
            return None
        os.write(fd, line)
        if not _try_lock(fd):
            os.close(fd)
            return None
        return fd
    temporary = path.with_name(f"{path.name}.{os.getpid()}.new")
    temporary.unlink(missing_ok=True)
    fd = os.open(temporary, flags, 0o644)
    try:
        os.write(fd, line)
        if not _try_lock(fd):
            raise DatabaseError(f"could not lock {path.name}")
        os.link(temporary, path, follow_symlinks=False)
    except FileExistsError:
        os.close(fd)
        return None
    except BaseException:
        os.close(fd)
        raise
    finally:
        temporary.unlink(missing_ok=True)
    return fd


def current_holder(database: Path) -> tuple[bool, LockHolder | None]:
    """(locked now, recorded holder) without taking or creating anything: for doctor.

    Raises ForeignLockError for a lock file that is not a planner's.
    """
    mine = _HELD.get(_key(database))
    if mine is not None and mine.held:
        return True, LockHolder.me()
    path = lock_path(database)
    fd = _open_existing(path, database)
    if fd is None:
        return False, None
    try:
        text = _read(fd)
        holder = LockHolder.parse(text)
        if _try_lock(fd, shared=True):
            _unlock(fd)
            if text and holder is None:
                raise ForeignLockError(_foreign(path, "does not hold a planner's lock line"))
            return False, holder
        return True, holder
    finally:
        os.close(fd)


def _is_same(fd: int, path: Path) -> bool:
    try:
        on_disk = os.lstat(path)
    except FileNotFoundError:
        return False
    mine = os.fstat(fd)
    return (mine.st_dev, mine.st_ino) == (on_disk.st_dev, on_disk.st_ino)


def _read(fd: int) -> str:
    os.lseek(fd, 0, os.SEEK_SET)
    return os.read(fd, _MAX_LOCK_BYTES).decode("utf-8", "replace")


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
