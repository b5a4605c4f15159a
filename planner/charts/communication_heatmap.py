"""Who hears what, week by week: the communication plan as audience × week.

Quiet spells (four weeks or more without a message while the initiative is
under way) are tinted so gaps stand out rather than hide as blank cells, and
audiences never addressed are named in vermillion.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import BoundaryNorm, ListedColormap
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from numpy.typing import NDArray

from planner.charts.figures import (
    empty_figure,
    legend_below,
    new_figure,
    note,
    people_date,
    row_label_size,
    styled,
    subtitle_over,
    week_start,
)
from planner.charts.privacy import Names, Privacy
from planner.charts.rows import Row, shorten, stakeholder_rows
from planner.charts.style import BLUE, INK, MUTED, ORANGE, PURPLE, VERMILLION, ChartStyle, ink_on
from planner.charts.timeline import live_communications, occurrences, plan_span
from planner.domain.enums import PhaseKind, Side
from planner.domain.plan import Plan
from planner.domain.records import Phase

TITLE = "Communication heatmap"
QUIET_WEEKS = 4
MAX_ROWS = 40
MAX_LANES = 3
LABEL_LENGTH = 32
NONE, QUIET, ONE, TWO, MORE = range(5)
COLOURS = ("white", "#FBE4D6", "#BFD9EC", "#5B9BD0", "#0B4F8A")


def build(plan: Plan, *, today: date, style: ChartStyle, privacy: Privacy) -> Figure:
    messages = live_communications(plan)
    span = plan_span(plan)
    if not plan.stakeholders or not messages or span is None:
        return empty_figure(
            style,
            TITLE,
            "Add stakeholders and dated communications with an "
            "audience to see who hears what, and when.",
        )
    names = Names(plan, privacy)
    side_order = {side: n for n, side in enumerate(Side)}
    ordered = sorted(
        plan.stakeholders, key=lambda s: (side_order[s.side], s.function or "", s.name.casefold())
    )
    rows, grouped = stakeholder_rows(ordered, names, MAX_ROWS)
    starts = [c.scheduled_on for c in messages if c.scheduled_on is not None]
    starts += [p.starts_on for p in plan.phases if p.starts_on is not None]
    first = week_start(min(min(starts), today))
    last = week_start(max(span[1], today))
    weeks = [first + timedelta(days=7 * n) for n in range((last - first).days // 7 + 1)]
    counts = _counts(plan, rows, weeks)
    bins = _bins(counts)
    cells = _categories(counts, _window_end(plan, weeks), bins)
    with styled(style):
        figure = new_figure(style)
        lanes = _phase_lanes(plan, weeks[0])
        count = max((lane for _, lane, _, _ in lanes), default=0) + 1
        strip_height = style.scale * (0.9 + 0.9 * count)
        grid = figure.add_gridspec(2, 1, height_ratios=(strip_height, max(len(rows), 4)))
        strip = figure.add_subplot(grid[0])
        heat = figure.add_subplot(grid[1], sharex=strip)
        _draw_heat(heat, rows, weeks, counts, cells, style)
        for axes in (strip, heat):
            _markers(axes, plan, weeks[0], today, style)
        _draw_phases(strip, plan, lanes, weeks, today, style)
        figure.suptitle(TITLE, x=0.01, ha="left", color=INK)
        subtitle_over(strip, _subtitle(rows, counts, cells), style)
        legend_below(
            heat,
            [
                Patch(facecolor=c, edgecolor="#BBBBBB", label=label)
                for c, label in zip(COLOURS, _labels(bins), strict=True)
            ],
            style,
            lines_below=3,
        )
        if grouped:
            note(figure, grouped, style)
    return figure


def _counts(plan: Plan, rows: list[Row], weeks: list[date]) -> NDArray[np.int_]:
    """Distinct messages reaching each row in each week."""
    row_of = {sid: n for n, row in enumerate(rows) for sid in row.ids}
    counts = np.zeros((len(rows), len(weeks)), dtype=int)
    first, horizon = weeks[0], weeks[-1] + timedelta(days=6)
    for communication in live_communications(plan):
        targets = sorted({row_of[sid] for sid in communication.audience_ids if sid in row_of})
        columns = sorted(
            {
                (week_start(d) - first).days // 7
                for d in occurrences(communication, horizon)
                if d >= first
            }
        )
        if targets and columns:
            counts[np.ix_(targets, columns)] += 1
    return counts


def _window_end(plan: Plan, weeks: list[date]) -> int:
    """Silence counts as a gap until go-live or the end of the last phase."""
    ends = [p.ends_on for p in plan.phases if p.ends_on is not None]
    if plan.initiative.go_live is not None:
        ends.append(plan.initiative.go_live)
    if not ends:
        return len(weeks) - 1
    return min(len(weeks) - 1, max(0, (week_start(max(ends)) - weeks[0]).days // 7))


def _bins(counts: NDArray[np.int_]) -> tuple[int, int]:
    """Where the second and third shades start: 2 and 3 messages for a plan of groups,
    higher for rows that are whole functions, so the shades keep telling weeks apart."""
    heard = counts[counts > 0]
    if heard.size == 0:
        return 2, 3
    second = max(2, int(np.percentile(heard, 50)))
    return second, max(second + 1, int(np.percentile(heard, 85)))


def _labels(bins: tuple[int, int]) -> list[str]:
    second, third = bins

    def span(low: int, high: int) -> str:
        return f"{low} message{'s' * (low != 1)}" if low == high else f"{low}–{high} messages"

    return [
        "no message",
        f"quiet {QUIET_WEEKS}+ weeks",
        span(1, second - 1),
        span(second, third - 1),
        f"{third} or more",
    ]


def _categories(counts: NDArray[np.int_], end: int, bins: tuple[int, int]) -> NDArray[np.int_]:
    """Tint runs of silent weeks once an audience has first been addressed (or all of
    them if it never is): before first contact, silence is not yet a gap."""
    second, third = bins
    cells = np.select([counts >= third, counts >= second, counts >= 1], [MORE, TWO, ONE], NONE)
    for r in range(counts.shape[0]):
        heard = np.flatnonzero(counts[r])
        if heard.size == 0:
            cells[r, : end + 1] = QUIET
            continue
        run_start = None
        for w in range(int(heard[0]), end + 2):
            silent = w <= end and counts[r, w] == 0
            if silent and run_start is None:
                run_start = w
            elif not silent and run_start is not None:
                if w - run_start >= QUIET_WEEKS:
                    cells[r, run_start:w] = QUIET
                run_start = None
    return cells


def _draw_heat(
    axes: Axes,
    rows: list[Row],
    weeks: list[date],
    counts: NDArray[np.int_],
    cells: NDArray[np.int_],
    style: ChartStyle,
) -> None:
    colours = ListedColormap(list(COLOURS))
    norm = BoundaryNorm([n - 0.5 for n in range(len(COLOURS) + 1)], len(COLOURS))
    axes.imshow(
        cells,
        cmap=colours,
        norm=norm,
        aspect="auto",
        interpolation="nearest",
        extent=(-0.5, len(weeks) - 0.5, len(rows) - 0.5, -0.5),
        gid="heat",
    )
    if len(weeks) <= 120 and len(rows) <= 60:
        # White rules between the cells, as two line collections: a minor tick per week
        # and row would cost a full tick (lines, label) each, a second on a long plan.
        rule: dict[str, Any] = {"colors": "white", "linewidth": style.pt(0.8), "gid": "cell-rules"}
        axes.vlines([n - 0.5 for n in range(len(weeks) + 1)], -0.5, len(rows) - 0.5, **rule)
        axes.hlines([n - 0.5 for n in range(len(rows) + 1)], -0.5, len(weeks) - 0.5, **rule)
    axes.set_yticks(range(len(rows)), [shorten(r.label, LABEL_LENGTH) for r in rows])
    axes.tick_params(axis="y", labelsize=row_label_size(style, len(rows), style.height, 2.3))
    silent = counts.sum(axis=1) == 0
    for label, never in zip(axes.get_yticklabels(), silent, strict=True):
        if never:
            label.set_color(VERMILLION)
            label.set_fontweight("bold")
    # Quarters up to three years, then a whole number of quarters: at most about twelve labels.
    step = 4 if len(weeks) <= 60 else 8 if len(weeks) <= 120 else 13 * -(-len(weeks) // 156)
    ticks = list(range(0, len(weeks), step))
    axes.set_xticks(
        ticks,
        [
            _week_label(weeks[t], n == 0 or weeks[t].year != weeks[ticks[n - 1]].year)
            for n, t in enumerate(ticks)
        ],
    )
    axes.tick_params(axis="both", length=0)
    for spine in axes.spines.values():
        spine.set_visible(False)
    axes.set_xlabel("Week starting")


def _at(value: date, first: date) -> float:
    """A date's position on the week axis (week n spans n - 0.5 to n + 0.5)."""
    return (value - first).days / 7 - 0.5


def _markers(axes: Axes, plan: Plan, first: date, today: date, style: ChartStyle) -> None:
    axes.axvline(
        _at(today, first), color=INK, linewidth=style.pt(1.3), linestyle=(0, (4, 3)), gid="today"
    )
    if plan.initiative.go_live is not None:
        axes.axvline(
            _at(plan.initiative.go_live, first), color=PURPLE, linewidth=style.pt(2), gid="go-live"
        )


def _week_label(week: date, with_year: bool) -> str:
    return f"{week.day} {week:%b}\n{week.year}" if with_year else f"{week.day} {week:%b}"


def _phase_lanes(plan: Plan, first: date) -> list[tuple[Phase, int, float, float]]:
    """Each dated phase with its lane: overlapping phases stack, in at most three lanes."""
    out: list[tuple[Phase, int, float, float]] = []
    lane_ends: list[float] = []
    dated = sorted(
        (p for p in plan.phases_in_order if p.starts_on is not None),
        key=lambda p: p.starts_on or date.min,
    )
    for phase in dated:
        assert phase.starts_on is not None
        start = _at(phase.starts_on, first)
        finish = _at(phase.ends_on or phase.starts_on + timedelta(days=7), first)
        lane = next((n for n, end in enumerate(lane_ends) if end <= start), len(lane_ends))
        if lane >= MAX_LANES:
            lane = min(range(MAX_LANES), key=lambda n: lane_ends[n])
        if lane == len(lane_ends):
            lane_ends.append(finish)
        lane_ends[lane] = max(lane_ends[lane], finish)
        out.append((phase, lane, start, finish))
    return out


def _draw_phases(
    axes: Axes,
    plan: Plan,
    lanes: list[tuple[Phase, int, float, float]],
    weeks: list[date],
    today: date,
    style: ChartStyle,
) -> None:
    """The rollout above the grid, so silence during a phase is plain to see; a name is
    written only where it fits."""
    first = weeks[0]
    week_pt = (style.width - 3.2 * style.scale) * 72 / max(len(weeks), 1)
    for phase, lane, start, finish in lanes:
        colour = ORANGE if phase.kind is PhaseKind.PILOT else BLUE
        axes.barh(
            -lane,
            finish - start,
            left=start,
            height=0.8,
            color=colour,
            edgecolor="white",
            linewidth=style.pt(0.8),
            gid="phase-bar",
        )
        name = shorten(phase.name.split(":")[0], 16)
        if (finish - start) * week_pt >= len(name) * style.pt(8.5) * 0.62 + 6:
            axes.text(
                (start + finish) / 2,
                -lane,
                name,
                ha="center",
                va="center",
                color=ink_on(colour),
                fontsize=style.pt(8.5),
                fontweight="bold",
                clip_on=True,
            )
    count = max((lane for _, lane, _, _ in lanes), default=0) + 1
    go_live = plan.initiative.go_live
    if go_live is not None:
        late = _at(go_live, first) > 0.8 * len(weeks)
        axes.text(
            _at(go_live, first),
            0.55,
            f" Go-live {people_date(go_live)} ",
            ha="right" if late else "left",
            va="bottom",
            fontsize=style.pt(8.5),
            color=PURPLE,
            fontweight="bold",
        )
    axes.text(
        _at(today, first),
        0.55,
        f" Today {people_date(today)}",
        ha="left",
        va="bottom",
        fontsize=style.pt(8.5),
        color=INK,
        fontweight="bold",
    )
    axes.set_ylim(-count + 0.4, 1.2)
    axes.set_yticks([-(count - 1) / 2], ["Rollout"])
    axes.tick_params(axis="both", length=0, labelbottom=False)
    for spine in axes.spines.values():
        spine.set_visible(False)
    if not lanes:
        axes.text(
            0.5,
            0.5,
            "No dated phases yet",
            transform=axes.transAxes,
            ha="center",
            va="center",
            color=MUTED,
        )


def _subtitle(rows: list[Row], counts: NDArray[np.int_], cells: NDArray[np.int_]) -> str:
    never = int((counts.sum(axis=1) == 0).sum())
    longest, who = 0, ""
    for row, line in zip(rows, cells, strict=True):
        run = best = 0
        for cell in line:
            run = run + 1 if cell == QUIET else 0
            best = max(best, run)
        if best > longest and counts[rows.index(row)].sum() > 0:
            longest, who = best, row.label
    parts = [f"{len(rows)} audiences", f"{never} never addressed"]
    if longest:
        parts.append(f"longest quiet spell: {longest} weeks ({shorten(who, 44)})")
    return " · ".join(parts)
