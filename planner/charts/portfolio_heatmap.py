"""The change load across initiatives: organisational unit × week, against each unit's capacity.

A cell's colour is the week's load as a share of the unit's capacity (pale under
half, darker towards full, vermillion above it); a marker in a cell is a go-live
of an initiative for that unit, one marker shape and colour per initiative. On a
small grid each loaded cell also carries its points as a number, on a larger one
only the few over-capacity cells; where numbers would crowd the grid the colour
key reads alone. Units nothing lands on in the period are left out and counted
in a note.

Drawing stays cheap at portfolio size (40 units × 60 weeks, hundreds of
go-lives): the grid is two line collections, the markers one line per
initiative, so the artist count does not grow with the cells.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import BoundaryNorm, ListedColormap
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from planner.charts.figures import (
    empty_figure,
    legend_below,
    new_figure,
    note,
    row_label_size,
    styled,
    subtitle_over,
)
from planner.charts.rows import shorten
from planner.charts.style import (
    BLUE,
    GREEN,
    INK,
    MUTED,
    ON_DARK_FILL,
    ORANGE,
    PURPLE,
    SKY_BLUE,
    ChartStyle,
    ink_on,
)
from planner.domain.wording import plural

if TYPE_CHECKING:
    from planner.services.portfolio import Portfolio, UnitLoad, WeekLoad

TITLE = "Change load across initiatives"
MAX_ROWS = 40
LABEL_LENGTH = 30
# Load as a share of capacity: none, under half, under three quarters, up to full, over.
BOUNDS = (0.0, 0.001, 0.5, 0.75, 1.0 + 1e-9, 1e9)
COLOURS = ("white", "#DCEAF5", "#8DB8DC", "#3E7CB1", "#D55E00")
LABELS = ("nothing", "under half", "half to ¾", "¾ to full", "over capacity")
MARKERS = ("D", "o", "s", "^", "v", "P", "X", "*")
MARKER_COLOURS = (INK, ORANGE, GREEN, PURPLE, SKY_BLUE, BLUE)
MAX_NUMBERED_CELLS = 60
"""At most this many cells get their load written (all loaded cells, else the
over-capacity ones): more would crowd the grid, and each costs a text to lay out
and draw; beyond it the colours and their key carry the load."""
NUMBER_SIZE = 6.5
RESERVED = 3.2
"""Inches of the page (at scale 1) taken by titles, week labels, legend and note."""


def build_portfolio(portfolio: Portfolio, *, style: ChartStyle) -> Figure:
    rows = [u for u in portfolio.units if u.peak > 0]
    if not rows or not portfolio.weeks:
        return empty_figure(
            style,
            TITLE,
            "Link stakeholders to organisational units and give phases dates "
            "to see the change load on each unit, week by week.",
        )
    rows.sort(key=lambda u: (-max(w.load / w.capacity for w in u.weeks), u.unit.name.casefold()))
    left_out = len(portfolio.units) - len(rows)
    if len(rows) > MAX_ROWS:
        left_out += len(rows) - MAX_ROWS
        rows = rows[:MAX_ROWS]
    weeks = list(portfolio.weeks)
    ratio = np.array([[w.load / w.capacity for w in u.weeks] for u in rows])
    with styled(style):
        figure = new_figure(style)
        axes = figure.add_subplot()
        axes.imshow(
            ratio,
            aspect="auto",
            interpolation="nearest",
            cmap=ListedColormap(COLOURS),
            norm=BoundaryNorm(BOUNDS, len(COLOURS)),
        )
        _grid(axes, len(rows), len(weeks))
        _numbers(axes, _numbered_cells(rows, len(weeks), style), style)
        handles = _markers(axes, rows, [i.name for i in portfolio.initiatives], style)
        axes.set_yticks(range(len(rows)))
        size = row_label_size(style, len(rows), style.height, RESERVED)
        axes.set_yticklabels(
            [f"{shorten(u.unit.name, LABEL_LENGTH)} ({u.unit.capacity:g})" for u in rows],
            fontsize=size,
        )
        _week_ticks(axes, weeks)
        axes.tick_params(length=0)
        for spine in axes.spines.values():
            spine.set_visible(False)
        figure.suptitle(TITLE, x=0.01, ha="left", color=INK)
        subtitle_over(axes, _subtitle(portfolio, rows), style)
        legend_below(
            axes,
            [
                *(
                    Patch(facecolor=c, edgecolor="#BBBBBB", label=label)
                    for c, label in zip(COLOURS, LABELS, strict=True)
                ),
                *handles,
            ],
            style,
            lines_below=2.2,
        )
        if left_out:
            note(
                figure,
                f"{plural(left_out, 'unit')} with no change in the period not shown; "
                "the figure after a unit's name is its capacity in points per week.",
                style,
            )
        else:
            note(
                figure, "The figure after a unit's name is its capacity in points per week.", style
            )
    return figure


def _grid(axes: Axes, rows: int, columns: int) -> None:
    """White rules between the cells: one collection each way, not a tick per line."""
    axes.vlines(np.arange(-0.5, columns, 1), -0.5, rows - 0.5, colors="white", linewidth=1.0)
    axes.hlines(np.arange(-0.5, rows, 1), -0.5, columns - 0.5, colors="white", linewidth=1.0)
    axes.set_xlim(-0.5, columns - 0.5)
    axes.set_ylim(rows - 0.5, -0.5)


def _numbered_cells(
    rows: list[UnitLoad], columns: int, style: ChartStyle
) -> list[tuple[int, int, WeekLoad]]:
    """The cells that get their load written: every loaded one on a small grid, else
    only the over-capacity ones if they are few; none where the numbers would not fit
    their cells (a go-live marker takes its cell). The cell is estimated from the
    page: the grid takes about 0.8 of its width, a character about 0.62 em."""
    loaded = [
        (x, y, week)
        for y, unit_load in enumerate(rows)
        for x, week in enumerate(unit_load.weeks)
        if week.load > 0 and not week.go_lives
    ]
    if len(loaded) > MAX_NUMBERED_CELLS:
        loaded = [cell for cell in loaded if cell[2].over]
    if not loaded or len(loaded) > MAX_NUMBERED_CELLS:
        return []
    size = style.pt(NUMBER_SIZE)
    widest = max(len(f"{week.load:g}") for _, _, week in loaded)
    cell_width = style.width * 72 * 0.8 / max(columns, 1)
    cell_height = max(1.0, style.height - RESERVED * style.scale) * 72 / len(rows)
    fits = cell_width >= widest * 0.62 * size + 2 and cell_height >= 1.15 * size
    return loaded if fits else []


def _numbers(axes: Axes, cells: list[tuple[int, int, WeekLoad]], style: ChartStyle) -> None:
    """The load in points written in each of `cells`, in ink that reads on its shade."""
    for x, y, week in cells:
        shade = int(np.digitize(week.load / week.capacity, BOUNDS)) - 1
        # the palest shade is a tint the dark style turns over, like the paper's ink
        colour = INK if shade <= 1 else ink_on(COLOURS[shade])
        axes.text(
            x,
            y,
            f"{week.load:g}",
            ha="center",
            va="center",
            color=colour,
            fontsize=style.pt(NUMBER_SIZE),
            fontweight="bold" if colour == ON_DARK_FILL else "normal",
        )


def _markers(
    axes: Axes, rows: list[UnitLoad], initiatives: list[str], style: ChartStyle
) -> list[Line2D]:
    """The go-lives, one line of markers per initiative (side by side where several
    share a cell); their legend handles."""
    look = {
        name: (MARKERS[n % len(MARKERS)], MARKER_COLOURS[n % len(MARKER_COLOURS)])
        for n, name in enumerate(initiatives)
    }
    places: dict[str, tuple[list[float], list[int]]] = {}
    for y, unit_load in enumerate(rows):
        for x, week in enumerate(unit_load.weeks):
            names = week.go_lives
            for k, name in enumerate(names):
                xs, ys = places.setdefault(name, ([], []))
                xs.append(x + (k - (len(names) - 1) / 2) * 0.32)
                ys.append(y)
    for name in initiatives:
        if name in places:
            marker, colour = look[name]
            axes.plot(
                *places[name],
                marker=marker,
                color=colour,
                markeredgecolor="white",
                markersize=style.pt(6.5),
                linestyle="none",
            )
    return [
        Line2D(
            [],
            [],
            marker=look[name][0],
            color=look[name][1],
            linestyle="none",
            markeredgecolor="white",
            markersize=style.pt(7),
            label=f"go-live: {shorten(name, 34)}",
        )
        for name in initiatives
        if name in places
    ]


def _week_ticks(axes: Axes, weeks: list[date]) -> None:
    step = max(1, round(len(weeks) / 14))
    positions = list(range(0, len(weeks), step))
    labels = []
    for n in positions:
        year, number, _ = weeks[n].isocalendar()
        labels.append(f"W{number:02d}\n{year}" if n == 0 or number <= step else f"W{number:02d}")
    axes.set_xticks(positions)
    axes.set_xticklabels(labels, color=MUTED)


def _subtitle(portfolio: Portfolio, rows: list[UnitLoad]) -> str:
    over = sum(1 for u in rows if any(w.over for w in u.weeks))
    collisions = sum(1 for f in portfolio.findings if f.rule == "portfolio-go-live-collision")
    first, last = portfolio.weeks[0], portfolio.weeks[-1]
    return (
        f"{len(portfolio.initiatives)} initiatives, weeks {first.isocalendar()[1]:02d}/"
        f"{first.isocalendar()[0]} to {last.isocalendar()[1]:02d}/{last.isocalendar()[0]}: "
        f"{plural(over, 'unit')} over capacity, {plural(collisions, 'go-live collision')}"
    )
