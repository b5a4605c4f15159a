"""The readiness radar: the six dimensions of the readiness check at a glance.

The drawing takes plain numbers (`Axis` values), so it does not depend on how
the check is computed; `build` runs the check and hands its scores over. Beside
the radar, the same scores as bars with their findings, because a radar alone
makes exact values hard to read.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.projections.polar import PolarAxes

from planner.charts.figures import empty_figure, legend_below, new_figure, people_date, styled
from planner.charts.privacy import Privacy
from planner.charts.style import BLUE, GREEN, INK, MUTED, ORANGE, VERMILLION, ChartStyle
from planner.domain.plan import Plan

TITLE = "Readiness"
RINGS = (25, 50, 75, 100)
BANDS = ((75, GREEN, "75 or more"), (50, ORANGE, "50–74"), (0, VERMILLION, "below 50"))


@dataclass(frozen=True)
class Axis:
    """One dimension: its label, its score (0–100) and how many findings pulled it down."""

    label: str
    score: int
    findings: int
    critical: int = 0


def build(plan: Plan, *, today: date, style: ChartStyle, privacy: Privacy) -> Figure:
    if len(plan.all_records()) == 1:
        return empty_figure(
            style,
            TITLE,
            "Add stakeholders, objectives, communications, "
            "training and a rollout to see how ready the plan is.",
        )
    from planner.services.readiness import check

    report = check(plan, today=today)
    critical: dict[str, int] = {}
    for finding in report.findings:
        if finding.severity == "critical":
            critical[finding.dimension] = critical.get(finding.dimension, 0) + 1
    axes = [
        Axis(d.label, d.score, _count(d.findings), critical.get(d.key, 0))
        for d in report.dimensions
    ]
    return radar_figure(report.score, axes, style, today=today)


def _count(findings: int | Sequence[object]) -> int:
    return findings if isinstance(findings, int) else len(findings)


def band_colour(score: int) -> str:
    return next(colour for floor, colour, _ in BANDS if score >= floor)


def radar_figure(
    overall: int, dimensions: Sequence[Axis], style: ChartStyle, *, today: date
) -> Figure:
    with styled(style):
        figure = new_figure(style)
        grid = figure.add_gridspec(1, 2, width_ratios=(1.25, 1))
        radar = figure.add_subplot(grid[0, 0], projection="polar")
        assert isinstance(radar, PolarAxes)
        bars = figure.add_subplot(grid[0, 1])
        _draw_radar(radar, dimensions, style)
        _draw_bars(bars, dimensions, style)
        weakest = min(dimensions, key=lambda d: (d.score, d.label))
        figure.suptitle(
            f"{TITLE}: {overall}/100 · weakest: {weakest.label} ({weakest.score})",
            x=0.01,
            ha="left",
            color=INK,
        )
        total = sum(d.findings for d in dimensions)
        critical = sum(d.critical for d in dimensions)
        figure.supxlabel(
            f"Checked {people_date(today)} · {total} finding"
            f"{'s' * (total != 1)}, {critical} critical",
            x=0.01,
            ha="left",
            color=MUTED,
            fontsize=style.pt(9),
        )
    return figure


def _draw_radar(axes: PolarAxes, dimensions: Sequence[Axis], style: ChartStyle) -> None:
    count = len(dimensions)
    axes.set_theta_offset(math.pi / 2)
    axes.set_theta_direction(-1)
    angles = [2 * math.pi * n / count for n in range(count)]
    scores = [max(0, min(100, d.score)) for d in dimensions]
    axes.set_xticks(angles, [""] * count)
    axes.set_xlim(0, 2 * math.pi)
    axes.set_ylim(0, 100)
    axes.set_yticks(list(RINGS), [str(r) for r in RINGS], color=MUTED, fontsize=style.pt(8))
    axes.set_rlabel_position(180 / count)
    axes.grid(color="#CCCCCC", linewidth=style.pt(0.8))
    axes.spines["polar"].set_color("#CCCCCC")
    closed_angles = angles + angles[:1]
    closed_scores = scores + scores[:1]
    axes.fill(closed_angles, closed_scores, color=BLUE, alpha=0.18, zorder=2)
    axes.plot(
        closed_angles,
        closed_scores,
        color=BLUE,
        linewidth=style.pt(2.4),
        zorder=3,
        gid="readiness-outline",
    )
    axes.scatter(
        angles,
        scores,
        s=style.pt(8) ** 2,
        c=[band_colour(s) for s in scores],
        edgecolors="white",
        linewidths=style.pt(1.2),
        zorder=4,
    )
    for angle, dimension in zip(angles, dimensions, strict=True):
        sin = math.sin(angle)
        align = "center" if abs(sin) < 0.2 else "left" if sin > 0 else "right"
        vertical = (
            "bottom" if math.cos(angle) > 0.8 else "top" if math.cos(angle) < -0.8 else "center"
        )
        axes.text(
            angle,
            114,
            f"{dimension.label}\n{dimension.score}",
            ha=align,
            va=vertical,
            fontsize=style.pt(11),
            color=INK,
            linespacing=1.3,
            gid="dimension-label",
            clip_on=False,
        )


def _draw_bars(axes: Axes, dimensions: Sequence[Axis], style: ChartStyle) -> None:
    rows = list(range(len(dimensions)))[::-1]
    scores = [d.score for d in dimensions]
    axes.barh(rows, [100] * len(rows), color="#EFEFEF", height=0.56, zorder=1)
    axes.barh(
        rows,
        scores,
        color=[band_colour(s) for s in scores],
        height=0.56,
        zorder=2,
        gid="dimension-bars",
    )
    for row, dimension in zip(rows, dimensions, strict=True):
        findings = (
            f"{dimension.findings} finding{'s' * (dimension.findings != 1)}"
            if dimension.findings
            else "no findings"
        )
        if dimension.critical:
            findings += f" ({dimension.critical} critical)"
        axes.text(
            101.5,
            row,
            f"{dimension.score}",
            va="center",
            ha="left",
            color=INK,
            fontsize=style.pt(11),
            fontweight="bold",
        )
        axes.text(0, row - 0.33, findings, va="top", ha="left", color=MUTED, fontsize=style.pt(8.5))
    axes.set_yticks(rows, [d.label for d in dimensions])
    axes.set_xlim(0, 112)
    axes.set_ylim(-0.9, len(rows) - 0.4)
    axes.set_xticks([*RINGS[:-1], 100])
    axes.tick_params(axis="y", length=0)
    axes.spines["left"].set_visible(False)
    axes.set_xlabel("Score out of 100")
    axes.set_title("Score by dimension", loc="left")
    legend_below(axes, [Patch(color=colour, label=label) for _, colour, label in BANDS], style)
