"""Database problems a user can meet: the message is the one line they see."""

from planner.domain.errors import PlannerError


class DatabaseError(PlannerError):
    """The file cannot be used as a planner database (and was left untouched)."""


class NewerSchemaError(DatabaseError):
    """The file was written by a newer planner; it is refused, never altered."""


class ReadOnlyError(DatabaseError):
    """A change was attempted on a database opened read-only."""
