"""A 20-initiative portfolio for the benchmark, built in memory and deterministically.

Twenty initiatives of a large organisation share 120 units; each initiative
reaches 30 of them through its stakeholder groups, rolls out through a pilot
and three waves, trains in 24 sessions and communicates weekly, and assesses
its impact on every unit it reaches. The probe times `portfolio.compute` on
these plans (the check a Portfolio page or `planner portfolio` runs once the
plans are read).
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from planner.domain.enums import Impact, PhaseKind, Recurrence, StakeholderKind, UnitKind
from planner.domain.plan import Plan
from planner.domain.records import (
    IMPACT_ASPECTS,
    Communication,
    Course,
    ImpactAssessment,
    Initiative,
    Phase,
    Session,
    Stakeholder,
    Unit,
)

SEED = 20261202
INITIATIVES = 20
UNITS = 120
REACHED = 30


def build_portfolio_plans(
    initiatives: int = INITIATIVES, units: int = UNITS, today: date = date(2026, 11, 2)
) -> tuple[list[Plan], list[Unit]]:
    rng = random.Random(SEED)
    register = [
        Unit(name=f"Unit {n:03d}", kind=UnitKind.TEAM, headcount=rng.randint(5, 400))
        for n in range(units)
    ]
    plans = [_plan(rng, n, register, today) for n in range(initiatives)]
    return plans, register


def _plan(rng: random.Random, n: int, register: list[Unit], today: date) -> Plan:
    start = today + timedelta(weeks=rng.randint(-10, 20))
    go_live = start + timedelta(weeks=rng.randint(16, 30))
    initiative = Initiative(name=f"Initiative {n:02d}", start=start, go_live=go_live)
    ini = initiative.id
    reached = rng.sample(register, REACHED)
    groups = tuple(
        Stakeholder(
            initiative_id=ini,
            name=unit.name,
            kind=StakeholderKind.GROUP,
            headcount=unit.headcount,
            unit_id=unit.id,
            impact=rng.choice(list(Impact)),
        )
        for unit in reached
    )
    phases = tuple(
        Phase(
            initiative_id=ini,
            name=f"Phase {k}",
            kind=PhaseKind.PILOT if k == 0 else PhaseKind.WAVE,
            sequence=k,
            starts_on=start + timedelta(weeks=8 + 4 * k),
            ends_on=start + timedelta(weeks=11 + 4 * k),
            scope_ids=tuple(g.id for g in groups[k * 7 : k * 7 + 8]),
        )
        for k in range(4)
    )
    courses = tuple(
        Course(
            initiative_id=ini, name=f"Course {k}", audience_ids=tuple(g.id for g in groups[k::4])
        )
        for k in range(4)
    )
    sessions = tuple(
        Session(
            course_id=course.id,
            name=f"Session {k}",
            held_on=start + timedelta(weeks=4 + k + rng.randint(0, 6)),
        )
        for course in courses
        for k in range(6)
    )
    communications = tuple(
        Communication(
            initiative_id=ini,
            name=f"Update {k}",
            audience_ids=tuple(g.id for g in groups[k::3]),
            scheduled_on=start + timedelta(weeks=k),
            recurrence=Recurrence.WEEKLY,
            repeat_until=go_live,
        )
        for k in range(3)
    )
    assessments = tuple(
        ImpactAssessment(**_aspects(rng), initiative_id=ini, unit_id=unit.id) for unit in reached
    )
    return Plan(
        initiative=initiative,
        stakeholders=groups,
        phases=phases,
        courses=courses,
        sessions=sessions,
        communications=communications,
        units=tuple(register),
        impact_assessments=assessments,
    )


def _aspects(rng: random.Random) -> dict[str, Any]:
    return {aspect: rng.choice(list(Impact)) for aspect in IMPACT_ASPECTS}
