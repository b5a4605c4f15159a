"""One fully filled record of every kind, created through the planning service."""

from __future__ import annotations

from datetime import date

from planner.domain import Record
from planner.services.planning import PlanService


def full_plan(service: PlanService, name: str = "CRM rollout") -> dict[str, Record]:
    made: dict[str, Record] = {}

    def add(record_kind: str, /, **values) -> Record:
        record = service.create(record_kind, values)
        made[record_kind] = record
        return record

    ini = add(
        "initiative",
        name=name,
        summary="Replace the old CRM.\nTwo lines.",
        start=date(2027, 1, 4),
        go_live=date(2027, 9, 1),
        status="executing",
    )
    s = add(
        "stakeholder",
        initiative_id=ini.id,
        name="Sales reps",
        kind="group",
        headcount=40,
        function="Sales",
        side="business",
        power=2,
        interest=5,
        engagement="resistant",
        desired_engagement="supportive",
        impact="high",
        adkar_awareness=4,
        adkar_desire=2,
        adkar_knowledge=2,
        adkar_ability=1,
        adkar_reinforcement=1,
        involved_on=date(2027, 1, 10),
        owner="Tom",
        notes="Lost commissions last time.",
    )
    cfo = service.create(
        "stakeholder",
        {"initiative_id": ini.id, "name": "CFO", "kind": "person", "side": "executive", "power": 5},
    )
    add(
        "snapshot",
        stakeholder_id=s.id,
        taken_on=date(2027, 2, 1),
        label="Kick-off",
        power=1,
        interest=4,
        engagement="unaware",
    )
    obj = add(
        "objective",
        initiative_id=ini.id,
        name="Faster sales",
        description="Shorter cycle",
        owner="VP Sales",
        due=date(2027, 12, 31),
    )
    kpi = add(
        "kpi",
        objective_id=obj.id,
        name="Days to close",
        unit="days",
        baseline=46,
        target=30,
        direction="decrease",
        due=date(2027, 12, 31),
        owner="Sales ops",
    )
    add("measurement", kpi_id=kpi.id, measured_on=date(2027, 3, 1), value=44.5, note="Q1")
    add(
        "communication",
        initiative_id=ini.id,
        name="Kick-off mail",
        message="Why we change",
        covers_goals=True,
        covers_benefits=True,
        covers_timeline=False,
        covers_what_changes=True,
        covers_help=False,
        channel="email",
        audience_ids=(s.id, cfo.id),
        owner="PMO",
        scheduled_on=date(2027, 2, 1),
        recurrence="weekly",
        repeat_until=date(2027, 3, 1),
        status="planned",
    )
    course = add(
        "course",
        initiative_id=ini.id,
        name="CRM basics",
        format="virtual",
        duration_hours=3.5,
        audience_ids=(s.id,),
        description="Hands-on",
    )
    session = add(
        "session",
        course_id=course.id,
        name="Session A",
        held_on=date(2027, 4, 2),
        location="Leeds",
        trainer="Partner",
        capacity=15,
    )
    add("attendance", session_id=session.id, stakeholder_id=s.id, count=12, status="attended")
    phase = add(
        "phase",
        initiative_id=ini.id,
        name="Pilot",
        kind="pilot",
        sequence=1,
        starts_on=date(2027, 4, 1),
        ends_on=date(2027, 5, 30),
        scope_ids=(s.id,),
        decision="go",
        decided_on=date(2027, 3, 28),
        rationale="All green",
    )
    add(
        "gate_criterion",
        phase_id=phase.id,
        name="KPI holds",
        kind="kpi_threshold",
        kpi_id=kpi.id,
        threshold=45,
        adkar_stage=None,
        met=False,
    )
    option = add(
        "option",
        initiative_id=ini.id,
        name="Helix",
        vendor="Helix Inc",
        annual_cost=120000,
        chosen=True,
        description="Cloud",
    )
    criterion = add("criterion", initiative_id=ini.id, name="Fit", category="fit", weight=40)
    add("score", option_id=option.id, criterion_id=criterion.id, score=8, note="Strong")
    add(
        "risk",
        initiative_id=ini.id,
        name="Spreadsheets survive",
        description="Old habits",
        likelihood=4,
        impact=4,
        mitigation="Pipeline reviews in CRM only",
        owner="VP Sales",
        status="mitigating",
        stakeholder_ids=(s.id, cfo.id),
    )
    return made
