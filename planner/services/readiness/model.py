"""What a readiness check produces: findings, dimension scores and gate results.

Plain frozen values, so the UI, the charts and the command line can hold on to a
report without any link back to the plan or the database.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from planner.domain.records import Record

if TYPE_CHECKING:
    from planner.services.readiness.index import PlanIndex

Severity = Literal["critical", "warning", "info"]
GateStatus = Literal["green", "amber", "red"]

SEVERITIES: tuple[Severity, ...] = ("critical", "warning", "info")

DIMENSIONS: list[tuple[str, str]] = [
    ("stakeholder_involvement", "Stakeholder involvement"),
    ("objectives", "Objectives"),
    ("change_management", "Change management"),
    ("communication", "Communication"),
    ("technology_fit", "Technology fit"),
    ("phased_rollout", "Phased rollout"),
]
DIMENSION_LABELS = dict(DIMENSIONS)

ThresholdValue = float | str | tuple[str, ...]


class RecordRef(NamedTuple):
    """The record a finding is about, so the UI can jump to it.

    Findings and their references are named tuples rather than dataclasses: a
    big plan can produce tens of thousands of them, and tuples are built fastest.
    """

    kind: str
    id: str
    name: str

    @classmethod
    def of(cls, record: Record) -> RecordRef:
        return cls(record.KIND, record.id, record.title)

    def to_json(self) -> dict[str, str]:
        return {"type": self.kind, "id": self.id, "name": self.name}


class Finding(NamedTuple):
    rule: str
    dimension: str
    severity: Severity
    message: str
    record: RecordRef | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "dimension": self.dimension,
            "severity": self.severity,
            "message": self.message,
            "record": self.record.to_json() if self.record else None,
        }


Evaluate = Callable[["Rule", "PlanIndex"], Iterable[tuple[str, Record | None]]]


@dataclass(frozen=True)
class Rule:
    """One check a seasoned change manager would make, with its visible thresholds.

    `evaluate` yields (message, record) pairs; the rule turns them into findings
    so every finding carries the rule's id, dimension and severity.
    """

    id: str
    dimension: str
    severity: Severity
    title: str
    why: str
    evaluate: Evaluate = field(repr=False, compare=False)
    thresholds: Mapping[str, ThresholdValue] = field(default_factory=dict)
    when: str = ""
    """When it fires, in plain language naming its thresholds (the evaluation's docstring)."""

    def __getitem__(self, name: str) -> Any:
        return self.thresholds[name]

    def findings(self, index: PlanIndex) -> list[Finding]:
        # `_make` (the named tuples' documented constructor from an iterable) skips the
        # keyword handling of their `__new__`: a big plan yields tens of thousands.
        make, ref = Finding._make, RecordRef._make
        rule, dimension, severity = self.id, self.dimension, self.severity
        return [
            make(
                (
                    rule,
                    dimension,
                    severity,
                    message,
                    None if record is None else ref((record.KIND, record.id, record.title)),
                )
            )
            for message, record in self.evaluate(self, index)
        ]


@dataclass(frozen=True)
class DimensionScore:
    key: str
    label: str
    score: int
    findings: int
    deduction: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "score": self.score,
            "findings": self.findings,
        }


@dataclass(frozen=True)
class CriterionResult:
    """One gate criterion against the plan: `met` is None when it cannot be told yet."""

    description: str
    met: bool | None
    actual: Any
    required: Any
    kind: str = "manual"
    detail: str = ""
    criterion_id: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "description": self.description,
            "met": self.met,
            "actual": self.actual,
            "required": self.required,
            "kind": self.kind,
            "detail": self.detail,
        }


@dataclass(frozen=True)
class GateResult:
    phase_id: str
    phase: str
    status: GateStatus
    criteria: list[CriterionResult]
    kind: str = "wave"
    starts_on: date | None = None
    decision: str = "pending"

    def to_json(self) -> dict[str, Any]:
        return {
            "phase": self.phase,
            "phase_id": self.phase_id,
            "status": self.status,
            "kind": self.kind,
            "decision": self.decision,
            "starts_on": self.starts_on.isoformat() if self.starts_on else None,
            "criteria": [c.to_json() for c in self.criteria],
        }


@dataclass(frozen=True)
class ReadinessReport:
    initiative: str
    initiative_id: str
    today: date
    score: int
    dimensions: list[DimensionScore]
    findings: list[Finding]
    gates: list[GateResult]

    def dimension(self, key: str) -> DimensionScore:
        for dimension in self.dimensions:
            if dimension.key == key:
                return dimension
        raise KeyError(key)

    def findings_for(
        self, *, rule: str | None = None, dimension: str | None = None
    ) -> list[Finding]:
        return [
            f
            for f in self.findings
            if (rule is None or f.rule == rule) and (dimension is None or f.dimension == dimension)
        ]

    def to_json(self) -> dict[str, Any]:
        return {
            "initiative": self.initiative,
            "initiative_id": self.initiative_id,
            "today": self.today.isoformat(),
            "score": self.score,
            "dimensions": [d.to_json() for d in self.dimensions],
            "findings": [f.to_json() for f in self.findings],
            "gates": [g.to_json() for g in self.gates],
        }
