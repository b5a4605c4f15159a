"""The readiness check takes a unit's assessed impact where the initiative assessed it."""

from __future__ import annotations

from datetime import date

from planner.domain.enums import Impact, StakeholderKind
from planner.domain.plan import Plan
from planner.domain.records import ImpactAssessment, Initiative, Stakeholder, Unit
from planner.services.readiness import check

TODAY = date(2027, 1, 4)


def _plan(recorded: Impact, assessed: dict[str, Impact] | None) -> Plan:
    initiative = Initiative(name="Expense tool", go_live=date(2027, 6, 1))
    unit = Unit(name="Inside sales", headcount=40)
    group = Stakeholder(
        initiative_id=initiative.id,
        name="Inside sales",
        kind=StakeholderKind.GROUP,
        unit_id=unit.id,
        impact=recorded,
        headcount=40,
    )
    assessments = (
        ()
        if assessed is None
        else (ImpactAssessment(initiative_id=initiative.id, unit_id=unit.id, **assessed),)
    )
    return Plan(
        initiative=initiative,
        stakeholders=(group,),
        units=(unit,),
        impact_assessments=assessments,
    )


def _untrained(plan: Plan) -> list[str]:
    report = check(plan, TODAY)
    return [f.message for f in report.findings if f.rule == "impacted-group-no-training"]


def test_a_unit_assessed_as_highly_impacted_needs_training_though_its_group_says_low():
    assert _untrained(_plan(Impact.LOW, None)) == []
    found = _untrained(_plan(Impact.LOW, {"processes": Impact.HIGH}))
    assert found == ["No training is planned for Inside sales (high impact)."]


def test_an_assessment_of_little_impact_outweighs_the_group_s_recorded_high():
    assert _untrained(_plan(Impact.HIGH, None)) == [
        "No training is planned for Inside sales (high impact)."
    ]
    assert _untrained(_plan(Impact.HIGH, {"systems": Impact.LOW})) == []
