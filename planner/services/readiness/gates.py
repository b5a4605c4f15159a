"""Go/no-go gates: each criterion measured against the plan, then a traffic light per phase."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from itertools import takewhile
from typing import Any

from planner.domain.enums import AdkarStage, Direction, GateCriterionKind, PhaseKind
from planner.domain.records import ADKAR_FIELDS, GateCriterion, Phase
from planner.services.readiness.index import PlanIndex
from planner.services.readiness.model import CriterionResult, Finding, GateResult, GateStatus

_KIND_ORDER = {kind: position for position, kind in enumerate(GateCriterionKind)}

NEAR_MISS_PERCENT: dict[str, float] = {"pilot": 10.0, "wave": 5.0}
"""A criterion not met by at most this share of its threshold is a near miss (amber) in a
phase of this kind; further off it is red. A pilot exists to learn, so it tolerates more."""

_RANK: dict[GateStatus, int] = {"green": 0, "amber": 1, "red": 2}

SCOPED_KINDS = frozenset({"stakeholder", "phase", "gate_criterion"})
"""Findings on these records belong to one phase's scope; all others concern every phase."""


def worst(statuses: Iterable[GateStatus]) -> GateStatus:
    return max(statuses, key=_RANK.__getitem__, default="green")


class Criticals:
    """The critical findings, grouped once so that each gate counts those in its scope
    without walking every finding again (a big plan has thousands, and twenty phases)."""

    def __init__(self, findings: Iterable[Finding]) -> None:
        self.everywhere = 0
        self.stakeholders: dict[str, int] = {}
        self.phases: dict[str, int] = {}
        for f in findings:
            if f.severity != "critical":
                continue
            if f.record is None or f.record.kind not in SCOPED_KINDS:
                self.everywhere += 1
            elif f.record.kind == "stakeholder":
                self.stakeholders[f.record.id] = self.stakeholders.get(f.record.id, 0) + 1
            elif f.record.kind == "phase":
                self.phases[f.record.id] = self.phases.get(f.record.id, 0) + 1

    def in_scope(self, phase: Phase) -> int:
        """Critical findings that concern this phase: about its audiences, itself, or the
        plan as a whole (objectives, options, the initiative ...)."""
        per_stakeholder = self.stakeholders
        return (
            self.everywhere
            + self.phases.get(phase.id, 0)
            + sum(per_stakeholder.get(sid, 0) for sid in set(phase.scope_ids))
        )


def evaluate_gates(
    ix: PlanIndex,
    score: int | None,
    findings: list[Finding],
    earlier: Sequence[GateResult] = (),
) -> list[GateResult]:
    """Every phase's gate; with `score` None, readiness-score criteria are left out (the
    lights the phased-rollout score is capped by, before the overall score exists).

    `earlier` are those lights: their criteria do not depend on the score and are not
    measured again. `findings` come most severe first, so the criticals are a prefix.
    """
    out = []
    criticals = Criticals(
        takewhile(lambda f: f.severity == "critical", findings) if score is not None else ()
    )
    measured = {c.criterion_id: c for gate in earlier for c in gate.criteria}
    pilots = [p for p in ix.phases if p.kind is PhaseKind.PILOT]
    for phase in ix.phases:
        declared = sorted(
            ix.plan.criteria_by_phase.get(phase.id, []), key=lambda c: (_KIND_ORDER[c.kind], c.name)
        )
        ordered = (
            declared
            if score is not None
            else [c for c in declared if c.kind is not GateCriterionKind.READINESS_SCORE]
        )
        criteria = [
            measured.get(c.id) or evaluate_criterion(ix, phase, c, score or 0, criticals)
            for c in ordered
        ]
        big_bang = phase.kind is PhaseKind.WAVE and not any(
            p.starts_on is None
            or phase.starts_on is None
            or (p.ends_on or p.starts_on) <= phase.starts_on
            for p in pilots
        )
        asks_kpi = phase.kind is PhaseKind.PILOT or any(
            c.kind is GateCriterionKind.KPI_THRESHOLD for c in declared
        )
        status: GateStatus
        if not declared:
            status, reason = "red", "The gate has no criteria."
        elif not phase.scope_ids:
            status, reason = "red", "The phase names nobody in its scope: nothing can be judged."
        else:
            status, reason = gate_status(criteria, big_bang=big_bang, asks_kpi=asks_kpi)
        out.append(
            GateResult(
                phase.id,
                phase.name,
                status,
                criteria,
                kind=phase.kind.value,
                starts_on=phase.starts_on,
                decision=phase.decision.value,
                reason=reason,
            )
        )
    return out


def gate_status(
    criteria: list[CriterionResult], *, big_bang: bool = False, asks_kpi: bool = True
) -> tuple[GateStatus, str]:
    """The worst criterion decides; a wave no pilot has gone before (a big bang), or whose
    gate never asks a KPI, is at best amber."""
    status = worst(c.status for c in criteria)
    if status == "red":
        far = [c.description for c in criteria if c.status == "red"]
        return status, f"Far from its threshold: {', '.join(far)}."
    if big_bang:
        return "amber", "No pilot ends before this phase starts: a big bang is at best amber."
    if not asks_kpi:
        return "amber", "The gate asks no KPI whether the change delivers: at best amber."
    if status == "amber":
        near = [c.description for c in criteria if c.status == "amber"]
        return status, f"Near misses or not known yet: {', '.join(near)}."
    return "green", "Every criterion is met."


def _judged(result: CriterionResult, phase: Phase, increase: bool = True) -> CriterionResult:
    """The criterion's light from how far its actual value is from the threshold."""
    if result.met is True:
        return replace(result, status="green", shortfall=None)
    if result.met is None:
        return replace(result, status="amber", shortfall=None)
    actual, required = result.actual, result.required
    if not isinstance(actual, (int, float)) or isinstance(actual, bool) or not required:
        return replace(result, status="red", shortfall=100.0)
    gap = (required - actual) if increase else (actual - required)
    shortfall = round(100 * gap / abs(required), 1)
    near = shortfall <= NEAR_MISS_PERCENT[phase.kind.value]
    return replace(result, status="amber" if near else "red", shortfall=shortfall)


def evaluate_criterion(
    ix: PlanIndex, phase: Phase, criterion: GateCriterion, score: int, criticals: Criticals
) -> CriterionResult:
    kind = criterion.kind
    if kind is GateCriterionKind.KPI_THRESHOLD:
        kpi = ix.kpis.get(criterion.kpi_id or "")
        increase = kpi is None or kpi.direction is Direction.INCREASE
        return _judged(_measure(ix, phase, criterion, score, criticals), phase, increase)
    result = _measure(ix, phase, criterion, score, criticals)
    if kind is GateCriterionKind.READINESS_SCORE and criticals.in_scope(phase):
        return replace(result, status="red", shortfall=None)  # however close the number is
    return _judged(result, phase)


def _measure(
    ix: PlanIndex, phase: Phase, criterion: GateCriterion, score: int, criticals: Criticals
) -> CriterionResult:
    kind = criterion.kind
    base: dict[str, Any] = {
        "description": criterion.name,
        "kind": kind.value,
        "criterion_id": criterion.id,
    }
    if kind is GateCriterionKind.KPI_THRESHOLD:
        return _kpi(ix, phase, criterion, base)
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
        if share >= (required or 0):
            return CriterionResult(
                met=True,
                actual=actual,
                required=required,
                detail=f"{actual:g}% of the phase's people trained, {_g(required)}% required",
                **base,
            )
        booked = ix.booked_share(phase) or 0.0
        if booked >= (required or 0):
            return CriterionResult(
                met=None,
                actual=actual,
                required=required,
                detail=(
                    f"{actual:g}% of the phase's people trained so far, {round(booked, 1):g}% "
                    f"with the sessions booked before it starts; {_g(required)}% required"
                ),
                **base,
            )
        return CriterionResult(
            met=False,
            actual=round(booked, 1) if booked > share else actual,
            required=required,
            detail=(
                f"{actual:g}% of the phase's people trained"
                + (f", {round(booked, 1):g}% with the sessions booked" if booked > share else "")
                + f"; {_g(required)}% required"
            ),
            **base,
        )
    if kind is GateCriterionKind.ADKAR_LEVEL:
        return _adkar(ix, phase, criterion, base)
    if kind is GateCriterionKind.READINESS_SCORE:
        required = criterion.threshold
        blocking = criticals.in_scope(phase)
        if blocking:
            return CriterionResult(
                met=False,
                actual=score,
                required=required,
                detail=(
                    f"overall readiness {score}, {_g(required)} required, but "
                    f"{blocking} critical finding{'s' if blocking > 1 else ''} "
                    f"remain in the phase's scope"
                ),
                **base,
            )
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


def _kpi(
    ix: PlanIndex, phase: Phase, criterion: GateCriterion, base: dict[str, Any]
) -> CriterionResult:
    """A wave's KPI counts only as measured since the pilot started: a value from before
    says nothing about what the pilot changed."""
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
    since = ix.evidence_since(phase)
    if since is not None and latest.measured_on < since:
        return CriterionResult(
            met=None,
            actual=None,
            required=required,
            detail=(
                f"‘{kpi.name}’ was last measured on {latest.measured_on.isoformat()}, "
                f"before the pilot's start on {since.isoformat()}"
            ),
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
    ix: PlanIndex, phase: Phase, criterion: GateCriterion, base: dict[str, Any]
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
