"""The order rows are written in: the way a person reads the sheet, not ID order.

IDs are random, so ID order looks shuffled. Rows go by name, by date or by
phase; a child follows its parent's order (sessions by course, then date), a
parent being placed by its own sheet's order, so that Gate criteria come in
the order of the rollout phases, which come by start date. Missing values go
last. The import matches rows by ID and name, so the order is presentation only.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from planner.domain.fields import FieldKind
from planner.domain.records import Record, record_type

# Fields to sort each kind by, in order; a reference sorts by the referenced record's place.
READING_ORDER: dict[str, tuple[str, ...]] = {
    "initiative": ("name",),
    "stakeholder": ("name",),
    "snapshot": ("stakeholder_id", "taken_on"),
    "objective": ("name",),
    "kpi": ("objective_id", "name"),
    "measurement": ("kpi_id", "measured_on"),
    "communication": ("scheduled_on", "name"),
    "course": ("name",),
    "session": ("course_id", "held_on", "name"),
    "attendance": ("session_id", "stakeholder_id"),
    "phase": ("starts_on", "name"),
    "gate_criterion": ("phase_id", "name"),
    "option": ("name",),
    "criterion": ("name",),
    "score": ("option_id", "criterion_id"),
    "risk": ("name",),
    "unit": ("name",),
    "impact_assessment": ("unit_id",),
}


class ReadingOrder:
    """Sorts the records of each kind; kinds must be asked for parents first (the
    workbook's sheet order), so that a reference finds its target already placed."""

    def __init__(self) -> None:
        self.place: dict[str, int] = {}

    def sorted(self, kind: str, records: tuple[Record, ...]) -> list[Record]:
        key = self._key(kind)
        ordered = sorted(records, key=key)
        self.place.update((record.id, index) for index, record in enumerate(ordered))
        return ordered

    def _key(self, kind: str) -> Callable[[Record], tuple[Any, ...]]:
        specs = record_type(kind).SPECS
        readers: list[Callable[[Record], tuple[int, Any]]] = []
        for name in READING_ORDER[kind]:
            spec = specs[name]
            if spec.kind is FieldKind.REF:
                readers.append(self._by_place(name))
            else:
                readers.append(_by_value(name))
        readers.append(lambda record: (0, record.id))
        return lambda record: tuple(read(record) for read in readers)

    def _by_place(self, name: str) -> Callable[[Record], tuple[int, Any]]:
        place = self.place

        def read(record: Record) -> tuple[int, Any]:
            target = getattr(record, name)
            index = place.get(target) if target else None
            return (1, 0) if index is None else (0, index)

        return read


def _by_value(name: str) -> Callable[[Record], tuple[int, Any]]:
    def read(record: Record) -> tuple[int, Any]:
        value = getattr(record, name)
        if value is None or value == "":
            return (1, "")
        if isinstance(value, datetime):
            value = value.date()
        return (0, value.casefold() if isinstance(value, str) else value)

    return read
