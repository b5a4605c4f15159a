"""The change load on each unit per week, from every initiative's plan (see `model` for the weights).

What lands here lands on the unit a stakeholder or an assessment names; `rollup`
then spreads it down to the units below and up to the units above.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import Literal

from planner.domain.enums import Impact, PhaseKind
from planner.domain.plan import Plan
from planner.services.portfolio.model import WEIGHTS, GoLive, LoadItem, Weights, monday
from planner.services.portfolio.rollup import Tree
from planner.services.readiness.model import RecordRef

WEEK = timedelta(days=7)


UnitOf = dict[str, str]
"""stakeholder id -> the id of its unit (only stakeholders linked to a unit of the register)."""


def unit_of(plan: Plan, known: set[str]) -> UnitOf:
    return {
        s.id: s.unit_id for s in plan.stakeholders if s.unit_id is not None and s.unit_id in known
    }


def _units_of(units: UnitOf, stakeholder_ids: Iterable[str]) -> list[str]:
    """The units of these stakeholders, each once, in order."""
    found = (units.get(sid) for sid in stakeholder_ids)
    return list(dict.fromkeys(u for u in found if u is not None))


def go_lives(plan: Plan, tree: Tree, units: UnitOf | None = None) -> list[GoLive]:
    """When each unit of the plan goes live: its phases' starts, else the initiative's go-live.

    A unit in no phase whose people a phase takes live all the same (one scoped to a
    unit above it) or in part (one scoped to a unit below it) has no go-live of its own:
    they go live in those phases.
    """
    known = set(tree.units)
    units = unit_of(plan, known) if units is None else units
    initiative = plan.initiative
    out: list[GoLive] = []
    in_a_phase: set[str] = set()
    for phase in plan.phases_in_order:
        if phase.starts_on is None:
            continue
        kind: Literal["pilot", "wave"] = "pilot" if phase.kind is PhaseKind.PILOT else "wave"
        for unit_id in _units_of(units, phase.scope_ids):
            in_a_phase.add(unit_id)
            out.append(
                GoLive(
                    unit_id,
                    initiative,
                    RecordRef.of(phase),
                    kind,
                    phase.starts_on,
                    phase.ends_on or phase.starts_on,
                )
            )
    if initiative.go_live is not None:
        phased = set(in_a_phase)
        for unit_id in in_a_phase:
            phased.update(tree.ancestors(unit_id))
        for unit_id in sorted(_reached(plan, known) - phased):
            if any(up in in_a_phase for up in tree.ancestors(unit_id)):
                continue
            out.append(
                GoLive(
                    unit_id,
                    initiative,
                    RecordRef.of(initiative),
                    "go_live",
                    initiative.go_live,
                    initiative.go_live,
                )
            )
    return out


def _reached(plan: Plan, known: set[str]) -> set[str]:
    """Every unit the plan touches: through a stakeholder or an impact assessment."""
    units = {s.unit_id for s in plan.stakeholders if s.unit_id in known}
    units |= {a.unit_id for a in plan.impact_assessments if a.unit_id in known}
    return {u for u in units if u is not None}


def impact_on(plan: Plan, known: set[str]) -> dict[str, Impact]:
    """The initiative's overall impact on each unit it reaches.

    The impact assessment's overall degree where there is one; otherwise the highest
    impact recorded on the unit's stakeholders in this plan.
    """
    out: dict[str, Impact] = {}
    for stakeholder in plan.stakeholders:
        unit_id = stakeholder.unit_id
        if unit_id is None or unit_id not in known:
            continue
        current = out.get(unit_id)
        if current is None or stakeholder.impact.rank > current.rank:
            out[unit_id] = stakeholder.impact
    for assessment in plan.impact_assessments:
        if assessment.unit_id in known:
            out[assessment.unit_id] = assessment.overall
    return out


Landings = dict[str, dict[date, list[LoadItem]]]
"""unit id -> the Monday of a week -> the items landed on the unit in it, in order."""


def _land(landings: Landings, unit_ids: Iterable[str], item: LoadItem) -> None:
    """One item on each of these units, in its week: the same item, not a copy per unit."""
    week = monday(item.on)
    for unit_id in unit_ids:
        landings[unit_id].setdefault(week, []).append(item)


def plan_items(
    plan: Plan, tree: Tree, weights: Weights = WEIGHTS, landings: Landings | None = None
) -> tuple[Landings, list[GoLive]]:
    """What this plan puts on each unit, week by week (added to `landings`), and the
    plan's go-lives."""
    initiative = plan.initiative
    known = set(tree.units)
    units = unit_of(plan, known)
    items: Landings = defaultdict(dict) if landings is None else landings
    lives = go_lives(plan, tree, units)
    for live in lives:
        _land(
            items,
            (live.unit_id,),
            LoadItem("go_live", initiative, live.record, live.starts, weights.go_live),
        )
        if weights.go_live_after:
            settling = LoadItem(
                "go_live",
                initiative,
                live.record,
                live.starts + WEEK,
                weights.go_live_after,
                settling=True,
            )
            _land(items, (live.unit_id,), settling)
    courses = {c.id: c for c in plan.courses}
    for session in plan.sessions:
        course = courses.get(session.course_id)
        if course is None:
            continue
        reached = _units_of(units, course.audience_ids)
        if reached:
            ref = RecordRef.of(session)
            _land(
                items,
                reached,
                LoadItem("training", initiative, ref, session.held_on, weights.training),
            )
    horizon = initiative.go_live
    for communication in plan.communications:
        reached = _units_of(units, communication.audience_ids)
        if not reached:
            continue
        ref = RecordRef.of(communication)
        for day in communication.occurrences(horizon):
            _land(
                items,
                reached,
                LoadItem("communication", initiative, ref, day, weights.communication),
            )
    _add_impact(plan, tree, lives, items, weights)
    return items, lives


Span = tuple[date, date]


def _widen(spans: dict[str, Span], unit_id: str, first: date, last: date) -> None:
    """Make the unit's span take in `first` to `last`."""
    was = spans.get(unit_id)
    spans[unit_id] = (first, last) if was is None else (min(was[0], first), max(was[1], last))


def _add_impact(
    plan: Plan,
    tree: Tree,
    lives: Sequence[GoLive],
    items: Landings,
    weights: Weights,
) -> None:
    """The impact's weekly points through each unit's transition in this initiative:
    from its first go-live to its last, counting those of the units above it (all its
    people go live in them) and below it (some of its people do)."""
    own: dict[str, Span] = {}
    below: dict[str, Span] = {}
    for live in lives:
        _widen(own, live.unit_id, live.starts, live.ends)
        _widen(below, live.unit_id, live.starts, live.ends)
        for up in tree.ancestors(live.unit_id):
            _widen(below, up, live.starts, live.ends)
    ref = RecordRef.of(plan.initiative)
    made: dict[tuple[date, float], LoadItem] = {}
    for unit_id, degree in impact_on(plan, set(tree.units)).items():
        points = weights.impact.get(degree, 0.0)
        if not points:
            continue
        found = [below[unit_id]] if unit_id in below else []
        found += [own[up] for up in tree.ancestors(unit_id) if up in own]
        if not found:
            continue
        first, last = min(f for f, _ in found), max(last for _, last in found)
        week = monday(first) - weights.transition_before * WEEK
        end = monday(last) + weights.transition_after * WEEK
        weeks = items[unit_id]
        while week < end:
            item = made.get((week, points))
            if item is None:
                item = made[week, points] = LoadItem("impact", plan.initiative, ref, week, points)
            weeks.setdefault(week, []).append(item)
            week += WEEK


def all_items(
    plans: Sequence[Plan], tree: Tree, weights: Weights = WEIGHTS
) -> tuple[Landings, list[GoLive]]:
    """What every plan puts on each unit, week by week (the plans in order), and their go-lives."""
    items: Landings = defaultdict(dict)
    lives: list[GoLive] = []
    for plan in plans:
        lives += plan_items(plan, tree, weights, items)[1]
    return items, lives
