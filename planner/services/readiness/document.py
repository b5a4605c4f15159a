"""The readiness rules as a document a change manager can read (Help → Readiness rules).

Generated from the catalogue and the scoring constants, so the document cannot
drift from what the check does; `resources/readiness-rules.md` is this text
(regenerate it with `python -m planner.services.readiness > resources/readiness-rules.md`).
"""

from __future__ import annotations

from planner.services.readiness.catalogue import RULES
from planner.services.readiness.gates import RED_SHARE_NOT_MET
from planner.services.readiness.model import DIMENSIONS, SEVERITIES, ThresholdValue
from planner.services.readiness.scoring import DIMENSION_WEIGHTS, PENALTY, RULE_CAP_FINDINGS

_SEVERITY_MEANING = {
    "critical": "the plan, as it stands, is likely to fail for this reason; fix before the "
    "next gate",
    "warning": "a real weakness a seasoned change manager would challenge",
    "info": "housekeeping that keeps the plan trustworthy",
}


def _value(value: ThresholdValue) -> str:
    if isinstance(value, tuple):
        return ", ".join(value)
    return str(value)


def rules_markdown() -> str:
    lines = [
        "# Readiness rules",
        "",
        "The readiness check reads the whole plan and reports what a seasoned change manager",
        "would challenge, under six dimensions: the five reasons technology initiatives fail",
        "(siloed decisions, no clear objectives, poor change management, inadequate",
        "communication, budget-driven choices) and the phased-rollout remedy. Every finding",
        "names its rule, its severity and the record to fix.",
        "",
        "This document is generated from the rules themselves (`planner check` and the",
        "window use exactly these rules and thresholds).",
        "",
        "## Severities",
        "",
    ]
    lines += [f"- **{s}** — {_SEVERITY_MEANING[s]}." for s in SEVERITIES]
    lines += [
        "",
        "## How the scores are computed",
        "",
        "Each dimension starts at 100 and loses points for each of its findings:",
        "",
        "| severity | points per finding | at most per rule |",
        "|---|---|---|",
    ]
    lines += [f"| {s} | {PENALTY[s]} | {PENALTY[s] * RULE_CAP_FINDINGS} |" for s in SEVERITIES]
    weights = ", ".join(f"{key} {DIMENSION_WEIGHTS[key]}" for key, _ in DIMENSIONS)
    lines += [
        "",
        f"One rule takes away at most {RULE_CAP_FINDINGS} findings' worth of points, so a",
        "single gap repeated over many records does not hide every other problem; the score",
        "never goes below 0. The overall score is the weighted mean of the six dimension",
        f"scores, rounded half up to a whole number (weights: {weights}).",
        "",
        "## How gates are judged",
        "",
        "Each rollout phase has a go/no-go gate with criteria, each checked against the plan:",
        "",
        "- **KPI threshold** — the KPI's latest measurement against the threshold (at least",
        "  the threshold for a KPI that should increase, at most for one that should",
        "  decrease); not known until the KPI is measured.",
        "- **Training coverage** — the share of the people in the phase's scope who attended",
        "  training (registrations do not count; a group counts at most its headcount).",
        "- **ADKAR level** — the lowest level at the chosen stage among the audiences in",
        "  scope: every audience must reach it (with no stage, the lowest of all five).",
        "- **Readiness score** — the overall score of this check.",
        "- **Manual** — ticked as met by the team.",
        "",
        "A gate is **green** when every criterion is met; **red** when it has no criteria or",
        f"more than {RED_SHARE_NOT_MET:.0%} of them are not met; **amber** otherwise (some not",
        "met, or not measurable yet).",
    ]
    for key, label in DIMENSIONS:
        lines += ["", f"## {label} (`{key}`)"]
        for rule in (r for r in RULES if r.dimension == key):
            lines += [
                "",
                f"### `{rule.id}` — {rule.title}",
                "",
                f"Severity: **{rule.severity}**.",
                "",
                rule.why,
                "",
                f"When it fires: {rule.when}",
            ]
            if rule.thresholds:
                lines += [
                    "",
                    "Thresholds: "
                    + ", ".join(
                        f"`{name}` = {_value(value)}" for name, value in rule.thresholds.items()
                    )
                    + ".",
                ]
    return "\n".join(lines) + "\n"
