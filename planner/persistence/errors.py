"""Database problems a user can meet: the message is the one line they see."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from planner.domain.errors import PlannerError

if TYPE_CHECKING:
    from planner.persistence.backup import BackupInfo


class DatabaseError(PlannerError):
    """The file cannot be used as a planner database (and was left untouched)."""


class NewerSchemaError(DatabaseError):
    """The file was written by a newer planner; it is refused, never altered."""


class ForeignSchemaError(DatabaseError):
    """The file holds schema objects the planner does not make (code, views, other columns);
    it was refused before anything in it ran, and left untouched."""


class ReadOnlyError(DatabaseError):
    """A change was attempted on a database opened read-only."""


class CorruptDatabaseError(DatabaseError):
    """The file is damaged; it was not written to, and a backup may be offered."""

    def __init__(
        self, message: str, *, path: Path | None = None, backup: BackupInfo | None = None
    ) -> None:
        super().__init__(message)
        self.path = path
        self.backup = backup
