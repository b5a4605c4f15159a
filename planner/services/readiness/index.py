"""Look-ups over one plan, each built once per check and shared by the rules.

Rules ask questions like "which communications reach this group" for every
stakeholder; answering them from these indexes keeps a check linear in the
size of the plan instead of quadratic. On a large plan (10,000 stakeholders,
50,000 attendance records) reading every record of a table costs milliseconds,
so the indexes also keep those passes few: the subsets several rules start
from (the powerful, the affected, the never involved) are filtered once, and
attendance, the largest table, is read once.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from functools import cached_property
from itertools import compress
from operator import attrgetter

from planner.domain.enums import (
    AdkarStage,
    AttendanceStatus,
    CommunicationStatus,
    Engagement,
    Impact,
    PhaseKind,
    RiskStatus,
    Side,
)
from planner.domain.plan import Plan
from planner.domain.records import (
    Attendance,
    Communication,
    Course,
    Kpi,
    Phase,
    Risk,
    Stakeholder,
)

TOPIC_NAMES = {
    "covers_goals": "the goals",
    "covers_benefits": "the benefits",
    "covers_timeline": "the timeline",
    "covers_what_changes": "what changes for them",
    "covers_help": "where to get help",
}

COUNTED_STATUSES = frozenset({CommunicationStatus.SENT, CommunicationStatus.PLANNED})
"""Only messages sent or scheduled reach anyone: drafts and cancelled ones do not."""

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
    return frozenset(_IMPACTS[_IMPACTS.index(Impact(lowest)) :])


def day_text(day: date) -> str:
    """A date as people write it in an action: "17 Feb 2027"."""
    return f"{day.day} {day:%b %Y}"


class IsoDates(dict[date, str]):
    """Dates as ISO text, each formatted once: thousands of messages repeat the same days."""

    def __missing__(self, day: date) -> str:
        text = self[day] = day.isoformat()
        return text


class PlanIndex:
    def __init__(self, plan: Plan, today: date) -> None:
        self.plan = plan
        self.today = today
        self.initiative = plan.initiative
        self.iso = IsoDates()
        self._power: dict[int, list[Stakeholder]] = {}
        self._impact: dict[str, list[Stakeholder]] = {}
        self._deadlines: dict[tuple[str, bool], list[tuple[Stakeholder, date | None]]] = {}

    # ------------------------------------------------------------ stakeholders
    @cached_property
    def stakeholders(self) -> dict[str, Stakeholder]:
        return {s.id: s for s in self.plan.stakeholders}

    @cached_property
    def business(self) -> list[Stakeholder]:
        return [s for s in self.plan.stakeholders if s.side is Side.BUSINESS]

    def power_at_least(self, minimum: int) -> list[Stakeholder]:
        """Stakeholders with at least this power, in plan order (several rules start here)."""
        found = self._power.get(minimum)
        if found is None:
            found = self._power[minimum] = [s for s in self.plan.stakeholders if s.power >= minimum]
        return found

    def impact_at_least(self, lowest: str) -> list[Stakeholder]:
        """Stakeholders with at least this impact, in plan order (several rules start here)."""
        found = self._impact.get(lowest)
        if found is None:
            wanted = impacts_from(lowest).__contains__
            found = self._impact[lowest] = list(
                compress(self.plan.stakeholders, map(wanted, self.impacts.values()))
            )
        return found

    @cached_property
    def impacts(self) -> dict[str, Impact]:
        """How much the change affects each stakeholder, in plan order: their unit's overall
        impact where the initiative assessed that unit, else the impact recorded on them."""
        stakeholders = self.plan.stakeholders
        assessed = {a.unit_id: a.overall for a in self.plan.impact_assessments}
        if not assessed:
            ids, recorded = (
                map(attrgetter("id"), stakeholders),
                map(attrgetter("impact"), stakeholders),
            )
            return dict(zip(ids, recorded, strict=True))
        return {
            s.id: assessed.get(s.unit_id, s.impact) if s.unit_id is not None else s.impact
            for s in stakeholders
        }

    def impact_of(self, s: Stakeholder) -> Impact:
        """How much the change affects a stakeholder (see `impacts`)."""
        return self.impacts[s.id]

    @cached_property
    def never_involved(self) -> list[Stakeholder]:
        """Stakeholders with no date of first involvement, in plan order."""
        return [s for s in self.plan.stakeholders if s.involved_on is None]

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
        dated = sorted(
            (p for p in self.phases if p.starts_on is not None),
            key=lambda p: p.starts_on or date.max,
        )
        out: dict[str, Phase] = {}
        for phase in dated:
            for sid in phase.scope_ids:
                out.setdefault(sid, phase)
        return out

    @cached_property
    def pilot_start(self) -> date | None:
        """When the first pilot starts: evidence for later gates must be newer."""
        starts = [p.starts_on for p in self.phases if p.kind is PhaseKind.PILOT and p.starts_on]
        return min(starts) if starts else None

    def evidence_since(self, phase: Phase) -> date | None:
        """The date from which a KPI measurement counts for this phase's gate: the pilot's
        start for a later phase, none for the pilot itself."""
        pilot = self.pilot_start
        if phase.kind is PhaseKind.PILOT or pilot is None:
            return None
        if phase.starts_on is not None and phase.starts_on <= pilot:
            return None
        return pilot

    @cached_property
    def in_any_phase(self) -> set[str]:
        return {sid for phase in self.phases for sid in phase.scope_ids}

    # ----------------------------------------------------------- communication
    @cached_property
    def live_communications(self) -> list[Communication]:
        """Communications not cancelled (drafts included: they still need an owner ...)."""
        return [
            c for c in self.plan.communications if c.status is not CommunicationStatus.CANCELLED
        ]

    @cached_property
    def counted_communications(self) -> list[Communication]:
        """Communications that reach their audience: sent, or planned for a date."""
        return [
            c
            for c in self.plan.communications
            if c.status in COUNTED_STATUSES
            and (c.scheduled_on is not None or c.status is CommunicationStatus.SENT)
        ]

    @cached_property
    def communications_to(self) -> dict[str, list[Communication]]:
        """Sent or scheduled communications reaching each stakeholder, in plan order."""
        out: dict[str, list[Communication]] = defaultdict(list)
        for comm in self.counted_communications:
            for sid in comm.audience_ids:
                out[sid].append(comm)
        return out

    @cached_property
    def reached(self) -> set[str]:
        """Stakeholders in the audience of at least one sent or scheduled communication.

        One set union over the audiences, run in C, rather than a walk per stakeholder.
        """
        return set().union(*(c.audience_ids for c in self.counted_communications))

    def hearing_deadlines(
        self, lowest: str, by_go_live: bool
    ) -> list[tuple[Stakeholder, date | None]]:
        """The reached stakeholders that must hear the topics (in a phase's scope, or with at
        least this impact), with the date by which they must (their earliest phase's start,
        or the go-live; None: no date), in plan order.

        The topic rules share it: one walk over the stakeholders instead of one per rule.
        """
        key = (lowest, by_go_live)
        found = self._deadlines.get(key)
        if found is not None:
            return found
        impacts = impacts_from(lowest)
        first_phase, reached, go_live = self.first_phase, self.reached, self.initiative.go_live
        impact = self.impacts
        found = self._deadlines[key] = []
        append = found.append
        for s in self.plan.stakeholders:
            if s.id not in reached:
                continue
            phase = first_phase.get(s.id)
            if phase is None and impact[s.id] not in impacts:
                continue
            if by_go_live:
                append((s, go_live))
            else:
                append((s, phase.starts_on if phase is not None else None))
        return found

    @cached_property
    def first_heard_on(self) -> dict[str, dict[str, date]]:
        """Per topic, the first date each stakeholder hears about it (date.max: only in
        undated sent messages; absent: never).

        Latest messages first, so that earlier ones overwrite them: each audience is one
        dict update in C rather than a comparison per stakeholder in Python.
        """
        out: dict[str, dict[str, date]] = {}
        for topic in TOPIC_NAMES:
            first: dict[str, date] = {}
            covering = [c for c in self.counted_communications if getattr(c, topic)]
            covering.sort(key=lambda c: c.scheduled_on or date.max, reverse=True)
            for comm in covering:
                first.update(dict.fromkeys(comm.audience_ids, comm.scheduled_on or date.max))
            out[topic] = first
        return out

    def first_heard(self, stakeholder_id: str) -> date | None:
        """The date of a stakeholder's first communication: date.max when none is dated,
        None when none reaches it."""
        comms = self.communications_to.get(stakeholder_id)
        if not comms:
            return None
        return min(c.scheduled_on or date.max for c in comms)

    # ---------------------------------------------------------------- training
    @cached_property
    def session_dates(self) -> dict[str, date]:
        return {s.id: s.held_on for s in self.plan.sessions}

    @cached_property
    def course_first_session(self) -> dict[str, date]:
        return {
            course_id: min(s.held_on for s in sessions)
            for course_id, sessions in self.plan.sessions_by_course.items()
            if sessions
        }

    @cached_property
    def course_capacity(self) -> dict[str, int]:
        return {
            course_id: sum(s.capacity for s in sessions)
            for course_id, sessions in self.plan.sessions_by_course.items()
        }

    @cached_property
    def _attendance(self) -> tuple[set[str], list[Attendance], list[str], list[str]]:
        """Sessions with attendance, the phases' audiences' records, and who each record
        is about, in one walk.

        Attendance is by far the largest table: its two columns are read once each,
        in C (`attrgetter` over the records), and the other answers come from them.
        """
        records = self.plan.attendance
        who = list(map(attrgetter("stakeholder_id"), records))
        where = list(map(attrgetter("session_id"), records))
        in_phases = list(compress(records, map(self.in_any_phase.__contains__, who)))
        return set(where), in_phases, who, where

    @property
    def sessions_with_attendance(self) -> set[str]:
        return self._attendance[0]

    @property
    def phase_attendance(self) -> list[Attendance]:
        """The attendance records of the phases' audiences, in plan order.

        The gates and the training rules mostly ask about the people going live.
        """
        return self._attendance[1]

    @cached_property
    def with_attendance(self) -> set[str]:
        """Stakeholders with any attendance record (of any course, in any status)."""
        return set(self._attendance[2])

    @cached_property
    def _own_sessions(
        self,
    ) -> tuple[
        dict[str, int], dict[str, list[tuple[date, int]]], dict[str, list[tuple[date, int]]]
    ]:
        """From the phases' audiences' records, in one walk: people of each stakeholder who
        attended, its own sessions (date, people registered or attended), and its
        registrations in sessions from today on (see the three properties below)."""
        dates, today = self.session_dates, self.today
        trained: dict[str, int] = defaultdict(int)
        booked: dict[str, list[tuple[date, int]]] = defaultdict(list)
        ahead: dict[str, list[tuple[date, int]]] = defaultdict(list)
        attended, registered = AttendanceStatus.ATTENDED, AttendanceStatus.REGISTERED
        for record in self.phase_attendance:
            status, sid = record.status, record.stakeholder_id
            if status is attended:
                trained[sid] += record.count
            when = dates.get(record.session_id)
            if when is None or status is AttendanceStatus.NO_SHOW:
                continue
            booked[sid].append((when, record.count))
            if status is registered and when >= today:
                ahead[sid].append((when, record.count))
        return trained, booked, ahead

    @property
    def trained_in_phases(self) -> dict[str, int]:
        """People of each stakeholder in a phase's scope who attended a session.

        Registrations do not count. Only the phases' audiences are counted, as only
        their gates ask.
        """
        return self._own_sessions[0]

    @cached_property
    def first_planned_training(self) -> dict[str, date]:
        """Each stakeholder's earliest session of a course aimed at it."""
        first: dict[str, date] = {}
        course_first = self.course_first_session
        dated = sorted(
            (c for c in self.plan.courses if c.id in course_first),
            key=lambda c: course_first[c.id],
            reverse=True,
        )
        for course in dated:
            first.update(dict.fromkeys(course.audience_ids, course_first[course.id]))
        return first

    @property
    def registered_ahead(self) -> dict[str, list[tuple[date, int]]]:
        """Each in-phase stakeholder's registrations in sessions from today on (date, people)."""
        return self._own_sessions[2]

    @cached_property
    def first_booking(self) -> dict[str, date]:
        """Each in-phase stakeholder's earliest own session (registered or attended)."""
        return {sid: min(when for when, _ in own) for sid, own in self.bookings.items()}

    def booked_share(self, phase: Phase) -> float | None:
        """Percentage of the phase's people trained or registered for a session still to come
        before the phase starts: what the coverage will be if the bookings are kept."""
        if phase.starts_on is None:
            return self.trained_share(phase)
        start = phase.starts_on
        stakeholders, trained, ahead = (
            self.stakeholders,
            self.trained_in_phases,
            self.registered_ahead,
        )
        people = done = 0
        for sid in set(phase.scope_ids):
            s = stakeholders.get(sid)
            if s is None:
                continue
            people += s.headcount
            coming = sum(count for when, count in ahead.get(sid, ()) if when < start)
            done += min(trained.get(sid, 0) + coming, s.headcount)
        return 100 * done / people if people else None

    def trained_share(self, phase: Phase) -> float | None:
        """Percentage of the people in a phase's scope who attended training."""
        stakeholders = self.stakeholders
        trained = self.trained_in_phases
        people = done = 0
        for sid in set(phase.scope_ids):
            s = stakeholders.get(sid)
            if s is None:
                continue
            headcount = s.headcount
            people += headcount
            count = trained.get(sid, 0)
            done += min(count, headcount)
        return 100 * done / people if people else None

    @cached_property
    def booked_per_session(self) -> dict[str, int]:
        """Seats taken in each session still to come: people registered or attended (no-shows
        free theirs). Only those sessions' seats can still be given to anyone."""
        coming = {s.id for s in self.plan.sessions if s.held_on >= self.today}
        taken: dict[str, int] = dict.fromkeys(coming, 0)
        if not coming:
            return taken
        no_show = AttendanceStatus.NO_SHOW
        for record in compress(self.plan.attendance, map(coming.__contains__, self._attendance[3])):
            if record.status is not no_show:
                taken[record.session_id] += record.count
        return taken

    @property
    def bookings(self) -> dict[str, list[tuple[date, int]]]:
        """Each in-phase stakeholder's own sessions (date, people registered or attended)."""
        return self._own_sessions[1]

    @cached_property
    def courses_for(self) -> dict[str, list[Course]]:
        """The courses aimed at each stakeholder."""
        out: dict[str, list[Course]] = defaultdict(list)
        for course in self.plan.courses:
            for sid in set(course.audience_ids):
                out[sid].append(course)
        return out

    def open_seats_before(self, stakeholder_id: str, day: date) -> tuple[float, date | None]:
        """Seats still free for a stakeholder in sessions from today until before `day` of the
        courses aimed at it (a past session's empty seats are gone), each session's free seats
        shared equally among the course's audiences; and the first session of those courses on
        or after `day` (None: there is none)."""
        taken = self.booked_per_session
        by_course = self.plan.sessions_by_course
        today = self.today
        seats = 0.0
        later: date | None = None
        for course in self.courses_for.get(stakeholder_id, ()):
            share = len(set(course.audience_ids)) or 1
            for session in by_course.get(course.id, ()):
                if session.held_on < today:
                    continue
                if session.held_on < day:
                    seats += max(0, session.capacity - taken.get(session.id, 0)) / share
                elif later is None or session.held_on < later:
                    later = session.held_on
        return seats, later

    def last_training(self, stakeholder_id: str) -> date | None:
        """When a stakeholder's training has reached it: its last booked session, or else the
        last session of a course aimed at it (None: no training planned at all)."""
        own = [when for when, _ in self.bookings.get(stakeholder_id, ())]
        if own:
            return max(own)
        by_course = self.plan.sessions_by_course
        dates = [
            session.held_on
            for course in self.courses_for.get(stakeholder_id, ())
            for session in by_course.get(course.id, ())
        ]
        return max(dates) if dates else None

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
            points = sum(
                weights.get(s.criterion_id, 0.0) * s.score
                for s in self.plan.scores_by_option.get(option.id, ())
            )
            out[option.id] = points / total if total else 0.0
        return out
