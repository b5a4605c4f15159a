"""Hand-built plans for the readiness tests: one that satisfies every rule, and edits that break one.

The good plan is small enough to reason about by hand; each entry of `BREAKS`
changes just enough of it to make one rule fire, naming the record the
finding must point at.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date, timedelta

from planner.domain.plan import Plan
from planner.domain.records import (
    Attendance,
    Communication,
    Course,
    Criterion,
    GateCriterion,
    Initiative,
    Kpi,
    Measurement,
    Objective,
    Option,
    Phase,
    Record,
    Risk,
    Score,
    Session,
    Stakeholder,
)

TODAY = date(2026, 11, 2)


def week(n: float) -> date:
    return TODAY + timedelta(days=round(n * 7))


def good_plan() -> Plan:
    ini = Initiative(name="Good CRM", start=week(-20), go_live=week(30), status="executing")

    def person(name: str, **values: object) -> Stakeholder:
        base: dict[str, object] = {
            "initiative_id": ini.id,
            "name": name,
            "kind": "group",
            "headcount": 1,
            "side": "business",
            "power": 2,
            "interest": 4,
            "engagement": "supportive",
            "desired_engagement": "supportive",
            "impact": "medium",
            "adkar_awareness": 5,
            "adkar_desire": 5,
            "adkar_knowledge": 4,
            "adkar_ability": 4,
            "adkar_reinforcement": 4,
            "involved_on": week(-10),
            "owner": "PMO",
        }
        base.update(values)
        return Stakeholder(**base)  # type: ignore[arg-type]

    ceo = person(
        "CEO",
        kind="person",
        side="executive",
        power=5,
        interest=4,
        desired_engagement="leading",
        impact="low",
        involved_on=week(-20),
    )
    it = person(
        "IT team",
        headcount=5,
        side="it",
        power=3,
        interest=5,
        engagement="leading",
        desired_engagement="leading",
        involved_on=week(-20),
    )
    director = person(
        "Sales director",
        kind="person",
        power=5,
        interest=5,
        desired_engagement="leading",
        impact="high",
        involved_on=week(-19),
    )
    reps = person("Sales reps", headcount=20, engagement="neutral", impact="high")
    agents = person(
        "Service agents",
        headcount=10,
        interest=3,
        engagement="neutral",
        impact="high",
        involved_on=week(-8),
    )
    council = person(
        "Works council",
        headcount=5,
        power=4,
        interest=3,
        engagement="resistant",
        desired_engagement="neutral",
        involved_on=week(-6),
        owner="HR",
    )
    people = (ceo, it, director, reps, agents, council)
    everyone = tuple(s.id for s in people)

    objective = Objective(
        initiative_id=ini.id, name="Faster sales", owner="Sales director", due=week(40)
    )
    kpi = Kpi(
        objective_id=objective.id,
        name="Days to close",
        unit="days",
        baseline=40,
        target=30,
        direction="decrease",
        due=week(40),
        owner="Sales ops",
    )
    measurement = Measurement(kpi_id=kpi.id, measured_on=week(-1), value=38)

    topics = {
        "covers_goals": True,
        "covers_benefits": True,
        "covers_timeline": True,
        "covers_what_changes": True,
        "covers_help": True,
    }
    kickoff = Communication(
        initiative_id=ini.id,
        name="Kick-off",
        audience_ids=everyone,
        owner="CEO",
        scheduled_on=week(-12),
        status="sent",
        **topics,
    )
    bulletin = Communication(
        initiative_id=ini.id,
        name="Rollout bulletin",
        audience_ids=everyone,
        owner="PMO",
        scheduled_on=week(3),
        recurrence="weekly",
        repeat_until=week(30),
        status="planned",
        **topics,
    )

    course = Course(initiative_id=ini.id, name="CRM basics", audience_ids=(reps.id, agents.id))
    first = Session(course_id=course.id, name="Basics 1", held_on=week(-2), capacity=20)
    second = Session(course_id=course.id, name="Basics 2", held_on=week(1), capacity=20)
    attended = Attendance(session_id=first.id, stakeholder_id=reps.id, count=18)

    pilot = Phase(
        initiative_id=ini.id,
        name="Pilot",
        kind="pilot",
        sequence=1,
        starts_on=week(6),
        ends_on=week(10),
        scope_ids=(reps.id,),
    )
    wave = Phase(
        initiative_id=ini.id,
        name="Wave 1",
        kind="wave",
        sequence=2,
        starts_on=week(12),
        ends_on=week(18),
        scope_ids=(agents.id,),
    )
    gate_criteria = (
        GateCriterion(
            phase_id=pilot.id, name="Reps trained", kind="training_coverage", threshold=50
        ),
        GateCriterion(
            phase_id=wave.id,
            name="Faster closing",
            kind="kpi_threshold",
            kpi_id=kpi.id,
            threshold=39,
        ),
        GateCriterion(phase_id=wave.id, name="Ready overall", kind="readiness_score", threshold=50),
    )

    fit = Criterion(initiative_id=ini.id, name="Fit", category="fit", weight=50)
    scale = Criterion(initiative_id=ini.id, name="Scalability", category="scalability", weight=30)
    cost = Criterion(initiative_id=ini.id, name="Cost", category="cost", weight=20)
    chosen = Option(initiative_id=ini.id, name="Helix", chosen=True)
    other = Option(initiative_id=ini.id, name="Cheapo")
    scores = tuple(
        Score(option_id=o.id, criterion_id=c.id, score=v)
        for o, values in ((chosen, (8, 8, 5)), (other, (6, 6, 9)))
        for c, v in zip((fit, scale, cost), values, strict=True)
    )
    risk = Risk(
        initiative_id=ini.id,
        name="Council objects to activity tracking",
        mitigation="Consult the council on every report",
        owner="HR",
        stakeholder_ids=(council.id,),
    )
    return Plan(
        ini.with_changes(sponsor_id=ceo.id),
        stakeholders=people,
        objectives=(objective,),
        kpis=(kpi,),
        measurements=(measurement,),
        communications=(kickoff, bulletin),
        courses=(course,),
        sessions=(first, second),
        attendance=(attended,),
        phases=(pilot, wave),
        gate_criteria=gate_criteria,
        options=(chosen, other),
        criteria=(fit, scale, cost),
        scores=scores,
        risks=(risk,),
    )


# ------------------------------------------------------------------ editing
def named(plan: Plan, kind: str, name: str) -> Record:
    for record in plan.records(kind):
        if record.title == name:
            return record
    raise KeyError(name)


def edit(plan: Plan, record_kind: str, name: str, /, **changes: object) -> Plan:
    old = named(plan, record_kind, name)
    new = old.with_changes(**changes)
    if record_kind == "initiative":
        return dataclasses.replace(plan, initiative=new)
    attr = Plan.KIND_ATTRS[record_kind]
    return dataclasses.replace(
        plan, **{attr: tuple(new if r is old else r for r in getattr(plan, attr))}
    )


def edit_all(plan: Plan, record_kind: str, /, **changes: object) -> Plan:
    attr = Plan.KIND_ATTRS[record_kind]
    return dataclasses.replace(
        plan, **{attr: tuple(r.with_changes(**changes) for r in getattr(plan, attr))}
    )


def add(plan: Plan, record: Record) -> Plan:
    attr = Plan.KIND_ATTRS[record.KIND]
    return dataclasses.replace(plan, **{attr: (*getattr(plan, attr), record)})


def drop(plan: Plan, *kinds: str, where: Callable[[Record], bool] = lambda r: True) -> Plan:
    changes = {Plan.KIND_ATTRS[k]: tuple(r for r in plan.records(k) if not where(r)) for k in kinds}
    return dataclasses.replace(plan, **changes)


def rescore(plan: Plan, options: list[str], criterion: str, value: float) -> Plan:
    """The plan with some options' scores on one criterion changed."""
    ids = {named(plan, "option", name).id for name in options}
    c = named(plan, "criterion", criterion)
    return dataclasses.replace(
        plan,
        scores=tuple(
            s.with_changes(score=value) if s.option_id in ids and s.criterion_id == c.id else s
            for s in plan.scores
        ),
    )


def edit_sponsor(plan: Plan, **changes: object) -> Plan:
    """The plan with its sponsor (the stakeholder) changed."""
    sponsor = plan.by_id[plan.initiative.sponsor_id or ""]  # KeyError: no sponsor to change
    return edit(plan, "stakeholder", sponsor.title, **changes)


def choose_worst(plan: Plan) -> Plan:
    """The plan moving its choice to its lowest-scored option (weights times scores)."""
    weights = {c.id: c.weight for c in plan.criteria}
    totals = {
        o.id: sum(
            weights.get(s.criterion_id, 0) * s.score for s in plan.scores if s.option_id == o.id
        )
        for o in plan.options
    }
    if not any(o.chosen for o in plan.options):
        raise KeyError("no choice to move")  # choosing would add evidence, not a gap
    worst = min(plan.options, key=lambda o: totals[o.id])
    return dataclasses.replace(
        plan, options=tuple(o.with_changes(chosen=o is worst) for o in plan.options)
    )


def late_training(plan: Plan, group: str) -> Plan:
    """A group with a Knowledge barrier whose last session comes a week before its phase."""
    plan = edit(plan, "stakeholder", group, adkar_knowledge=2)
    session = Session(course_id=plan.courses[0].id, name="Basics 3", held_on=week(5), capacity=2)
    plan = add(plan, session)
    return add(
        plan,
        Attendance(
            session_id=session.id, stakeholder_id=sid(plan, group), count=2, status="registered"
        ),
    )


def sid(plan: Plan, name: str) -> str:
    return named(plan, "stakeholder", name).id


def ini_id(plan: Plan) -> str:
    return plan.initiative.id


# --------------------------------------------- one edit per rule, and its target
def unreach(plan: Plan, name: str) -> Plan:
    """The plan with one stakeholder taken out of every communication's audience."""
    gone = sid(plan, name)
    return dataclasses.replace(
        plan,
        communications=tuple(
            c.with_changes(audience_ids=tuple(a for a in c.audience_ids if a != gone))
            for c in plan.communications
        ),
    )


BREAKS: dict[str, tuple[Callable[[Plan], Plan], str | None]] = {
    # stakeholder involvement
    "no-sponsor": (lambda p: edit(p, "initiative", "Good CRM", sponsor_id=None), "Good CRM"),
    "sponsor-not-business-led": (lambda p: edit_sponsor(p, side="it"), "Good CRM"),
    "sponsor-lacks-power": (lambda p: edit_sponsor(p, power=2), "Good CRM"),
    "no-business-power": (
        lambda p: edit(
            edit(p, "stakeholder", "Sales director", power=3),
            "stakeholder",
            "Works council",
            power=3,
        ),
        "Good CRM",
    ),
    "business-involved-late": (
        lambda p: edit(p, "stakeholder", "IT team", involved_on=week(-40)),
        "Good CRM",
    ),
    "involved-after-start": (
        lambda p: edit(p, "stakeholder", "Service agents", involved_on=week(7)),
        "Service agents",
    ),
    "never-involved": (
        lambda p: edit(p, "stakeholder", "Service agents", involved_on=None),
        "Service agents",
    ),
    "no-relationship-owner": (
        lambda p: edit(p, "stakeholder", "Works council", owner=None),
        "Works council",
    ),
    "key-player-engagement-gap": (
        lambda p: edit(p, "stakeholder", "Sales director", engagement="neutral"),
        "Sales director",
    ),
    # objectives
    "no-objectives": (lambda p: drop(p, "objective", "kpi", "measurement"), "Good CRM"),
    "objective-without-kpi": (
        lambda p: add(
            p, Objective(initiative_id=ini_id(p), name="Grow revenue", owner="CFO", due=week(50))
        ),
        "Grow revenue",
    ),
    "objective-without-owner": (
        lambda p: edit(p, "objective", "Faster sales", owner=None),
        "Faster sales",
    ),
    "kpi-without-baseline-or-target": (
        lambda p: edit(p, "kpi", "Days to close", baseline=None),
        "Days to close",
    ),
    "kpi-without-owner-or-due": (
        lambda p: edit(p, "kpi", "Days to close", due=None),
        "Days to close",
    ),
    "kpi-without-unit": (lambda p: edit(p, "kpi", "Days to close", unit=None), "Days to close"),
    "kpi-never-measured": (lambda p: drop(p, "measurement"), "Days to close"),
    "kpi-measurement-stale": (
        lambda p: edit_all(p, "measurement", measured_on=week(-9)),
        "Days to close",
    ),
    "kpi-moving-away": (lambda p: edit_all(p, "measurement", value=42), "Days to close"),
    # change management
    "untrained-before-phase": (
        lambda p: edit(p, "course", "CRM basics", audience_ids=(sid(p, "Sales reps"),)),
        "Service agents",
    ),
    "impacted-group-no-training": (
        lambda p: add(
            p,
            Stakeholder(
                initiative_id=ini_id(p),
                name="Warehouse",
                headcount=30,
                impact="high",
                involved_on=week(-5),
                owner="PMO",
            ),
        ),
        "Warehouse",
    ),
    "training-capacity-short": (lambda p: edit_all(p, "session", capacity=10), "Service agents"),
    "training-after-go-live": (
        lambda p: add(
            p, Session(course_id=p.courses[0].id, name="Late catch-up", held_on=week(31))
        ),
        "Late catch-up",
    ),
    "session-without-attendance": (
        lambda p: add(
            p, Session(course_id=p.courses[0].id, name="Basics 0", held_on=week(-3), capacity=1)
        ),
        "Basics 0",
    ),
    "resistance-without-plan": (lambda p: drop(p, "risk"), "Works council"),
    "risk-unmanaged": (
        lambda p: add(
            p,
            Risk(
                initiative_id=ini_id(p),
                name="Data migration slips",
                likelihood=3,
                impact=3,
                owner="IT lead",
            ),
        ),
        "Data migration slips",
    ),
    "adkar-barrier-before-phase": (lambda p: late_training(p, "Sales reps"), "Sales reps"),
    # communication
    "key-player-not-reached": (lambda p: unreach(p, "Sales director"), "Sales director"),
    "impacted-not-reached": (lambda p: unreach(p, "Service agents"), "Service agents"),
    "never-hears-benefits": (
        lambda p: edit_all(p, "communication", covers_benefits=False),
        "Sales reps",
    ),
    "never-hears-why-or-when": (
        lambda p: edit_all(p, "communication", covers_timeline=False),
        "Service agents",
    ),
    "first-message-after-phase-start": (
        lambda p: edit_all(p, "communication", scheduled_on=week(7)),
        "Sales reps",
    ),
    "never-hears-where-to-get-help": (
        lambda p: edit_all(p, "communication", covers_help=False),
        "Sales reps",
    ),
    "communication-gap-in-phase": (
        lambda p: drop(p, "communication", where=lambda r: r.title == "Rollout bulletin"),
        "Pilot",
    ),
    "communication-without-audience": (
        lambda p: add(
            p,
            Communication(
                initiative_id=ini_id(p), name="Teaser", owner="PMO", scheduled_on=week(2)
            ),
        ),
        "Teaser",
    ),
    "communication-without-owner": (
        lambda p: edit(p, "communication", "Kick-off", owner=None),
        "Kick-off",
    ),
    "communication-overdue": (
        lambda p: edit(p, "communication", "Kick-off", status="planned"),
        "Kick-off",
    ),
    # technology fit
    "no-options": (lambda p: drop(p, "option", "score"), "Good CRM"),
    "single-option": (lambda p: drop(p, "option", where=lambda r: r.title == "Cheapo"), "Helix"),
    "option-choice-unclear": (lambda p: edit(p, "option", "Helix", chosen=False), "Good CRM"),
    "no-criteria": (lambda p: drop(p, "criterion", "score"), "Good CRM"),
    "fit-or-scalability-missing": (
        lambda p: edit(p, "criterion", "Scalability", category="support"),
        "Good CRM",
    ),
    "cost-dominates": (lambda p: edit(p, "criterion", "Cost", weight=90), "Good CRM"),
    "option-not-fully-scored": (lambda p: dataclasses.replace(p, scores=p.scores[:-1]), "Cheapo"),
    "chosen-not-best": (lambda p: choose_worst(p), "Cheapo"),
    "chosen-option-weak-fit": (
        lambda p: rescore(p, [o.title for o in p.options if o.chosen], "Scalability", 3),
        "Helix",
    ),
    # phased rollout
    "no-phases": (lambda p: drop(p, "phase", "gate_criterion"), "Good CRM"),
    "no-pilot": (lambda p: edit(p, "phase", "Pilot", kind="wave"), "Good CRM"),
    "wave-before-pilot-ends": (lambda p: edit(p, "phase", "Wave 1", starts_on=week(8)), "Wave 1"),
    "phase-without-dates": (lambda p: edit(p, "phase", "Wave 1", ends_on=None), "Wave 1"),
    "phase-without-scope": (lambda p: edit(p, "phase", "Wave 1", scope_ids=()), "Wave 1"),
    "phase-without-gate-criteria": (
        lambda p: drop(p, "gate_criterion", where=lambda r: r.title == "Reps trained"),
        "Pilot",
    ),
    "gate-kpi-unmeasured": (lambda p: drop(p, "measurement"), "Days to close"),
    "gate-decision-overdue": (lambda p: edit(p, "phase", "Pilot", starts_on=week(-0.5)), "Pilot"),
    "gate-kpi-stale": (lambda p: edit(p, "phase", "Pilot", starts_on=week(-0.5)), "Days to close"),
    "wave-gate-without-kpi": (
        lambda p: drop(p, "gate_criterion", where=lambda r: r.title == "Faster closing"),
        "Wave 1",
    ),
    "impacted-outside-rollout": (
        lambda p: edit(p, "phase", "Wave 1", scope_ids=()),
        "Service agents",
    ),
}
