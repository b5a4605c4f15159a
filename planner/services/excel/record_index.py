"""What the import knows about records while it reads a workbook: IDs, names and keys.

One object answers the three questions staging asks of every row and link:
is this ID a record of the plan or of the workbook, which records go by this
name (now, in the workbook, or as the database last knew them), and which
database record does a row without an ID stand for. Names are kept casefolded
and every name a record has had (its database name and its name in the
workbook) counts, so a link still naming a record by its old name finds it.

A workbook may hold a hundred thousand rows, nearly all with one name and
one ID: the name and ID maps hold a single string for those, and a set only
for the few names shared by several records (a set per row cost 400 bytes).
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


_Group = str | set[str]


def _put(groups: dict[str, _Group], key: str, member: str) -> None:
    """Add `member` to the group under `key` (one string until there are two)."""
    group = groups.get(key)
    if group is None:
        groups[key] = member
    elif isinstance(group, set):
        group.add(member)
    elif group != member:
        groups[key] = {group, member}


def _members(groups: dict[str, _Group], key: str) -> set[str]:
    group = groups.get(key)
    if group is None:
        return set()
    return {group} if isinstance(group, str) else set(group)


class RecordIndex:
    """IDs, names and natural keys of the database's records and the workbook's rows."""

    def __init__(self) -> None:
        self._unnamed: dict[str, set[str]] = defaultdict(set)
        self._ids_by_name: dict[str, dict[str, _Group]] = defaultdict(dict)
        self._names_by_id: dict[str, dict[str, _Group]] = defaultdict(dict)
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
        if name:
            folded = name.casefold()
            _put(self._ids_by_name[kind], folded, record_id)
            _put(self._names_by_id[kind], record_id, folded)
        else:
            self._unnamed[kind].add(record_id)

    def is_known(self, kind: str, record_id: str) -> bool:
        return record_id in self._names_by_id[kind] or record_id in self._unnamed[kind]

    def named(self, kind: str, name: str) -> set[str]:
        """IDs of the records of `kind` that are or were called `name`."""
        return _members(self._ids_by_name[kind], name.casefold())

    def names_of(self, kind: str, record_id: str) -> set[str]:
        """Every casefolded name the record goes by."""
        return _members(self._names_by_id[kind], record_id)

    def in_database(self, kind: str, record_id: str) -> Record | None:
        return self._database[kind].get(record_id)

    def matching(self, kind: str, values: dict[str, Any]) -> list[Record]:
        """Database records a row without an ID stands for, by its natural key."""
        key = natural_key(kind, values)
        if key is None:
            return []
        return [self._database[kind][i] for i in self._ids_by_key[kind].get(key, ())]
