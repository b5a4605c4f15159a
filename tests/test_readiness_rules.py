"""Every rule: silent on a plan that satisfies it, firing on one that breaks it, naming the record."""

import pytest

from planner.services.readiness import DIMENSIONS, RULES, RULES_BY_ID, check
from tests.readiness_plans import BREAKS, TODAY, good_plan


def test_every_rule_has_a_breaking_plan():
    assert set(BREAKS) == set(RULES_BY_ID)


def test_the_good_plan_satisfies_every_rule():
    report = check(good_plan(), TODAY)
    assert [(f.rule, f.message) for f in report.findings] == []
    assert report.score == 100
    assert [d.score for d in report.dimensions] == [100] * 6


@pytest.mark.parametrize("rule_id", sorted(RULES_BY_ID))
def test_rule_fires_on_its_gap_and_names_the_record(rule_id):
    rule = RULES_BY_ID[rule_id]
    plan = good_plan()
    assert check(plan, TODAY, rules=[rule]).findings == []
    breaking, target = BREAKS[rule_id]
    broken = breaking(plan)
    findings = check(broken, TODAY, rules=[rule]).findings
    assert findings, f"{rule_id} did not fire"
    for finding in findings:
        assert (finding.rule, finding.dimension, finding.severity) == (
            rule.id,
            rule.dimension,
            rule.severity,
        )
        assert finding.message.endswith(".") and len(finding.message) > 20
        assert finding.action.endswith(".") and len(finding.action) > 15, finding
        assert "{" not in finding.action and finding.action != finding.message
        assert finding.record is not None
        assert broken.by_id[finding.record.id].title == finding.record.name
    named = [f for f in findings if f.record is not None and f.record.name == target]
    assert named, [f.message for f in findings]
    if named[0].record.kind != "initiative":
        assert target in named[0].message


def test_catalogue_is_complete_and_explained():
    keys = [key for key, _ in DIMENSIONS]
    assert keys == [
        "stakeholder_involvement",
        "objectives",
        "change_management",
        "communication",
        "technology_fit",
        "phased_rollout",
    ]
    assert [r.dimension for r in RULES] == sorted((r.dimension for r in RULES), key=keys.index)
    for key in keys:
        assert sum(r.dimension == key for r in RULES) >= 5, key
    for rule in RULES:
        assert rule.severity in ("critical", "warning", "info")
        assert rule.title and len(rule.why) > 40 and rule.id == rule.id.lower()
        assert rule.when.endswith(".")
        for name in rule.thresholds:
            assert f"`{name}`" in rule.when, (rule.id, name)
    severities = {r.severity for r in RULES}
    assert severities == {"critical", "warning", "info"}


def test_thresholds_drive_the_rules():
    """Changing a rule's visible threshold changes what it finds."""
    import dataclasses

    rule = RULES_BY_ID["communication-gap-in-phase"]
    plan = BREAKS["communication-gap-in-phase"][0](good_plan())
    assert check(plan, TODAY, rules=[rule]).findings
    lenient = dataclasses.replace(rule, thresholds={"max_gap_weeks": 10})
    assert check(plan, TODAY, rules=[lenient]).findings == []


def test_occurrences_within_a_window_match_the_full_schedule():
    """The gap rule's clipped schedule equals the domain's own list of dates, cut to the window."""
    from datetime import date, timedelta

    from planner.domain.records import Communication
    from planner.services.readiness.rules_communication import occurrences_between

    first = date(2026, 1, 31)
    for recurrence in ("once", "weekly", "fortnightly", "monthly"):
        for until in (None, date(2026, 9, 30)):
            comm = Communication(
                initiative_id=good_plan().initiative.id,
                name="x",
                scheduled_on=first,
                recurrence=recurrence,
                repeat_until=until,
            )
            for start_offset, length in ((0, 30), (17, 45), (100, 3), (200, 120), (-40, 20)):
                start = first + timedelta(days=start_offset)
                end = start + timedelta(days=length)
                horizon = min(end, until) if until else end
                expected = [d for d in comm.occurrences(horizon=horizon) if start <= d <= end]
                assert occurrences_between(comm, start, end) == expected, (
                    recurrence,
                    until,
                    start,
                    end,
                )
