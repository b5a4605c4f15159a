"""Where the stakeholder map, its list of names and its legend go on the page.

The map is laid out by hand rather than by matplotlib's layout engine, because
the list beside it must know its own size to choose its columns and how much of
each name to keep. The map comes first: it is as tall as the page allows, and
the list and the legend share what is left.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from matplotlib.axes import Axes
from matplotlib.backend_bases import RendererBase
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.transforms import offset_copy

from planner.charts.rows import shorten
from planner.charts.style import INK, MUTED, ChartStyle

LOW, HIGH = 1, 5
STRIP = 0.32
CELLS = HIGH - LOW + 1
ASPECT = CELLS / (CELLS + 2 * STRIP)
"""The map's width over its height: five cells across, five and the two strips up."""
LEGEND_SHARE = 0.4
SIDE_BY_SIDE = 0.75
"""Beside the map, the list may cost the map at most a quarter of the height it could have;
past that (a tall, narrow page) the list goes under it."""


class Page:
    """The geometry of one page, in figure fractions and points.

    The map is the point of the page: it takes the height the title and its axis
    labels leave, and the list of names (and the legend) go beside it, or under
    it on a page too narrow for both. A window that embeds the map builds it at
    the canvas's size (a `ChartStyle` with that width and height) so the
    arithmetic holds on screen too.
    """

    def __init__(self, style: ChartStyle, legend_band: float = 0.0) -> None:
        """`legend_band` (inches) puts the legend under the map and the list, across the
        page, in a band that tall; without it, the legend goes in the list's column."""
        self.style = style
        s = style.scale
        width, height = style.width, style.height
        top = 0.27 + 0.42 * s  # the title, and the subtitle over the map
        under = 0.1 + 0.62 * s  # the tick labels and the axis's name under the map
        left, gap, right, self.floor = 1.05 * s, 0.45 * s, 0.15, 0.08
        self.legend_across = legend_band > 0
        room = max(1.0, height - top - under - self.floor - legend_band)
        narrowest = 2.6 * s
        wide = min(room * ASPECT, width - left - gap - narrowest - right)
        self.beside = wide >= SIDE_BY_SIDE * room * ASPECT
        if self.beside:
            tall = wide / ASPECT
            x0, column_width = left + wide + gap, width - left - wide - gap - right
            column_height = tall
        else:
            below = 2.2 * s  # a few lines of the list, and the legend
            wide = max(1.0, min(width - left - right, (room - below) * ASPECT))
            tall = wide / ASPECT
            x0, column_width = 0.15, width - 0.15 - right
            column_height = height - top - tall - under - self.floor
        map_bottom = height - top - tall
        self.map_box = (left / width, map_bottom / height, wide / width, tall / height)
        column_top = height - top if self.beside else map_bottom - under
        self.column = (x0, column_top, column_width)
        self.cell_pt = wide * 72 / CELLS
        self._list_between(column_top - column_height, column_top)

    def _list_between(self, bottom: float, top: float) -> None:
        x0, _, column_width = self.column
        width, height = self.style.width, self.style.height
        tall = max(0.3, top - bottom)
        self.panel_box = (x0 / width, (top - tall) / height, column_width / width, tall / height)
        self.panel_pt = (column_width * 72, tall * 72)

    def fit_legend(self, legend: DrawLegend, count: int, renderer: RendererBase) -> Legend:
        """The legend of `count` entries in as few rows as its room's width allows, measured
        as drawn (its title on two lines where one would not fit); the list gets the room
        above it."""
        _, top, column_width = self.column
        across = self.style.width - 0.3 if self.legend_across else column_width
        room = across * self.style.dpi
        for wrapped in (False, True):
            for rows in range(1, count + 1):
                drawn = legend(self, math.ceil(count / rows), wrapped)
                if drawn.get_window_extent(renderer).width <= room:
                    break
                drawn.remove()
            else:
                continue
            break
        else:
            drawn = legend(self, 1, True)
        legend_top = drawn.get_window_extent(renderer).y1 / self.style.dpi
        self._list_between(legend_top + 0.15 * self.style.scale, top)
        return drawn

    def inch_x(self, inches: float) -> float:
        return inches / self.style.width

    def inch_y(self, inches: float) -> float:
        return inches / self.style.height

    @property
    def legend_anchor(self) -> tuple[float, float]:
        """Where the legend's lower left corner goes: under the list, in its column, or at
        the page's left edge when it goes across the page."""
        x = 0.15 if self.legend_across else self.column[0]
        return self.inch_x(x), self.inch_y(self.floor)

    @property
    def map_height(self) -> float:
        return self.map_box[3] * self.style.height


DrawLegend = Callable[[Page, int, bool], Legend]
"""Draws the legend for a page, in so many columns, its title wrapped or not."""


def lay_out(style: ChartStyle, legend: DrawLegend, count: int, renderer: RendererBase) -> Page:
    """The page for `style`, its legend drawn (`count` entries) and the list's room known.

    The legend goes under the list, in its column, unless it would take more than
    `LEGEND_SHARE` of the map's height there (large type, a small page): then it
    goes across the page under the map and the list, and the map gives up that band.
    """
    page = Page(style)
    drawn = page.fit_legend(legend, count, renderer)
    dpi = style.dpi
    if not page.beside or drawn.get_window_extent(renderer).height / dpi <= (
        LEGEND_SHARE * page.map_height
    ):
        return page
    drawn.remove()
    probe = Page(style, legend_band=1.0)
    drawn = probe.fit_legend(legend, count, renderer)
    band = drawn.get_window_extent(renderer).y1 / dpi - probe.floor + 0.1 * style.scale
    drawn.remove()
    page = Page(style, legend_band=band)
    page.fit_legend(legend, count, renderer)
    return page


def draw_name_list(
    figure: Figure, panel: Axes, lines: list[tuple[str, str | None]], page: Page
) -> None:
    """Headings (number None), numbered names and blank separators, in as many columns
    as the panel's height needs and with names cut to the column width."""
    width, height = page.panel_pt
    size = page.style.pt(9)
    while True:
        step = size * 1.5
        per_column = max(2, int(height // step))
        placed = _flow(lines, per_column)
        columns = placed[-1][0] + 1
        column_width = width / columns
        characters = int((column_width - size * 2.6) / (size * 0.58))
        if characters >= 24 or size <= page.style.pt(6.5):
            break
        size -= 0.5
    for (column, row), (text, number) in zip(placed, lines, strict=True):
        if not text:
            continue
        where = offset_copy(
            panel.transAxes, figure, x=column * column_width, y=-row * step, units="points"
        )
        if number is None:
            panel.text(
                0,
                1,
                text,
                transform=where,
                ha="left",
                va="top",
                fontsize=size,
                fontweight="bold",
                color=INK,
                gid="list-heading",
            )
            continue
        panel.text(
            0,
            1,
            f"{number:>2}",
            transform=where,
            ha="left",
            va="top",
            fontsize=size,
            fontweight="bold",
            color=MUTED,
            family="DejaVu Sans Mono",
        )
        shifted = offset_copy(where, figure, x=size * 1.9, units="points")
        panel.text(
            0,
            1,
            shorten(text, max(characters, 8), middle=True),
            transform=shifted,
            ha="left",
            va="top",
            fontsize=size,
            color=INK,
            gid="list-name",
        )


def _flow(lines: list[tuple[str, str | None]], per_column: int) -> list[tuple[int, int]]:
    """(column, row) for each line: no column starts with a blank or ends on a heading."""
    out: list[tuple[int, int]] = []
    column = row = 0
    for n, (text, number) in enumerate(lines):
        heading_last = number is None and text and row == per_column - 1
        if row >= per_column or heading_last:
            column, row = column + 1, 0
        if row == 0 and not text and n:
            out.append((column, -1))
            continue
        out.append((column, row))
        row += 1
    return out
