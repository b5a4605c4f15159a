"""The file operations the window offers: open, copy, check, back up, restore.

The window speaks to the file layer only through this module (the UI never
imports `planner.persistence`), so that what it may do with a database file is
one short list, and the same calls serve a server database later.
"""

from __future__ import annotations

from planner.persistence.backup import BackupInfo, copy_database, list_backups
from planner.persistence.database import Database, open_database
from planner.persistence.doctor import DoctorReport, Status, doctor
from planner.persistence.errors import CorruptDatabaseError, ForeignSchemaError, OfflineError
from planner.persistence.repair import RepairResult, repair
from planner.persistence.restore import restore_backup
from planner.persistence.server import describe_url, is_server_url


def describe_server(url: str) -> str:
    """A team database's URL as the window shows it (never with a password)."""
    return describe_url(url)


__all__ = [
    "BackupInfo",
    "CorruptDatabaseError",
    "Database",
    "DoctorReport",
    "ForeignSchemaError",
    "OfflineError",
    "RepairResult",
    "Status",
    "copy_database",
    "describe_server",
    "doctor",
    "is_server_url",
    "list_backups",
    "open_database",
    "repair",
    "restore_backup",
]
