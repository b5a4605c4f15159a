"""Hand-built portfolios for the portfolio tests: one initiative's plan at a time, on
units of a shared register, with dates counted in weeks from a Monday."""

from __future__ import annotations

from datetime import date, timedelta

from planner.domain.enums import Impact, PhaseKind, StakeholderKind
from planner.domain.plan import Plan
from planner.domain.records import (
    Communication,
    Course,
    ImpactAssessment,
    Initiative,
    Phase,
    Session,
    Stakeholder,
    Unit,
)
from planner.services import portfolio

MONDAY = date(2027, 3, 1)  # ISO week 2027-W09


def week(n: int) -> date:
    return MONDAY + timedelta(weeks=n)


class Builder:
    """One initiative's plan, touching units of a shared register."""

    def __init__(self, name: str, units: list[Unit]) -> None:
        self.initiative = Initiative(name=name)
        self.units = units
        self.groups: dict[str, Stakeholder] = {}
        self.phases: list[Phase] = []
        self.courses: list[Course] = []
        self.sessions: list[Session] = []
        self.communications: list[Communication] = []
        self.assessments: list[ImpactAssessment] = []

    def group(self, unit: Unit, impact: Impact = Impact.NONE) -> Stakeholder:
        if unit.name not in self.groups:
            self.groups[unit.name] = Stakeholder(
                initiative_id=self.initiative.id,
                name=unit.name,
                kind=StakeholderKind.GROUP,
                unit_id=unit.id,
                impact=impact,
            )
        return self.groups[unit.name]

    def phase(self, unit: Unit, starts: date, ends: date | None = None, pilot: bool = False):
        self.phases.append(
            Phase(
                initiative_id=self.initiative.id,
                name=f"{'Pilot' if pilot else 'Wave'} {len(self.phases) + 1}",
                kind=PhaseKind.PILOT if pilot else PhaseKind.WAVE,
                sequence=len(self.phases),
                starts_on=starts,
                ends_on=ends,
                scope_ids=(self.group(unit).id,),
            )
        )
        return self

    def session(self, unit: Unit, on: date):
        course = Course(
            initiative_id=self.initiative.id, name="Course", audience_ids=(self.group(unit).id,)
        )
        self.courses.append(course)
        self.sessions.append(Session(course_id=course.id, name="Session", held_on=on))
        return self

    def message(self, unit: Unit, on: date):
        self.communications.append(
            Communication(
                initiative_id=self.initiative.id,
                name=f"Message {len(self.communications) + 1}",
                audience_ids=(self.group(unit).id,),
                scheduled_on=on,
            )
        )
        return self

    def assess(self, unit: Unit, **aspects: Impact):
        self.group(unit)
        self.assessments.append(
            ImpactAssessment(initiative_id=self.initiative.id, unit_id=unit.id, **aspects)
        )
        return self

    def plan(self) -> Plan:
        return Plan(
            initiative=self.initiative,
            stakeholders=tuple(self.groups.values()),
            phases=tuple(self.phases),
            courses=tuple(self.courses),
            sessions=tuple(self.sessions),
            communications=tuple(self.communications),
            units=tuple(self.units),
            impact_assessments=tuple(self.assessments),
        )


def loads(result: portfolio.Portfolio, name: str) -> dict[str, float]:
    return {w.week: w.load for w in result.unit(name).weeks if w.load}
