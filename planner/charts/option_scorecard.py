"""The option scorecard: each candidate's weighted score, criterion by criterion.

Each bar is an option's total out of 100; its segments are what each criterion
contributes (weight share × score), so a steering committee sees both who wins
and why. The chosen option is boxed; a criterion an option was never scored on
counts as 0 and is named, because a missing score silently favours nobody.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle

from planner.charts.figures import empty_figure, heading, legend_below, new_figure, note, styled
from planner.charts.privacy import Privacy
from planner.charts.rows import shorten
from planner.charts.style import CYCLE, INK, VERMILLION, ChartStyle, ink_on
from planner.domain.enums import CriterionCategory
from planner.domain.money import format_money
from planner.domain.plan import Plan
from planner.domain.records import SCORE_MAX, Criterion, Option

TITLE = "Option scorecard"
MAX_OPTIONS = 15
MAX_CRITERIA = 8
LABEL_LENGTH = 30


@dataclass(frozen=True)
class Scored:
    option: Option
    parts: tuple[float, ...]
    raw: tuple[float | None, ...]

    @property
    def total(self) -> float:
        return sum(self.parts)

    @property
    def missing(self) -> list[int]:
        return [n for n, value in enumerate(self.raw) if value is None]


def build(plan: Plan, *, today: date, style: ChartStyle, privacy: Privacy) -> Figure:
    criteria = [c for c in plan.criteria if c.weight > 0]
    if not plan.options or not criteria:
        return empty_figure(
            style,
            TITLE,
            "Add the candidate options and weighted criteria, "
            "then score each option, to compare them.",
        )
    criteria.sort(key=lambda c: (-c.weight, c.name.casefold()))
    scored = score_options(plan, criteria)
    scored.sort(key=lambda s: (-s.total, s.option.name.casefold()))
    shown = scored[:MAX_OPTIONS]
    shown += [s for s in scored[MAX_OPTIONS:] if s.option.chosen]
    with styled(style):
        height = max(style.height, 2.6 + 0.55 * style.scale * len(shown))
        figure = new_figure(style, height=min(height, style.height * 1.6))
        axes = figure.add_subplot()
        _draw(axes, shown, criteria, style, plan.initiative.currency)
        heading(figure, TITLE, _subtitle(scored, criteria), axes, style)
        weight = sum(c.weight for c in criteria)
        handles = [
            Patch(color=_colour(n), label=f"{shorten(c.name, 34)} ({c.weight / weight:.0%})")
            for n, c in enumerate(criteria[:MAX_CRITERIA])
        ]
        if len(criteria) > MAX_CRITERIA:
            rest = sum(c.weight for c in criteria[MAX_CRITERIA:]) / weight
            handles.append(
                Patch(
                    color=_colour(MAX_CRITERIA),
                    label=f"{len(criteria) - MAX_CRITERIA} other criteria ({rest:.0%})",
                )
            )
        legend_below(axes, handles, style, title="Criterion (share of the weight)")
        if len(scored) > len(shown):
            chosen = " and the chosen one" if len(shown) > MAX_OPTIONS else ""
            note(
                figure,
                f"Showing the {MAX_OPTIONS} best-scored options{chosen}, of {len(scored)}",
                style,
            )
    return figure


def score_options(plan: Plan, criteria: list[Criterion]) -> list[Scored]:
    """Each criterion contributes weight share × score, so totals run from 0 to 100."""
    weight = sum(c.weight for c in criteria)
    out = []
    for option in plan.options:
        given = {s.criterion_id: s.score for s in plan.scores_by_option.get(option.id, [])}
        raw = tuple(given.get(c.id) for c in criteria)
        parts = tuple(
            c.weight / weight * (value or 0) * 100 / SCORE_MAX
            for c, value in zip(criteria, raw, strict=True)
        )
        out.append(Scored(option, parts, raw))
    return out


def _colour(n: int) -> str:
    return CYCLE[n] if n < MAX_CRITERIA else "#BBBBBB"


def _draw(
    axes: Axes,
    shown: list[Scored],
    criteria: list[Criterion],
    style: ChartStyle,
    currency: str | None,
) -> None:
    rows = list(range(len(shown)))[::-1]
    height = 0.58
    names = [c.name for c in criteria]
    for row, item in zip(rows, shown, strict=True):
        left = 0.0
        for n, (part, raw) in enumerate(zip(item.parts, item.raw, strict=True)):
            colour = _colour(min(n, MAX_CRITERIA))
            axes.barh(
                row,
                part,
                left=left,
                height=height,
                color=colour,
                edgecolor="white",
                linewidth=style.pt(1),
                zorder=2,
                gid="score-segment",
            )
            if raw is not None and part >= 4.5:
                axes.text(
                    left + part / 2,
                    row,
                    f"{raw:g}",
                    ha="center",
                    va="center",
                    color=ink_on(colour),
                    fontsize=style.pt(8.5),
                    zorder=3,
                )
            left += part
        cost = item.option.annual_cost
        text = f"{item.total:.0f}/100"
        if cost is not None:
            text += f" · {format_money(round(cost), currency)} a year"
        axes.text(
            item.total + 1,
            row + 0.02,
            text,
            va="center",
            ha="left",
            color=INK,
            fontsize=style.pt(10),
            fontweight="bold",
            zorder=3,
        )
        if item.missing:
            unscored = ", ".join(shorten(names[n], 28) for n in item.missing[:3])
            more = f" and {len(item.missing) - 3} more" if len(item.missing) > 3 else ""
            axes.text(
                item.total + 1,
                row - 0.3,
                f"not scored on {unscored}{more}",
                va="center",
                ha="left",
                color=VERMILLION,
                fontsize=style.pt(8.5),
                zorder=3,
                gid="not-scored",
            )
        if item.option.chosen:
            axes.add_patch(
                Rectangle(
                    (-0.6, row - height / 2 - 0.1),
                    item.total + 1.2,
                    height + 0.2,
                    fill=False,
                    edgecolor=INK,
                    linewidth=style.pt(2.2),
                    zorder=4,
                    clip_on=False,
                    gid="chosen",
                )
            )
    labels = [
        ("✓ " if s.option.chosen else "")
        + shorten(s.option.name, LABEL_LENGTH)
        + ("\nchosen" if s.option.chosen else "")
        for s in shown
    ]
    axes.set_yticks(rows, labels)
    for label, item in zip(axes.get_yticklabels(), shown, strict=True):
        if item.option.chosen:
            label.set_fontweight("bold")
    axes.set_xlim(0, 100)
    axes.set_ylim(-0.7, len(shown) - 0.3)
    axes.set_xticks([0, 20, 40, 60, 80, 100])
    axes.set_xlabel(
        f"Weighted score out of 100 (each criterion scored 0–{SCORE_MAX}; "
        "numbers in the bars are the scores)"
    )
    axes.tick_params(axis="y", length=0, pad=style.pt(10))
    axes.spines["left"].set_visible(False)
    axes.grid(axis="x", color="#E6E6E6", linewidth=style.pt(0.7), zorder=0)


def _subtitle(scored: list[Scored], criteria: list[Criterion]) -> str:
    best = scored[0]
    chosen = [s for s in scored if s.option.chosen]
    weight = sum(c.weight for c in criteria)
    cost = sum(c.weight for c in criteria if c.category is CriterionCategory.COST) / weight
    parts = [
        f"{len(scored)} options on {len(criteria)} criteria",
        f"best: {shorten(best.option.name, 30)} ({best.total:.0f})",
    ]
    if not chosen:
        parts.append("none chosen yet")
    elif chosen[0] is best:
        parts.append("the chosen option is the best scored")
    else:
        parts.append(
            f"chosen: {shorten(chosen[0].option.name, 30)} ({chosen[0].total:.0f}), "
            "not the best scored"
        )
    parts.append(f"cost carries {cost:.0%} of the weight")
    return " · ".join(parts)
