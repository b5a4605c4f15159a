"""Errors a user can cause and fix; the CLI and UI show their text as one line."""

from __future__ import annotations


class PlannerError(Exception):
    """Base for every error that is the user's to fix (never a bug)."""


class DomainError(PlannerError):
    """A value breaks a rule of the domain; names the record kind and field."""

    def __init__(self, message: str, *, field: str | None = None, kind: str | None = None) -> None:
        super().__init__(message)
        self.field = field
        self.kind = kind
        self.message = message


class ConflictError(DomainError):
    """Someone else saved a change to the record (or removed it) since this planner read it.

    Nothing was written. `kind` and `record_id` name the record, so that a window can
    show the other person's values beside the user's.
    """

    def __init__(self, message: str, *, kind: str, record_id: str) -> None:
        super().__init__(message, kind=kind)
        self.record_id = record_id


class NotFoundError(PlannerError):
    """A record, initiative or file the user named does not exist."""


class Cancelled(PlannerError):
    """Long work (an import, an export) stopped at the user's request before it changed anything.

    The one cancellation error: the core raises it between units of work, the
    window's task runner shows its line like any other planner error.
    """

    def __init__(self, what: str = "the operation") -> None:
        super().__init__(f"{what} was cancelled; nothing was changed")
