"""Objectives: outcomes that can be measured, owned and tracked."""

from __future__ import annotations

from datetime import timedelta

from planner.domain.enums import Direction
from planner.domain.records import Kpi, Measurement
from planner.services.readiness.index import PlanIndex
from planner.services.readiness.model import Findings, Rule
from planner.services.readiness.registry import rule

DIM = "objectives"


@rule(
    "no-objectives",
    DIM,
    "critical",
    "The initiative has no objectives",
    """Without stated outcomes nobody can tell success from failure, and "alignment"
      replaces results.""",
    action="Write the outcomes of ‘{name}’ as objectives with KPIs.",
)
def _no_objectives(r: Rule, ix: PlanIndex) -> Findings:
    """The initiative has no objectives."""
    if not ix.plan.objectives:
        yield f"‘{ix.initiative.name}’ has no objectives.", ix.initiative


@rule(
    "objective-without-kpi",
    DIM,
    "critical",
    "Objective with no KPI",
    """An objective with no KPI cannot be measured, so it cannot steer decisions or gates.""",
    action="Add a KPI with a baseline and a target to ‘{name}’.",
)
def _objective_without_kpi(r: Rule, ix: PlanIndex) -> Findings:
    """For each objective with no KPI."""
    by_objective = ix.plan.kpis_by_objective
    for objective in ix.plan.objectives:
        if not by_objective.get(objective.id):
            yield f"Objective ‘{objective.name}’ has no KPI.", objective


@rule(
    "objective-without-owner",
    DIM,
    "warning",
    "Objective with no owner or due date",
    """An outcome nobody owns, or that has no date, drifts; someone must answer for it
      by a given time.""",
    action="Give objective ‘{name}’ an owner and a due date.",
)
def _objective_without_owner(r: Rule, ix: PlanIndex) -> Findings:
    """For each objective missing an owner or a due date."""
    for objective in ix.plan.objectives:
        missing = [
            what
            for what, value in (("owner", objective.owner), ("due date", objective.due))
            if not value
        ]
        if missing:
            yield f"Objective ‘{objective.name}’ has no {' or '.join(missing)}.", objective


@rule(
    "kpi-without-baseline-or-target",
    DIM,
    "critical",
    "KPI with no baseline or target",
    """Without a baseline there is no starting point, and without a target no finish
      line: progress cannot be shown either way.""",
    action="Record the baseline and the target of KPI ‘{name}’.",
)
def _kpi_baseline_target(r: Rule, ix: PlanIndex) -> Findings:
    """For each KPI missing a baseline or a target."""
    for kpi in ix.plan.kpis:
        missing = [
            what
            for what, value in (("baseline", kpi.baseline), ("target", kpi.target))
            if value is None
        ]
        if missing:
            yield f"KPI ‘{kpi.name}’ has no {' and no '.join(missing)}.", kpi


@rule(
    "kpi-without-owner-or-due",
    DIM,
    "warning",
    "KPI with no owner or due date",
    """A KPI needs someone who measures and reports it, and a date by which the target
      should be reached.""",
    action="Give KPI ‘{name}’ an owner and a due date.",
)
def _kpi_owner_due(r: Rule, ix: PlanIndex) -> Findings:
    """For each KPI missing an owner or a due date."""
    for kpi in ix.plan.kpis:
        missing = [
            what for what, value in (("owner", kpi.owner), ("due date", kpi.due)) if not value
        ]
        if missing:
            yield f"KPI ‘{kpi.name}’ has no {' and no '.join(missing)}.", kpi


@rule(
    "kpi-without-unit",
    DIM,
    "info",
    "KPI with no unit",
    """"42" means nothing to a steering committee; days, %, or users make a figure
      readable.""",
    action="Record the unit of KPI ‘{name}’.",
)
def _kpi_unit(r: Rule, ix: PlanIndex) -> Findings:
    """For each KPI with no unit."""
    for kpi in ix.plan.kpis:
        if not (kpi.unit or "").strip():
            yield f"KPI ‘{kpi.name}’ has no unit.", kpi


@rule(
    "kpi-never-measured",
    DIM,
    "warning",
    "KPI never measured",
    """Once the initiative has started, each KPI needs actual measurements; a KPI only
      ever planned is a wish.""",
    action="Record a first measurement of KPI ‘{name}’.",
)
def _kpi_never_measured(r: Rule, ix: PlanIndex) -> Findings:
    """For each KPI with no measurement, once the initiative has started (or has no start date)."""
    start = ix.initiative.start
    if start is not None and start > ix.today:
        return
    measured = ix.plan.measurements_by_kpi
    for kpi in ix.plan.kpis:
        if not measured.get(kpi.id):
            yield f"KPI ‘{kpi.name}’ has never been measured.", kpi


@rule(
    "kpi-measurement-stale",
    DIM,
    "info",
    "KPI measurement out of date",
    """A figure that has not been refreshed for two months no longer tells whether the
      change is working.""",
    action="Measure KPI ‘{name}’ again and record the value.",
    max_age_weeks=8,
)
def _kpi_stale(r: Rule, ix: PlanIndex) -> Findings:
    """For each KPI whose latest measurement is more than `max_age_weeks` weeks old (unless it
    moves away from its target: that rule reports it, so the KPI is not counted twice)."""
    limit = ix.today - timedelta(weeks=r["max_age_weeks"])
    for kpi in ix.plan.kpis:
        latest = ix.plan.latest_measurement(kpi.id)
        if latest is not None and latest.measured_on < limit and not _moves_away(kpi, latest):
            yield (
                (
                    f"KPI ‘{kpi.name}’ was last measured on {latest.measured_on.isoformat()}, "
                    f"more than {r['max_age_weeks']} weeks ago."
                ),
                kpi,
            )


@rule(
    "kpi-moving-away",
    DIM,
    "warning",
    "KPI moving away from its target",
    """When the latest actual is worse than the baseline, the change is not (yet)
      delivering; the steering group should know and act.""",
    action="Review with the owner of KPI ‘{name}’ why it moves away from its target.",
)
def _kpi_moving_away(r: Rule, ix: PlanIndex) -> Findings:
    """For each KPI whose latest measurement is worse than its baseline, given its direction."""
    for kpi in ix.plan.kpis:
        latest = ix.plan.latest_measurement(kpi.id)
        if latest is not None and _moves_away(kpi, latest):
            yield (
                (
                    f"KPI ‘{kpi.name}’ is at {latest.value:g}, worse than its baseline "
                    f"{kpi.baseline:g}."
                ),
                kpi,
            )


def _moves_away(kpi: Kpi, latest: Measurement) -> bool:
    """The latest actual is worse than the baseline, given the KPI's direction."""
    if kpi.baseline is None:
        return False
    if kpi.direction is Direction.INCREASE:
        return latest.value < kpi.baseline
    return latest.value > kpi.baseline
