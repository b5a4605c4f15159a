"""The audit trail told in words, the same in the window and on the command line.

"Changed by alice on 2 Dec 2026 14:05", and one line per change naming its
fields with their old and new values. Times are the server's, shown in this
computer's time zone.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from planner.domain.changes import Action
from planner.domain.quoting import shown
from planner.domain.records import RECORD_TYPES, record_type
from planner.domain.trail import FieldChange, TrailEntry

LOCAL_FILE = "The history of a record is kept for team plans only (on a PostgreSQL server)."
_VALUE_WIDTH = 60
_VERBS = {Action.CREATE: "created", Action.UPDATE: "changed", Action.DELETE: "deleted"}

Title = Callable[[str, str], str | None]
"""The name of a record by kind and id (for the ids a list field holds), None if unknown."""


def when(at: datetime) -> str:
    """'2 Dec 2026 14:05', in local time."""
    local = at.astimezone()
    return f"{local.day} {local:%b %Y %H:%M}"


def last_change(entries: list[TrailEntry]) -> str:
    """'Changed by alice on 2 Dec 2026 14:05' for the latest entry; '' for none."""
    if not entries:
        return ""
    latest = entries[-1]
    verb = _VERBS[latest.action].capitalize()
    return f"{verb} by {shown(latest.login)} on {when(latest.at)}"


def field_label(kind: str, name: str) -> str:
    spec = record_type(kind).SPECS.get(name) if kind in RECORD_TYPES else None
    return spec.label if spec is not None else name


def _value(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return shown(" ".join(str(value).split()), _VALUE_WIDTH)


def _names(kind: str | None, ids: tuple[str, ...], title: Title | None) -> str:
    named = [(title(kind, i) if title and kind else None) or i for i in ids]
    return ", ".join(shown(name, _VALUE_WIDTH) for name in named)


def field_text(kind: str, change: FieldChange, title: Title | None = None) -> str:
    """'Power: 3 → 4', 'Audience: added Sales team; removed Finance' (a reference by the
    name `title` gives it, its id where none)."""
    label = field_label(kind, change.name)
    spec = record_type(kind).SPECS.get(change.name) if kind in RECORD_TYPES else None
    target = spec.ref if spec is not None else None
    if change.added or change.removed:
        parts = []
        if change.added:
            parts.append(f"added {_names(target, change.added, title)}")
        if change.removed:
            parts.append(f"removed {_names(target, change.removed, title)}")
        return f"{label}: {'; '.join(parts)}"
    old, new = change.old, change.new
    if target is not None and title is not None:
        old = (title(target, str(old)) or old) if old is not None else None
        new = (title(target, str(new)) or new) if new is not None else None
    return f"{label}: {_value(old)} → {_value(new)}"


def changes_text(entry: TrailEntry, title: Title | None = None) -> str:
    """Every field of one change, '; ' between them."""
    return "; ".join(field_text(entry.kind, change, title) for change in entry.fields)


def entry_line(entry: TrailEntry, title: Title | None = None) -> str:
    """One line of `planner history`: when, who, what, which version, which fields."""
    version = f" (version {entry.version})" if entry.version is not None else ""
    fields = changes_text(entry, title)
    return f"{when(entry.at)}  {shown(entry.login)}  {_VERBS[entry.action]}{version}" + (
        f": {fields}" if fields else ""
    )
