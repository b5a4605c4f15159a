"""Look-ups over one plan, each built once per check in a single pass.

Rules ask questions like "which communications reach this group" for every
stakeholder; answering them from these indexes keeps a check linear in the
size of the plan (tens of thousands of records in a few tens of milliseconds on a
typical machine) instead of quadratic.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Container
from datetime import date
from functools import cached_property

from planner.domain.enums import (
    AdkarStage,
    AttendanceStatus,
    CommunicationStatus,
    Engagement,
    Impact,
    RiskStatus,
    Side,
)
from planner.domain.plan import Plan
from planner.domain.records import Communication, Kpi, Phase, Risk, Stakeholder

TOPIC_NAMES = {
    "covers_goals": "the goals",
    "covers_benefits": "the benefits",
    "covers_timeline": "the timeline",
}

ENGAGEMENT_RANK = {member: rank for rank, member in enumerate(Engagement)}
_IMPACTS = list(Impact)
_STAGES = list(AdkarStage)


def adkar_barrier(s: Stakeholder) -> AdkarStage | None:
    """`Stakeholder.adkar_barrier` without iterating the enumeration (hot in big plans)."""
    for position, level in enumerate(s.adkar):
        if level <= 3:
            return _STAGES[position]
    return None


def impacts_from(lowest: str) -> frozenset[Impact]:
    """The impact levels at or above `lowest` (a set test is cheaper than comparing ranks)."""
    return frozenset(_IMPACTS[_IMPACTS.index(Impact(lowest)):])


class PlanIndex:
    def __init__(self, plan: Plan, today: date) -> None:
        self.plan = plan
        self.today = today
        self.initiative = plan.initiative

    # ------------------------------------------------------------ stakeholders
    @cached_property
    def stakeholders(self) -> dict[str, Stakeholder]:
        return {s.id: s for s in self.plan.stakeholders}

    @cached_property
    def business(self) -> list[Stakeholder]:
        return [s for s in self.plan.stakeholders if s.side is Side.BUSINESS]

    # ----------------------------------------------------------------- rollout
    @cached_property
    def phases(self) -> list[Phase]:
        return self.plan.phases_in_order

    @cached_property
    def first_phase_start(self) -> date | None:
        starts = [p.starts_on for p in self.phases if p.starts_on is not None]
        return min(starts) if starts else None

    @cached_property
    def first_phase(self) -> dict[str, Phase]:
        """Each stakeholder's earliest phase (by start date) among those scoping it."""
        dated = sorted((p for p in self.phases if p.starts_on is not None),
                       key=lambda p: p.starts_on or date.max)
        out: dict[str, Phase] = {}
        for phase in dated:
            for sid in phase.scope_ids:
                out.setdefault(sid, phase)
        return out

    @cached_property
    def in_any_phase(self) -> set[str]:
        return {sid for phase in self.phases for sid in phase.scope_ids}

    # ----------------------------------------------------------- communication
    @cached_property
    def live_communications(self) -> list[Communication]:
        return [c for c in self.plan.communications
                if c.status is not CommunicationStatus.CANCELLED]

    @cached_property
    def by_audience(self) -> dict[tuple[str, ...], list[Communication]]:
        """Live communications grouped by identical audience ("everyone" is common)."""
        out: dict[tuple[str, ...], list[Communication]] = defaultdict(list)
        for comm in self.live_communications:
            out[comm.audience_ids].append(comm)
        return out

    @cached_property
    def _reach(self) -> tuple[dict[str, date], dict[str, set[str]]]:
        """When each stakeholder first hears of the change, and who hears each topic.

        Built with set and dict updates per distinct audience, not per stakeholder,
        so large audiences cost little. Latest first, so earlier dates overwrite later
        ones; a stakeholder reached only by undated communications maps to date.max.
        """
        goals: set[str] = set()
        benefits: set[str] = set()
        timeline: set[str] = set()
        first: dict[str, date] = {}
        earliest = sorted(((min(c.scheduled_on or date.max for c in comms), audience, comms)
                           for audience, comms in self.by_audience.items()),
                          key=lambda item: item[0], reverse=True)
        for when, audience, comms in earliest:
            first.update(dict.fromkeys(audience, when))
            if any(c.covers_goals for c in comms):
                goals.update(audience)
            if any(c.covers_benefits for c in comms):
                benefits.update(audience)
            if any(c.covers_timeline for c in comms):
                timeline.update(audience)
        hears = {"covers_goals": goals, "covers_benefits": benefits, "covers_timeline": timeline}
        return first, hears

    @property
    def reached(self) -> Container[str]:
        """Stakeholders in the audience of at least one (not cancelled) communication."""
        return self._reach[0]

    @property
    def hears(self) -> dict[str, set[str]]:
        """Stakeholders reached by at least one communication covering each topic."""
        return self._reach[1]

    @property
    def first_heard(self) -> dict[str, date]:
        """The date of each stakeholder's first communication (date.max when none is dated)."""
        return self._reach[0]

    # ---------------------------------------------------------------- training
    @cached_property
    def session_dates(self) -> dict[str, date]:
        return {s.id: s.held_on for s in self.plan.sessions}

    @cached_property
    def course_first_session(self) -> dict[str, date]:
        return {course_id: min(s.held_on for s in sessions)
                for course_id, sessions in self.plan.sessions_by_course.items() if sessions}

    @cached_property
    def course_capacity(self) -> dict[str, int]:
        return {course_id: sum(s.capacity for s in sessions)
                for course_id, sessions in self.plan.sessions_by_course.items()}

    @cached_property
    def trained(self) -> dict[str, int]:
        """People of each stakeholder who attended a session (registrations do not count)."""
        counts: dict[str, int] = defaultdict(int)
        attended = AttendanceStatus.ATTENDED
        for record in self.plan.attendance:
            if record.status is attended:
                counts[record.stakeholder_id] += record.count
        return counts

    @cached_property
    def sessions_with_attendance(self) -> set[str]:
        return {record.session_id for record in self.plan.attendance}

    @cached_property
    def first_planned_training(self) -> dict[str, date]:
        """Each stakeholder's earliest session of a course aimed at it."""
        first: dict[str, date] = {}
        course_first = self.course_first_session
        dated = sorted((c for c in self.plan.courses if c.id in course_first),
                       key=lambda c: course_first[c.id], reverse=True)
        for course in dated:
            first.update(dict.fromkeys(course.audience_ids, course_first[course.id]))
        return first

    def first_attended(self, stakeholder_ids: set[str]) -> dict[str, date]:
        """Earliest session on record for some stakeholders, even of a course not aimed at them."""
        dates = self.session_dates
        first: dict[str, date] = {}
        for record in self.plan.attendance:
            sid = record.stakeholder_id
            if sid in stakeholder_ids:
                when = dates.get(record.session_id)
                if when is not None and (sid not in first or when < first[sid]):
                    first[sid] = when
        return first

    def trained_share(self, stakeholder_ids: tuple[str, ...]) -> float | None:
        """Percentage of the people in these stakeholders who attended training."""
        stakeholders = self.stakeholders
        trained = self.trained
        people = done = 0
        for sid in set(stakeholder_ids):
            s = stakeholders.get(sid)
            if s is None:
                continue
            headcount = s.headcount
            people += headcount
            count = trained.get(sid, 0)
            done += min(count, headcount)
        return 100 * done / people if people else None

    @cached_property
    def kpis(self) -> dict[str, Kpi]:
        return {k.id: k for k in self.plan.kpis}

    # ------------------------------------------------------------------- risks
    @cached_property
    def risks_by_stakeholder(self) -> dict[str, list[Risk]]:
        out: dict[str, list[Risk]] = defaultdict(list)
        for risk in self.plan.risks:
            if risk.status is RiskStatus.CLOSED:
                continue
            for sid in risk.stakeholder_ids:
                out[sid].append(risk)
        return out

    # ------------------------------------------------------------------ options
    @cached_property
    def total_weight(self) -> float:
        return sum(c.weight for c in self.plan.criteria)

    @cached_property
    def option_totals(self) -> dict[str, float]:
        """Weighted score of each option, 0–10; a criterion it was not scored on counts 0."""
        weights = {c.id: c.weight for c in self.plan.criteria}
        total = self.total_weight
        out: dict[str, float] = {}
        for option in self.plan.options:
            points = sum(weights.get(s.criterion_id, 0.0) * s.score
                         for s in self.plan.scores_by_option.get(option.id, ()))
            out[option.id] = points / total if total else 0.0
        return out
