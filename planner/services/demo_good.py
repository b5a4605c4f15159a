"""A well-run sample initiative (`planner demo --example good`): what a ready plan looks like.

The counterpart of the gap-ridden CRM sample in `demo.py`: a warehouse app rolled out
by a business-led team that did the groundwork. Every impacted group has its own
sessions booked before its phase, every audience hears the why, the benefits, the
timeline and what changes before its phase and where to get help before go-live,
the resistance of the works council has a mitigation and an owner, the choice follows
scores on which cost carries a quarter of the weight, and a pilot with real gate
criteria comes before the wave. The readiness check raises no critical and no warning
finding on it; its future gates are amber only because their evidence cannot exist
yet (the pilot has not run). Dates are relative to `today`, as in the other sample.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any, TypeVar

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

GOOD_NAME = "Northwind warehouse app rollout"

R = TypeVar("R", bound=Record)


def make(cls: type[R], **values: Any) -> R:
    """A record from values as a person would type them ("executing", "group"): records
    coerce text to their fields' types, which their constructors' annotations do not say."""
    return cls(**values)


# name, kind, headcount, function, side, power, interest, engagement, desired, impact,
# ADKAR, weeks since first involved, relationship owner
_PEOPLE = (
    ("Amira Haddad (COO)", "person", 1, "Operations", "executive", 5, 5, "leading", "leading",
     "low", (5, 5, 5, 5, 5), 26, "PMO lead"),
    ("Lars Berg (Head of Logistics)", "person", 1, "Logistics", "business", 5, 5, "supportive",
     "leading", "high", (5, 5, 4, 4, 4), 26, "Amira Haddad"),
    ("IT delivery team", "group", 6, "IT", "it", 3, 5, "leading", "leading", "medium",
     (5, 5, 5, 5, 4), 25, "PMO lead"),
    ("Warehouse staff North", "group", 40, "Logistics", "business", 2, 4, "supportive",
     "supportive", "high", (5, 4, 4, 4, 4), 20, "Site lead North"),
    ("Warehouse staff South", "group", 36, "Logistics", "business", 2, 4, "neutral",
     "supportive", "high", (4, 4, 4, 4, 4), 18, "Site lead South"),
    ("Dispatch planners", "group", 10, "Logistics", "business", 3, 4, "supportive",
     "supportive", "high", (5, 5, 4, 4, 4), 20, "Lars Berg"),
    ("Works council", "group", 5, "HR", "business", 4, 3, "resistant", "neutral", "medium",
     (4, 4, 4, 4, 4), 16, "HR director"),
)  # fmt: skip

_ALL_TOPICS = {
    "covers_goals": True,
    "covers_benefits": True,
    "covers_timeline": True,
    "covers_what_changes": True,
    "covers_help": True,
}


def build_good_demo(*, name: str = GOOD_NAME, today: date | None = None) -> list[Record]:
    """The records of the well-run sample, in an order the store can insert them."""
    t0 = today or date.today()

    def week(n: float) -> date:
        return t0 + timedelta(days=round(n * 7))

    ini = make(
        Initiative,
        name=name,
        status="executing",
        start=week(-26),
        go_live=week(20),
        summary=(
            "Replace paper pick lists with a handheld warehouse app at the North and South "
            "sites, piloted in the North first."
        ),
    )
    out: list[Record] = [ini]
    people: dict[str, Stakeholder] = {}
    for row in _PEOPLE:
        sname, kind, headcount, function, side, power, interest, eng, desired, impact = row[:10]
        adkar, involved, owner = row[10:]
        s = make(
            Stakeholder,
            initiative_id=ini.id,
            name=sname,
            kind=kind,
            headcount=headcount,
            function=function,
            side=side,
            power=power,
            interest=interest,
            engagement=eng,
            desired_engagement=desired,
            impact=impact,
            adkar_awareness=adkar[0],
            adkar_desire=adkar[1],
            adkar_knowledge=adkar[2],
            adkar_ability=adkar[3],
            adkar_reinforcement=adkar[4],
            involved_on=week(-involved),
            owner=owner,
        )
        people[sname] = s
        out.append(s)
    out[0] = ini.with_changes(sponsor_id=people["Amira Haddad (COO)"].id)
    north, south = people["Warehouse staff North"], people["Warehouse staff South"]
    planners = people["Dispatch planners"]
    everyone = tuple(s.id for s in people.values())

    speed = _objective(out, ini, "Faster order picking", week)
    picked = _kpi(out, speed, "Order lines picked per hour", "lines/h", 60, 75, "increase", week)
    errors = _kpi(out, speed, "Picking error rate", "%", 2.0, 1.0, "decrease", week)
    for kpi, values in ((picked, (60, 61)), (errors, (2.0, 1.9))):
        for weeks_ago, value in zip((6, 2), values, strict=True):
            out.append(make(Measurement, kpi_id=kpi.id, measured_on=week(-weeks_ago), value=value))

    for cname, channel, when, status, owner, extra in (
        ("Kick-off from the COO", "town_hall", -12, "sent", "Amira Haddad", {}),
        ("Site briefings", "team_meeting", -4, "sent", "Site leads", {}),
        (
            "Weekly rollout bulletin",
            "email",
            1,
            "planned",
            "PMO lead",
            {"recurrence": "weekly", "repeat_until": week(22)},
        ),
    ):
        out.append(
            make(
                Communication,
                initiative_id=ini.id,
                name=cname,
                channel=channel,
                audience_ids=everyone,
                owner=owner,
                scheduled_on=week(when),
                status=status,
                **_ALL_TOPICS,
                **extra,
            )
        )

    for course_name, group, weeks, seats in (
        ("Warehouse app at North", north, (2, 3), 20),
        ("Warehouse app at South", south, (11, 12), 18),
        ("Dispatch planning in the app", planners, (3,), 12),
    ):
        course = make(
            Course,
            initiative_id=ini.id,
            name=course_name,
            duration_hours=3,
            audience_ids=(group.id,),
        )
        out.append(course)
        for number, at in enumerate(weeks, start=1):
            session = make(
                Session,
                course_id=course.id,
                name=f"{course_name} {number}",
                held_on=week(at),
                capacity=seats,
                trainer="Key user team",
                location=course_name.rsplit(" ", 1)[-1],
            )
            booked = min(seats, group.headcount - seats * (number - 1))
            out += [
                session,
                make(
                    Attendance,
                    session_id=session.id,
                    stakeholder_id=group.id,
                    count=booked,
                    status="registered",
                ),
            ]

    pilot = make(
        Phase,
        initiative_id=ini.id,
        name="Pilot: North site",
        kind="pilot",
        sequence=1,
        starts_on=week(6),
        ends_on=week(10),
        scope_ids=(north.id, planners.id),
    )
    wave = make(
        Phase,
        initiative_id=ini.id,
        name="Wave 1: South site",
        kind="wave",
        sequence=2,
        starts_on=week(14),
        ends_on=week(18),
        scope_ids=(south.id,),
    )
    out += [
        pilot,
        wave,
        make(
            GateCriterion,
            phase_id=pilot.id,
            name="Pilot users trained",
            kind="training_coverage",
            threshold=90,
        ),
        make(
            GateCriterion,
            phase_id=pilot.id,
            name="Pilot users know the app",
            kind="adkar_level",
            adkar_stage="knowledge",
            threshold=4,
        ),
        make(GateCriterion, phase_id=pilot.id, name="Handhelds installed", kind="manual", met=True),
        make(
            GateCriterion,
            phase_id=wave.id,
            name="Picking speed up in the pilot",
            kind="kpi_threshold",
            kpi_id=picked.id,
            threshold=66,
        ),
        make(
            GateCriterion,
            phase_id=wave.id,
            name="South staff trained",
            kind="training_coverage",
            threshold=85,
        ),
        make(
            GateCriterion,
            phase_id=wave.id,
            name="Ready overall",
            kind="readiness_score",
            threshold=70,
        ),
    ]
    _options(out, ini)
    out += [
        make(
            Risk,
            initiative_id=ini.id,
            name="Works council objects to productivity tracking",
            likelihood=3,
            impact=3,
            mitigation="Agree with the council which figures are reported, per team only",
            owner="HR director",
            stakeholder_ids=(people["Works council"].id,),
        ),
        make(
            Risk,
            initiative_id=ini.id,
            name="Handheld delivery slips",
            likelihood=2,
            impact=3,
            mitigation="Second supplier on standby; pilot needs 20 devices only",
            owner="IT delivery lead",
        ),
    ]
    return out


Weeks = Callable[[float], date]


def _objective(out: list[Record], ini: Initiative, name: str, week: Weeks) -> Objective:
    objective = make(
        Objective,
        initiative_id=ini.id,
        name=name,
        owner="Lars Berg",
        due=week(40),
        description=None,
    )
    out.append(objective)
    return objective


def _kpi(
    out: list[Record],
    objective: Objective,
    name: str,
    unit: str,
    baseline: float,
    target: float,
    direction: str,
    week: Weeks,
) -> Kpi:
    kpi = make(
        Kpi,
        objective_id=objective.id,
        name=name,
        unit=unit,
        baseline=baseline,
        target=target,
        direction=direction,
        due=week(40),
        owner="Operations analyst",
    )
    out.append(kpi)
    return kpi


def _options(out: list[Record], ini: Initiative) -> None:
    """Three options on four criteria where cost carries a quarter of the weight."""
    criteria = [
        make(Criterion, initiative_id=ini.id, name=name, category=category, weight=weight)
        for name, category, weight in (
            ("Fit to picking processes", "fit", 35),
            ("Scales to both sites", "scalability", 25),
            ("Five-year cost", "cost", 25),
            ("Delivery risk", "risk", 15),
        )
    ]
    out += criteria
    for oname, chosen, scores in (
        ("StockPilot", True, (8, 8, 6, 7)),
        ("BudgetScan", False, (6, 5, 9, 6)),
        ("Legacy WMS extension", False, (5, 3, 8, 7)),
    ):
        option = make(Option, initiative_id=ini.id, name=oname, chosen=chosen)
        out.append(option)
        out += [
            make(Score, option_id=option.id, criterion_id=c.id, score=value)
            for c, value in zip(criteria, scores, strict=True)
        ]
