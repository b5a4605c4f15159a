"""The slides of a workshop: charts drawn in presentation style, readiness, and the gates.

Each slide redraws itself from a `SlideState` (plan, readiness report, privacy,
zoom), so the window only has to say what changed; type grows with the zoom
and never depends on the operating system's scaling.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from html import escape
from typing import TYPE_CHECKING, Protocol, TypeVar

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QScrollArea, QVBoxLayout, QWidget

from planner.charts import CHART_KINDS, PRESENTATION, ChartStyle, Privacy
from planner.charts.privacy import Redactor
from planner.domain.plan import Plan
from planner.services.readiness import DIMENSIONS, GateResult, ReadinessReport
from planner.ui.chart_canvas import ChartPane, screen_style
from planner.ui.findings_model import SEVERITY_COLOURS, SEVERITY_LABELS
from planner.ui.formatting import people_dates, plural
from planner.ui.gate_cards import GateCardsPanel
from planner.ui.readiness_view import score_colour

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from planner.services.portfolio import Portfolio

BASE_POINTS = 22.0
ZOOM_BACK_OFF = 1.2
Built = TypeVar("Built")
DIMENSION_LABELS = dict(DIMENSIONS)
TOP_FINDINGS = 6
TOP_UNITS = 12


@dataclass(frozen=True)
class SlideState:
    plan: Plan
    report: ReadinessReport
    today: date | None
    privacy: Privacy
    zoom: float
    size: tuple[int, int]
    names_on_map: bool = False

    @property
    def points(self) -> float:
        return BASE_POINTS * self.zoom

    def chart_style(self) -> ChartStyle:
        return screen_style(PRESENTATION, self.size, scale=self.zoom)

    def redactor(self) -> Redactor:
        return Redactor(self.plan, self.privacy)


def smallest_text_px(figure: Figure) -> float:
    """The smallest type on a figure, in the logical pixels it is drawn at."""
    from matplotlib.text import Text

    sizes = [
        float(t.get_fontsize())
        for t in figure.findobj(Text)
        if t.get_visible() and t.get_text().strip()
    ]
    return min(sizes, default=0.0) * figure.dpi / 72


def build_legible(
    state: SlideState, build: Callable[[ChartStyle], Built], figure: Callable[[Built], Figure]
) -> Built:
    """Build a chart at the slide's zoom, without letting the zoom shrink any label.

    Charts fit row labels and quadrant names to the room the page leaves, and a
    zoom also grows titles and legends, which takes that room: past some zoom the
    labels the room reads would get smaller. Then the zoom backs off, step by
    step, until no text is smaller than at 100 %.
    """
    built = build(state.chart_style())
    if state.zoom <= 1.0:
        return built
    floor = smallest_text_px(figure(build(dataclasses.replace(state, zoom=1.0).chart_style())))
    zoom = state.zoom
    while zoom > 1.0 and smallest_text_px(figure(built)) < floor - 0.01:
        zoom = max(1.0, zoom / ZOOM_BACK_OFF)
        built = build(dataclasses.replace(state, zoom=zoom).chart_style())
    return built


def set_points(label: QLabel, points: float, *, bold: bool = False) -> None:
    font = QFont(label.font())
    font.setPointSizeF(points)
    font.setBold(bold)
    label.setFont(font)


class Slide(Protocol):
    """What the Present window needs of a slide widget."""

    key: str
    title: str

    def show_state(self, state: SlideState) -> None: ...


class ChartSlide(QWidget):
    """One chart of the registry, full width."""

    def __init__(self, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = kind
        self.title = CHART_KINDS[kind].title
        self.pane = ChartPane(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pane)

    def show_state(self, state: SlideState) -> None:
        chart = CHART_KINDS[self.key]
        figure = build_legible(
            state,
            lambda style: chart.build(
                state.plan, today=state.today, style=style, privacy=state.privacy
            ),
            lambda built: built,
        )
        self.pane.show_figure(figure)


class FindingsSlide(QWidget):
    """The findings most worth the room's time, most severe first, in type a room can read."""

    key = "findings"
    title = "Top findings"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heading = QLabel(self.title)
        self.summary = QLabel()
        self.findings = QLabel()
        self.findings.setWordWrap(True)
        self.findings.setTextFormat(Qt.TextFormat.RichText)
        self.findings.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 12, 24, 12)
        layout.addWidget(self.heading)
        layout.addWidget(self.summary)
        layout.addWidget(self.findings, 1)

    def show_state(self, state: SlideState) -> None:
        report = state.report
        set_points(self.heading, state.points * 1.5, bold=True)
        set_points(self.summary, state.points * 1.1, bold=True)
        set_points(self.findings, state.points)
        critical = sum(1 for f in report.findings if f.severity == "critical")
        self.summary.setText(
            f"Readiness {report.score} / 100 · {plural(len(report.findings), 'finding')}, "
            f"{critical} critical"
        )
        self.summary.setStyleSheet(f"color: {score_colour(report.score)};")
        findings, withheld = state.redactor().findings(report.findings)
        items = []
        for finding in findings[:TOP_FINDINGS]:
            colour = SEVERITY_COLOURS.get(finding.severity, "#555555")
            dimension = DIMENSION_LABELS.get(finding.dimension, finding.dimension)
            items.append(
                f"<p style='margin-bottom:14px'><span style='color:{colour};"
                f"font-weight:bold'>● {SEVERITY_LABELS[finding.severity]}</span>"
                f" <span style='color:#5f5f5f'>{escape(dimension)}</span><br>"
                f"{escape(people_dates(finding.message))}</p>"
            )
        more = len(findings) - TOP_FINDINGS
        if more > 0:
            items.append(f"<p style='color:#5f5f5f'>… and {more} more in the Readiness view</p>")
        if withheld:
            noun = "finding" if withheld == 1 else "findings"
            items.append(
                f"<p style='color:#5f5f5f'>{withheld} {noun} about individuals hidden (privacy)</p>"
            )
        if not report.findings:
            items.append("<p>No findings: the plan passes every rule.</p>")
        self.findings.setText("".join(items))


class GatesSlide(QWidget):
    """Every phase's go/no-go gate as a card, criteria and evidence visible."""

    key = "gates"
    title = "Go/no-go gates"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heading = QLabel(self.title)
        self.panel = GateCardsPanel(BASE_POINTS, columns=3)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.panel)
        scroll.setStyleSheet("QScrollArea { border: none; background: white; }")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 12, 24, 12)
        layout.addWidget(self.heading)
        layout.addWidget(scroll, 1)

    def show_state(self, state: SlideState) -> None:
        set_points(self.heading, state.points * 1.5, bold=True)
        redactor = state.redactor()
        gates = [_redacted_gate(gate, redactor) for gate in state.report.gates]
        self.panel.set_gates(gates, point_size=state.points * 0.85)


def _redacted_gate(gate: GateResult, redactor: Redactor) -> GateResult:
    criteria = [
        dataclasses.replace(
            c, description=redactor.text(c.description), detail=redactor.text(c.detail)
        )
        for c in gate.criteria
    ]
    return dataclasses.replace(gate, criteria=criteria)


class PortfolioSlide(QWidget):
    """The change load on each unit across every initiative of the file, in presentation type.

    The file's other initiatives are not in the slide's plan, so the slide reads the
    portfolio through `read` (the whole file, once per redraw). A room reads a dozen
    rows, not forty: the slide keeps the units loaded most against their capacity.
    """

    key = "portfolio"
    title = "Change load across initiatives"

    def __init__(self, read: Callable[[], Portfolio], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.read = read
        self.pane = ChartPane(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pane)

    def show_state(self, state: SlideState) -> None:
        from planner.charts import build_portfolio_chart

        portfolio = most_loaded(self.read(), TOP_UNITS)
        figure = build_legible(
            state,
            lambda style: build_portfolio_chart(portfolio, style=style),
            lambda built: built,
        )
        self.pane.show_figure(figure)


def most_loaded(portfolio: Portfolio, count: int) -> Portfolio:
    """The portfolio with only the `count` units whose peak week is highest against capacity
    (the heatmap's rows, `portfolio_scale.rows`)."""
    from planner.charts.portfolio_scale import rows

    return dataclasses.replace(portfolio, units=rows(portfolio, count).units)
