"""A problem found in a workbook, located the way a person finds it in Excel."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from planner.domain.errors import PlannerError
from planner.domain.quoting import shown

__all__ = ["ImportFileError", "Problem", "Severity", "error", "shown", "warning"]


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


class ImportFileError(PlannerError):
    """The whole file is unusable (a required column missing, no initiative): one message."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem at one place. A big workbook can have hundreds of thousands (a
    default noted for each blank cell of each new row), so a problem is a slotted
    object and its message, mostly the same words row after row, is interned:
    about 90 bytes each instead of about 300."""

    severity: Severity
    message: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    header: str | None = None
    found: str | None = None
    expected: str | None = None

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    @property
    def where(self) -> str:
        parts = []
        if self.sheet:
            parts.append(shown(self.sheet))
        if self.row:
            parts.append(f"row {self.row}")
        if self.column:
            header = f" ‘{shown(self.header)}’" if self.header else ""
            parts.append(f"column {self.column}{header}")
        elif self.header:
            parts.append(f"column ‘{shown(self.header)}’")
        return ", ".join(parts)

    def __str__(self) -> str:
        text = self.message
        if self.found is not None:
            text += f" (found ‘{shown(self.found)}’"
            text += f"; expected {self.expected})" if self.expected else ")"
        where = self.where
        return f"{where}: {text}" if where else text


def error(message: str, **where: Any) -> Problem:
    return Problem(Severity.ERROR, sys.intern(message), **where)


def warning(message: str, **where: Any) -> Problem:
    return Problem(Severity.WARNING, sys.intern(message), **where)
