"""The change load across initiatives: organisational unit × week, against each unit's capacity.

A cell's colour is the week's load as a share of the unit's capacity (pale under
half, darker towards full, vermillion above it, with the points written in the
over-capacity cells); a marker in a cell is a go-live of an initiative for that
unit, one marker shape and colour per initiative. Units nothing lands on in the
period are left out and counted in a note.
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
from planner.charts.style import BLUE, GREEN, INK, MUTED, ORANGE, PURPLE, SKY_BLUE, ChartStyle

if TYPE_CHECKING:
    from planner.services.portfolio import Portfolio, UnitLoad

TITLE = "Change load across initiatives"
MAX_ROWS = 40
LABEL_LENGTH = 30
# Load as a share of capacity: none, under half, under three quarters, up to full, over.
BOUNDS = (0.0, 0.001, 0.5, 0.75, 1.0 + 1e-9, 1e9)
COLOURS = ("white", "#DCEAF5", "#8DB8DC", "#3E7CB1", "#D55E00")
LABELS = ("nothing", "under half", "half to ¾", "¾ to full", "over capacity")
MARKERS = ("D", "o", "s", "^", "v", "P", "X", "*")
MARKER_COLOURS = (INK, ORANGE, GREEN, PURPLE, SKY_BLUE, BLUE)


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
        _over_labels(axes, rows, style)
        handles = _markers(axes, rows, [i.name for i in portfolio.initiatives], style)
        axes.set_yticks(range(len(rows)))
        size = row_label_size(style, len(rows), style.height, 3.2)
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
                f"{left_out} unit(s) with no change in the period not shown; "
                "the figure after a unit's name is its capacity in points per week.",
                style,
            )
        else:
            note(
                figure, "The figure after a unit's name is its capacity in points per week.", style
            )
    return figure


def _grid(axes: Axes, rows: int, columns: int) -> None:
    axes.set_xticks(np.arange(-0.5, columns, 1), minor=True)
    axes.set_yticks(np.arange(-0.5, rows, 1), minor=True)
    axes.grid(which="minor", color="white", linewidth=1.0)
    axes.tick_params(which="minor", length=0)


def _over_labels(axes: Axes, rows: list[UnitLoad], style: ChartStyle) -> None:
    """The load written in each over-capacity cell, so the worst weeks read as numbers."""
    for y, unit_load in enumerate(rows):
        for x, week in enumerate(unit_load.weeks):
            if week.over and not week.go_lives:
                axes.text(
                    x,
                    y,
                    f"{week.load:g}",
                    ha="center",
                    va="center",
                    color="white",
                    fontsize=style.pt(6.5),
                    fontweight="bold",
                )


def _markers(
    axes: Axes, rows: list[UnitLoad], initiatives: list[str], style: ChartStyle
) -> list[Line2D]:
    """A marker per initiative going live for a unit in a week; their legend handles."""
    look = {
        name: (MARKERS[n % len(MARKERS)], MARKER_COLOURS[n % len(MARKER_COLOURS)])
        for n, name in enumerate(initiatives)
    }
    used: dict[str, None] = {}
    for y, unit_load in enumerate(rows):
        for x, week in enumerate(unit_load.weeks):
            names = week.go_lives
            for k, name in enumerate(names):
                marker, colour = look[name]
                offset = (k - (len(names) - 1) / 2) * 0.32
                axes.plot(
                    x + offset,
                    y,
                    marker=marker,
                    color=colour,
                    markeredgecolor="white",
                    markersize=style.pt(6.5),
                    linestyle="none",
                )
                used[name] = None
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
        if name in used
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
        f"{over} unit(s) over capacity, {collisions} go-live collision(s)"
    )
