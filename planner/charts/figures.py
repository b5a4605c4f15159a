"""The frame every chart shares: page, heading, empty state and people-friendly dates.

Only chart modules import this, and only when a chart is drawn, so matplotlib
stays out of start-up.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any

import matplotlib
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.dates import MonthLocator, WeekdayLocator, date2num, num2date
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine
from matplotlib.ticker import FuncFormatter
from matplotlib.transforms import offset_copy

from planner.charts.fonts import font_families
from planner.charts.style import INK, MUTED, ChartStyle

EMPTY_HEADLINE = "Nothing to show yet"


@contextmanager
def styled(style: ChartStyle) -> Iterator[None]:
    """Artists read their defaults when created, so the whole chart is built inside."""
    settings: Any = style.rc()
    settings["font.family"] = list(font_families())
    with matplotlib.rc_context(settings):
        yield


def new_figure(
    style: ChartStyle, *, width: float | None = None, height: float | None = None
) -> Figure:
    return Figure(
        figsize=(width or style.width, height or style.height),
        dpi=style.dpi,
        layout=ConstrainedLayoutEngine(w_pad=0.12, h_pad=0.1),
    )


def heading(
    figure: Figure, title: str, subtitle: str | None, axes: Axes, style: ChartStyle
) -> None:
    """Title for the page; the subtitle sits over the main axes, where the eye starts."""
    figure.suptitle(title, x=0.01, ha="left", color=INK)
    if subtitle:
        subtitle_over(axes, subtitle, style)


def subtitle_over(axes: Axes, text: str, style: ChartStyle, pad: float = 10) -> None:
    """A grey line over `axes`, wrapped to the page so a narrow canvas never cuts it."""
    size = style.pt(10.5)
    axes.set_title(
        wrapped(text, style, size),
        loc="left",
        fontweight="normal",
        color=MUTED,
        fontsize=size,
        pad=style.pt(pad),
    )


def wrapped(text: str, style: ChartStyle, size: float, share: float = 0.85) -> str:
    """Break `text` into lines that fit `share` of the page width at `size` points."""
    characters = max(20, int(style.width * 72 * share / (size * 0.56)))
    return "\n".join(textwrap.wrap(text, characters)) or text


def legend_below(
    axes: Axes,
    handles: Sequence[Artist],
    style: ChartStyle,
    *,
    title: str | None = None,
    lines_below: float = 2,
) -> None:
    """A legend under `axes`, clear of its tick labels and axis label, in as many
    columns as the page width allows."""
    drop = style.pt(10) * (1.35 * lines_below + 0.9)
    root = axes.get_figure(root=True)
    assert isinstance(root, Figure)
    below = offset_copy(axes.transAxes, root, y=-drop, units="points")
    axes.legend(
        handles=handles,
        title=title,
        loc="upper center",
        bbox_to_anchor=(0.5, 0),
        bbox_transform=below,
        ncol=legend_columns(handles, style),
        handletextpad=0.4,
        columnspacing=1.4,
    )


def legend_columns(handles: Sequence[Artist], style: ChartStyle) -> int:
    """All in one row when they fit the page width, else columns as wide as the longest."""
    size = matplotlib.rcParams["legend.fontsize"]
    widths = [size * (0.56 * len(str(h.get_label())) + 3.5) for h in handles]
    room = style.width * 72 * 0.9
    if sum(widths) <= room:
        return max(1, len(handles))
    return max(1, min(len(handles), int(room // max(widths))))


def empty_figure(style: ChartStyle, title: str, hint: str) -> Figure:
    """A chart of a plan with nothing in it says so, and says what to add."""
    with styled(style):
        figure = new_figure(style)
        axes = figure.add_subplot()
        axes.set_axis_off()
        figure.suptitle(title, x=0.01, ha="left", color=INK)
        axes.text(
            0.5,
            0.56,
            EMPTY_HEADLINE,
            ha="center",
            va="center",
            color=INK,
            fontsize=style.pt(20),
            fontweight="bold",
            transform=axes.transAxes,
        )
        axes.text(
            0.5,
            0.44,
            hint,
            ha="center",
            va="center",
            color=MUTED,
            fontsize=style.pt(13),
            transform=axes.transAxes,
            wrap=True,
        )
    return figure


def note(figure: Figure, text: str, style: ChartStyle) -> None:
    """A small caption at the foot of the page: what was aggregated or left out."""
    figure.supxlabel(text, x=0.01, ha="left", color=MUTED, fontsize=style.pt(8.5))


def row_label_size(style: ChartStyle, rows: int, page_height: float, reserved: float) -> float:
    """Type for one label per row that still fits when rows are many or the page is
    short (a small canvas): `reserved` inches (at scale 1) go to titles and legends."""
    room = max(1.0, page_height - reserved * style.scale) * 72
    return max(5.5, min(style.pt(9.5), 0.72 * room / max(rows, 1)))


def day(value: date) -> float:
    return float(date2num(value))


def time_axis(axes: Axes, start: date, end: date, *, max_ticks: int = 18) -> None:
    """Month ticks labelled "Jan 2027"-style, the year only where it changes."""
    span = (end - start).days
    if span <= 70:
        axes.xaxis.set_major_locator(WeekdayLocator(byweekday=0, interval=1 if span <= 35 else 2))
        axes.xaxis.set_major_formatter(FuncFormatter(_day_label))
    else:
        months = span / 30.4
        step = next((n for n in (1, 2, 3, 4, 6, 12) if months / n <= max_ticks), 24)
        axes.xaxis.set_major_locator(MonthLocator(interval=step))
        axes.xaxis.set_major_formatter(FuncFormatter(_month_label(step)))
    axes.set_xlim(day(start), day(end))


def _month_label(step: int) -> Callable[[float, int | None], str]:
    """With a tick every `step` months, a year's first tick has a month number <= step."""

    def label(value: float, position: int | None) -> str:
        when = num2date(value)
        if position == 0 or when.month <= step:
            return f"{when:%b}\n{when.year}"
        return f"{when:%b}"

    return label


def _day_label(value: float, position: int | None) -> str:
    when = num2date(value)
    return f"{when.day} {when:%b}"


def people_date(value: date) -> str:
    """ "3 Mar 2027": unambiguous in every locale the planner is used in."""
    return f"{value.day} {value:%b %Y}"


def week_start(value: date) -> date:
    return value - timedelta(days=value.weekday())
