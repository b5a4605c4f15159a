"""Storage of plans in SQLite files or on a PostgreSQL server, with Alembic migrations. No Qt."""

from planner.persistence.database import Database, open_database
from planner.persistence.errors import (
    CorruptDatabaseError,
    DatabaseError,
    NewerSchemaError,
    ReadOnlyError,
)
from planner.persistence.lock import LockedError

__all__ = [
    "CorruptDatabaseError",
    "Database",
    "DatabaseError",
    "LockedError",
    "NewerSchemaError",
    "ReadOnlyError",
    "open_database",
]
