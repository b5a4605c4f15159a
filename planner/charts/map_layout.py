"""Where the stakeholder map, its list of names and its legend go on the page.

The map is laid out by hand rather than by matplotlib's layout engine, because
the list beside it must know its own size to choose its columns and how much of
each name to keep.
"""

from __future__ import annotations

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.transforms import offset_copy

from planner.charts.rows import shorten
from planner.charts.style import INK, MUTED, ChartStyle

LOW, HIGH = 1, 5
STRIP = 0.32


class Page:
    """The geometry of one page, in figure fractions and points.

    A window that embeds the map builds it at the canvas's size (a `ChartStyle`
    with that width and height) so the arithmetic holds on screen too.
    """

    def __init__(self, style: ChartStyle) -> None:
        self.style = style
        s = style.scale
        width, height = style.width, style.height
        top, bottom, left = 0.95 * s, 1.15 * s, 1.05 * s
        cells = HIGH - LOW + 1
        tall = max(1.0, min(height - top - bottom, (width - left) * 0.56))
        wide = tall * cells / (cells + 2 * STRIP)
        self.map_box = (left / width, bottom / height, wide / width, tall / height)
        x0 = (left + wide + 0.45 * s) / width
        right = 0.15 / width
        self.panel_box = (x0, bottom / height, max(0.05, 1 - x0 - right), tall / height)
        self.cell_pt = wide * 72 / cells
        self.panel_pt = (self.panel_box[2] * width * 72, tall * 72)

    def inch_x(self, inches: float) -> float:
        return inches / self.style.width

    def inch_y(self, inches: float) -> float:
        return inches / self.style.height


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
