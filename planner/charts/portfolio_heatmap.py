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
from planner.charts.portfolio_scale import (
    BOUNDS,
    COLOURS,
    EMPTY,
    LABELS,
    MARKER_EDGE,
    TITLE,
    band,
    left_out_note,
    legend_name,
    marker_looks,
    marker_offset,
    numbered_cells,
    row_label,
    rows,
    subtitle,
    week_labels,
    week_step,
)
from planner.charts.style import INK, MUTED, ON_DARK_FILL, ChartStyle, ink_on

if TYPE_CHECKING:
    from planner.services.portfolio import Portfolio, UnitLoad, WeekLoad

NUMBER_SIZE = 6.5
RESERVED = 3.2
"""Inches of the page (at scale 1) taken by titles, week labels, legend and note."""


def build_portfolio(portfolio: Portfolio, *, style: ChartStyle) -> Figure:
    drawn = rows(portfolio)
    if not drawn.units or not portfolio.weeks:
        return empty_figure(
            style,
            TITLE,
            EMPTY,
        )
    units = list(drawn.units)
    weeks = list(portfolio.weeks)
    ratio = np.array([[w.load / w.capacity for w in u.weeks] for u in units])
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
        _grid(axes, len(units), len(weeks))
        _numbers(axes, _numbered_cells(units, len(weeks), style), style)
        handles = _markers(axes, units, [i.name for i in portfolio.initiatives], style)
        axes.set_yticks(range(len(units)))
        size = row_label_size(style, len(units), style.height, RESERVED)
        axes.set_yticklabels([row_label(u) for u in units], fontsize=size)
        _week_ticks(axes, weeks)
        axes.tick_params(length=0)
        for spine in axes.spines.values():
            spine.set_visible(False)
        figure.suptitle(TITLE, x=0.01, ha="left", color=INK)
        subtitle_over(axes, subtitle(portfolio, units), style)
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
        note(figure, left_out_note(drawn.left_out), style)
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
    """`numbered_cells`, or none where the numbers would not fit their cells. The cell is
    estimated from the page: the grid takes about 0.8 of its width, a character about
    0.62 em."""
    loaded = numbered_cells(rows)
    if not loaded:
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
        shade = band(week.load, week.capacity)
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
    look = marker_looks(initiatives)
    places: dict[str, tuple[list[float], list[int]]] = {}
    for y, unit_load in enumerate(rows):
        for x, week in enumerate(unit_load.weeks):
            names = week.go_lives
            for k, name in enumerate(names):
                xs, ys = places.setdefault(name, ([], []))
                xs.append(x + marker_offset(k, len(names)))
                ys.append(y)
    for name in initiatives:
        if name in places:
            marker, colour = look[name]
            axes.plot(
                *places[name],
                marker=marker,
                color=colour,
                markeredgecolor=MARKER_EDGE,
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
            markeredgecolor=MARKER_EDGE,
            markersize=style.pt(7),
            label=legend_name(name),
        )
        for name in initiatives
        if name in places
    ]


def _week_ticks(axes: Axes, weeks: list[date]) -> None:
    ticks = week_labels(weeks, week_step(len(weeks)))
    axes.set_xticks([n for n, _, _ in ticks])
    axes.set_xticklabels(
        [f"{week}\n{year}" if year else week for _, week, year in ticks], color=MUTED
    )
