"""Charts of a plan: matplotlib `Figure`s (never pyplot), built on demand.

Importing this package is cheap: it names the charts and their options but
imports matplotlib only when a chart is built, so the window starts fast and the
command line pays only for what it draws.

    fig = CHART_KINDS["stakeholder-map"].build(plan, style=PRESENTATION,
                                               privacy=Privacy.INITIALS)
    render(fig, "map.png")
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from planner.charts.export import EXPORT_SUFFIXES, ChartError, check_output, png_bytes, render
from planner.charts.privacy import Privacy
from planner.charts.style import NORMAL, PRESENTATION, STYLES, ChartStyle
from planner.domain.plan import Plan

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from planner.services.portfolio import Portfolio

__all__ = [
    "CHART_KINDS",
    "EXPORT_SUFFIXES",
    "FILE_CHART_KINDS",
    "NORMAL",
    "PRESENTATION",
    "STYLES",
    "ChartError",
    "ChartSpec",
    "ChartStyle",
    "Privacy",
    "build_chart",
    "build_portfolio_chart",
    "check_output",
    "png_bytes",
    "render",
]


@dataclass(frozen=True)
class ChartSpec:
    kind: str
    title: str
    description: str
    module: str

    def build(
        self,
        plan: Plan,
        *,
        today: date | None = None,
        style: ChartStyle = NORMAL,
        privacy: Privacy = Privacy.OFF,
    ) -> Figure:
        """Draw this chart of `plan`; an empty plan gives a "nothing to show yet" figure.

        A dark style (`style.on_dark()`) gives the same chart recoloured for a dark window."""
        module = importlib.import_module(f"planner.charts.{self.module}")
        figure: Figure = module.build(
            plan, today=today or date.today(), style=style, privacy=privacy
        )
        if style.dark:
            from planner.charts.dark import darken

            darken(figure)
        return figure


CHART_KINDS: dict[str, ChartSpec] = {
    spec.kind: spec
    for spec in (
        ChartSpec(
            "stakeholder-map",
            "Stakeholder map",
            "Power × interest grid: bubble size is headcount, colour is engagement.",
            "stakeholder_map",
        ),
        ChartSpec(
            "readiness",
            "Readiness radar",
            "The six readiness dimensions, each scored 0–100.",
            "readiness_radar",
        ),
        ChartSpec(
            "roadmap",
            "Rollout roadmap",
            "Phases, gates, training sessions and communications on one time axis.",
            "roadmap",
        ),
        ChartSpec(
            "communication-heatmap",
            "Communication heatmap",
            "Messages per audience and week; quiet spells stand out.",
            "communication_heatmap",
        ),
        ChartSpec(
            "training-coverage",
            "Training coverage",
            "People trained and booked against headcount, per group.",
            "training_coverage",
        ),
        ChartSpec(
            "kpi-progress",
            "KPI progress",
            "Each KPI from baseline through its actuals towards its target.",
            "kpi_progress",
        ),
        ChartSpec(
            "adkar-heatmap",
            "ADKAR barriers",
            "ADKAR level per group and stage; the barrier point is outlined.",
            "adkar_heatmap",
        ),
        ChartSpec(
            "option-scorecard",
            "Option scorecard",
            "Weighted score of each option by criterion; the chosen one is marked.",
            "option_scorecard",
        ),
    )
}


def build_chart(
    kind: str,
    plan: Plan,
    *,
    today: date | None = None,
    style: ChartStyle = NORMAL,
    privacy: Privacy = Privacy.OFF,
) -> Figure:
    try:
        spec = CHART_KINDS[kind]
    except KeyError:
        raise ChartError(
            f"unknown chart kind {kind!r} (choose from {', '.join(CHART_KINDS)})"
        ) from None
    return spec.build(plan, today=today, style=style, privacy=privacy)


FILE_CHART_KINDS: dict[str, ChartSpec] = {
    "portfolio": ChartSpec(
        "portfolio",
        "Change load across initiatives",
        "Load per organisational unit and week from every initiative of the file, "
        "against each unit's capacity; markers are go-lives.",
        "portfolio_heatmap",
    ),
}
"""Charts of the whole file rather than of one plan: drawn from a `Portfolio`."""


def build_portfolio_chart(portfolio: Portfolio, *, style: ChartStyle = NORMAL) -> Figure:
    """The portfolio heatmap (unit × week, go-live markers per initiative); a dark style
    recolours it for a dark window, as `ChartSpec.build` does."""
    module = importlib.import_module("planner.charts.portfolio_heatmap")
    figure: Figure = module.build_portfolio(portfolio, style=style)
    if style.dark:
        from planner.charts.dark import darken

        darken(figure)
    return figure
