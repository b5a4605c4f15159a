"""Change management: people trained before they go live, resistance owned and planned for."""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import date, timedelta

from planner.domain.enums import AdkarStage, Engagement, RiskStatus, StakeholderKind
from planner.domain.records import Phase, Stakeholder
from planner.services.readiness.index import PlanIndex, adkar_barrier, day_text, impacts_from
from planner.services.readiness.model import Findings, Rule
from planner.services.readiness.registry import rule

DIM = "change_management"


def _groups_in_phases(ix: PlanIndex, lowest: str) -> Iterator[tuple[Phase, Stakeholder, date]]:
    """Every dated phase with each affected stakeholder of its scope, once per phase."""
    impacts = impacts_from(lowest)
    stakeholders = ix.stakeholders
    for phase in ix.phases:
        start = phase.starts_on
        if start is None:
            continue
        for sid in dict.fromkeys(phase.scope_ids):
            s = stakeholders.get(sid)
            if s is not None and ix.impact_of(s) in impacts:
                yield phase, s, start


@rule(
    "untrained-before-phase",
    DIM,
    "critical",
    "Impacted group not trained before its phase",
    """People who go live without training fall back on old tools and workarounds, and
      their first experience of the change is failure. Each group is judged by its own
      sessions: another group trained on the same course does not count for it.""",
    action="Schedule a session for {name} before its phase starts.",
    min_impact="medium",
)
def _untrained_before_phase(r: Rule, ix: PlanIndex) -> Findings:
    """For each phase and each stakeholder in its scope with impact of at least `min_impact` that
    has no session of its own (registered or attended) before the phase starts and no free seat
    in a session from today until then of a course aimed at it."""
    iso = ix.iso
    first_booking = ix.first_booking
    for phase, s, start in _groups_in_phases(ix, r["min_impact"]):
        first_own = first_booking.get(s.id)
        if first_own is not None and first_own < start:
            continue
        seats, later = ix.open_seats_before(s.id, start)
        if seats >= 1:
            continue
        if first_own is not None:
            message = (
                f"The sessions of {s.name} start on {iso[first_own]}, not before "
                f"‘{phase.name}’ starts on {iso[start]}."
            )
        elif later is not None or ix.courses_for.get(s.id):
            message = (
                f"{s.name} has no seat in a session before ‘{phase.name}’ starts on {iso[start]}."
            )
        else:
            message = (
                f"No training is planned for {s.name} ({ix.impact_of(s)!s} impact) "
                f"before ‘{phase.name}’ starts on {iso[start]}."
            )
        yield message, s, f"Schedule a session for {s.name} before {day_text(start)}."


@rule(
    "impacted-group-no-training",
    DIM,
    "warning",
    "Strongly affected group with no training",
    """A group whose daily work changes a lot needs training even when it is not yet
      scheduled into a rollout phase.""",
    action="Plan a course for {name} and schedule its sessions.",
    min_impact="high",
)
def _impacted_no_training(r: Rule, ix: PlanIndex) -> Findings:
    """For each group with impact of at least `min_impact`, in no phase, with no course aimed at it
    and no attendance."""
    scoped = ix.in_any_phase
    planned = ix.first_planned_training
    attended = ix.with_attendance
    group = StakeholderKind.GROUP
    for s in ix.impact_at_least(r["min_impact"]):
        sid = s.id
        if s.kind is group and sid not in scoped and sid not in planned and sid not in attended:
            yield f"No training is planned for {s.name} ({ix.impact_of(s)!s} impact).", s


@rule(
    "training-capacity-short",
    DIM,
    "warning",
    "Not enough seats for a group before its phase",
    """When the sessions open to a group hold fewer seats than its people, some will go
      live untrained or the schedule will slip; spare seats elsewhere do not help them.""",
    action="Add seats for {name} before its phase starts.",
    min_seats_per_person=1.0,
    min_impact="medium",
)
def _capacity_short(r: Rule, ix: PlanIndex) -> Findings:
    """For each phase and each stakeholder in its scope with impact of at least `min_impact`
    whose own bookings before the phase starts plus its share of the free seats in coming
    sessions of the courses aimed at it are below `min_seats_per_person` seats per person."""
    per_person = r["min_seats_per_person"]
    for phase, s, start in _groups_in_phases(ix, r["min_impact"]):
        booked = sum(count for when, count in ix.bookings.get(s.id, ()) if when < start)
        need = s.headcount * per_person
        if booked >= need:
            continue
        seats, _later = ix.open_seats_before(s.id, start)
        have = min(booked, s.headcount) + seats
        if (booked or seats >= 1) and have < need:
            missing = math.ceil(need - have)
            yield (
                (
                    f"{s.name} has {math.floor(have)} seats before ‘{phase.name}’ starts on "
                    f"{ix.iso[start]}, for {s.headcount} people."
                ),
                s,
                f"Add {missing} seats for {s.name} in sessions before {day_text(start)}.",
            )


@rule(
    "training-after-go-live",
    DIM,
    "warning",
    "Training session after go-live",
    """Training scheduled after the planned go-live means people use the new system
      before they have learned it.""",
    action="Move ‘{name}’ before the go-live, or move the go-live.",
)
def _after_go_live(r: Rule, ix: PlanIndex) -> Findings:
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
    action="Record who attended ‘{name}’.",
)
def _no_attendance(r: Rule, ix: PlanIndex) -> Findings:
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
    action="Record a risk for the resistance of {name}, with a mitigation and an owner.",
    min_power=4,
)
def _resistance_without_plan(r: Rule, ix: PlanIndex) -> Findings:
    """For each resistant stakeholder with power of at least `min_power` that is linked to no open
    risk having both a mitigation and an owner."""
    risks_by_stakeholder = ix.risks_by_stakeholder
    for s in ix.power_at_least(r["min_power"]):
        if s.engagement is not Engagement.RESISTANT:
            continue
        risks = risks_by_stakeholder.get(s.id, [])
        if not risks:
            yield f"Resistance from {s.name} (power {s.power}) has no risk recorded.", s
            continue
        if any(_filled(risk.mitigation) and _filled(risk.owner) for risk in risks):
            continue
        risk = risks[0]
        lacking = [
            (what, article)
            for what, article, value in (
                ("mitigation", "a", risk.mitigation),
                ("owner", "an", risk.owner),
            )
            if not _filled(value)
        ]
        yield (
            (
                f"Resistance from {s.name} (power {s.power}): the linked risk "
                f"‘{risk.name}’ has no {' and no '.join(what for what, _ in lacking)}."
            ),
            s,
            f"Give risk ‘{risk.name}’ {' and '.join(f'{a} {what}' for what, a in lacking)}.",
        )


def _filled(text: str | None) -> bool:
    return bool((text or "").strip())


@rule(
    "risk-unmanaged",
    DIM,
    "warning",
    "Serious risk with no owner or mitigation",
    """A serious risk (likelihood × impact at or above the threshold) that nobody owns,
      or that has no mitigation, is only a worry, not a plan.""",
    action="Give risk ‘{name}’ an owner and a mitigation.",
    min_exposure=6,
    resistance_power=4,
)
def _risk_unmanaged(r: Rule, ix: PlanIndex) -> Findings:
    """For each open or mitigating risk with exposure (likelihood × impact) of at least
    `min_exposure` missing an owner or a mitigation, other than risks of resistance from a
    stakeholder with power of at least `resistance_power` (their own rule judges them, so the
    gap is not counted twice)."""
    min_exposure = r["min_exposure"]
    stakeholders = ix.stakeholders
    resisting = {
        s.id
        for s in ix.power_at_least(r["resistance_power"])
        if s.engagement is Engagement.RESISTANT
    }
    for risk in ix.plan.risks:
        if risk.status is RiskStatus.CLOSED or risk.exposure < min_exposure:
            continue
        if resisting and any(
            sid in resisting and sid in stakeholders for sid in risk.stakeholder_ids
        ):
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
    "Knowledge or ability barrier before a phase the training will not reach in time",
    """A group whose ADKAR barrier is still Knowledge or Ability when its phase starts will
      not be able to work in the new way on day one. How far ahead to look follows the
      group's training: the barrier matters for any phase starting before that training has
      reached the group and left time to practise.""",
    action="Train and coach {name} before its phase starts, or move the phase.",
    weeks_ahead=4,
    practice_weeks=2,
    stages=("knowledge", "ability"),
)
def _adkar_near_phase(r: Rule, ix: PlanIndex) -> Findings:
    """For each stakeholder in the scope of a phase not yet started whose ADKAR barrier (the first
    stage at 3 or below) is one of `stages`, when the phase starts within `weeks_ahead` weeks, or
    before the stakeholder's last training session plus `practice_weeks` weeks, or at any time if
    no training is planned for it."""
    stages = {AdkarStage(stage) for stage in r["stages"]}
    today = ix.today
    least = today + timedelta(weeks=r["weeks_ahead"])
    practice = timedelta(weeks=r["practice_weeks"])
    for phase in ix.phases:
        start = phase.starts_on
        if start is None or start < today:
            continue
        for sid in dict.fromkeys(phase.scope_ids):
            s = ix.stakeholders.get(sid)
            if s is None:
                continue
            barrier = adkar_barrier(s)
            if barrier is None or barrier not in stages:
                continue
            trained = ix.last_training(sid)
            ready = max(least, trained + practice) if trained is not None else date.max
            if start > ready:
                continue
            reach = (
                "no training is planned for it"
                if trained is None
                else f"its training ends on {ix.iso[trained]}"
            )
            if trained is not None and trained + practice <= start:
                # Trained in time, and still not there: more of the same will not help.
                action = (
                    f"Find out what is still missing in the {barrier.label.lower()} of {s.name} after the "
                    f"training of {day_text(trained)} and coach them before {day_text(start)}, "
                    "or move the phase."
                )
            else:
                action = (
                    f"Bring the {barrier.label.lower()} training of {s.name} forward to finish "
                    f"{r['practice_weeks']} weeks before {day_text(start)}, or move the phase."
                )
            yield (
                (
                    f"The ADKAR barrier of {s.name} is {barrier.label}, ‘{phase.name}’ starts "
                    f"on {ix.iso[start]} and {reach}."
                ),
                s,
                action,
            )
