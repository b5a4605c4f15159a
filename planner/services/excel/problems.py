"""A problem found in a workbook, located the way a person finds it in Excel."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from planner.domain.errors import PlannerError


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


class ImportFileError(PlannerError):
    """The whole file is unusable (a required column missing, no initiative): one message."""


def shown(value: Any, limit: int = 60) -> str:
    """A value as found in a cell, short and printable, for a one-line message."""
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    text = "".join(ch if ch.isprintable() else f"\\x{ord(ch):02x}" for ch in text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class Problem:
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
            parts.append(self.sheet)
        if self.row:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column {self.column}" + (f" ‘{self.header}’" if self.header else ""))
        elif self.header:
            parts.append(f"column ‘{self.header}’")
        return ", ".join(parts)

    def __str__(self) -> str:
        text = self.message
        if self.found is not None:
            text += f" (found ‘{self.found}’"
            text += f"; expected {self.expected})" if self.expected else ")"
        where = self.where
        return f"{where}: {text}" if where else text


def error(message: str, **where: Any) -> Problem:
    return Problem(Severity.ERROR, message, **where)


def warning(message: str, **where: Any) -> Problem:
    return Problem(Severity.WARNING, message, **where)
