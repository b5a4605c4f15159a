"""What the import knows about records while it reads a workbook: IDs, names and keys.

One object answers the three questions staging asks of every row and link:
is this ID a record of the plan or of the workbook, which records go by this
name (now, in the workbook, or as the database last knew them), and which
database record does a row without an ID stand for. Names are kept casefolded
and every name a record has had (its database name and its name in the
workbook) counts, so a link still naming a record by its old name finds it.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from planner.domain.plan import Plan
from planner.domain.records import Record
from planner.services.excel.layout import layout


def natural_key(kind: str, values: dict[str, Any]) -> tuple[str, ...] | None:
    """What identifies a record of `kind` without its ID (None when a part is blank)."""
    parts = []
    for name in layout(kind).natural_key:
        value = values.get(name)
        if value is None or value == "":
            return None
        if isinstance(value, date):
            parts.append(value.isoformat())
        else:
            parts.append(value.casefold() if name == "name" else str(value))
    return tuple(parts) if parts else None


class RecordIndex:
    """IDs, names and natural keys of the database's records and the workbook's rows."""

    def __init__(self) -> None:
        self._known: dict[str, set[str]] = defaultdict(set)
        self._ids_by_name: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        self._names_by_id: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        self._database: dict[str, dict[str, Record]] = defaultdict(dict)
        self._ids_by_key: dict[str, dict[tuple[str, ...], list[str]]] = defaultdict(
            lambda: defaultdict(list)
        )

    def add_database(self, plan: Plan) -> None:
        """Every record of the plan being imported into."""
        for kind in Plan.KIND_ATTRS:
            for record in plan.records(kind):
                self.add_database_record(record)

    def add_database_record(self, record: Record) -> None:
        kind = record.KIND
        self._database[kind][record.id] = record
        self.add(kind, record.id, getattr(record, "name", None))
        key = natural_key(kind, record.values())
        if key is not None:
            self._ids_by_key[kind][key].append(record.id)

    def add(self, kind: str, record_id: str, name: str | None) -> None:
        """A record (of the database or a row of the workbook) that links may point at."""
        self._known[kind].add(record_id)
        if name:
            folded = name.casefold()
            self._ids_by_name[kind][folded].add(record_id)
            self._names_by_id[kind][record_id].add(folded)

    def is_known(self, kind: str, record_id: str) -> bool:
        return record_id in self._known[kind]

    def named(self, kind: str, name: str) -> set[str]:
        """IDs of the records of `kind` that are or were called `name`."""
        return self._ids_by_name[kind].get(name.casefold(), set())

    def names_of(self, kind: str, record_id: str) -> set[str]:
        """Every casefolded name the record goes by."""
        return self._names_by_id[kind].get(record_id, set())

    def in_database(self, kind: str, record_id: str) -> Record | None:
        return self._database[kind].get(record_id)

    def matching(self, kind: str, values: dict[str, Any]) -> list[Record]:
        """Database records a row without an ID stands for, by its natural key."""
        key = natural_key(kind, values)
        if key is None:
            return []
        return [self._database[kind][i] for i in self._ids_by_key[kind].get(key, ())]
