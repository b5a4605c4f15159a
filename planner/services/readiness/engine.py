"""Running the catalogue over a plan: findings, then scores, then gates (which may use the score)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from planner import collector
from planner.charts.privacy import ATTITUDE_RULES
from planner.domain.plan import Plan
from planner.services.readiness.catalogue import RULES
from planner.services.readiness.gates import evaluate_gates, worst
from planner.services.readiness.index import PlanIndex
from planner.services.readiness.model import SEVERITIES, ReadinessReport, Rule
from planner.services.readiness.overrides import checked_overrides, rules_for
from planner.services.readiness.scoring import dimension_scores, overall_score


def check(
    plan: Plan, today: date | None = None, rules: Sequence[Rule] | None = None
) -> ReadinessReport:
    """Check a plan as of `today`, with the initiative's own thresholds where it has any;
    findings come most severe first, then in catalogue order. Raises DomainError (one line)
    when those thresholds are not valid (a file edited by hand)."""
    with collector.paused():
        # The index (tens of thousands of objects) is freed when `_report` returns, so
        # the collector, back on, finds only the report's findings in its young generation.
        return _report(plan, today or date.today(), RULES if rules is None else rules)


def _report(plan: Plan, day: date, rules: Sequence[Rule]) -> ReadinessReport:
    """The check itself, run with the collector paused (see `check`)."""
    index = PlanIndex(plan, day)
    chosen = rules_for(plan.initiative, rules)
    not_run: tuple[str, ...] = ()
    if plan.attitudes_hidden:
        # Run on the defaults the reader was given, they would judge attitudes nobody
        # recorded; and a finding would say whom the team counts as resistant.
        not_run = tuple(rule.id for rule in chosen if rule.id in ATTITUDE_RULES)
        chosen = [rule for rule in chosen if rule.id not in ATTITUDE_RULES]
    per_rule = [(rule, rule.findings(index)) for rule in chosen]
    findings = [
        f
        for severity in SEVERITIES
        for rule, found in per_rule
        if rule.severity == severity
        for f in found
    ]
    evidence = dimension_evidence(index)
    preliminary = evaluate_gates(index, None, findings)
    gate_light = worst(g.status for g in preliminary) if preliminary else None
    dimensions = dimension_scores(
        ((rule, len(found)) for rule, found in per_rule), evidence, gate_light
    )
    score = overall_score(dimensions)
    return ReadinessReport(
        initiative=plan.initiative.name,
        initiative_id=plan.initiative.id,
        today=day,
        score=score,
        dimensions=dimensions,
        findings=findings,
        gates=evaluate_gates(index, score, findings, preliminary),
        thresholds=checked_overrides(plan.initiative.readiness_thresholds),
        not_run=not_run,
    )


def dimension_evidence(ix: PlanIndex) -> dict[str, int]:
    """How many records each dimension can judge; none means "not enough data"."""
    plan = ix.plan
    return {
        "stakeholder_involvement": len(plan.stakeholders),
        "objectives": len(plan.objectives),
        "change_management": len(plan.courses) + len(plan.risks),
        "communication": len(ix.live_communications),
        # one option alone, none chosen, or no weighted criterion: no choice to judge
        "technology_fit": (
            len(plan.options)
            if len(plan.options) > 1 and any(o.chosen for o in plan.options) and ix.total_weight > 0
            else 0
        ),
        "phased_rollout": len(plan.phases),
    }
