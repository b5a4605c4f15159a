"""Communication: every affected audience hears the why, the benefits and the when, in time."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import pairwise

from planner.domain.enums import CommunicationStatus, Recurrence
from planner.domain.records import Communication, months_later
from planner.services.readiness.index import TOPIC_NAMES, PlanIndex, day_text
from planner.services.readiness.model import Findings, Rule
from planner.services.readiness.registry import rule

DIM = "communication"


@rule(
    "key-player-not-reached",
    DIM,
    "critical",
    "Key player receives no communication",
    """Key players (high power, high interest) who are never addressed hear about the
      change second-hand, and the powerful ones do not forgive being surprised.""",
    action="Add {name} to the audience of a planned message.",
    min_power=4,
    min_interest=4,
)
def _key_player_not_reached(r: Rule, ix: PlanIndex) -> Findings:
    """For each stakeholder with power of at least `min_power` and interest of at least
    `min_interest` in no communication's audience (only sent or scheduled communications count)."""
    reached = ix.reached
    min_interest = r["min_interest"]
    for s in ix.power_at_least(r["min_power"]):
        if s.interest >= min_interest and s.id not in reached:
            yield f"No communication reaches {s.name} (power {s.power}, interest {s.interest}).", s


@rule(
    "impacted-not-reached",
    DIM,
    "critical",
    "Affected stakeholder receives no communication",
    """People whose work changes and who hear nothing fill the silence with rumours;
      that is where fear and resistance grow. (Key players are covered by their own rule.)""",
    action="Add {name} to the audience of a planned message.",
    min_impact="medium",
    key_player_power=4,
    key_player_interest=4,
)
def _impacted_not_reached(r: Rule, ix: PlanIndex) -> Findings:
    """For each stakeholder with impact of at least `min_impact` in no sent or scheduled
    communication's audience, other than key players (power of at least `key_player_power` and
    interest of at least `key_player_interest`)."""
    reached = ix.reached
    key_power, key_interest = r["key_player_power"], r["key_player_interest"]
    for s in ix.impact_at_least(r["min_impact"]):
        if s.id in reached or (s.power >= key_power and s.interest >= key_interest):
            continue
        yield f"No communication reaches {s.name} ({ix.impact_of(s)!s} impact).", s


BEFORE_PHASE = ("covers_goals", "covers_benefits", "covers_timeline", "covers_what_changes")
"""What each affected audience must have heard before its phase starts."""


def _late_topics(r: Rule, ix: PlanIndex, topics: tuple[str, ...], deadline_of: str) -> Findings:
    """Affected stakeholders in a phase's scope (or with impact of at least `min_impact`) that
    are reached but have not heard some topics by their deadline: the start of their earliest
    phase, or the go-live (`deadline_of` "go_live"); with no such date, at any time."""
    iso = ix.iso
    heard = [(ix.first_heard_on[topic], topic) for topic in topics]
    by_go_live = deadline_of == "go_live"
    for s, deadline in ix.hearing_deadlines(r["min_impact"], by_go_live):
        sid = s.id
        if deadline is None:
            missing = [topic for first, topic in heard if sid not in first]
        else:
            missing = [topic for first, topic in heard if first.get(sid, date.max) >= deadline]
        if not missing:
            continue
        names = " or ".join(TOPIC_NAMES[topic] for topic in missing)
        listed = names.replace(" or ", " and ")
        if deadline is None:
            yield (
                f"No communication to {s.name} covers {names}.",
                s,
                f"Plan a message to {s.name} that covers {listed}.",
            )
        else:
            what = "the go-live" if by_go_live else f"‘{ix.first_phase[s.id].name}’ starts"
            yield (
                f"{s.name} does not hear {names} before {what} on {iso[deadline]}.",
                s,
                f"Schedule a message to {s.name} covering {listed} before {day_text(deadline)}.",
            )


@rule(
    "never-hears-benefits",
    DIM,
    "warning",
    "Audience does not hear the benefits before its phase",
    """People who only hear what changes, never what they gain, see cost without
      reward; the benefits are what builds desire, and they build it only when heard before
      the change arrives.""",
    action="Plan a message to {name} that covers the benefits before its phase starts.",
    min_impact="medium",
)
def _never_benefits(r: Rule, ix: PlanIndex) -> Findings:
    """For each stakeholder reached by sent or scheduled communications, with impact of at least
    `min_impact` or in a phase's scope, none of which covers the benefits before its earliest
    phase starts."""
    return _late_topics(r, ix, ("covers_benefits",), "phase")


@rule(
    "never-hears-why-or-when",
    DIM,
    "warning",
    "Audience does not hear the why, the when or what changes before its phase",
    """Without the why people cannot judge the change, without the when they cannot
      prepare for it, and without what changes for them they imagine the worst.""",
    action="Plan a message to {name} that covers the goals, the timeline and what changes.",
    min_impact="medium",
)
def _never_why_when(r: Rule, ix: PlanIndex) -> Findings:
    """For each stakeholder reached by sent or scheduled communications, with impact of at least
    `min_impact` or in a phase's scope, that does not hear the goals, the timeline or what
    changes for it before its earliest phase starts."""
    return _late_topics(r, ix, ("covers_goals", "covers_timeline", "covers_what_changes"), "phase")


@rule(
    "never-hears-where-to-get-help",
    DIM,
    "warning",
    "Audience does not hear where to get help by go-live",
    """On the first day with a new system people get stuck; if nobody told them where to
      get help, they stop using it or flood whoever they know.""",
    action="Plan a message to {name} that says where to get help before the go-live.",
    min_impact="medium",
)
def _never_help(r: Rule, ix: PlanIndex) -> Findings:
    """For each stakeholder reached by sent or scheduled communications, with impact of at least
    `min_impact` or in a phase's scope, none of which says where to get help before the planned
    go-live."""
    return _late_topics(r, ix, ("covers_help",), "go_live")


@rule(
    "first-message-after-phase-start",
    DIM,
    "warning",
    "Audience first hears of the change after its phase starts",
    """Telling people about a change once it has already reached them turns
      communication into an announcement of a fait accompli.""",
    action="Plan a first message to {name} before its phase starts.",
)
def _late_first_message(r: Rule, ix: PlanIndex) -> Findings:
    """For each stakeholder in a phase's scope whose first dated communication is on or after the
    start of its earliest phase."""
    first_heard = ix.first_heard
    stakeholders = ix.stakeholders
    iso = ix.iso
    for sid, phase in ix.first_phase.items():
        first = first_heard(sid)
        s = stakeholders.get(sid)
        if s is None or first is None or first == date.max or phase.starts_on is None:
            continue
        if first >= phase.starts_on:
            yield (
                (
                    f"The first communication to {s.name} is on {iso[first]}, after "
                    f"‘{phase.name}’ starts on {iso[phase.starts_on]}."
                ),
                s,
            )


def occurrences_between(comm: Communication, start: date, end: date) -> list[date]:
    """The dates a communication goes out within [start, end], without listing the others.

    Follows `Communication.occurrences`: weekly and fortnightly repeats step by days;
    monthly ones on the same day of each later month, or its last day (`months_later`).
    """
    first = comm.scheduled_on
    if first is None or first > end:
        return []
    last = min(end, comm.repeat_until or end)
    if comm.recurrence is Recurrence.ONCE:
        return [first] if start <= first <= end else []
    out: list[date] = []
    if comm.recurrence is Recurrence.MONTHLY:
        if start <= first <= last:
            out.append(first)
        month = max(1, (start.year - first.year) * 12 + start.month - first.month - 1)
        while True:
            current = months_later(first, month)
            if current > last:
                return out
            if current >= start:
                out.append(current)
            month += 1
    step = 7 if comm.recurrence is Recurrence.WEEKLY else 14
    skip = max(0, -(-(start - first).days // step))
    current = first + timedelta(days=skip * step)
    while current <= last:
        out.append(current)
        current += timedelta(days=step)
    return out


@rule(
    "communication-gap-in-phase",
    DIM,
    "warning",
    "Communication goes quiet during a phase",
    """During rollout people need a steady rhythm of news, tips and answers; weeks of
      silence while they struggle with a new system feel like abandonment.""",
    action="Schedule messages to the audiences of ‘{name}’ to fill the silence.",
    max_gap_weeks=3,
)
def _gap_in_phase(r: Rule, ix: PlanIndex) -> Findings:
    """For each dated phase in which no communication (counting every repeat of recurring ones)
    reaches its scope for more than `max_gap_weeks` weeks, counting from its start to its end."""
    limit = timedelta(weeks=r["max_gap_weeks"])
    reaching = ix.communications_to
    for phase in ix.phases:
        start, end = phase.starts_on, phase.ends_on
        if start is None or end is None or not phase.scope_ids:
            continue
        # Communications with the same schedule go out on the same dates: keep one of each.
        schedules: dict[tuple[object, ...], Communication] = {}
        for sid in set(phase.scope_ids):
            for comm in reaching.get(sid, ()):
                first, until = comm.scheduled_on, comm.repeat_until
                if first is not None and first <= end and (until is None or until >= start):
                    schedules[first, comm.recurrence, until] = comm
        dates = {start, end}
        for comm in schedules.values():
            dates.update(occurrences_between(comm, start, end))
        ordered = sorted(dates)
        if len(ordered) < 2:
            continue
        gap_start, gap_end = max(pairwise(ordered), key=lambda p: p[1] - p[0])
        if gap_end - gap_start > limit:
            yield (
                (
                    f"No communication reaches ‘{phase.name}’ audiences from "
                    f"{ix.iso[gap_start]} to {ix.iso[gap_end]} "
                    f"({(gap_end - gap_start).days // 7} weeks)."
                ),
                phase,
            )


@rule(
    "communication-without-audience",
    DIM,
    "info",
    "Communication with no audience",
    """A message addressed to nobody in the plan cannot be checked for reach.""",
    action="Name the audience of ‘{name}’.",
)
def _no_audience(r: Rule, ix: PlanIndex) -> Findings:
    """For each communication with no audience."""
    for comm in ix.live_communications:
        if not comm.audience_ids:
            yield f"Communication ‘{comm.name}’ has no audience.", comm


@rule(
    "communication-without-owner",
    DIM,
    "info",
    "Communication with no owner",
    """Messages without an owner are the ones that quietly never go out.""",
    action="Give ‘{name}’ an owner.",
)
def _no_owner(r: Rule, ix: PlanIndex) -> Findings:
    """For each communication with no owner."""
    for comm in ix.live_communications:
        if not (comm.owner or "").strip():
            yield f"Communication ‘{comm.name}’ has no owner.", comm


@rule(
    "communication-overdue",
    DIM,
    "info",
    "One-off communication past its date, not sent",
    """A message still planned after its date either went out and the plan is stale, or
      it did not go out and the audience is waiting.""",
    action="Mark ‘{name}’ as sent, or give it a new date.",
)
def _overdue(r: Rule, ix: PlanIndex) -> Findings:
    """For each one-off communication dated before today that is not marked sent."""
    today, iso = ix.today, ix.iso
    for comm in ix.live_communications:
        if (
            comm.recurrence is Recurrence.ONCE
            and comm.status is not CommunicationStatus.SENT
            and comm.scheduled_on is not None
            and comm.scheduled_on < today
        ):
            yield (
                (
                    f"Communication ‘{comm.name}’ was due on {iso[comm.scheduled_on]} "
                    f"and is still {comm.status.label.lower()}."
                ),
                comm,
            )
