"""A whole initiative's plan as one immutable value, read in one go.

The readiness check, the charts and the Excel export all look at the plan as a
whole; handing them this snapshot keeps them free of database access.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, fields
from datetime import date
from functools import cached_property
from typing import ClassVar, TypeVar, get_args, get_type_hints

from planner.domain.records import (
    Attendance,
    Communication,
    Course,
    Criterion,
    GateCriterion,
    ImpactAssessment,
    Initiative,
    Kpi,
    Measurement,
    Objective,
    Option,
    Phase,
    Record,
    Risk,
    Score,
    Session,
    Snapshot,
    Stakeholder,
    Unit,
)

R = TypeVar("R", bound=Record)


@dataclass(frozen=True)
class Plan:
    initiative: Initiative
    stakeholders: tuple[Stakeholder, ...] = ()
    snapshots: tuple[Snapshot, ...] = ()
    objectives: tuple[Objective, ...] = ()
    kpis: tuple[Kpi, ...] = ()
    measurements: tuple[Measurement, ...] = ()
    communications: tuple[Communication, ...] = ()
    courses: tuple[Course, ...] = ()
    sessions: tuple[Session, ...] = ()
    attendance: tuple[Attendance, ...] = ()
    phases: tuple[Phase, ...] = ()
    gate_criteria: tuple[GateCriterion, ...] = ()
    options: tuple[Option, ...] = ()
    criteria: tuple[Criterion, ...] = ()
    scores: tuple[Score, ...] = ()
    risks: tuple[Risk, ...] = ()
    units: tuple[Unit, ...] = ()
    """The file's whole register of organisational units, shared by every initiative."""
    impact_assessments: tuple[ImpactAssessment, ...] = ()
    hidden: frozenset[tuple[str, str]] = frozenset()
    """(kind, field) of the private fields its reader may not see (a team plan's viewer:
    the server withholds stakeholders' notes and attitudes). Those fields hold their
    declared defaults, not the plan's values, and nothing may judge or show them."""

    # Record kind -> the attribute holding its records: derived from the fields above.
    KIND_ATTRS: ClassVar[dict[str, str]]

    @property
    def attitudes_hidden(self) -> bool:
        """Whether the stakeholders' engagement was withheld from this reader."""
        return ("stakeholder", "engagement") in self.hidden

    def records(self, kind: str) -> tuple[Record, ...]:
        if kind == "initiative":
            return (self.initiative,)
        return getattr(self, self.KIND_ATTRS[kind])  # type: ignore[no-any-return]

    def all_records(self) -> list[Record]:
        out: list[Record] = [self.initiative]
        for attr in self.KIND_ATTRS.values():
            out.extend(getattr(self, attr))
        return out

    @cached_property
    def by_id(self) -> dict[str, Record]:
        return {r.id: r for r in self.all_records()}

    def children(self, records: tuple[R, ...], parent_field: str) -> dict[str, list[R]]:
        grouped: dict[str, list[R]] = defaultdict(list)
        for record in records:
            grouped[getattr(record, parent_field)].append(record)
        return grouped

    @cached_property
    def measurements_by_kpi(self) -> dict[str, list[Measurement]]:
        grouped = self.children(self.measurements, "kpi_id")
        for values in grouped.values():
            values.sort(key=lambda m: m.measured_on)
        return grouped

    @cached_property
    def kpis_by_objective(self) -> dict[str, list[Kpi]]:
        return self.children(self.kpis, "objective_id")

    @cached_property
    def sessions_by_course(self) -> dict[str, list[Session]]:
        return self.children(self.sessions, "course_id")

    @cached_property
    def attendance_by_session(self) -> dict[str, list[Attendance]]:
        return self.children(self.attendance, "session_id")

    @cached_property
    def criteria_by_phase(self) -> dict[str, list[GateCriterion]]:
        return self.children(self.gate_criteria, "phase_id")

    @cached_property
    def snapshots_by_stakeholder(self) -> dict[str, list[Snapshot]]:
        grouped = self.children(self.snapshots, "stakeholder_id")
        for values in grouped.values():
            values.sort(key=lambda s: s.taken_on)
        return grouped

    @cached_property
    def scores_by_option(self) -> dict[str, list[Score]]:
        return self.children(self.scores, "option_id")

    def latest_measurement(self, kpi_id: str) -> Measurement | None:
        values = self.measurements_by_kpi.get(kpi_id)
        return values[-1] if values else None

    @cached_property
    def phases_in_order(self) -> list[Phase]:
        return sorted(self.phases, key=lambda p: (p.sequence, p.starts_on or date.max, p.name))


def _kind_attrs() -> dict[str, str]:
    """Each `tuple[SomeRecord, ...]` field of the plan, keyed by its record kind, in field order."""
    hints = get_type_hints(Plan)
    out: dict[str, str] = {}
    for item in fields(Plan):
        args = get_args(hints[item.name])
        if args and isinstance(args[0], type) and issubclass(args[0], Record):
            out[args[0].KIND] = item.name
    return out


Plan.KIND_ATTRS = _kind_attrs()
