"""How findings become scores: points off per finding, capped per rule, floored at zero.

Kept deliberately simple so a user can redo the sum by hand from the findings
list; `rules_markdown()` prints these same constants.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable

from planner.services.readiness.model import DIMENSIONS, DimensionScore, Rule, Severity

PENALTY: dict[Severity, int] = {"critical": 15, "warning": 6, "info": 2}
"""Points a dimension loses for each finding of this severity."""

RULE_CAP_FINDINGS = 2
"""One rule takes away at most this many findings' worth of points from its dimension."""

DIMENSION_WEIGHTS: dict[str, int] = {key: 1 for key, _ in DIMENSIONS}
"""Weights of the dimensions in the overall score (a weighted mean)."""


def dimension_scores(findings: Iterable[tuple[Rule, int]]) -> list[DimensionScore]:
    """Scores from how many findings each rule produced."""
    deduction: Counter[str] = Counter()
    counts: Counter[str] = Counter()
    for rule, count in findings:
        counts[rule.dimension] += count
        deduction[rule.dimension] += PENALTY[rule.severity] * min(count, RULE_CAP_FINDINGS)
    return [
        DimensionScore(key, label, max(0, 100 - deduction[key]), counts[key], deduction[key])
        for key, label in DIMENSIONS
    ]


def overall_score(dimensions: list[DimensionScore]) -> int:
    total = sum(DIMENSION_WEIGHTS[d.key] for d in dimensions)
    weighted = sum(DIMENSION_WEIGHTS[d.key] * d.score for d in dimensions)
    return math.floor(weighted / total + 0.5) if total else 0
