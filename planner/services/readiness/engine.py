"""Running the catalogue over a plan: findings, then scores, then gates (which may use the score)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from planner.domain.plan import Plan
from planner.services.readiness.catalogue import RULES
from planner.services.readiness.gates import evaluate_gates
from planner.services.readiness.index import PlanIndex
from planner.services.readiness.model import SEVERITIES, ReadinessReport, Rule
from planner.services.readiness.scoring import dimension_scores, overall_score

_SEVERITY_ORDER = {severity: position for position, severity in enumerate(SEVERITIES)}


def check(plan: Plan, today: date | None = None,
          rules: Sequence[Rule] | None = None) -> ReadinessReport:
    """Check a plan as of `today`; findings come most severe first, then in catalogue order."""
    day = today or date.today()
    index = PlanIndex(plan, day)
    findings = [f for rule in (RULES if rules is None else rules) for f in rule.findings(index)]
    findings.sort(key=lambda f: _SEVERITY_ORDER[f.severity])
    dimensions = dimension_scores(findings)
    score = overall_score(dimensions)
    return ReadinessReport(initiative=plan.initiative.name, initiative_id=plan.initiative.id,
                           today=day, score=score, dimensions=dimensions, findings=findings,
                           gates=evaluate_gates(index, score))
