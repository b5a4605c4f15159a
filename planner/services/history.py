"""Undo and redo, owned by the core: every user action is one command of row changes.

A command is applied in one transaction; undo applies its inverse in one
transaction, and refuses, saying why, where somebody else has changed one of
its records since (the store's exact check: the rows as this planner left them). The UI binds to `History` (labels, can_undo, listeners) and never
keeps undo state of its own. The history is linear: a new command clears redo.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from sqlalchemy.engine import Connection

from planner.domain.changes import RecordChange
from planner.domain.errors import DomainError
from planner.persistence.database import Database
from planner.persistence.store import ChangedSinceError, RowChange, apply_changes, describe

Direction = Literal["do", "undo", "redo"]
Listener = Callable[["Command", Direction], None]


@dataclass(frozen=True)
class Command:
    """One user action: what it did to which records (`records`, `kinds`), and how it is stored.

    `changes` are the stored row changes the history applies and reverts;
    nothing outside the core reads them.
    """

    label: str
    changes: tuple[RowChange, ...]
    records: tuple[RecordChange, ...] = ()
    kinds: frozenset[str] = field(default=frozenset())

    @classmethod
    def of(cls, label: str, changes: list[RowChange]) -> Command:
        records = describe(changes)
        return cls(label, tuple(changes), records, frozenset(r.kind for r in records))

    def touching(self, kind: str) -> list[RecordChange]:
        """The records of `kind` this command creates, changes or removes."""
        return [change for change in self.records if change.kind == kind]


class History:
    def __init__(self, db: Database, limit: int = 1000) -> None:
        self._db = db
        self._limit = limit
        self._done: list[Command] = []
        self._undone: list[Command] = []
        self._listeners: list[Listener] = []

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    def execute(self, command: Command, *, announce: bool = True) -> Command:
        """Apply and record a command, then tell the listeners.

        With `announce=False` the listeners are not told: a window applies a big
        command (an import) on a worker thread, where its widgets must not be
        touched, and calls `announce` on its UI thread once the work is done.
        """
        if command.changes:
            with self._db.transaction() as session:
                apply_changes(session, command.changes)
                self._announce_to_others(session, command)
            self._done.append(command)
            del self._done[: -self._limit]
            self._undone.clear()
        if announce:
            self.announce(command)
        return command

    def announce(self, command: Command, direction: Direction = "do") -> None:
        """Tell the listeners about a command executed without announcing it."""
        self._notify(command, direction)

    def undo(self) -> Command | None:
        if not self._done:
            return None
        command = self._done[-1]
        try:
            with self._db.transaction() as session:
                apply_changes(session, command.changes, forward=False, exact=True)
                self._announce_to_others(session, command)
        except ChangedSinceError as exc:
            self._done.pop()
            raise _refused("undo", command, exc) from None
        self._undone.append(self._done.pop())
        self._notify(command, "undo")
        return command

    def redo(self) -> Command | None:
        if not self._undone:
            return None
        command = self._undone[-1]
        try:
            with self._db.transaction() as session:
                apply_changes(session, command.changes, exact=True)
                self._announce_to_others(session, command)
        except ChangedSinceError as exc:
            self._undone.pop()
            raise _refused("redo", command, exc) from None
        self._done.append(self._undone.pop())
        self._notify(command, "redo")
        return command

    def clear(self) -> None:
        self._done.clear()
        self._undone.clear()

    @property
    def can_undo(self) -> bool:
        return bool(self._done)

    @property
    def can_redo(self) -> bool:
        return bool(self._undone)

    @property
    def undo_label(self) -> str | None:
        return self._done[-1].label if self._done else None

    @property
    def redo_label(self) -> str | None:
        return self._undone[-1].label if self._undone else None

    def _announce_to_others(self, session: Connection, command: Command) -> None:
        """On a team server, the other windows hear of the change when it commits."""
        kinds = sorted(command.kinds)
        ids = sorted({change.id for change in command.records})
        self._db.announce(session, kinds, ids)

    def _notify(self, command: Command, direction: Direction) -> None:
        for listener in list(self._listeners):
            listener(command, direction)


def _refused(verb: str, command: Command, exc: ChangedSinceError) -> DomainError:
    """One line for an undo or redo that would overwrite a change made since; it is dropped
    from the history, as it can never apply cleanly again."""
    return DomainError(
        f"cannot {verb} ‘{command.label}’: {exc} (by another planner, or an import), "
        f"so nothing was changed"
    )
