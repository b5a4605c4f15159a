"""The change load model's weights and what a portfolio computation produces.

Plain frozen values, like the readiness report: the command line, the chart, the
workbook and (later) the window's Portfolio page hold on to a `Portfolio`
without any link back to the database.

The load model (the README's "Portfolio" section explains it to users): each
organisational unit gets, per ISO week, points for what lands on it from every
initiative of the file,

- a go-live (the start of a pilot or wave whose scope holds one of the unit's
  stakeholders; the initiative's planned go-live for a unit in no phase's scope):
  `go_live` points in its week and `go_live_after` in the week after;
- a training session of a course whose audience holds the unit: `training`;
- a communication reaching the unit, each time it goes out: `communication`;
- the initiative's impact on the unit (its impact assessment's overall degree,
  or else the highest impact its stakeholders record): `impact[degree]` in
  every week of the transition, from `transition_before` weeks before the
  unit's first go-live in that initiative to `transition_after` weeks after
  its last,

against the unit's capacity (points per week it absorbs, 8 by default). What lands
on a unit as a whole lands whole on every unit below it, and a parent unit's week
adds its child units' load, weighted by their share of its people (`rollup`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from planner.domain.enums import Impact
from planner.domain.records import Initiative, Unit
from planner.services.readiness.model import Finding, RecordRef

if TYPE_CHECKING:
    from collections.abc import Collection, Iterator

    from planner.services.portfolio.rollup import Landed

Source = Literal["go_live", "training", "communication", "impact"]
SOURCES: tuple[Source, ...] = ("go_live", "training", "communication", "impact")

_IMPACT_POINTS: Mapping[Impact, float] = MappingProxyType(
    {Impact.NONE: 0.0, Impact.LOW: 0.5, Impact.MEDIUM: 1.0, Impact.HIGH: 2.0}
)


@dataclass(frozen=True)
class Weights:
    """Points each thing that lands on a unit adds to its week (documented in the README)."""

    go_live: float = 4.0
    go_live_after: float = 2.0
    training: float = 1.0
    communication: float = 0.25
    impact: Mapping[Impact, float] = field(default_factory=lambda: _IMPACT_POINTS)
    transition_before: int = 4
    transition_after: int = 4


@dataclass(frozen=True)
class Rules:
    """The portfolio check's thresholds."""

    go_live_gap_weeks: int = 4
    """Two go-lives of different initiatives for one unit closer than this collide."""
    critical_overload: float = 1.5
    """A week's load at this multiple of the capacity or more is critical, not a warning."""


WEIGHTS = Weights()
RULES = Rules()


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def week_key(day: date) -> str:
    """`YYYY-Www`, the ISO week of `day`."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


@dataclass(frozen=True)
class LoadItem:
    """One thing that lands on a unit in a week, and the points it adds."""

    source: Source
    initiative: Initiative
    record: RecordRef
    on: date
    points: float
    settling: bool = False
    """The week after a go-live (its `go_live_after` points), not the go-live itself."""
    via: Unit | None = None
    """On a parent unit's week: the unit below it the item landed on (its points are
    then weighted by that unit's share of the parent's people, see `rollup`)."""
    above: Unit | None = None
    """On a child unit's week: the unit above it the item landed on as a whole (its
    people are among them, so it counts whole, see `rollup`)."""


class Part(NamedTuple):
    """An item as it adds to one unit's week, without a copy of it: its points there
    (weighted on the way up), and the unit below (`via`) or above (`above`) it landed on."""

    item: LoadItem
    points: float
    via: Unit | None
    above: Unit | None


@dataclass(frozen=True)
class GoLive:
    """A unit going live with an initiative: a pilot, a wave, or the initiative's go-live."""

    unit_id: str
    initiative: Initiative
    record: RecordRef
    kind: Literal["pilot", "wave", "go_live"]
    starts: date
    ends: date

    @property
    def what(self) -> str:
        """ "Wave 1" (a phase's name) or "go-live"."""
        return "go-live" if self.kind == "go_live" else self.record.name


@dataclass(frozen=True)
class WeekLoad:
    monday: date
    load: float
    capacity: float
    landed: Landed | None = field(default=None, compare=False, repr=False)
    """What lands on the unit (`rollup`): the week's items are read from it when asked."""

    @property
    def week(self) -> str:
        return week_key(self.monday)

    @cached_property
    def items(self) -> tuple[LoadItem, ...]:
        """What adds to this week, each with its points here and where it landed."""
        return () if self.landed is None else self.landed.items(self.monday)

    def parts(self, of: Collection[str] | None = None) -> Iterator[Part]:
        """The week's items as they add to it (of these initiatives only, given their
        names), without making a `LoadItem` of each."""
        return iter(()) if self.landed is None else self.landed.parts(self.monday, of)

    @property
    def initiatives(self) -> tuple[str, ...]:
        """The names of the initiatives that add to this week, in order of first appearance."""
        return () if self.landed is None else self.landed.initiatives(self.monday)

    @property
    def go_lives(self) -> tuple[str, ...]:
        """The initiatives going live for the unit this week (the chart's markers)."""
        return () if self.landed is None else self.landed.initiatives(self.monday, True)

    @property
    def only_from_above(self) -> bool:
        """All of the week's load landed on units above this one, as a whole."""
        return self.landed is None or self.landed.only_from_above(self.monday)

    @property
    def origins(self) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
        """The initiatives landed on the unit or below it, and (initiative, unit) for
        those landed on a unit above it as a whole, each in the order of the items."""
        return ((), ()) if self.landed is None else self.landed.origins(self.monday)

    @property
    def over(self) -> bool:
        return self.load > self.capacity

    def to_json(self) -> dict[str, Any]:
        return {
            "week": self.week,
            "load": round(self.load, 2),
            "capacity": self.capacity,
            "initiatives": list(self.initiatives),
        }


@dataclass(frozen=True)
class UnitLoad:
    unit: Unit
    weeks: tuple[WeekLoad, ...]

    @property
    def peak(self) -> float:
        return max((w.load for w in self.weeks), default=0.0)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.unit.id,
            "name": self.unit.name,
            "headcount": self.unit.headcount,
            "weeks": [w.to_json() for w in self.weeks],
        }


@dataclass(frozen=True)
class Portfolio:
    """The change load on every unit per week across the file's initiatives, and the findings."""

    initiatives: tuple[Initiative, ...]
    weeks: tuple[date, ...]
    """The Mondays of the weeks shown, in order."""
    units: tuple[UnitLoad, ...]
    go_lives: tuple[GoLive, ...]
    findings: tuple[Finding, ...]
    weights: Weights = WEIGHTS
    rules: Rules = RULES

    def unit(self, name: str) -> UnitLoad:
        for unit_load in self.units:
            if unit_load.unit.name == name:
                return unit_load
        raise KeyError(name)

    def to_json(self) -> dict[str, Any]:
        return {
            "from": self.weeks[0].isoformat() if self.weeks else None,
            "to": (self.weeks[-1] + timedelta(days=6)).isoformat() if self.weeks else None,
            "initiatives": [i.name for i in self.initiatives],
            "groups": [u.to_json() for u in self.units],
            "findings": [f.to_json() for f in self.findings],
        }
