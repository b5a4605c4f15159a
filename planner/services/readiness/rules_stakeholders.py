"""Stakeholder involvement: the business, not only IT, is in the room, early."""

from __future__ import annotations

from datetime import timedelta

from planner.domain.enums import Side
from planner.services.readiness.index import ENGAGEMENT_RANK, PlanIndex, impacts_from
from planner.services.readiness.model import Findings, Rule
from planner.services.readiness.registry import rule

DIM = "stakeholder_involvement"


@rule(
    "no-sponsor",
    DIM,
    "critical",
    "The initiative has no sponsor",
    """Change without a visible executive sponsor is the most reliable predictor of
      failure: nobody with authority clears obstacles or tells people why it matters.""",
    action="Name an executive sponsor for ‘{name}’.",
)
def _no_sponsor(r: Rule, ix: PlanIndex) -> Findings:
    """The initiative names no stakeholder as its sponsor (or one no longer in the plan)."""
    sponsor_id = ix.initiative.sponsor_id
    if sponsor_id is None:
        yield f"‘{ix.initiative.name}’ names no sponsor.", ix.initiative
    elif sponsor_id not in ix.stakeholders:
        yield (
            f"The sponsor of ‘{ix.initiative.name}’ is no longer one of its stakeholders.",
            ix.initiative,
        )


@rule(
    "sponsor-not-business-led",
    DIM,
    "critical",
    "The sponsor sits on the IT side",
    """A change sponsored only from IT is an IT project in the eyes of the business: the
      functions that must live with it see no leader of their own asking for it, which is
      the siloed decision-making that sinks technology initiatives.""",
    action="Ask a business or executive leader to sponsor ‘{name}’ alongside IT.",
)
def _sponsor_on_it_side(r: Rule, ix: PlanIndex) -> Findings:
    """The sponsor is a stakeholder on the IT side."""
    sponsor = ix.stakeholders.get(ix.initiative.sponsor_id or "")
    if sponsor is not None and sponsor.side is Side.IT:
        yield (
            f"The only sponsor of ‘{ix.initiative.name}’ is {sponsor.name}, on the IT side.",
            ix.initiative,
        )


@rule(
    "sponsor-lacks-power",
    DIM,
    "warning",
    "The sponsor has little power over the change",
    """A sponsor must be able to clear obstacles, release people and resolve conflicts
      between functions; without the power to do so the sponsorship is a title.""",
    action="Find a sponsor with the authority to clear obstacles for ‘{name}’.",
    min_power=4,
)
def _sponsor_power(r: Rule, ix: PlanIndex) -> Findings:
    """The sponsor's power is below `min_power` (an IT-side sponsor is judged by its own rule,
    so the gap is not counted twice)."""
    sponsor = ix.stakeholders.get(ix.initiative.sponsor_id or "")
    if sponsor is not None and sponsor.side is not Side.IT and sponsor.power < r["min_power"]:
        yield (
            f"The sponsor {sponsor.name} has power {sponsor.power} (below {r['min_power']}).",
            ix.initiative,
        )


@rule(
    "no-business-power",
    DIM,
    "critical",
    "No powerful business-side stakeholder",
    """When only IT and executives hold power over the change, decisions are taken in a
      silo and the functions that must live with the result push back later.""",
    action="Involve a business leader with power over the change in ‘{name}’.",
    min_power=4,
)
def _no_business_power(r: Rule, ix: PlanIndex) -> Findings:
    """No business-side stakeholder has power of at least `min_power`."""
    min_power = r["min_power"]
    if not any(s.power >= min_power for s in ix.business):
        yield (
            (
                f"No business-side stakeholder has power {r['min_power']} or more; "
                f"the change is steered by IT and executives alone."
            ),
            ix.initiative,
        )


@rule(
    "business-involved-late",
    DIM,
    "warning",
    "The business joined long after IT",
    """If IT works for months before the business side is involved, the solution is
      shaped without the people who must use it.""",
    action="Involve the business side of ‘{name}’ as early as IT.",
    max_weeks=8,
)
def _business_late(r: Rule, ix: PlanIndex) -> Findings:
    """The first business stakeholder was involved more than `max_weeks` weeks after the first IT
    stakeholder."""
    it = [
        s.involved_on
        for s in ix.plan.stakeholders
        if s.side is Side.IT and s.involved_on is not None
    ]
    business = [s.involved_on for s in ix.business if s.involved_on is not None]
    if not it or not business:
        return
    lag = min(business) - min(it)
    if lag > timedelta(weeks=r["max_weeks"]):
        yield (
            (
                f"The first business stakeholder joined {lag.days // 7} weeks after IT "
                f"(more than {r['max_weeks']})."
            ),
            ix.initiative,
        )


@rule(
    "involved-after-start",
    DIM,
    "warning",
    "Stakeholder involved only after the rollout began",
    """People brought in after the first phase has started meet a finished design; they
      had no say, and that is where resistance starts.""",
    action="Involve {name} before the rollout reaches them next time; catch up with them now.",
)
def _involved_late(r: Rule, ix: PlanIndex) -> Findings:
    """For each stakeholder first involved after the earliest phase start."""
    start = ix.first_phase_start
    if start is None:
        return
    iso = ix.iso
    starts = iso[start]
    for s in ix.plan.stakeholders:
        involved = s.involved_on
        if involved is not None and involved > start:
            yield (
                (
                    f"First involvement of {s.name} is on {iso[involved]}, after the "
                    f"first phase starts on {starts}."
                ),
                s,
            )


@rule(
    "never-involved",
    DIM,
    "warning",
    "Affected stakeholder never involved",
    """A group in a rollout phase, strongly affected, or powerful, with no date of first
      involvement has not been engaged at all.""",
    action="Involve {name} and record the date.",
    min_impact="medium",
    min_power=4,
)
def _never_involved(r: Rule, ix: PlanIndex) -> Findings:
    """For each stakeholder with no date of first involvement that is in a phase's scope, has
    impact of at least `min_impact`, or power of at least `min_power`."""
    impacts = impacts_from(r["min_impact"])
    min_power = r["min_power"]
    scoped = ix.in_any_phase
    for s in ix.never_involved:
        if s.id in scoped or ix.impact_of(s) in impacts or s.power >= min_power:
            yield f"{s.name} has not been involved yet (no date of first involvement).", s


@rule(
    "no-relationship-owner",
    DIM,
    "warning",
    "Powerful stakeholder without a relationship owner",
    """Someone must own each powerful relationship; otherwise everybody assumes somebody
      else is keeping them on board.""",
    action="Name a relationship owner for {name}.",
    min_power=4,
)
def _no_owner(r: Rule, ix: PlanIndex) -> Findings:
    """For each stakeholder with power of at least `min_power` and no relationship owner."""
    for s in ix.power_at_least(r["min_power"]):
        if not (s.owner or "").strip():
            yield f"No relationship owner for {s.name} (power {s.power}).", s


@rule(
    "key-player-engagement-gap",
    DIM,
    "warning",
    "Key player far from the engagement needed",
    """Key players (high power and high interest) who are two or more steps from the
      engagement the plan needs will decide the change's fate; they need a personal plan.""",
    action="Agree a personal engagement plan for {name} with its relationship owner.",
    min_power=4,
    min_interest=4,
    max_gap=1,
)
def _engagement_gap(r: Rule, ix: PlanIndex) -> Findings:
    """For each stakeholder with power of at least `min_power` and interest of at least
    `min_interest` whose desired engagement is more than `max_gap` steps above the current one
    (unaware, resistant, neutral, supportive, leading)."""
    min_interest, max_gap = r["min_interest"], r["max_gap"]
    for s in ix.power_at_least(r["min_power"]):
        if s.interest < min_interest:
            continue
        gap = ENGAGEMENT_RANK[s.desired_engagement] - ENGAGEMENT_RANK[s.engagement]
        if gap > max_gap:
            # `!s`: a StrEnum member as text is its value, without the slower `.value` property.
            yield (
                (
                    f"{s.name}: currently {s.engagement!s}, needs to be "
                    f"{s.desired_engagement!s} ({gap} steps)."
                ),
                s,
            )
