"""A `Portfolio` from the file's plans: the weekly load per unit, then the check."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING

from planner.domain.errors import DomainError
from planner.domain.plan import Plan
from planner.domain.records import Unit
from planner.services.portfolio.check import check
from planner.services.portfolio.load import all_items, weekly
from planner.services.portfolio.model import (
    RULES,
    WEIGHTS,
    GoLive,
    LoadItem,
    Portfolio,
    Rules,
    UnitLoad,
    WeekLoad,
    Weights,
    monday,
)

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
    """The load on every unit of the register per week from `start` to `end` (both weeks
    included; left out: the first and last week anything lands on a unit), and the findings.
    """
    if units is None:
        units = plans[0].units if plans else ()
    if start is not None and end is not None and end < start:
        raise DomainError(
            f"the period ends ({end.isoformat()}) before it starts ({start.isoformat()})"
        )
    items, lives = all_items(plans, units, weights)
    by_unit = {unit_id: weekly(found) for unit_id, found in items.items()}
    mondays = _weeks(by_unit, start, end)
    loads = tuple(_unit_load(unit, by_unit.get(unit.id, {}), mondays) for unit in _ordered(units))
    shown = tuple(_in_period(lives, mondays))
    return Portfolio(
        initiatives=tuple(p.initiative for p in plans),
        weeks=tuple(mondays),
        units=loads,
        go_lives=shown,
        findings=tuple(check(loads, shown, units, rules)),
        weights=weights,
        rules=rules,
    )


def _ordered(units: Sequence[Unit]) -> list[Unit]:
    return sorted(units, key=lambda u: (u.name.casefold(), u.id))


def _weeks(
    by_unit: dict[str, dict[date, list[LoadItem]]], start: date | None, end: date | None
) -> list[date]:
    used = [week for weeks in by_unit.values() for week in weeks]
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


def _unit_load(unit: Unit, weeks: dict[date, list[LoadItem]], mondays: list[date]) -> UnitLoad:
    out = []
    for week in mondays:
        found = weeks.get(week, ())
        load = round(sum(item.points for item in found), 4)
        out.append(WeekLoad(week, load, unit.capacity, tuple(found)))
    return UnitLoad(unit, tuple(out))


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
    plans = [service.plan(initiative.id) for initiative in service.initiatives_in_order()]
    return compute(plans, start=start, end=end, weights=weights, rules=rules)
