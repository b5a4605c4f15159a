"""The readiness check: a plan measured against the five failure causes and the phased-rollout remedy.

Qt-free; the window, the charts and `planner check` all call `check(plan)`.
"""

from planner.services.readiness.catalogue import RULES, RULES_BY_ID
from planner.services.readiness.document import rules_markdown
from planner.services.readiness.engine import check
from planner.services.readiness.model import (
    DIMENSIONS,
    SEVERITIES,
    CriterionResult,
    DimensionScore,
    Finding,
    GateResult,
    ReadinessReport,
    RecordRef,
    Rule,
)

__all__ = [
    "DIMENSIONS",
    "RULES",
    "RULES_BY_ID",
    "SEVERITIES",
    "CriterionResult",
    "DimensionScore",
    "Finding",
    "GateResult",
    "ReadinessReport",
    "RecordRef",
    "Rule",
    "check",
    "rules_markdown",
]
