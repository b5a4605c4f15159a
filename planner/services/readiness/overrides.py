"""A plan's own readiness thresholds: checked against the catalogue, applied to its rules.

An initiative may change any rule's visible thresholds (the cost-weight limit, the
longest silence in a phase, ...) in its `readiness_thresholds` field; what is not
changed keeps the default documented in the rules document. Values are checked here,
against the rule's default: a number for a number (never below zero), an impact level
for an impact level, a list of stages or categories for such a list.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from planner.domain.enums import AdkarStage, Choice, CriterionCategory, Impact
from planner.domain.errors import DomainError
from planner.domain.records import Initiative, ThresholdOverride, threshold_overrides
from planner.services.readiness.catalogue import RULES_BY_ID
from planner.services.readiness.model import Rule, ThresholdValue

_WORDS: tuple[type[Choice], ...] = (Impact, AdkarStage, CriterionCategory)


def _vocabulary(default: ThresholdValue) -> type[Choice] | None:
    """The enumeration a word (or list of words) threshold is drawn from."""
    words = default if isinstance(default, tuple) else (default,)
    for choices in _WORDS:
        values = {c.value for c in choices}
        if all(isinstance(w, str) and w in values for w in words):
            return choices
    return None


def _fail(message: str) -> DomainError:
    return DomainError(
        f"Initiative readiness thresholds: {message}",
        field="readiness_thresholds",
        kind="initiative",
    )


def checked_overrides(text: str | None) -> dict[str, dict[str, ThresholdValue]]:
    """The overrides of an initiative, every one naming a real rule and threshold with a
    value of the right kind; raises DomainError (one line) on the first that does not."""
    out: dict[str, dict[str, ThresholdValue]] = {}
    for rule_id, values in threshold_overrides(text).items():
        rule = RULES_BY_ID.get(rule_id)
        if rule is None:
            raise _fail(f"there is no rule {rule_id!r}")
        for name, value in values.items():
            if name not in rule.thresholds:
                known = ", ".join(rule.thresholds) or "none"
                raise _fail(f"rule {rule_id} has no threshold {name!r} (it has: {known})")
            out.setdefault(rule_id, {})[name] = _checked(rule_id, name, rule[name], value)
    return out


def _checked(
    rule_id: str, name: str, default: ThresholdValue, value: ThresholdOverride
) -> ThresholdValue:
    where = f"{rule_id}.{name}"
    if isinstance(default, (int, float)):
        if not isinstance(value, (int, float)) or value < 0:
            raise _fail(f"{where} must be a number of at least 0, not {value!r}")
        return value
    choices = _vocabulary(default)
    allowed = ", ".join(c.value for c in choices) if choices else ""
    if isinstance(default, tuple):
        if not isinstance(value, tuple) or not value:
            raise _fail(f"{where} must be a list of some of: {allowed}")
        words: Sequence[str] = value
    else:
        if not isinstance(value, str):
            raise _fail(f"{where} must be one of: {allowed}")
        words = (value,)
    if choices is not None:
        for word in words:
            if word not in {c.value for c in choices}:
                raise _fail(f"{where}: {word!r} is not one of {allowed}")
    return value


def rules_for(initiative: Initiative, rules: Sequence[Rule]) -> list[Rule]:
    """The rules with this initiative's own thresholds in place of the defaults."""
    overrides: Mapping[str, Mapping[str, ThresholdValue]] = checked_overrides(
        initiative.readiness_thresholds
    )
    if not overrides:
        return list(rules)
    return [
        replace(rule, thresholds={**rule.thresholds, **overrides[rule.id]})
        if rule.id in overrides
        else rule
        for rule in rules
    ]
