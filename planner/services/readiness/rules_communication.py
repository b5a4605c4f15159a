"""Communication: every affected audience hears the why, the benefits and the when, in time."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from itertools import pairwise

from planner.domain.enums import CommunicationStatus, Impact, Recurrence
from planner.domain.records import Communication, Record, Stakeholder
from planner.services.readiness.index import TOPIC_BITS, TOPIC_NAMES, PlanIndex
from planner.services.readiness.model import Rule
from planner.services.readiness.registry import rule

Found = Iterator[tuple[str, Record | None]]
DIM = "communication"


def _key_player(s: Stakeholder, r: Rule) -> bool:
    return bool(s.power >= r["min_power"] and s.interest >= r["min_interest"])


@rule("key-player-not-reached", DIM, "critical", "Key player receives no communication",
      """Key players (high power, high interest) who are never addressed hear about the
      change second-hand, and the powerful ones do not forgive being surprised.""",
      min_power=4, min_interest=4)
def _key_player_not_reached(r: Rule, ix: PlanIndex) -> Found:
    reach = ix.reach
    for s in ix.plan.stakeholders:
        if _key_player(s, r) and s.id not in reach:
            yield f"No communication reaches {s.name} (power {s.power}, interest {s.interest}).", s


@rule("impacted-not-reached", DIM, "critical", "Affected stakeholder receives no communication",
      """People whose work changes and who hear nothing fill the silence with rumours;
      that is where fear and resistance grow. (Key players are covered by their own rule.)""",
      min_impact="medium", key_player_power=4, key_player_interest=4)
def _impacted_not_reached(r: Rule, ix: PlanIndex) -> Found:
    min_impact = Impact(r["min_impact"]).rank
    reach = ix.reach
    for s in ix.plan.stakeholders:
        if s.impact.rank < min_impact or s.id in reach:
            continue
        if s.power >= r["key_player_power"] and s.interest >= r["key_player_interest"]:
            continue
        yield f"No communication reaches {s.name} ({s.impact.label.lower()} impact).", s


def _missing_topics(r: Rule, ix: PlanIndex, topics: tuple[str, ...]) -> Found:
    min_impact = Impact(r["min_impact"]).rank
    scoped = ix.in_any_phase
    for s in ix.plan.stakeholders:
        reach = ix.reach.get(s.id)
        if reach is None or (s.impact.rank < min_impact and s.id not in scoped):
            continue
        missing = [TOPIC_NAMES[t] for t in topics if not reach.topics & TOPIC_BITS[t]]
        if missing:
            yield f"No communication to {s.name} covers {' or '.join(missing)}.", s


@rule("never-hears-benefits", DIM, "warning", "Audience never hears the benefits",
      """People who only hear what changes, never what they gain, see cost without
      reward; the benefits are what builds desire.""",
      min_impact="medium")
def _never_benefits(r: Rule, ix: PlanIndex) -> Found:
    return _missing_topics(r, ix, ("covers_benefits",))


@rule("never-hears-why-or-when", DIM, "warning", "Audience never hears the goals or the timeline",
      """Without the why people cannot judge the change, and without the when they cannot
      prepare for it.""",
      min_impact="medium")
def _never_why_when(r: Rule, ix: PlanIndex) -> Found:
    return _missing_topics(r, ix, ("covers_goals", "covers_timeline"))


@rule("first-message-after-phase-start", DIM, "warning",
      "Audience first hears of the change after its phase starts",
      """Telling people about a change once it has already reached them turns
      communication into an announcement of a fait accompli.""")
def _late_first_message(r: Rule, ix: PlanIndex) -> Found:
    for sid, phase in ix.first_phase.items():
        reach = ix.reach.get(sid)
        s = ix.stakeholders.get(sid)
        if s is None or reach is None or reach.first is None or phase.starts_on is None:
            continue
        if reach.first >= phase.starts_on:
            yield (f"The first communication to {s.name} is on {reach.first.isoformat()}, after "
                   f"‘{phase.name}’ starts on {phase.starts_on.isoformat()}."), s


def occurrences_between(comm: Communication, start: date, end: date) -> list[date]:
    """The dates a communication goes out within [start, end], without listing the rest."""
    first = comm.scheduled_on
    if first is None or first > end:
        return []
    last = min(end, comm.repeat_until or end)
    step = {Recurrence.WEEKLY: 7, Recurrence.FORTNIGHTLY: 14}.get(comm.recurrence)
    if comm.recurrence is Recurrence.ONCE:
        return [first] if start <= first <= end else []
    if step is None:
        return [d for d in comm.occurrences(horizon=last) if start <= d <= last]
    skip = max(0, -(-(start - first).days // step))
    out = []
    current = first + timedelta(days=skip * step)
    while current <= last:
        out.append(current)
        current += timedelta(days=step)
    return out


@rule("communication-gap-in-phase", DIM, "warning", "Communication goes quiet during a phase",
      """During rollout people need a steady rhythm of news, tips and answers; weeks of
      silence while they struggle with a new system feel like abandonment.""",
      max_gap_weeks=3)
def _gap_in_phase(r: Rule, ix: PlanIndex) -> Found:
    limit = timedelta(weeks=r["max_gap_weeks"])
    for phase in ix.phases:
        if phase.starts_on is None or phase.ends_on is None or not phase.scope_ids:
            continue
        scope = set(phase.scope_ids)
        dates = {phase.starts_on, phase.ends_on}
        for comm in ix.live_communications:
            if not scope.isdisjoint(comm.audience_ids):
                dates.update(occurrences_between(comm, phase.starts_on, phase.ends_on))
        ordered = sorted(dates)
        if len(ordered) < 2:
            continue
        gap_start, gap_end = max(pairwise(ordered), key=lambda p: p[1] - p[0])
        if gap_end - gap_start > limit:
            yield (f"No communication reaches ‘{phase.name}’ audiences from "
                   f"{gap_start.isoformat()} to {gap_end.isoformat()} "
                   f"({(gap_end - gap_start).days // 7} weeks)."), phase


@rule("communication-without-audience", DIM, "info", "Communication with no audience",
      """A message addressed to nobody in the plan cannot be checked for reach.""")
def _no_audience(r: Rule, ix: PlanIndex) -> Found:
    for comm in ix.live_communications:
        if not comm.audience_ids:
            yield f"Communication ‘{comm.name}’ has no audience.", comm


@rule("communication-without-owner", DIM, "info", "Communication with no owner",
      """Messages without an owner are the ones that quietly never go out.""")
def _no_owner(r: Rule, ix: PlanIndex) -> Found:
    for comm in ix.live_communications:
        if not (comm.owner or "").strip():
            yield f"Communication ‘{comm.name}’ has no owner.", comm


@rule("communication-overdue", DIM, "info", "One-off communication past its date, not sent",
      """A message still planned after its date either went out and the plan is stale, or
      it did not go out and the audience is waiting.""")
def _overdue(r: Rule, ix: PlanIndex) -> Found:
    for comm in ix.live_communications:
        if (comm.recurrence is Recurrence.ONCE and comm.status is not CommunicationStatus.SENT
                and comm.scheduled_on is not None and comm.scheduled_on < ix.today):
            yield (f"Communication ‘{comm.name}’ was due on {comm.scheduled_on.isoformat()} "
                   f"and is still {comm.status.label.lower()}."), comm
