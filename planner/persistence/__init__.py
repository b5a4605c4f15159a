"""Storage of plans in SQLite (or any SQLAlchemy URL), with Alembic migrations. No Qt."""

from planner.persistence.database import Database, open_database
from planner.persistence.errors import DatabaseError, NewerSchemaError, ReadOnlyError

__all__ = ["Database", "DatabaseError", "NewerSchemaError", "ReadOnlyError", "open_database"]
