"""What a readiness check produces: findings, dimension scores and gate results.

Plain frozen values, so the UI, the charts and the command line can hold on to a
report without any link back to the plan or the database.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from planner.domain.records import Record

if TYPE_CHECKING:
    from planner.services.readiness.index import PlanIndex

Severity = Literal["critical", "warning", "info"]
GateStatus = Literal["green", "amber", "red"]
DimensionStatus = Literal["green", "amber", "red", "not_enough_data"]

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
    action: str = ""
    """What to do about it, in one sentence naming who and by when."""

    def to_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "dimension": self.dimension,
            "severity": self.severity,
            "message": self.message,
            "action": self.action,
            "record": self.record.to_json() if self.record else None,
        }


Found = tuple[str, Record | None] | tuple[str, Record | None, str]
"""What an evaluation yields: a message, the record to fix, and optionally the action
(without one, the rule's `action` text is used, with `{name}` the record's name)."""
Findings = Iterator[Found]
"""What a rule's evaluation returns."""


Evaluate = Callable[["Rule", "PlanIndex"], Iterable[Found]]


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
    action: str = ""
    """What to do, for findings whose evaluation does not say more precisely."""

    def __getitem__(self, name: str) -> Any:
        return self.thresholds[name]

    def findings(self, index: PlanIndex) -> list[Finding]:
        # `_make` (the named tuples' documented constructor from an iterable) skips the
        # keyword handling of their `__new__`, and the record's name goes into the default
        # action by concatenation rather than str.format: a big plan yields tens of thousands.
        make, ref = Finding._make, RecordRef._make
        rule, dimension, severity, action = self.id, self.dimension, self.severity, self.action
        before, named, after = action.partition("{name}")
        out: list[Finding] = []
        for found in self.evaluate(self, index):
            record = found[1]
            about = None if record is None else ref((record.KIND, record.id, record.title))
            if len(found) == 3:
                todo = found[2]
            elif named and about is not None:
                todo = before + about.name + after
            else:
                todo = action
            out.append(make((rule, dimension, severity, found[0], about, todo)))
        return out


@dataclass(frozen=True)
class DimensionScore:
    key: str
    label: str
    score: int
    findings: int
    deduction: int = 0
    status: DimensionStatus = "green"
    criticals: int = 0
    evidence: int | None = None
    """How many records the dimension could judge (0: not enough data)."""

    @property
    def status_label(self) -> str:
        return "not enough data" if self.status == "not_enough_data" else self.status

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "score": self.score,
            "status": self.status,
            "findings": self.findings,
            "criticals": self.criticals,
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
    status: GateStatus = "amber"
    """Green when met; amber when not known yet or a near miss; red when far off."""
    shortfall: float | None = None
    """How far from its threshold, in percent of the threshold (None: met or not known)."""

    def to_json(self) -> dict[str, Any]:
        return {
            "description": self.description,
            "met": self.met,
            "status": self.status,
            "actual": self.actual,
            "required": self.required,
            "shortfall_percent": self.shortfall,
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
    reason: str = ""
    """Why the gate has its colour, in one sentence."""

    def to_json(self) -> dict[str, Any]:
        return {
            "phase": self.phase,
            "phase_id": self.phase_id,
            "status": self.status,
            "reason": self.reason,
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
    thresholds: dict[str, dict[str, Any]] = field(default_factory=dict)
    """The initiative's own thresholds, where they replace the documented defaults."""
    not_run: tuple[str, ...] = ()
    """Rules left out because they judge attitudes this reader may not see (a team
    plan's viewer); the scores leave them out too."""

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
        withheld = {"not_run": list(self.not_run)} if self.not_run else {}
        return {
            "initiative": self.initiative,
            "initiative_id": self.initiative_id,
            "today": self.today.isoformat(),
            "score": self.score,
            "dimensions": [d.to_json() for d in self.dimensions],
            "findings": [f.to_json() for f in self.findings],
            "gates": [g.to_json() for g in self.gates],
            "thresholds": {
                rule: {name: list(v) if isinstance(v, tuple) else v for name, v in values.items()}
                for rule, values in self.thresholds.items()
            },
            **withheld,
        }
