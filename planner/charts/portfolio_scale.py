"""What the portfolio heatmap shows, shared by the exported chart and the window's page.

The matplotlib chart (`planner.charts.portfolio_heatmap`, for exports and the
Present slide) and the Portfolio page's own painted heatmap
(`planner.ui.portfolio_heatmap`) must read the same: the same units as rows in the
same order, the same load bands and colours, the same marker per initiative, the
same week labels and wording. All of it is here, importing neither matplotlib nor
Qt, so the page can open without loading either charting library.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from planner.charts.rows import shorten
from planner.charts.style import (
    BLUE,
    GREEN,
    INK,
    ORANGE,
    PURPLE,
    SKY_BLUE,
    dark_hex,
)
from planner.domain.wording import plural

if TYPE_CHECKING:
    from planner.services.portfolio import Portfolio, UnitLoad, WeekLoad

TITLE = "Change load across initiatives"
MAX_ROWS = 40
LABEL_LENGTH = 30
# Load as a share of capacity: none, under half, under three quarters, up to full, over.
BOUNDS = (0.0, 0.001, 0.5, 0.75, 1.0 + 1e-9, 1e9)
COLOURS = ("#FFFFFF", "#DCEAF5", "#8DB8DC", "#3E7CB1", "#D55E00")
LABELS = ("nothing", "under half", "half to ¾", "¾ to full", "over capacity")
OVER = len(COLOURS) - 1
"""The band of an over-capacity week."""
MARKERS = ("D", "o", "s", "^", "v", "P", "X", "*")
"""matplotlib's marker codes: diamond, circle, square, triangle up and down, plus, cross, star."""
MARKER_COLOURS = (INK, ORANGE, GREEN, PURPLE, SKY_BLUE, BLUE)
MARKER_EDGE = "#FFFFFF"
MARKER_SPREAD = 0.32
"""Markers sharing a cell stand this share of a cell's width apart."""
WEEK_LABELS = 14
"""About as many week labels as a page-wide axis holds."""
MAX_NUMBERED_CELLS = 60
"""At most this many cells get their load written (all loaded cells, else the
over-capacity ones): more would crowd the grid, and each costs a text to lay out
and draw; beyond it the colours and their key carry the load."""
EMPTY = (
    "Link stakeholders to organisational units and give phases dates "
    "to see the change load on each unit, week by week."
)
CAPACITY_NOTE = "The figure after a unit's name is its capacity in points per week."


@dataclass(frozen=True)
class Rows:
    """The units drawn, most loaded first, and how many were left out."""

    units: tuple[UnitLoad, ...]
    left_out: int


def rows(portfolio: Portfolio, limit: int = MAX_ROWS) -> Rows:
    """The units anything lands on in the period, highest peak against capacity first,
    then by name; at most `limit` of them."""
    loaded = [u for u in portfolio.units if u.peak > 0]
    loaded.sort(key=lambda u: (-max(w.load / w.capacity for w in u.weeks), u.unit.name.casefold()))
    left_out = len(portfolio.units) - len(loaded) + max(0, len(loaded) - limit)
    return Rows(tuple(loaded[:limit]), left_out)


def row_label(unit_load: UnitLoad, length: int | None = LABEL_LENGTH) -> str:
    """ "Inside sales (8)": the unit's name (cut to `length`, unless None) and its capacity."""
    name = unit_load.unit.name
    return f"{shorten(name, length) if length else name} ({unit_load.unit.capacity:g})"


def numbered_cells(units: Sequence[UnitLoad]) -> list[tuple[int, int, WeekLoad]]:
    """(week, row, its load) of the cells that get their load written: every loaded one
    on a small grid, else only the over-capacity ones if they are few (a go-live marker
    takes its cell)."""
    loaded = [
        (x, y, week)
        for y, unit_load in enumerate(units)
        for x, week in enumerate(unit_load.weeks)
        if week.load > 0
    ]
    # Whether a week has a go-live is looked up in what landed on the unit, so it is asked
    # of no more cells than it takes to know the answer (a large portfolio has thousands).
    plain = _without_go_lives(loaded, MAX_NUMBERED_CELLS + 1)
    if len(plain) <= MAX_NUMBERED_CELLS:
        return plain
    over = _without_go_lives([c for c in loaded if c[2].over], MAX_NUMBERED_CELLS + 1)
    return over if len(over) <= MAX_NUMBERED_CELLS else []


def _without_go_lives(
    cells: list[tuple[int, int, WeekLoad]], limit: int
) -> list[tuple[int, int, WeekLoad]]:
    """The first `limit` of `cells` (or all, if fewer) that hold no go-live marker."""
    out: list[tuple[int, int, WeekLoad]] = []
    for cell in cells:
        if not cell[2].go_lives:
            out.append(cell)
            if len(out) == limit:
                break
    return out


def band(load: float, capacity: float) -> int:
    """The index in `COLOURS` and `LABELS` of a week's load against its unit's capacity."""
    return min(len(COLOURS) - 1, max(0, bisect_right(BOUNDS, load / capacity) - 1))


def band_colours(*, dark: bool = False) -> tuple[str, ...]:
    """`COLOURS`, or as the dark style turns them (paper and its faint tint go dark)."""
    return tuple(dark_hex(c) for c in COLOURS) if dark else COLOURS


def marker_looks(initiatives: Sequence[str]) -> dict[str, tuple[str, str]]:
    """Each initiative's marker shape and colour, in the file's order of initiatives."""
    return {
        name: (MARKERS[n % len(MARKERS)], MARKER_COLOURS[n % len(MARKER_COLOURS)])
        for n, name in enumerate(initiatives)
    }


def marker_offset(k: int, count: int) -> float:
    """Where the `k`th of `count` markers sharing a cell sits, in cells from its centre."""
    return (k - (count - 1) / 2) * MARKER_SPREAD


def legend_name(initiative: str) -> str:
    return f"go-live: {shorten(initiative, 34)}"


def week_step(count: int) -> int:
    """Every how many weeks an axis of `count` weeks across a page is labelled."""
    return max(1, round(count / WEEK_LABELS))


def week_labels(weeks: Sequence[date], step: int) -> list[tuple[int, str, str]]:
    """(position, "W05", year) for every `step`th week; the year only on the first
    label and where a new year begins, else ""."""
    out: list[tuple[int, str, str]] = []
    for n in range(0, len(weeks), step):
        year, number, _ = weeks[n].isocalendar()
        out.append((n, f"W{number:02d}", str(year) if n == 0 or number <= step else ""))
    return out


def subtitle(portfolio: Portfolio, units: Sequence[UnitLoad]) -> str:
    over = sum(1 for u in units if any(w.over for w in u.weeks))
    collisions = sum(1 for f in portfolio.findings if f.rule == "portfolio-go-live-collision")
    first, last = portfolio.weeks[0], portfolio.weeks[-1]
    return (
        f"{len(portfolio.initiatives)} initiatives, weeks {first.isocalendar()[1]:02d}/"
        f"{first.isocalendar()[0]} to {last.isocalendar()[1]:02d}/{last.isocalendar()[0]}: "
        f"{plural(over, 'unit')} over capacity, {plural(collisions, 'go-live collision')}"
    )


def left_out_note(left_out: int) -> str:
    """The note under the heatmap: units not drawn, and what a row label's figure is."""
    if not left_out:
        return CAPACITY_NOTE
    return (
        f"{plural(left_out, 'unit')} with no change in the period not shown; "
        f"{CAPACITY_NOTE[0].lower()}{CAPACITY_NOTE[1:]}"
    )
