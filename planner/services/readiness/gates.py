"""Go/no-go gates: each criterion measured against the plan, then a traffic light per phase."""

from __future__ import annotations

from planner.domain.enums import AdkarStage, Direction, GateCriterionKind
from planner.domain.records import ADKAR_FIELDS, GateCriterion, Phase
from planner.services.readiness.index import PlanIndex
from planner.services.readiness.model import CriterionResult, GateResult, GateStatus

_KIND_ORDER = {kind: position for position, kind in enumerate(GateCriterionKind)}

RED_SHARE_NOT_MET = 0.5
"""A gate turns red when more than this share of its criteria are not met."""


def evaluate_gates(ix: PlanIndex, score: int) -> list[GateResult]:
    out = []
    for phase in ix.phases:
        ordered = sorted(
            ix.plan.criteria_by_phase.get(phase.id, []), key=lambda c: (_KIND_ORDER[c.kind], c.name)
        )
        criteria = [evaluate_criterion(ix, phase, c, score) for c in ordered]
        out.append(
            GateResult(
                phase.id,
                phase.name,
                gate_status(criteria),
                criteria,
                kind=phase.kind.value,
                starts_on=phase.starts_on,
                decision=phase.decision.value,
            )
        )
    return out


def gate_status(criteria: list[CriterionResult]) -> GateStatus:
    """Green when every criterion is met; red with no criteria or most not met; else amber."""
    if not criteria:
        return "red"
    not_met = sum(1 for c in criteria if c.met is False)
    if not_met > RED_SHARE_NOT_MET * len(criteria):
        return "red"
    if all(c.met is True for c in criteria):
        return "green"
    return "amber"


def evaluate_criterion(
    ix: PlanIndex, phase: Phase, criterion: GateCriterion, score: int
) -> CriterionResult:
    kind = criterion.kind
    base = {"description": criterion.name, "kind": kind.value, "criterion_id": criterion.id}
    if kind is GateCriterionKind.KPI_THRESHOLD:
        return _kpi(ix, criterion, base)
    if kind is GateCriterionKind.TRAINING_COVERAGE:
        share = ix.trained_share(phase)
        required = criterion.threshold
        if share is None:
            return CriterionResult(
                met=None,
                actual=None,
                required=required,
                detail="the phase has no audience in scope",
                **base,
            )
        actual = round(share, 1)
        return CriterionResult(
            met=share >= (required or 0),
            actual=actual,
            required=required,
            detail=f"{actual:g}% of the phase's people trained, {_g(required)}% required",
            **base,
        )
    if kind is GateCriterionKind.ADKAR_LEVEL:
        return _adkar(ix, phase, criterion, base)
    if kind is GateCriterionKind.READINESS_SCORE:
        required = criterion.threshold
        return CriterionResult(
            met=score >= (required or 0),
            actual=score,
            required=required,
            detail=f"overall readiness {score}, {_g(required)} required",
            **base,
        )
    return CriterionResult(
        met=criterion.met,
        actual=criterion.met,
        required=True,
        detail="ticked as met" if criterion.met else "not ticked as met",
        **base,
    )


def _g(value: float | None) -> str:
    return "–" if value is None else f"{value:g}"


def _kpi(ix: PlanIndex, criterion: GateCriterion, base: dict[str, str]) -> CriterionResult:
    kpi = ix.kpis.get(criterion.kpi_id or "")
    required = criterion.threshold
    if kpi is None:
        return CriterionResult(
            met=None, actual=None, required=required, detail="its KPI no longer exists", **base
        )
    latest = ix.plan.latest_measurement(kpi.id)
    if latest is None:
        return CriterionResult(
            met=None,
            actual=None,
            required=required,
            detail=f"‘{kpi.name}’ has no measurement yet",
            **base,
        )
    threshold = required if required is not None else 0.0
    increase = kpi.direction is Direction.INCREASE
    met = latest.value >= threshold if increase else latest.value <= threshold
    unit = "" if not kpi.unit else kpi.unit if kpi.unit == "%" else f" {kpi.unit}"
    return CriterionResult(
        met=met,
        actual=latest.value,
        required=required,
        detail=(
            f"‘{kpi.name}’ at {latest.value:g}{unit} on {latest.measured_on.isoformat()}, "
            f"{'at least' if increase else 'at most'} {threshold:g}{unit} required"
        ),
        **base,
    )


def _adkar(
    ix: PlanIndex, phase: Phase, criterion: GateCriterion, base: dict[str, str]
) -> CriterionResult:
    """The weakest group in scope decides: every audience must reach the level."""
    required = criterion.threshold
    stages = [criterion.adkar_stage] if criterion.adkar_stage else list(AdkarStage)
    fields = [ADKAR_FIELDS[list(AdkarStage).index(stage)] for stage in stages]
    in_scope = [s for sid in set(phase.scope_ids) if (s := ix.stakeholders.get(sid)) is not None]
    weakest: tuple[int, str] | None = None
    if in_scope:
        levels = (
            [min(getattr(s, f) for f in fields) for s in in_scope]
            if len(fields) > 1
            else [getattr(s, fields[0]) for s in in_scope]
        )
        lowest = min(levels)
        weakest = (
            lowest,
            min(s.name for s, level in zip(in_scope, levels, strict=True) if level == lowest),
        )
    if weakest is None:
        return CriterionResult(
            met=None,
            actual=None,
            required=required,
            detail="the phase has no audience in scope",
            **base,
        )
    stage_name = stages[0].label if len(stages) == 1 else "any ADKAR stage"
    return CriterionResult(
        met=weakest[0] >= (required or 0),
        actual=weakest[0],
        required=required,
        detail=(
            f"lowest {stage_name} level in scope is {weakest[0]} ({weakest[1]}), "
            f"{_g(required)} required"
        ),
        **base,
    )
