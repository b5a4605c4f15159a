"""A record's audit trail in the domain's words: who changed it, when, and which fields.

Kept by a team server (see `planner.persistence.record_trail`); a local file keeps none.
Values are as the server stored them (text, numbers, ISO dates, choices' values).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from planner.domain.changes import Action


@dataclass(frozen=True)
class FieldChange:
    """One field of one change: its value before and after; for a list field, the ids
    the change added and removed."""

    name: str
    old: Any = None
    new: Any = None
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()


@dataclass(frozen=True)
class TrailEntry:
    """One change of one record, as one transaction on the server made it."""

    kind: str
    record_id: str
    action: Action
    login: str
    at: datetime
    version: int | None
    fields: tuple[FieldChange, ...]
