"""KPI progress: each KPI from its baseline through its actuals towards its target.

One small panel per KPI, since units differ (days, %, users). A straight
"planned path" from the baseline to the target on the due date gives each
panel a yardstick: the latest actual is on track when it has covered at least
the share of the way that the time elapsed calls for (less a tolerance).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from planner.charts.figures import day, empty_figure, new_figure, styled, time_axis
from planner.charts.privacy import Privacy
from planner.charts.rows import shorten
from planner.charts.style import BLUE, GREEN, INK, MUTED, VERMILLION, ChartStyle
from planner.domain.plan import Plan
from planner.domain.records import Kpi, Measurement

TITLE = "KPI progress"
MAX_PANELS = 12
TOLERANCE = 0.1
ON_TRACK, BEHIND, UNKNOWN = "on track", "behind", "cannot be judged"
STATUS_COLOURS = {ON_TRACK: GREEN, BEHIND: VERMILLION, UNKNOWN: MUTED}


@dataclass(frozen=True)
class Track:
    kpi: Kpi
    objective: str
    actuals: list[Measurement]
    start: date | None
    status: str
    reason: str


def build(plan: Plan, *, today: date, style: ChartStyle, privacy: Privacy) -> Figure:
    if not plan.kpis:
        return empty_figure(
            style,
            TITLE,
            "Add objectives with KPIs (baseline, target, due "
            "date) and record measurements to track progress.",
        )
    tracks = [_track(plan, kpi, today) for kpi in plan.kpis]
    objectives = {o.id: n for n, o in enumerate(plan.objectives)}
    tracks.sort(key=lambda t: (objectives.get(t.kpi.objective_id, 0), t.kpi.name.casefold()))
    shown = tracks
    if len(tracks) > MAX_PANELS:
        rank = {BEHIND: 0, UNKNOWN: 1, ON_TRACK: 2}
        shown = sorted(tracks, key=lambda t: (rank[t.status], t.kpi.name.casefold()))
        shown = shown[:MAX_PANELS]
    columns = max(1, min(4, int(style.width / (3.1 * style.scale)), len(shown)))
    rows = math.ceil(len(shown) / columns)
    with styled(style):
        figure = new_figure(style)
        grid = figure.add_gridspec(rows, columns)
        for n, track in enumerate(shown):
            axes = figure.add_subplot(grid[divmod(n, columns)])
            _panel(axes, track, today, style)
        counts = {
            status: sum(1 for t in tracks if t.status == status)
            for status in (ON_TRACK, BEHIND, UNKNOWN)
        }
        figure.suptitle(
            f"{TITLE}: {counts[ON_TRACK]} of {len(tracks)} KPIs on track, "
            f"{counts[BEHIND]} behind, {counts[UNKNOWN]} cannot be judged yet",
            x=0.01,
            ha="left",
            color=INK,
        )
        title = (
            f"On track: the latest actual has made at least {1 - TOLERANCE:.0%} of the "
            "progress the planned path calls for by its date"
        )
        if len(tracks) > len(shown):
            title += f" · showing {len(shown)} of {len(tracks)} KPIs, those behind first"
        _legend(figure, style, title)
    return figure


def _track(plan: Plan, kpi: Kpi, today: date) -> Track:
    actuals = plan.measurements_by_kpi.get(kpi.id, [])
    objective = plan.by_id.get(kpi.objective_id)
    name = getattr(objective, "name", "")
    start = actuals[0].measured_on if actuals else None
    if kpi.baseline is None or kpi.target is None:
        missing = "baseline" if kpi.baseline is None else "target"
        return Track(kpi, name, actuals, start, UNKNOWN, f"no {missing} set")
    if not actuals:
        return Track(kpi, name, actuals, start, UNKNOWN, "no actuals yet")
    latest = actuals[-1]
    progress = kpi.progress(latest.value)
    if progress is None:
        return Track(kpi, name, actuals, start, UNKNOWN, "target equals baseline")
    expected = _expected(kpi, start, latest.measured_on)
    if expected is None:
        return Track(kpi, name, actuals, start, UNKNOWN, f"{progress:.0%} of the way, no due date")
    status = ON_TRACK if progress >= expected * (1 - TOLERANCE) else BEHIND
    return Track(
        kpi, name, actuals, start, status, f"{progress:.0%} of the way (plan {expected:.0%})"
    )


def number(value: float) -> str:
    """At most one decimal, thousands separated: "1,250", "11.2", "0.5"."""
    text = f"{value:,.1f}" if abs(value) < 1000 else f"{value:,.0f}"
    return text.removesuffix(".0")


def _expected(kpi: Kpi, start: date | None, when: date) -> float | None:
    """Share of the way the planned path has covered at `when`."""
    if kpi.due is None or start is None or kpi.due <= start:
        return None
    return max(0.0, min(1.0, (when - start).days / (kpi.due - start).days))


def _panel(axes: Axes, track: Track, today: date, style: ChartStyle) -> None:
    kpi = track.kpi
    unit = f" {kpi.unit}" if kpi.unit and kpi.unit != "%" else kpi.unit or ""
    colour = STATUS_COLOURS[track.status]
    axes.set_title(shorten(kpi.name, 30), loc="left", fontsize=style.pt(10.5), pad=style.pt(16))
    axes.annotate(
        f"{track.status} · {track.reason}",
        xy=(0, 1),
        xycoords="axes fraction",
        xytext=(0, style.pt(4)),
        textcoords="offset points",
        ha="left",
        va="bottom",
        fontsize=style.pt(8.5),
        color=colour,
        fontweight="bold",
        gid="kpi-status",
    )
    dates = [m.measured_on for m in track.actuals] + [today]
    if kpi.due is not None:
        dates.append(kpi.due)
    start = min(dates) - timedelta(days=14)
    end = max(dates) + timedelta(days=21)
    values = [m.value for m in track.actuals]
    if kpi.baseline is not None:
        axes.axhline(kpi.baseline, color=MUTED, linewidth=style.pt(1.2), linestyle=(0, (4, 3)))
        _tag(axes, kpi.baseline, f"baseline {number(kpi.baseline)}{unit}", MUTED, style, right=True)
        values.append(kpi.baseline)
    if kpi.target is not None:
        axes.axhline(kpi.target, color=GREEN, linewidth=style.pt(1.4), linestyle=(0, (4, 3)))
        _tag(axes, kpi.target, f"target {number(kpi.target)}{unit}", GREEN, style, right=False)
        values.append(kpi.target)
    if (
        kpi.baseline is not None
        and kpi.target is not None
        and kpi.due is not None
        and track.start is not None
        and kpi.due > track.start
    ):
        axes.plot(
            [day(track.start), day(kpi.due)],
            [kpi.baseline, kpi.target],
            color=GREEN,
            linewidth=style.pt(1),
            linestyle=":",
            gid="planned-path",
        )
    if track.actuals:
        axes.plot(
            [day(m.measured_on) for m in track.actuals],
            [m.value for m in track.actuals],
            color=BLUE,
            marker="o",
            markersize=style.pt(4.5),
            linewidth=style.pt(2),
            gid="actuals",
        )
        latest = track.actuals[-1]
        axes.annotate(
            f"{number(latest.value)}{unit}",
            xy=(day(latest.measured_on), latest.value),
            xytext=(style.pt(5), style.pt(5)),
            textcoords="offset points",
            fontsize=style.pt(9),
            fontweight="bold",
            color=BLUE,
        )
    else:
        axes.text(
            0.5,
            0.3,
            "no actuals yet",
            transform=axes.transAxes,
            ha="center",
            va="center",
            color=MUTED,
            fontsize=style.pt(9.5),
            gid="no-actuals",
        )
    if kpi.due is not None:
        axes.axvline(day(kpi.due), color=GREEN, linewidth=style.pt(0.8), alpha=0.6)
    axes.axvline(day(today), color=INK, linewidth=style.pt(1), linestyle=(0, (4, 3)))
    if values:
        low, high = min(values), max(values)
        pad = (high - low) * 0.18 or abs(high) * 0.1 or 1
        axes.set_ylim(low - pad, high + pad)
    time_axis(axes, start, end, max_ticks=5)
    axes.tick_params(labelsize=style.pt(8))
    axes.grid(axis="y", color="#EEEEEE", linewidth=style.pt(0.7))


def _tag(
    axes: Axes, value: float, text: str, colour: str, style: ChartStyle, *, right: bool
) -> None:
    """Baseline tagged at the right, target at the left: away from where the lines run."""
    axes.annotate(
        text,
        xy=(1 if right else 0, value),
        xycoords=("axes fraction", "data"),
        xytext=(-style.pt(3) if right else style.pt(3), style.pt(2)),
        textcoords="offset points",
        ha="right" if right else "left",
        va="bottom",
        fontsize=style.pt(7.5),
        color=colour,
        bbox={
            "boxstyle": "square,pad=0.1",
            "facecolor": "white",
            "edgecolor": "none",
            "alpha": 0.8,
        },
    )


def _legend(figure: Figure, style: ChartStyle, title: str) -> None:
    handles = [
        Line2D([], [], color=BLUE, marker="o", markersize=style.pt(4.5), label="Actuals"),
        Line2D([], [], color=MUTED, linestyle=(0, (4, 3)), label="Baseline"),
        Line2D([], [], color=GREEN, linestyle=(0, (4, 3)), label="Target"),
        Line2D([], [], color=GREEN, linestyle=":", label="Planned path"),
        Line2D([], [], color=GREEN, linewidth=style.pt(0.8), alpha=0.6, label="Due date"),
        Line2D([], [], color=INK, linestyle=(0, (4, 3)), linewidth=style.pt(1), label="Today"),
    ]
    figure.legend(handles=handles, loc="outside lower center", ncol=len(handles), title=title)
