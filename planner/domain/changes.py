"""What an edit did, in the domain's words: which record of which kind, and which fields.

Undo commands and the window's refreshes speak of records (kind, id, fields),
never of tables and rows: how a record is stored is the persistence layer's
business alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Action(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"


@dataclass(frozen=True)
class RecordChange:
    """One record an edit creates, changes or removes (as the edit was done, not undone).

    `fields` are the fields whose values it sets or changes: every stored field
    for a create or a delete.
    """

    kind: str
    id: str
    action: Action
    fields: frozenset[str] = frozenset()
