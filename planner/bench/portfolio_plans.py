"""A 20-initiative portfolio for the benchmark, built in memory and deterministically.

Twenty initiatives of a large organisation share 120 units, a tree as real
organisations are: 3 divisions of 5 departments each, the 15 departments holding
102 teams (6 to 8 each); a department's headcount is its teams' people and a few
managers, a division's its departments' and a few more. Each initiative reaches 30
units through its stakeholder groups: 24 teams and 5 departments as a whole, and
every other initiative a division as a whole too, which only hears and trains (its
communications and a course; its phases take teams and departments live). It rolls
out through a pilot and three waves, trains in 24 sessions, communicates weekly and
assesses its impact on every unit it reaches. The probe times `portfolio.compute`
on these plans (the check a Portfolio page or `planner portfolio` runs once the
plans are read).

`build_portfolio_plans(shape="flat")` gives the earlier benchmark's 120 teams with
no parent, to compare the two.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from typing import Any, Literal

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

DIVISIONS = {
    "Commercial": ("Sales", "Marketing", "Customer service", "Partners", "Pricing"),
    "Operations": ("Logistics", "Manufacturing", "Procurement", "Quality", "Field service"),
    "Corporate": ("Finance", "People", "Legal", "IT", "Facilities"),
}
TEAMS = 102
"""Six teams in each of the 15 departments, and twelve more spread over them."""

Shape = Literal["tree", "flat"]


def build_portfolio_plans(
    initiatives: int = INITIATIVES, today: date = date(2026, 11, 2), shape: Shape = "tree"
) -> tuple[list[Plan], list[Unit]]:
    rng = random.Random(SEED)
    if shape == "flat":
        register = [
            Unit(name=f"Unit {n:03d}", kind=UnitKind.TEAM, headcount=rng.randint(5, 400))
            for n in range(UNITS)
        ]
        reach = _flat_reach(register)
    else:
        register, reach = _organisation(rng)
    plans = [_plan(rng, n, register, reach, today) for n in range(initiatives)]
    return plans, register


Reach = Callable[[random.Random, int], list[Unit]]
"""The units an initiative's stakeholder groups name, given the initiative's number."""


def _flat_reach(register: list[Unit]) -> Reach:
    return lambda rng, _n: rng.sample(register, REACHED)


def _organisation(rng: random.Random) -> tuple[list[Unit], Reach]:
    """The register as a tree (divisions > departments > teams), headcounts adding up."""
    departments = [d for names in DIVISIONS.values() for d in names]
    sizes = dict.fromkeys(departments, 6)
    for larger in rng.sample(departments, TEAMS - 6 * len(departments)):
        sizes[larger] += 1
    divisions: list[Unit] = []
    heads: list[Unit] = []
    teams: list[Unit] = []
    for division_name, names in DIVISIONS.items():
        division = Unit(name=division_name, kind=UnitKind.DEPARTMENT)
        people = rng.randint(2, 10)  # the division's own management
        for name in names:
            department = Unit(name=name, kind=UnitKind.DEPARTMENT, parent_unit_id=division.id)
            staff = [
                Unit(
                    name=f"{name} team {k}",
                    kind=UnitKind.TEAM,
                    headcount=rng.randint(5, 60),
                    parent_unit_id=department.id,
                )
                for k in range(1, sizes[name] + 1)
            ]
            headcount = sum(t.headcount for t in staff) + rng.randint(1, 6)
            heads.append(replace(department, headcount=headcount))
            teams += staff
            people += headcount
        divisions.append(replace(division, headcount=people))

    def reach(rng: random.Random, n: int) -> list[Unit]:
        found = rng.sample(teams, REACHED - 6) + rng.sample(heads, 5)
        rng.shuffle(found)
        wide = rng.choice(divisions) if n % 2 == 0 else rng.choice(teams)
        while wide in found:
            wide = rng.choice(teams)
        return [*found, wide]

    return [*divisions, *heads, *teams], reach


def _plan(rng: random.Random, n: int, register: list[Unit], reach: Reach, today: date) -> Plan:
    start = today + timedelta(weeks=rng.randint(-10, 20))
    go_live = start + timedelta(weeks=rng.randint(16, 30))
    initiative = Initiative(name=f"Initiative {n:02d}", start=start, go_live=go_live)
    ini = initiative.id
    reached = reach(rng, n)
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
