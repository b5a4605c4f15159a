"""The readiness rules as a document a change manager can read (Help → Readiness rules).

Generated from the catalogue and the scoring constants, so the document cannot
drift from what the check does; `resources/readiness-rules.md` is this text
(regenerate it with `python -m planner.services.readiness > resources/readiness-rules.md`).
"""

from __future__ import annotations

from planner.services.readiness.catalogue import RULES
from planner.services.readiness.gates import NEAR_MISS_PERCENT
from planner.services.readiness.model import DIMENSIONS, SEVERITIES, ThresholdValue
from planner.services.readiness.scoring import (
    AMBER_FROM,
    CRITICAL_START,
    DIMENSION_WEIGHTS,
    GREEN_FROM,
    OVERALL_SPREAD,
    PENALTY,
    RED_GATE_CAP,
    RULE_CAP_FINDINGS,
)

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
        "The scores exist to rank what needs attention, and to make sure a plan with a",
        "serious gap never looks ready. Each step can be redone by hand from the findings:",
        "",
        "1. Each dimension starts at 100 and loses points for each of its findings:",
        "",
        "   | severity | points per finding | at most per rule |",
        "   |---|---|---|",
    ]
    lines += [f"   | {s} | {PENALTY[s]} | {PENALTY[s] * RULE_CAP_FINDINGS} |" for s in SEVERITIES]
    weights = ", ".join(f"{key} {DIMENSION_WEIGHTS[key]}" for key, _ in DIMENSIONS)
    lines += [
        "",
        f"   One rule takes away at most {RULE_CAP_FINDINGS} findings' worth of points, so a",
        "   single gap repeated over many records does not hide every other problem.",
        f"2. A dimension with a critical finding starts from {CRITICAL_START} instead of 100:",
        (
            f"   one critical finding leaves it at most {CRITICAL_START - PENALTY['critical']},"
            " in the red band,"
        ),
        "   whatever else is right. A critical finding means the plan is likely to fail for",
        "   this reason, and no amount of good work elsewhere in the dimension offsets it.",
        f"3. While any gate is red, phased rollout scores at most {RED_GATE_CAP} (red). (The",
        "   gates' lights here leave out readiness-score criteria, which depend on this score.)",
        "4. A dimension with nothing to judge scores 0 and says **not enough data**, so it",
        "   can never score above a dimension that is evidenced: missing evidence counts",
        "   against a plan, never for it. What each dimension judges: stakeholder involvement",
        "   the stakeholders; objectives the objectives; change management the courses and",
        "   risks; communication the communications not cancelled; technology fit the",
        "   options, at least two, one chosen, on weighted criteria (else there is no choice",
        "   to judge);",
        "   phased rollout the phases.",
        "5. The overall score is the weighted mean of the six dimension scores, rounded",
        f"   half up (weights: {weights}), but at most {OVERALL_SPREAD} points above the",
        "   worst dimension: a plan with one red dimension cannot look ready overall.",
        "",
        (
            f"A dimension is **green** from {GREEN_FROM}, **amber** from {AMBER_FROM} and "
            "**red** below; the score never goes below 0."
        ),
        "",
        "### The evidence behind this design",
        "",
        "Prosci's benchmarking studies (surveys of several thousand practitioners over two",
        "decades) report that projects with excellent change management were several times",
        "more likely to meet their objectives than those with poor change management, and",
        "that active, visible sponsorship is the factor respondents name most often. These",
        "findings are **correlational and self-reported**: practitioners rate their own",
        "projects after the fact, so they show association, not cause, and they cannot give",
        'a precise failure rate. The widely quoted claim that "70 % of change fails" has no',
        "sound empirical source and is not used here. What the studies do support is the",
        "design choice above: the success factors are not substitutes for one another. A",
        "missing sponsor is not made up for by excellent training, so the check lets a",
        "critical gap cap its dimension and the worst dimension cap the overall, rather",
        "than averaging the gap away.",
        "",
        "## How gates are judged",
        "",
        "Each rollout phase has a go/no-go gate with criteria, each checked against the plan:",
        "",
        "- **KPI threshold** — the KPI's latest measurement against the threshold (at least",
        "  the threshold for a KPI that should increase, at most for one that should",
        "  decrease); not known until the KPI is measured. For a phase after the pilot, only a",
        "  measurement taken since the pilot started counts.",
        "- **Training coverage** — the share of the people in the phase's scope who attended",
        "  training (registrations do not count; a group counts at most its headcount).",
        "- **ADKAR level** — the lowest level at the chosen stage among the audiences in",
        "  scope: every audience must reach it (with no stage, the lowest of all five).",
        "- **Readiness score** — the overall score of this check; it is **not met** while any",
        "  critical finding remains in the phase's scope (about its audiences, the phase or",
        "  its gate, or about the plan as a whole), whatever the score.",
        "- **Manual** — ticked as met by the team.",
        "",
        "Each criterion gets its own light from how far it is from its threshold (the",
        "shortfall, in percent of the threshold): **green** when met; **amber** when it",
        "cannot be told yet or is a near miss; **red** when further off. A near miss is a",
        "shortfall of at most "
        + " and ".join(f"{v:g} % in a {k}" for k, v in NEAR_MISS_PERCENT.items())
        + ": a pilot exists to learn, a wave puts",
        "everyone in it on the new system. An unticked manual criterion is red. For example",
        "55 % of a wave trained against 85 % required falls short by 35 % of the threshold: red.",
        "",
        "The gate takes the light of its worst criterion; a gate with no criteria, or of a",
        "phase with nobody in its scope, is **red**;",
        "a wave that no pilot ends before (a big bang) is at best **amber**, since nobody",
        "has learnt anything before everyone goes live; so is a wave whose gate has no KPI",
        "criterion, since it never asks whether the change delivers. A training-coverage",
        "criterion not met yet, but met if the people registered for sessions still to come",
        "before the phase attend, is *not known yet* (amber); otherwise its distance is",
        "measured with those registrations counted.",
        "",
        "## Actions",
        "",
        "Every finding says what to do about it in one sentence, with the names and the dates",
        'it concerns ("Schedule a session for Warehouse staff before 17 Feb 2027"). The',
        "rule's default action, below, is used where a finding has nothing more precise.",
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
                "",
                f"What to do: {rule.action.replace('{name}', '*name*')}",
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
