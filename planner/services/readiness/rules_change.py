"""Change management: people trained before they go live, resistance owned and planned for."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from planner.domain.enums import AdkarStage, Engagement, RiskStatus, StakeholderKind
from planner.domain.records import Phase, Record, Stakeholder
from planner.services.readiness.index import PlanIndex, adkar_barrier, impacts_from
from planner.services.readiness.model import Rule
from planner.services.readiness.registry import rule

Found = Iterator[tuple[str, Record | None]]
DIM = "change_management"


@rule(
    "untrained-before-phase",
    DIM,
    "critical",
    "Impacted group not trained before its phase",
    """People who go live without training fall back on old tools and workarounds, and
      their first experience of the change is failure.""",
    min_impact="medium",
)
def _untrained_before_phase(r: Rule, ix: PlanIndex) -> Found:
    """For each stakeholder with impact of at least `min_impact` in a phase's scope whose first
    training session (of a course aimed at it, or attended) is not before the start of its
    earliest phase."""
    impacts = impacts_from(r["min_impact"])
    planned = ix.first_planned_training
    stakeholders = ix.stakeholders
    late: dict[str, tuple[Stakeholder, Phase, date | None]] = {}
    for sid, phase in ix.first_phase.items():
        s = stakeholders.get(sid)
        if s is None or s.impact not in impacts or phase.starts_on is None:
            continue
        trained_on = planned.get(sid)
        if trained_on is None or trained_on >= phase.starts_on:
            late[sid] = (s, phase, trained_on)
    attended = ix.first_attended(set(late)) if late else {}
    iso = ix.iso
    for sid, (s, phase, trained_on) in late.items():
        start = phase.starts_on or date.max
        when = attended.get(sid)
        if when is not None and (trained_on is None or when < trained_on):
            trained_on = when
        if trained_on is None:
            yield (
                (
                    f"No training is planned for {s.name} ({s.impact!s} impact) "
                    f"before ‘{phase.name}’ starts on {iso[start]}."
                ),
                s,
            )
        elif trained_on >= start:
            yield (
                (
                    f"The first training for {s.name} is on {iso[trained_on]}, not "
                    f"before ‘{phase.name}’ starts on {iso[start]}."
                ),
                s,
            )


@rule(
    "impacted-group-no-training",
    DIM,
    "warning",
    "Strongly affected group with no training",
    """A group whose daily work changes a lot needs training even when it is not yet
      scheduled into a rollout phase.""",
    min_impact="high",
)
def _impacted_no_training(r: Rule, ix: PlanIndex) -> Found:
    """For each group with impact of at least `min_impact`, in no phase, with no course aimed at it
    and no attendance."""
    scoped = ix.in_any_phase
    planned = ix.first_planned_training
    candidates = {
        s.id: s
        for s in ix.impact_at_least(r["min_impact"])
        if s.kind is StakeholderKind.GROUP and s.id not in scoped and s.id not in planned
    }
    attended = ix.first_attended(set(candidates)) if candidates else {}
    for s in candidates.values():
        if s.id not in attended:
            yield f"No training is planned for {s.name} ({s.impact!s} impact).", s


@rule(
    "training-capacity-short",
    DIM,
    "warning",
    "Training capacity below the headcount",
    """When a course's sessions hold fewer seats than the people it must train, some
      will go live untrained or the schedule will slip.""",
    min_seats_per_person=1.0,
)
def _capacity_short(r: Rule, ix: PlanIndex) -> Found:
    """For each course whose sessions' total capacity is below `min_seats_per_person` seats per
    person of its audience's headcount."""
    stakeholders = ix.stakeholders
    capacity = ix.course_capacity
    seats_per_person = r["min_seats_per_person"]
    for course in ix.plan.courses:
        people = sum(
            s.headcount
            for sid in set(course.audience_ids)
            if (s := stakeholders.get(sid)) is not None
        )
        seats = capacity.get(course.id, 0)
        if people and seats < people * seats_per_person:
            yield (
                (f"Course ‘{course.name}’ has {seats} seats for {people} people in its audience."),
                course,
            )


@rule(
    "training-after-go-live",
    DIM,
    "warning",
    "Training session after go-live",
    """Training scheduled after the planned go-live means people use the new system
      before they have learned it.""",
)
def _after_go_live(r: Rule, ix: PlanIndex) -> Found:
    """For each session held after the initiative's planned go-live."""
    go_live = ix.initiative.go_live
    if go_live is None:
        return
    iso = ix.iso
    for session in ix.plan.sessions:
        if session.held_on > go_live:
            yield (
                (
                    f"Session ‘{session.name}’ on {iso[session.held_on]} comes after "
                    f"the planned go-live on {iso[go_live]}."
                ),
                session,
            )


@rule(
    "session-without-attendance",
    DIM,
    "info",
    "Past session with no attendance recorded",
    """Without attendance the plan cannot tell who was trained, so coverage and gate
      criteria are guesswork.""",
)
def _no_attendance(r: Rule, ix: PlanIndex) -> Found:
    """For each session held before today with no attendance recorded."""
    recorded = ix.sessions_with_attendance
    today = ix.today
    for session in ix.plan.sessions:
        if session.held_on < today and session.id not in recorded:
            yield (
                (
                    f"Session ‘{session.name}’ on {ix.iso[session.held_on]} has no "
                    f"attendance recorded."
                ),
                session,
            )


@rule(
    "resistance-without-plan",
    DIM,
    "critical",
    "Powerful resistance with no risk or mitigation",
    """A resistant stakeholder with power can stop the change; that resistance needs a
      recorded risk with a mitigation and an owner.""",
    min_power=4,
)
def _resistance_without_plan(r: Rule, ix: PlanIndex) -> Found:
    """For each resistant stakeholder with power of at least `min_power` that is linked to no open
    risk, or only to risks with no mitigation."""
    risks_by_stakeholder = ix.risks_by_stakeholder
    for s in ix.power_at_least(r["min_power"]):
        if s.engagement is not Engagement.RESISTANT:
            continue
        risks = risks_by_stakeholder.get(s.id, [])
        if not risks:
            yield f"Resistance from {s.name} (power {s.power}) has no risk recorded.", s
        elif not any((risk.mitigation or "").strip() for risk in risks):
            yield (
                (
                    f"Resistance from {s.name} (power {s.power}): the linked risk "
                    f"‘{risks[0].name}’ has no mitigation."
                ),
                s,
            )


@rule(
    "risk-unmanaged",
    DIM,
    "warning",
    "Serious risk with no owner or mitigation",
    """A serious risk (likelihood × impact at or above the threshold) that nobody owns,
      or that has no mitigation, is only a worry, not a plan.""",
    min_exposure=6,
)
def _risk_unmanaged(r: Rule, ix: PlanIndex) -> Found:
    """For each open or mitigating risk with exposure (likelihood × impact) of at least
    `min_exposure` missing an owner or a mitigation."""
    min_exposure = r["min_exposure"]
    for risk in ix.plan.risks:
        if risk.status is RiskStatus.CLOSED or risk.exposure < min_exposure:
            continue
        missing = [
            what
            for what, value in (("an owner", risk.owner), ("a mitigation", risk.mitigation))
            if not (value or "").strip()
        ]
        if missing:
            yield (
                (
                    f"Risk ‘{risk.name}’ (exposure {risk.exposure}) has no "
                    f"{' and no '.join(missing)}."
                ),
                risk,
            )


@rule(
    "adkar-barrier-before-phase",
    DIM,
    "critical",
    "Knowledge or ability barrier just before a phase",
    """A group whose ADKAR barrier is still Knowledge or Ability when its phase starts
      within weeks will not be able to work in the new way on day one.""",
    weeks_ahead=4,
    stages=("knowledge", "ability"),
)
def _adkar_near_phase(r: Rule, ix: PlanIndex) -> Found:
    """For each stakeholder in the scope of a phase starting within `weeks_ahead` weeks from today
    whose ADKAR barrier (the first stage at 3 or below) is one of `stages`."""
    stages = {AdkarStage(stage) for stage in r["stages"]}
    horizon = ix.today + timedelta(weeks=r["weeks_ahead"])
    for phase in ix.phases:
        if phase.starts_on is None or not ix.today <= phase.starts_on <= horizon:
            continue
        for sid in phase.scope_ids:
            s = ix.stakeholders.get(sid)
            if s is None:
                continue
            barrier = adkar_barrier(s)
            if barrier is not None and barrier in stages:
                yield (
                    (
                        f"The ADKAR barrier of {s.name} is {barrier.label}, and ‘{phase.name}’ "
                        f"starts on {ix.iso[phase.starts_on]}."
                    ),
                    s,
                )
