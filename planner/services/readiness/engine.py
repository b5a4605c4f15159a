"""Running the catalogue over a plan: findings, then scores, then gates (which may use the score)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from planner import collector
from planner.domain.plan import Plan
from planner.services.readiness.catalogue import RULES
from planner.services.readiness.gates import evaluate_gates
from planner.services.readiness.index import PlanIndex
from planner.services.readiness.model import SEVERITIES, ReadinessReport, Rule
from planner.services.readiness.scoring import dimension_scores, overall_score


def check(
    plan: Plan, today: date | None = None, rules: Sequence[Rule] | None = None
) -> ReadinessReport:
    """Check a plan as of `today`; findings come most severe first, then in catalogue order."""
    day = today or date.today()
    with collector.paused():
        index = PlanIndex(plan, day)
        per_rule = [(rule, rule.findings(index)) for rule in (RULES if rules is None else rules)]
        findings = [
            f
            for severity in SEVERITIES
            for rule, found in per_rule
            if rule.severity == severity
            for f in found
        ]
        dimensions = dimension_scores((rule, len(found)) for rule, found in per_rule)
        score = overall_score(dimensions)
        return ReadinessReport(
            initiative=plan.initiative.name,
            initiative_id=plan.initiative.id,
            today=day,
            score=score,
            dimensions=dimensions,
            findings=findings,
            gates=evaluate_gates(index, score),
        )
