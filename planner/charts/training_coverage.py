"""Training coverage by group: trained and booked against headcount, in go-live order.

Groups are sorted by when their phase starts, each labelled with that date, so
the question "are people trained before they go live?" is answered top-down.
Shares rather than head counts, so a group of 5 and a group of 500 compare.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from planner.charts.figures import (
    empty_figure,
    heading,
    legend_below,
    new_figure,
    note,
    row_label_size,
    styled,
)
from planner.charts.privacy import Names, Privacy
from planner.charts.rows import Row, shorten, stakeholder_rows
from planner.charts.style import BLUE, INK, LIGHT_GREY, MUTED, SKY_BLUE, VERMILLION, ChartStyle
from planner.domain.enums import AttendanceStatus, Impact, StakeholderKind
from planner.domain.plan import Plan
from planner.domain.records import Stakeholder

TITLE = "Training coverage"
MAX_ROWS = 30
LABEL_LENGTH = 34
SOON_DAYS = 28
READY_SHARE = 0.9


@dataclass(frozen=True)
class Coverage:
    label: str
    headcount: int
    trained: int
    booked: int
    has_course: bool
    goes_live: date | None
    phase: str | None

    @property
    def trained_share(self) -> float:
        return min(self.trained, self.headcount) / self.headcount

    @property
    def booked_share(self) -> float:
        return min(self.booked, self.headcount - min(self.trained, self.headcount)) / self.headcount


def build(plan: Plan, *, today: date, style: ChartStyle, privacy: Privacy) -> Figure:
    coverage, grouped = coverage_rows(plan, Names(plan, privacy))
    if not coverage:
        return empty_figure(
            style,
            TITLE,
            "Add courses with an audience, or rollout phases "
            "with a scope, to see who is trained before go-live.",
        )
    with styled(style):
        height = min(
            style.height * 1.4, max(style.height, 1.8 + 0.28 * style.scale * len(coverage))
        )
        figure = new_figure(style, height=height)
        axes = figure.add_subplot()
        _draw(
            axes,
            coverage,
            today,
            style,
            min(style.pt(8.5), row_label_size(style, len(coverage), height, 2.4)),
        )
        heading(figure, TITLE, _subtitle(coverage), axes, style)
        legend_below(
            axes,
            [
                Patch(color=BLUE, label="Trained"),
                Patch(
                    facecolor=SKY_BLUE, edgecolor="white", hatch="///", label="Booked on a session"
                ),
                Patch(color=LIGHT_GREY, label="Not yet booked"),
                Patch(color="#FBE4D6", label="No course for this group"),
            ],
            style,
        )
        caption = (
            f"Go-live dates in vermillion: the phase starts within {SOON_DAYS // 7} weeks "
            f"with under {READY_SHARE:.0%} of the group trained."
        )
        note(figure, f"{grouped}. {caption}" if grouped else caption, style)
    return figure


def coverage_rows(plan: Plan, names: Names) -> tuple[list[Coverage], str | None]:
    """Groups that need training: in a course's audience, a phase's scope, or highly
    impacted; ordered by when they go live."""
    audience = {sid for course in plan.courses for sid in course.audience_ids}
    goes_live: dict[str, tuple[date, str]] = {}
    for phase in plan.phases_in_order:
        for sid in phase.scope_ids:
            if phase.starts_on is not None and (
                sid not in goes_live or phase.starts_on < goes_live[sid][0]
            ):
                goes_live[sid] = (phase.starts_on, phase.name.split(":")[0])
    scoped = {sid for phase in plan.phases for sid in phase.scope_ids}
    wanted = [
        s
        for s in plan.stakeholders
        if s.id in audience
        or s.id in scoped
        or (s.impact is Impact.HIGH and s.kind is StakeholderKind.GROUP)
    ]
    wanted.sort(
        key=lambda s: (goes_live.get(s.id, (date.max, ""))[0], -s.headcount, s.name.casefold())
    )
    trained: dict[str, int] = defaultdict(int)
    booked: dict[str, int] = defaultdict(int)
    for record in plan.attendance:
        if record.status is AttendanceStatus.ATTENDED:
            trained[record.stakeholder_id] += record.count
        elif record.status is AttendanceStatus.REGISTERED:
            booked[record.stakeholder_id] += record.count
    rows, grouped = stakeholder_rows(wanted, names, MAX_ROWS)
    return [_coverage(row, trained, booked, audience, goes_live) for row in rows], grouped


def _coverage(
    row: Row,
    trained: dict[str, int],
    booked: dict[str, int],
    audience: set[str],
    goes_live: dict[str, tuple[date, str]],
) -> Coverage:
    def capped(counts: dict[str, int], s: Stakeholder) -> int:
        return min(counts.get(s.id, 0), s.headcount)

    first = min((goes_live[s.id] for s in row.members if s.id in goes_live), default=None)
    return Coverage(
        row.label,
        row.headcount,
        sum(capped(trained, s) for s in row.members),
        sum(capped(booked, s) for s in row.members),
        any(s.id in audience for s in row.members),
        first[0] if first else None,
        first[1] if first else None,
    )


def _draw(
    axes: Axes, coverage: list[Coverage], today: date, style: ChartStyle, size: float
) -> None:
    rows = list(range(len(coverage)))[::-1]
    height = 0.62
    for row, item in zip(rows, coverage, strict=True):
        trained = 100 * item.trained_share
        booked = 100 * item.booked_share
        axes.barh(
            row, 100, color=LIGHT_GREY if item.has_course else "#FBE4D6", height=height, zorder=1
        )
        axes.barh(row, trained, color=BLUE, height=height, zorder=2, gid="trained")
        axes.barh(
            row,
            booked,
            left=trained,
            color=SKY_BLUE,
            hatch="///",
            edgecolor="white",
            height=height,
            zorder=2,
            linewidth=0,
            gid="booked",
        )
        colour = INK if item.has_course else VERMILLION
        axes.text(
            101.5,
            row,
            _counts_text(item),
            va="center",
            ha="left",
            fontsize=size,
            color=colour,
            fontweight="normal" if item.has_course else "bold",
        )
    labels = [shorten(item.label, LABEL_LENGTH) for item in coverage]
    axes.set_yticks(rows, labels)
    axes.tick_params(axis="y", labelsize=size * 1.1)
    for label, item in zip(axes.get_yticklabels(), coverage, strict=True):
        if not item.has_course:
            label.set_color(VERMILLION)
    _go_live_labels(axes, rows, coverage, today, style, size)
    axes.set_xlim(0, 100)
    axes.set_ylim(-0.6, len(coverage) - 0.4)
    axes.set_xticks([0, 25, 50, 75, 100], ["0%", "25%", "50%", "75%", "100%"])
    axes.set_xlabel("Share of the group's headcount")
    axes.tick_params(axis="y", length=0)
    axes.spines["left"].set_visible(False)
    axes.grid(axis="x", color="white", linewidth=style.pt(1), zorder=3)


def _counts_text(item: Coverage) -> str:
    if not item.has_course:
        return f"no course planned ({item.headcount:,} people)"
    text = f"{item.trained:,} of {item.headcount:,} trained ({100 * item.trained_share:.0f}%)"
    return text + (f" · {item.booked:,} booked" if item.booked else "")


def _phase_text(item: Coverage) -> str:
    if item.goes_live is None:
        return "not in a phase"
    return f"{shorten(item.phase or '', 16)} · {item.goes_live.day} {item.goes_live:%b %Y}"


def _go_live_labels(
    axes: Axes,
    rows: list[int],
    coverage: list[Coverage],
    today: date,
    style: ChartStyle,
    size: float,
) -> None:
    """When each group's phase starts, on the right: training must come first."""
    soon = today + timedelta(days=SOON_DAYS)
    dates = [_phase_text(item) for item in coverage]
    longest = max(len(_counts_text(item)) for item in coverage) + max(len(d) for d in dates)
    offset = size * 0.6 * longest + style.pt(16)
    axes.annotate(
        "Goes live",
        xy=(1, 1),
        xycoords="axes fraction",
        xytext=(offset, style.pt(4)),
        textcoords="offset points",
        ha="right",
        va="bottom",
        fontsize=size,
        color=MUTED,
        fontweight="bold",
        annotation_clip=False,
    )
    previous = None
    for row, item, text in zip(rows, coverage, dates, strict=True):
        if item.goes_live is None:
            colour = MUTED
        else:
            late = item.trained_share < READY_SHARE and item.goes_live <= soon
            colour = VERMILLION if late else INK
        axes.annotate(
            text,
            xy=(1, row),
            xycoords=("axes fraction", "data"),
            xytext=(offset, 0),
            textcoords="offset points",
            ha="right",
            va="center",
            fontsize=size,
            color=colour,
            annotation_clip=False,
        )
        if previous is not None and item.goes_live != previous:
            axes.axhline(
                row + 0.5, color=MUTED, linewidth=style.pt(0.6), xmin=-0.3, clip_on=False, zorder=4
            )
        previous = item.goes_live


def _subtitle(coverage: list[Coverage]) -> str:
    people = sum(c.headcount for c in coverage)
    trained = sum(min(c.trained, c.headcount) for c in coverage)
    booked = sum(c.booked for c in coverage)
    missing = sum(1 for c in coverage if not c.has_course)
    share = 100 * trained / people if people else 0
    parts = [f"{trained:,} of {people:,} people trained ({share:.0f}%)", f"{booked:,} booked"]
    if missing:
        parts.append(f"{missing} group{'s' * (missing != 1)} with no course")
    return " · ".join(parts)
