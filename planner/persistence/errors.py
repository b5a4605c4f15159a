"""Database problems a user can meet: the message is the one line they see."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from planner.domain.errors import PlannerError
from planner.domain.quoting import shown

SQLITE_SAID_LIMIT = 200

if TYPE_CHECKING:
    from planner.persistence.backup import BackupInfo


def sqlite_said(said: object) -> str:
    """What SQLite said about a file (an exception or a check's verdict), for a message.

    SQLite quotes a file's own text in what it says (the name and SQL of a malformed
    schema object, an index's name), and a hostile file makes that a million characters
    or terminal escape codes: this is the one place such text is made printable and short.
    """
    return shown(said, SQLITE_SAID_LIMIT)


class DatabaseError(PlannerError):
    """The file cannot be used as a planner database (and was left untouched)."""


class NewerSchemaError(DatabaseError):
    """The file was written by a newer planner; it is refused, never altered."""


class ForeignSchemaError(DatabaseError):
    """The file holds schema objects the planner does not make (code, views, other columns);
    it was refused before anything in it ran, and left untouched."""


class ReadOnlyError(DatabaseError):
    """A change was attempted on a database opened read-only."""


class OfflineError(DatabaseError):
    """A change or a read was attempted while the team server cannot be reached; nothing
    was sent."""


class CorruptDatabaseError(DatabaseError):
    """The file is damaged; it was not written to, and a backup may be offered."""

    def __init__(
        self, message: str, *, path: Path | None = None, backup: BackupInfo | None = None
    ) -> None:
        super().__init__(message)
        self.path = path
        self.backup = backup
