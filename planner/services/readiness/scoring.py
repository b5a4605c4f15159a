"""How findings become scores, and why a plan with a critical gap cannot look ready.

Each step is a plain rule a user can redo by hand from the findings list and the
gates; `rules_markdown()` prints these same constants:

1. a dimension loses points per finding (capped per rule, so one gap repeated over
   many records does not drown every other problem);
2. a critical finding lowers the dimension's starting point, so one critical alone
   puts the dimension in the red band, whatever else is right;
3. the phased-rollout dimension is no greener than its worst gate;
4. a dimension with nothing to judge scores 0 and says "not enough data": missing
   evidence counts against a plan, never for it;
5. the overall is the weighted mean, but never more than `OVERALL_SPREAD` points
   above the worst dimension, so a red dimension shows in the overall.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping

from planner.services.readiness.model import (
    DIMENSIONS,
    DimensionScore,
    DimensionStatus,
    GateStatus,
    Rule,
    Severity,
)

PENALTY: dict[Severity, int] = {"critical": 15, "warning": 6, "info": 2}
"""Points a dimension loses for each finding of this severity."""

RULE_CAP_FINDINGS = 2
"""One rule takes away at most this many findings' worth of points from its dimension."""

CRITICAL_START = 60
"""A dimension with a critical finding starts from this instead of 100 (one critical: 45)."""

GREEN_FROM = 80
"""Dimension scores from here up are green ..."""

AMBER_FROM = 50
"""... from here up amber, and below it red."""

RED_GATE_CAP = AMBER_FROM - 5
"""The phased-rollout dimension scores at most this while any gate is red."""

OVERALL_SPREAD = 20
"""The overall score is at most this many points above the worst dimension."""

DIMENSION_WEIGHTS: dict[str, int] = {key: 1 for key, _ in DIMENSIONS}
"""Weights of the dimensions in the overall score (a weighted mean)."""


def dimension_scores(
    findings: Iterable[tuple[Rule, int]],
    evidence: Mapping[str, int] | None = None,
    worst_gate: GateStatus | None = None,
) -> list[DimensionScore]:
    """Scores from how many findings each rule produced, what each dimension could judge
    (records it rests on; None: all judged) and the worst gate light (None: no gates)."""
    deduction: Counter[str] = Counter()
    counts: Counter[str] = Counter()
    criticals: Counter[str] = Counter()
    for rule, count in findings:
        counts[rule.dimension] += count
        deduction[rule.dimension] += PENALTY[rule.severity] * min(count, RULE_CAP_FINDINGS)
        if rule.severity == "critical":
            criticals[rule.dimension] += count
    out = []
    for key, label in DIMENSIONS:
        judged = None if evidence is None else evidence.get(key, 0)
        start = CRITICAL_START if criticals[key] else 100
        score = max(0, start - deduction[key])
        if key == "phased_rollout" and worst_gate == "red":
            score = min(score, RED_GATE_CAP)
        status: DimensionStatus
        if judged == 0:
            score, status = 0, "not_enough_data"
        else:
            status = "green" if score >= GREEN_FROM else "amber" if score >= AMBER_FROM else "red"
        out.append(
            DimensionScore(
                key,
                label,
                score,
                counts[key],
                deduction[key],
                status=status,
                criticals=criticals[key],
                evidence=judged,
            )
        )
    return out


def overall_score(dimensions: list[DimensionScore]) -> int:
    """Weighted mean rounded half up, capped at the worst dimension plus `OVERALL_SPREAD`."""
    total = sum(DIMENSION_WEIGHTS[d.key] for d in dimensions)
    if not total:
        return 0
    weighted = sum(DIMENSION_WEIGHTS[d.key] * d.score for d in dimensions)
    mean = math.floor(weighted / total + 0.5)
    return min(mean, min(d.score for d in dimensions) + OVERALL_SPREAD)
