"""Phased rollout: a pilot first, then waves, each behind a go/no-go gate with real criteria."""

from __future__ import annotations

from planner.domain.enums import (
    GateCriterionKind,
    GateDecision,
    PhaseKind,
    StakeholderKind,
)
from planner.services.readiness.index import PlanIndex, impacts_from
from planner.services.readiness.model import Findings, Rule
from planner.services.readiness.registry import rule

DIM = "phased_rollout"


@rule(
    "no-phases",
    DIM,
    "critical",
    "No rollout phases",
    """A big-bang go-live for everyone at once leaves no room to learn and correct before
      the whole organisation depends on the new system.""",
    action="Plan the rollout of ‘{name}’ as a pilot and waves, each with a gate.",
)
def _no_phases(r: Rule, ix: PlanIndex) -> Findings:
    """The initiative has no rollout phases."""
    if not ix.phases:
        yield f"‘{ix.initiative.name}’ has no rollout phases.", ix.initiative


@rule(
    "no-pilot",
    DIM,
    "critical",
    "No pilot",
    """A pilot with a representative group finds the problems while they are still
      cheap to fix, and produces the success stories later waves need.""",
    action="Make the first phase of ‘{name}’ a pilot with a representative group.",
)
def _no_pilot(r: Rule, ix: PlanIndex) -> Findings:
    """There are phases, and none is a pilot."""
    if ix.phases and not any(p.kind is PhaseKind.PILOT for p in ix.phases):
        yield "None of the rollout phases is a pilot.", ix.initiative


@rule(
    "wave-before-pilot-ends",
    DIM,
    "warning",
    "A wave starts before the pilot ends",
    """Waves that start while the pilot is still running cannot benefit from what the
      pilot teaches.""",
    action="Start ‘{name}’ after the pilot ends.",
)
def _wave_before_pilot(r: Rule, ix: PlanIndex) -> Findings:
    """For each wave starting before the (first) pilot ends."""
    pilot_ends = [p.ends_on for p in ix.phases if p.kind is PhaseKind.PILOT and p.ends_on]
    if not pilot_ends:
        return
    end = min(pilot_ends)
    for phase in ix.phases:
        if phase.kind is PhaseKind.WAVE and phase.starts_on is not None and phase.starts_on < end:
            yield (
                (
                    f"‘{phase.name}’ starts on {phase.starts_on.isoformat()}, before the pilot "
                    f"ends on {end.isoformat()}."
                ),
                phase,
            )


@rule(
    "phase-without-dates",
    DIM,
    "warning",
    "Phase with no start or end date",
    """A phase without dates cannot be prepared for: training, communication and gate
      reviews all hang off its start.""",
    action="Give ‘{name}’ a start and an end date.",
)
def _phase_dates(r: Rule, ix: PlanIndex) -> Findings:
    """For each phase missing a start or an end date."""
    for phase in ix.phases:
        missing = [
            what
            for what, value in (("start", phase.starts_on), ("end", phase.ends_on))
            if value is None
        ]
        if missing:
            yield f"‘{phase.name}’ has no {' and no '.join(missing)} date.", phase


@rule(
    "phase-without-scope",
    DIM,
    "warning",
    "Phase with no audience in scope",
    """If a phase does not say who goes live in it, nobody can check their training,
      communication or readiness.""",
    action="Name the audiences that go live in ‘{name}’.",
)
def _phase_scope(r: Rule, ix: PlanIndex) -> Findings:
    """For each phase with no audience in its scope."""
    for phase in ix.phases:
        if not phase.scope_ids:
            yield f"‘{phase.name}’ names no audience in its scope.", phase


@rule(
    "phase-without-gate-criteria",
    DIM,
    "critical",
    "Phase with no gate criteria",
    """A go/no-go gate with no criteria is a formality: the phase goes ahead whatever
      the state of readiness.""",
    action="Add go/no-go criteria to the gate of ‘{name}’.",
)
def _no_gate_criteria(r: Rule, ix: PlanIndex) -> Findings:
    """For each phase with no gate criteria."""
    criteria = ix.plan.criteria_by_phase
    for phase in ix.phases:
        if not criteria.get(phase.id):
            yield f"‘{phase.name}’ has no gate criteria.", phase


@rule(
    "gate-kpi-unmeasured",
    DIM,
    "warning",
    "Gate KPI not measured yet",
    """A gate that depends on a KPI nobody has measured cannot be decided on facts.""",
    action="Measure KPI ‘{name}’ before the gate review.",
)
def _gate_kpi_unmeasured(r: Rule, ix: PlanIndex) -> Findings:
    """For each KPI-threshold gate criterion whose KPI has no measurement."""
    phases = {p.id: p for p in ix.phases}
    for criterion in ix.plan.gate_criteria:
        if criterion.kind is not GateCriterionKind.KPI_THRESHOLD or criterion.kpi_id is None:
            continue
        if ix.plan.latest_measurement(criterion.kpi_id) is None:
            kpi = ix.kpis.get(criterion.kpi_id)
            phase = phases.get(criterion.phase_id)
            name = kpi.title if kpi is not None else "its KPI"
            yield (
                (
                    f"The gate of ‘{phase.name if phase else '?'}’ depends on KPI ‘{name}’, "
                    f"which has no measurement yet."
                ),
                kpi or criterion,
            )


@rule(
    "gate-decision-overdue",
    DIM,
    "warning",
    "Phase started without a gate decision",
    """A phase that has started while its gate is still pending went ahead without the
      go/no-go decision the plan promised.""",
    action="Record the go/no-go decision of ‘{name}’.",
)
def _decision_overdue(r: Rule, ix: PlanIndex) -> Findings:
    """For each phase that started on or before today with its gate decision still pending."""
    for phase in ix.phases:
        if (
            phase.decision is GateDecision.PENDING
            and phase.starts_on is not None
            and phase.starts_on <= ix.today
        ):
            yield (
                (
                    f"‘{phase.name}’ started on {phase.starts_on.isoformat()} and its gate "
                    f"decision is still pending."
                ),
                phase,
            )


@rule(
    "impacted-outside-rollout",
    DIM,
    "info",
    "Strongly affected business group in no phase",
    """A business group whose work changes a lot but that belongs to no phase will go live
      by accident, whenever the old system is switched off.""",
    action="Put {name} into a rollout phase.",
    min_impact="high",
)
def _outside_rollout(r: Rule, ix: PlanIndex) -> Findings:
    """For each business-side group with impact of at least `min_impact` in no phase's scope."""
    if not ix.phases:
        return
    impacts = impacts_from(r["min_impact"])
    scoped = ix.in_any_phase
    for s in ix.business:
        if s.kind is StakeholderKind.GROUP and ix.impact_of(s) in impacts and s.id not in scoped:
            yield f"No rollout phase includes {s.name} ({ix.impact_of(s).value} impact).", s


@rule(
    "gate-kpi-stale",
    DIM,
    "warning",
    "Gate KPI measured only before the pilot",
    """A measurement taken before the pilot says nothing about what the pilot changed; a
      later gate judged on it would be green on old news.""",
    action="Measure KPI ‘{name}’ again before the gate review.",
)
def _gate_kpi_stale(r: Rule, ix: PlanIndex) -> Findings:
    """For each KPI-threshold criterion of a gate after the pilot, once the pilot has started,
    whose KPI's latest measurement is from before the pilot started."""
    phases = {p.id: p for p in ix.phases}
    for criterion in ix.plan.gate_criteria:
        phase = phases.get(criterion.phase_id)
        if criterion.kind is not GateCriterionKind.KPI_THRESHOLD or phase is None:
            continue
        since = ix.evidence_since(phase)
        kpi = ix.kpis.get(criterion.kpi_id or "")
        if since is None or since > ix.today or kpi is None:
            continue
        latest = ix.plan.latest_measurement(kpi.id)
        if latest is not None and latest.measured_on < since:
            yield (
                (
                    f"The gate of ‘{phase.name}’ judges KPI ‘{kpi.name}’ on a measurement of "
                    f"{ix.iso[latest.measured_on]}, before the pilot started on {ix.iso[since]}."
                ),
                kpi,
                f"Measure KPI ‘{kpi.name}’ again before the gate of ‘{phase.name}’.",
            )


@rule(
    "wave-gate-without-kpi",
    DIM,
    "warning",
    "Wave gate with no KPI criterion",
    """After the pilot, the question for every wave is whether the change delivers; a gate
      that looks only at training and readiness never asks it.""",
    action="Add a KPI threshold criterion to the gate of ‘{name}’.",
)
def _wave_without_kpi(r: Rule, ix: PlanIndex) -> Findings:
    """For each wave whose gate has criteria but none of them is a KPI threshold."""
    by_phase = ix.plan.criteria_by_phase
    for phase in ix.phases:
        criteria = by_phase.get(phase.id)
        if (
            phase.kind is PhaseKind.WAVE
            and criteria
            and not any(c.kind is GateCriterionKind.KPI_THRESHOLD for c in criteria)
        ):
            yield f"The gate of ‘{phase.name}’ has no KPI criterion.", phase
