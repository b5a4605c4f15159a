"""ADKAR barriers: each group's level at each stage, the barrier point outlined.

Prosci's ADKAR reads left to right: a person cannot act on Knowledge without
Desire. The first stage at 3 or below is where the change will stall, so it is
boxed, and groups are sorted by how early that barrier comes (then by size),
which puts the urgent work at the top. ADKAR levels are attitudes, so when the
privacy setting hides attitudes, individual people are left out (groups stay).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import BoundaryNorm, ListedColormap
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle

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
from planner.charts.style import INK, ON_DARK_FILL, ON_LIGHT_FILL, ChartStyle
from planner.domain.enums import AdkarStage, StakeholderKind
from planner.domain.plan import Plan

TITLE = "ADKAR barriers"
MAX_ROWS = 40
LABEL_LENGTH = 34
BARRIER_LEVEL = 3
LEVEL_COLOURS = ("#D55E00", "#EE9B5E", "#F6D7B0", "#A6D1EE", "#2E86C1")
LEVEL_INK = (ON_DARK_FILL, ON_LIGHT_FILL, ON_LIGHT_FILL, ON_LIGHT_FILL, ON_DARK_FILL)


@dataclass(frozen=True)
class Profile:
    label: str
    headcount: int
    levels: tuple[float, ...]

    @property
    def barrier(self) -> int | None:
        """Index of the first stage at or below the barrier level."""
        return next(
            (n for n, level in enumerate(self.levels) if level <= BARRIER_LEVEL + 1e-9), None
        )


def build(plan: Plan, *, today: date, style: ChartStyle, privacy: Privacy) -> Figure:
    if not plan.stakeholders:
        return empty_figure(
            style,
            TITLE,
            "Add stakeholders with their ADKAR levels to see where the change will stall.",
        )
    shown = list(plan.stakeholders)
    if privacy.hides_attitudes:
        shown = [s for s in shown if s.kind is not StakeholderKind.PERSON]
    hidden = len(plan.stakeholders) - len(shown)
    if not shown:
        return empty_figure(
            style,
            TITLE,
            "Only individual people are recorded, and the "
            "privacy setting hides their ADKAR levels.",
        )
    rows, grouped = stakeholder_rows(shown, Names(plan, privacy), MAX_ROWS)
    profiles = [_profile(row) for row in rows]
    profiles.sort(
        key=lambda p: (
            p.barrier if p.barrier is not None else len(AdkarStage),
            -p.headcount,
            p.label.casefold(),
        )
    )
    with styled(style):
        height = min(
            style.height * 1.6, max(style.height, 1.9 + 0.25 * style.scale * len(profiles))
        )
        figure = new_figure(style, height=height)
        axes = figure.add_subplot()
        _draw(
            axes,
            profiles,
            grouped is not None,
            style,
            row_label_size(style, len(profiles), height, 2.6),
        )
        heading(figure, TITLE, _subtitle(profiles, grouped is not None), axes, style)
        handles = [
            Patch(color=colour, label=f"{n}") for n, colour in enumerate(LEVEL_COLOURS, start=1)
        ]
        handles.append(
            Patch(
                facecolor="none",
                edgecolor=INK,
                linewidth=style.pt(2.2),
                label="Barrier point: first stage at 3 or below",
            )
        )
        legend_below(
            axes, handles, style, title="Level (1 absent – 5 fully there)", lines_below=1.2
        )
        notes = []
        if grouped:
            notes.append(grouped + "; levels are headcount-weighted means")
        if hidden:
            notes.append(
                f"{hidden} individual{'s' * (hidden != 1)} left out: the privacy "
                "setting hides people's attitudes"
            )
        if notes:
            note(figure, ". ".join(notes) + ".", style)
    return figure


def _profile(row: Row) -> Profile:
    total = row.headcount
    levels = tuple(
        sum(s.adkar[n] * s.headcount for s in row.members) / total for n in range(len(AdkarStage))
    )
    return Profile(row.label, total, levels)


def _draw(
    axes: Axes, profiles: Sequence[Profile], means: bool, style: ChartStyle, label_size: float
) -> None:
    stages = list(AdkarStage)
    levels = np.array([p.levels for p in profiles])
    colours = ListedColormap(list(LEVEL_COLOURS))
    norm = BoundaryNorm([0.5, 1.5, 2.5, 3.5, 4.5, 5.5], len(LEVEL_COLOURS))
    axes.imshow(
        np.rint(levels),
        cmap=colours,
        norm=norm,
        aspect="auto",
        interpolation="nearest",
        gid="adkar-cells",
    )
    small = len(profiles) <= 45
    for r, profile in enumerate(profiles):
        for c, level in enumerate(profile.levels):
            shade = int(min(5, max(1, round(level)))) - 1
            if small:
                axes.text(
                    c,
                    r,
                    f"{level:.1f}" if means else f"{level:g}",
                    ha="center",
                    va="center",
                    color=LEVEL_INK[shade],
                    fontsize=min(style.pt(9), label_size),
                )
        if profile.barrier is not None:
            axes.add_patch(
                Rectangle(
                    (profile.barrier - 0.47, r - 0.45),
                    0.94,
                    0.9,
                    fill=False,
                    edgecolor=INK,
                    linewidth=style.pt(2.2),
                    zorder=3,
                    gid="barrier",
                )
            )
    axes.set_xticks(range(len(stages)), [s.label for s in stages], fontweight="bold")
    axes.xaxis.tick_top()
    axes.set_yticks(
        range(len(profiles)),
        [
            shorten(p.label, LABEL_LENGTH)
            + (f" ({p.headcount:,})" if p.headcount > 1 and not means else "")
            for p in profiles
        ],
    )
    axes.set_xticks([n - 0.5 for n in range(len(stages) + 1)], minor=True)
    axes.set_yticks([n - 0.5 for n in range(len(profiles) + 1)], minor=True)
    axes.grid(which="minor", color="white", linewidth=style.pt(2))
    axes.tick_params(which="both", length=0)
    axes.tick_params(axis="y", labelsize=label_size)
    for spine in axes.spines.values():
        spine.set_visible(False)
    for c in range(len(stages)):
        stalled = [p for p in profiles if p.barrier == c]
        people = sum(p.headcount for p in stalled)
        axes.annotate(
            f"barrier for {len(stalled)} · {people:,} people",
            xy=(c, len(profiles) - 0.5),
            xycoords="data",
            xytext=(0, -style.pt(6)),
            textcoords="offset points",
            ha="center",
            va="top",
            fontsize=style.pt(8.5),
            color=INK,
            annotation_clip=False,
        )


def _subtitle(profiles: Sequence[Profile], grouped: bool) -> str:
    stages = list(AdkarStage)
    people = [0] * len(stages)
    for p in profiles:
        if p.barrier is not None:
            people[p.barrier] += p.headcount
    worst = max(range(len(stages)), key=lambda n: people[n])
    stalled = sum(people)
    total = sum(p.headcount for p in profiles)
    rows = f"{len(profiles)} {'functions' if grouped else 'stakeholders'}"
    if not stalled:
        return f"{rows} · no barrier: every stage above {BARRIER_LEVEL}"
    return (
        f"{rows} · {stalled:,} of {total:,} people have a barrier · "
        f"most often at {stages[worst].label} ({people[worst]:,} people)"
    )
