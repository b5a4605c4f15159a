"""The decorator that turns an evaluation function into a catalogued rule."""

from __future__ import annotations

from collections.abc import Callable

from planner.services.readiness.model import (
    DIMENSION_LABELS,
    Evaluate,
    Rule,
    Severity,
    ThresholdValue,
)

REGISTERED: list[Rule] = []


def rule(
    rule_id: str,
    dimension: str,
    severity: Severity,
    title: str,
    why: str,
    *,
    action: str,
    **thresholds: ThresholdValue,
) -> Callable[[Evaluate], Evaluate]:
    """Register a rule; its thresholds live here, next to its explanation, for all to see.

    The decorated function's docstring says when the rule fires; it is shown to
    users in the rules document, so it is written for them. `action` says what to
    do (`{name}` is the record's name) where the evaluation does not give a more
    precise sentence with names and dates.
    """
    if dimension not in DIMENSION_LABELS:
        raise ValueError(f"rule {rule_id}: unknown dimension {dimension!r}")
    if any(r.id == rule_id for r in REGISTERED):
        raise ValueError(f"rule {rule_id} is defined twice")

    def register(evaluate: Evaluate) -> Evaluate:
        when = " ".join((evaluate.__doc__ or "").split())
        if not when:
            raise ValueError(f"rule {rule_id}: its function's docstring must say when it fires")
        REGISTERED.append(
            Rule(
                rule_id,
                dimension,
                severity,
                title,
                " ".join(why.split()),
                evaluate,
                dict(thresholds),
                when,
                " ".join(action.split()),
            )
        )
        return evaluate

    return register
