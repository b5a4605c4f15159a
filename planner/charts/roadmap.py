"""The rollout roadmap: phases and their gates, training and communication on one time axis.

Three bands share the axis so a steering committee sees at once whether people
are trained and told before their phase starts. Sessions and messages are
counted per week and lane, so a plan with thousands of them stays legible.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from matplotlib.axes import Axes
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from planner.charts.figures import (
    day,
    empty_figure,
    legend_below,
    new_figure,
    note,
    people_date,
    styled,
    subtitle_over,
    time_axis,
    week_start,
)
from planner.charts.privacy import Privacy
from planner.charts.rows import shorten
from planner.charts.style import (
    BLUE,
    GATE_COLOURS,
    GREEN,
    INK,
    MUTED,
    ON_DARK_FILL,
    ORANGE,
    PURPLE,
    ChartStyle,
)
from planner.charts.timeline import live_communications, occurrences, plan_span
from planner.domain.enums import GateDecision, PhaseKind
from planner.domain.plan import Plan
from planner.domain.records import Phase

TITLE = "Rollout roadmap"
MAX_PHASES = 16
MAX_COURSES = 8
MAX_COUNTS = 40
LABEL_LENGTH = 36
COMPACT_WIDTH = 11.0
DECISION_STATUS = {
    GateDecision.GO: "green",
    GateDecision.GO_WITH_CONDITIONS: "amber",
    GateDecision.NO_GO: "red",
}


@dataclass(frozen=True)
class GateMark:
    """A phase's go/no-go gate: its colour (None when unknown) and a short caption."""

    status: str | None
    caption: str
    decided: bool


def build(plan: Plan, *, today: date, style: ChartStyle, privacy: Privacy) -> Figure:
    span = plan_span(plan)
    if span is None or not (plan.phases or plan.sessions or plan.communications):
        return empty_figure(
            style,
            TITLE,
            "Add rollout phases, training sessions or "
            "communications with dates to see the roadmap.",
        )
    from planner.services.readiness import check

    forecast = {g.phase_id: g for g in check(plan, today=today).gates}
    gates: dict[str, GateMark] = {}
    for phase in plan.phases:
        result = forecast.get(phase.id)
        if phase.decision is not GateDecision.PENDING:
            when = f" on {people_date(phase.decided_on)}" if phase.decided_on else ""
            gates[phase.id] = GateMark(
                DECISION_STATUS[phase.decision], f"{phase.decision.label}{when}", decided=True
            )
        elif result is not None:
            met = sum(1 for c in result.criteria if c.met)
            caption = (
                f"{met} of {len(result.criteria)} criteria met"
                if result.criteria
                else "no gate criteria"
            )
            gates[phase.id] = GateMark(result.status, caption, decided=False)
    return roadmap_figure(plan, today=today, style=style, gates=gates, span=span)


def roadmap_figure(
    plan: Plan,
    *,
    today: date,
    style: ChartStyle,
    gates: dict[str, GateMark],
    span: tuple[date, date],
) -> Figure:
    start, end = span
    phases = [p for p in plan.phases_in_order if p.starts_on is not None][:MAX_PHASES]
    start = min(start, today) - timedelta(days=7)
    end = max(end, today) + timedelta(days=14)
    compact = style.width / style.scale < COMPACT_WIDTH
    finishes = [p.ends_on or p.starts_on for p in phases if p.starts_on is not None]
    if finishes:
        text = style.pt(8.5) * 0.5 * (max(len(_caption(p, compact)) for p in phases) + 2)
        axes_width = (style.width - 2.8 * style.scale) * 72
        needed = (max(finishes) - start) * (axes_width / max(axes_width - text, text))
        end = max(end, start + needed)
    training = _training_lanes(plan, end)
    messages = _message_lanes(plan, end)
    lanes = [max(len(phases), 1), max(len(training), 1), max(len(messages), 1)]
    with styled(style):
        figure = new_figure(style)
        grid = figure.add_gridspec(3, 1, height_ratios=[n + 1.2 for n in lanes])
        top = figure.add_subplot(grid[0])
        middle = figure.add_subplot(grid[1], sharex=top)
        bottom = figure.add_subplot(grid[2], sharex=top)
        _draw_phases(top, phases, gates, style, compact)
        week_pt = (style.width - 2.8 * style.scale) * 72 * 7 / max((end - start).days, 7)
        _draw_lanes(middle, training, GREEN, "s", "Training", "sessions", week_pt, style)
        _draw_lanes(bottom, messages, PURPLE, "o", "Communication", "messages", week_pt, style)
        for axes in (top, middle):
            axes.tick_params(axis="x", labelbottom=False)
        time_axis(
            bottom,
            start,
            end,
            max_ticks=max(4, int((style.width - 2.8 * style.scale) * 72 / style.pt(40))),
        )
        for axes in (top, middle, bottom):
            _markers(axes, plan, today, style, label=axes is top)
            axes.grid(axis="x", color="#E6E6E6", linewidth=style.pt(0.7), zorder=0)
        _legend(bottom, style, any(g.decided for g in gates.values()))
        figure.suptitle(TITLE, x=0.01, ha="left", color=INK)
        subtitle_over(top, _subtitle(plan, phases, today), style, pad=16)
        left_out = len([p for p in plan.phases if p.starts_on is not None]) - len(phases)
        undated = sum(1 for p in plan.phases if p.starts_on is None)
        if left_out or undated:
            parts = []
            if left_out:
                parts.append(f"{left_out} later phases not shown")
            if undated:
                parts.append(f"{undated} phases without a start date not shown")
            note(figure, "; ".join(parts), style)
    return figure


# ------------------------------------------------------------------------- lanes
def _training_lanes(plan: Plan, horizon: date) -> list[tuple[str, Counter[date]]]:
    by_course: dict[str, Counter[date]] = defaultdict(Counter)
    for session in plan.sessions:
        if session.held_on <= horizon:
            by_course[session.course_id][week_start(session.held_on)] += 1
    names = {c.id: c.name for c in plan.courses}
    lanes = sorted(by_course.items(), key=lambda item: (min(item[1]), names.get(item[0], "")))
    if len(lanes) > MAX_COURSES:
        rest: Counter[date] = Counter()
        for _, weeks in lanes[MAX_COURSES - 1 :]:
            rest.update(weeks)
        kept = [(names.get(cid, "Course"), weeks) for cid, weeks in lanes[: MAX_COURSES - 1]]
        return [*kept, (f"{len(lanes) - MAX_COURSES + 1:,} other courses", rest)]
    return [(names.get(cid, "Course"), weeks) for cid, weeks in lanes]


def _message_lanes(plan: Plan, horizon: date) -> list[tuple[str, Counter[date]]]:
    by_channel: dict[str, Counter[date]] = defaultdict(Counter)
    for communication in live_communications(plan):
        weeks = by_channel[communication.channel.label]
        for when in occurrences(communication, horizon):
            weeks[week_start(when)] += 1
    return sorted(
        ((channel, weeks) for channel, weeks in by_channel.items() if weeks),
        key=lambda item: (min(item[1]), item[0]),
    )


# ----------------------------------------------------------------------- drawing
def _draw_phases(
    axes: Axes, phases: list[Phase], gates: dict[str, GateMark], style: ChartStyle, compact: bool
) -> None:
    """Bars with their dates; on a narrow page the gate's caption gives way to its colour."""
    rows = list(range(len(phases)))[::-1]
    for row, phase in zip(rows, phases, strict=True):
        assert phase.starts_on is not None
        finish = phase.ends_on or phase.starts_on + timedelta(days=7)
        colour = ORANGE if phase.kind is PhaseKind.PILOT else BLUE
        axes.barh(
            row,
            day(finish) - day(phase.starts_on),
            left=day(phase.starts_on),
            height=0.56,
            color=colour,
            zorder=2,
            gid="phase-bar",
        )
        axes.text(
            day(finish) + 2,
            row,
            _caption(phase, compact),
            va="center",
            ha="left",
            color=MUTED,
            fontsize=style.pt(8.5),
            zorder=6,
            bbox=_HALO,
        )
        gate = gates.get(phase.id)
        face = GATE_COLOURS.get(gate.status or "", "white") if gate else "white"
        edge = GATE_COLOURS.get(gate.status or "", MUTED) if gate else MUTED
        axes.plot(
            day(phase.starts_on),
            row,
            marker="D",
            markersize=style.pt(11),
            markerfacecolor=face if gate and gate.decided else "white",
            markeredgecolor=edge,
            markeredgewidth=style.pt(2.2),
            zorder=4,
            gid="gate",
        )
        if gate and not compact:
            axes.text(
                day(phase.starts_on) - 3,
                row,
                f"Gate: {gate.caption}",
                ha="right",
                va="center",
                color=INK,
                fontsize=style.pt(8.5),
                zorder=6,
                bbox=_HALO,
            )
    axes.set_yticks(
        rows, [shorten(p.name, LABEL_LENGTH // 2 if compact else LABEL_LENGTH) for p in phases]
    )
    axes.set_ylim(-0.7, max(len(phases), 1) - 0.3)
    _band(axes, "Rollout")
    if not phases:
        axes.text(
            0.5,
            0.5,
            "No dated phases yet",
            transform=axes.transAxes,
            ha="center",
            va="center",
            color=MUTED,
        )


def _draw_lanes(
    axes: Axes,
    lanes: list[tuple[str, Counter[date]]],
    colour: str,
    marker: str,
    band: str,
    what: str,
    week_pt: float,
    style: ChartStyle,
) -> None:
    """One marker per lane and week. Its size grows with the count up to the width of a
    week; where weeks are too narrow for that, the shade carries the count instead."""
    rows = list(range(len(lanes)))[::-1]
    peak = max((n for _, weeks in lanes for n in weeks.values()), default=1)
    base = min(style.pt(8), week_pt * 0.9)
    top = max(base, min(style.pt(18), week_pt * 1.1))
    dense = top < style.pt(12) and peak > 1
    labelled = sum(1 for _, weeks in lanes for n in weeks.values() if n > 1) <= MAX_COUNTS
    for row, (_, weeks) in zip(rows, lanes, strict=True):
        xs = [day(w) + 3.5 for w in weeks]
        counts = list(weeks.values())
        sizes = [(base + (top - base) * math.sqrt((n - 1) / max(peak - 1, 1))) ** 2 for n in counts]
        shades = [to_rgba(colour, 0.3 + 0.7 * n / peak if dense else 1.0) for n in counts]
        axes.scatter(
            xs,
            [row] * len(xs),
            s=sizes,
            marker=marker,
            c=shades,
            edgecolors="white",
            linewidths=style.pt(0.6),
            zorder=3,
            gid=f"{what}-marks",
        )
        for x, n, size in zip(xs, counts, sizes, strict=True):
            if n > 1 and labelled and math.sqrt(size) >= style.pt(11):
                axes.text(
                    x,
                    row,
                    str(n),
                    ha="center",
                    va="center",
                    color=ON_DARK_FILL,
                    fontsize=min(style.pt(7.5), math.sqrt(size) * 0.55),
                    fontweight="bold",
                    zorder=4,
                )
    axes.set_yticks(rows, [shorten(name, LABEL_LENGTH) for name, _ in lanes])
    axes.set_ylim(-0.7, max(len(lanes), 1) - 0.3)
    axes.tick_params(axis="y", length=0)
    _band(axes, band)
    if not lanes:
        axes.text(
            0.5,
            0.5,
            f"No {what} planned yet",
            transform=axes.transAxes,
            ha="center",
            va="center",
            color=MUTED,
        )


_HALO = {"boxstyle": "square,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.85}


def _caption(phase: Phase, compact: bool) -> str:
    assert phase.starts_on is not None
    finish = phase.ends_on or phase.starts_on + timedelta(days=7)
    if compact:
        return f"{_short_date(phase.starts_on)} – {_short_date(finish)}"
    weeks = max(1, round((finish - phase.starts_on).days / 7))
    scope = len(phase.scope_ids)
    return (
        f"{_short_date(phase.starts_on)} – {_short_date(finish)} · {weeks} wk · "
        f"{scope} audience{'s' * (scope != 1)}"
    )


def _short_date(value: date) -> str:
    return f"{value.day} {value:%b}"


def _band(axes: Axes, name: str) -> None:
    axes.set_ylabel(name, fontweight="bold", color=INK)
    axes.tick_params(axis="y", length=0)
    axes.spines["left"].set_visible(False)


def _markers(axes: Axes, plan: Plan, today: date, style: ChartStyle, *, label: bool) -> None:
    axes.axvline(
        day(today), color=INK, linewidth=style.pt(1.3), linestyle=(0, (4, 3)), zorder=5, gid="today"
    )
    go_live = plan.initiative.go_live
    if go_live is not None:
        axes.axvline(day(go_live), color=PURPLE, linewidth=style.pt(2), zorder=5, gid="go-live")
    if label:
        axes.annotate(
            f"Today {people_date(today)}",
            xy=(day(today), 1),
            xycoords=("data", "axes fraction"),
            xytext=(3, 2),
            textcoords="offset points",
            ha="left",
            va="bottom",
            fontsize=style.pt(8.5),
            color=INK,
            fontweight="bold",
        )
        if go_live is not None:
            axes.annotate(
                f"Go-live {people_date(go_live)}",
                xy=(day(go_live), 1),
                xycoords=("data", "axes fraction"),
                xytext=(3, 2),
                textcoords="offset points",
                ha="left",
                va="bottom",
                fontsize=style.pt(8.5),
                color=PURPLE,
                fontweight="bold",
            )


def _legend(axes: Axes, style: ChartStyle, decided: bool) -> None:
    size = style.pt(9)
    handles: list[Line2D | Patch] = [
        Patch(color=ORANGE, label="Pilot"),
        Patch(color=BLUE, label="Wave"),
        Line2D(
            [],
            [],
            marker="D",
            linestyle="",
            markersize=size,
            markerfacecolor="white",
            markeredgecolor=GATE_COLOURS["green"],
            markeredgewidth=style.pt(2),
            label="Gate: all criteria met",
        ),
        Line2D(
            [],
            [],
            marker="D",
            linestyle="",
            markersize=size,
            markerfacecolor="white",
            markeredgecolor=GATE_COLOURS["amber"],
            markeredgewidth=style.pt(2),
            label="Gate: some criteria open",
        ),
        Line2D(
            [],
            [],
            marker="D",
            linestyle="",
            markersize=size,
            markerfacecolor="white",
            markeredgecolor=GATE_COLOURS["red"],
            markeredgewidth=style.pt(2),
            label="Gate: most open, or none set",
        ),
    ]
    if decided:
        handles.append(
            Line2D(
                [],
                [],
                marker="D",
                linestyle="",
                markersize=size,
                markerfacecolor=GATE_COLOURS["green"],
                markeredgecolor=GATE_COLOURS["green"],
                label="Gate decided",
            )
        )
    handles += [
        Line2D(
            [],
            [],
            marker="s",
            linestyle="",
            markersize=size,
            color=GREEN,
            label="Training sessions / week (bigger or darker: more)",
        ),
        Line2D(
            [],
            [],
            marker="o",
            linestyle="",
            markersize=size,
            color=PURPLE,
            label="Messages / week (bigger or darker: more)",
        ),
        Line2D([], [], color=INK, linestyle=(0, (4, 3)), linewidth=style.pt(1.3), label="Today"),
        Line2D([], [], color=PURPLE, linewidth=style.pt(2), label="Go-live"),
    ]
    legend_below(axes, handles, style, lines_below=3)


def _count(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def _subtitle(plan: Plan, phases: list[Phase], today: date) -> str:
    parts = [
        f"{len(plan.phases)} phase{'s' * (len(plan.phases) != 1)}",
        _count(len(plan.sessions), "training session"),
        _count(len(live_communications(plan)), "communication"),
    ]
    upcoming = [p for p in phases if p.starts_on is not None and p.starts_on >= today]
    if upcoming:
        nxt = upcoming[0]
        assert nxt.starts_on is not None
        weeks = (nxt.starts_on - today).days // 7
        when = "this week" if weeks == 0 else f"in {weeks} week{'s' * (weeks != 1)}"
        parts.append(f"next: {shorten(nxt.name, 40)} starts {when}")
    return " · ".join(parts)
