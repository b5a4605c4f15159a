"""A `Portfolio` from the file's plans: the weekly load per unit, then the check."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING

from planner import collector
from planner.domain.errors import DomainError
from planner.domain.plan import Plan
from planner.domain.records import Unit
from planner.services.portfolio.check import check
from planner.services.portfolio.load import all_items
from planner.services.portfolio.model import (
    RULES,
    WEIGHTS,
    GoLive,
    Portfolio,
    Rules,
    UnitLoad,
    WeekLoad,
    Weights,
    monday,
)
from planner.services.portfolio.rollup import Landed, Tree, spread

if TYPE_CHECKING:
    from planner.services.planning import PlanService

WEEK = timedelta(days=7)
MAX_WEEKS = 520
"""The longest period shown (ten years): a longer one is a typing mistake, not a plan."""


def compute(
    plans: Sequence[Plan],
    units: Sequence[Unit] | None = None,
    *,
    start: date | None = None,
    end: date | None = None,
    weights: Weights = WEIGHTS,
    rules: Rules = RULES,
) -> Portfolio:
    """The load on each of `units` per week from `start` to `end` (both weeks included;
    left out: the first and last week anything lands on one of them), and the findings.

    `units` defaults to the register (the plans' units); a few of them show just those,
    still with the load of their child units in the register rolled up into them.
    Bulk work that makes no cycles: it runs with the collector paused, as a readiness
    check does (`planner.collector`).
    """
    with collector.paused():
        return _compute(plans, units, start, end, weights, rules)


def _compute(
    plans: Sequence[Plan],
    units: Sequence[Unit] | None,
    start: date | None,
    end: date | None,
    weights: Weights,
    rules: Rules,
) -> Portfolio:
    register = _register(plans, units)
    if units is None:
        units = register
    if start is not None and end is not None and end < start:
        raise DomainError(
            f"the period ends ({end.isoformat()}) before it starts ({start.isoformat()})"
        )
    tree = Tree.of(register)
    items, lives = all_items(plans, tree, weights)
    landed = spread(tree, items)
    shown = _ordered(units)
    mondays = _weeks([landed[unit.id] for unit in shown], start, end)
    loads = tuple(_unit_load(unit, landed[unit.id], mondays) for unit in shown)
    in_period = _in_period(lives, mondays)
    ids = {unit.id for unit in shown}
    return Portfolio(
        initiatives=tuple(p.initiative for p in plans),
        weeks=tuple(mondays),
        units=loads,
        go_lives=tuple(g for g in in_period if g.unit_id in ids),
        findings=tuple(check(loads, in_period, shown, rules, tree)),
        weights=weights,
        rules=rules,
    )


def _register(plans: Sequence[Plan], units: Sequence[Unit] | None) -> list[Unit]:
    """The file's units (the plans share one register) and any others asked for."""
    out = {u.id: u for u in (plans[0].units if plans else ())}
    out.update((u.id, u) for u in units or ())
    return list(out.values())


def _ordered(units: Sequence[Unit]) -> list[Unit]:
    return sorted(units, key=lambda u: (u.name.casefold(), u.id))


def _weeks(shown: Sequence[Landed], start: date | None, end: date | None) -> list[date]:
    used = [week for unit in shown for week in unit.weeks()]
    first = monday(start) if start is not None else min(used, default=None)
    last = monday(end) if end is not None else max(used, default=None)
    if first is None or last is None or last < first:
        return []
    count = (last - first).days // 7 + 1
    if count > MAX_WEEKS:
        raise DomainError(
            f"the period spans {count} weeks; a portfolio shows at most {MAX_WEEKS} (ten years)"
        )
    return [first + n * WEEK for n in range(count)]


def _unit_load(unit: Unit, landed: Landed, mondays: list[date]) -> UnitLoad:
    return UnitLoad(
        unit, tuple(WeekLoad(week, landed.load(week), unit.capacity, landed) for week in mondays)
    )


def _in_period(lives: Sequence[GoLive], mondays: list[date]) -> list[GoLive]:
    if not mondays:
        return []
    first, last = mondays[0], mondays[-1] + timedelta(days=6)
    return [g for g in lives if g.ends >= first and g.starts <= last]


def read(
    service: PlanService,
    *,
    start: date | None = None,
    end: date | None = None,
    weights: Weights = WEIGHTS,
    rules: Rules = RULES,
) -> Portfolio:
    """Every initiative of the service's file, the main one (the first created) first."""
    plans = service.plans([initiative.id for initiative in service.initiatives_in_order()])
    return compute(plans, start=start, end=end, weights=weights, rules=rules)
