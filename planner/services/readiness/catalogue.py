"""The rule catalogue, in dimension order: the single source for the check and its documentation."""

from __future__ import annotations

from planner.services.readiness import (  # noqa: F401  (each module registers its rules)
    rules_change,
    rules_communication,
    rules_objectives,
    rules_rollout,
    rules_stakeholders,
    rules_technology,
)
from planner.services.readiness.model import DIMENSIONS, Rule
from planner.services.readiness.registry import REGISTERED

_ORDER = {key: position for position, (key, _label) in enumerate(DIMENSIONS)}

RULES: list[Rule] = sorted(REGISTERED, key=lambda r: _ORDER[r.dimension])
RULES_BY_ID: dict[str, Rule] = {r.id: r for r in RULES}
