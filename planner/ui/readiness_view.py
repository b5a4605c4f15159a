"""The Readiness view: scores per dimension, the findings to work through, and the gates.

The view re-runs the check after every edit, undo and redo, or is handed the
report (the window's, checked once per change and shared with the Initiative
page's panel); what it shows is always the plan as it stands.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from planner.domain.errors import PlannerError
from planner.services.planning import PlanService
from planner.services.readiness import DIMENSIONS, SEVERITIES, ReadinessReport, check
from planner.services.readiness.scoring import AMBER_FROM, GREEN_FROM
from planner.ui.findings_model import (
    COLUMNS,
    RECORD_ROLE,
    SEVERITY_LABELS,
    FindingsFilter,
    FindingsModel,
)
from planner.ui.formatting import format_date, plural
from planner.ui.gate_cards import GateCardsPanel
from planner.ui.history_link import follow_history

STATUS_COLOURS = {
    "green": "#2e7d32",
    "amber": "#ef8f00",
    "red": "#c62828",
    "not_enough_data": "#757575",
}


def score_colour(score: int) -> str:
    """The readiness check's bands (green, amber, red): what a steering committee reads at a
    glance, the same as the rules document says."""
    if score >= GREEN_FROM:
        return STATUS_COLOURS["green"]
    if score >= AMBER_FROM:
        return STATUS_COLOURS["amber"]
    return STATUS_COLOURS["red"]


class ReadinessView(QWidget):
    """Emits `record_requested(kind, id)` when a finding is double-clicked."""

    record_requested = Signal(str, str)

    def __init__(
        self,
        service: PlanService,
        initiative_id: str | None,
        today: date | None = None,
        *,
        follow_edits: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.service = service
        self.initiative_id = initiative_id
        self.today = today
        self.report: ReadinessReport | None = None

        self.score_label = QLabel()
        big = QFont(self.score_label.font())
        big.setPointSizeF(big.pointSizeF() * 2.6)
        big.setBold(True)
        self.score_label.setFont(big)
        self.score_caption = QLabel()
        self.score_caption.setWordWrap(True)
        self.dimension_bars: dict[str, QProgressBar] = {}
        self.dimension_counts: dict[str, QLabel] = {}

        self.model = FindingsModel(self)
        self.proxy = FindingsFilter(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.table.verticalHeader().setVisible(False)
        # Short columns fit their content; the finding and what to do share the rest and wrap,
        # each row as tall as its text, so nothing is cut off on a 1366 × 768 laptop.
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        for wrapped in ("Finding", "What to do"):
            header.setSectionResizeMode(COLUMNS.index(wrapped), QHeaderView.ResizeMode.Stretch)
        self._rows_timer = QTimer(self)
        self._rows_timer.setSingleShot(True)
        self._rows_timer.setInterval(0)
        self._rows_timer.timeout.connect(self.table.resizeRowsToContents)
        header.sectionResized.connect(self._rows_timer.start)
        self.proxy.modelReset.connect(self._rows_timer.start)
        self.proxy.layoutChanged.connect(self._rows_timer.start)
        self.table.doubleClicked.connect(self._open_finding)
        # The rule's id is for the rules reference and exports; its title is the tooltip.
        self.table.setColumnHidden(COLUMNS.index("Rule"), True)

        self.dimension_filter = QComboBox()
        self.dimension_filter.addItem("All dimensions", None)
        for key, label in DIMENSIONS:
            self.dimension_filter.addItem(label, key)
        self.severity_filter = QComboBox()
        self.severity_filter.addItem("All severities", None)
        for severity in SEVERITIES:
            self.severity_filter.addItem(SEVERITY_LABELS[severity], severity)
        self.dimension_filter.currentIndexChanged.connect(
            lambda: self.proxy.set_dimension(self.dimension_filter.currentData())
        )
        self.severity_filter.currentIndexChanged.connect(
            lambda: self.proxy.set_severity(self.severity_filter.currentData())
        )
        self.dimension_filter.currentIndexChanged.connect(self._update_count)
        self.severity_filter.currentIndexChanged.connect(self._update_count)
        self.count_label = QLabel()

        self.gates = GateCardsPanel(point_size=self.font().pointSizeF(), columns=3)
        self._lay_out()
        if follow_edits:
            follow_history(self, service, self.refresh)
        self.refresh()

    def _lay_out(self) -> None:
        scores = QFrame()
        scores_layout = QHBoxLayout(scores)
        overall = QVBoxLayout()
        title = QLabel("Overall readiness")
        overall.addWidget(title)
        overall.addWidget(self.score_label)
        overall.addWidget(self.score_caption)
        overall.addStretch(1)
        scores_layout.addLayout(overall, 1)
        grid = QGridLayout()
        for row, (key, label) in enumerate(DIMENSIONS):
            bar = QProgressBar()
            bar.setRange(0, 100)
            bar.setFormat("%v")
            bar.setAlignment(Qt.AlignmentFlag.AlignCenter)
            bar.setMinimumWidth(220)
            self.dimension_bars[key] = bar
            self.dimension_counts[key] = QLabel()
            grid.addWidget(QLabel(label), row, 0)
            grid.addWidget(bar, row, 1)
            grid.addWidget(self.dimension_counts[key], row, 2)
        grid.setColumnStretch(1, 1)
        scores_layout.addLayout(grid, 3)

        findings = QWidget()
        findings_layout = QVBoxLayout(findings)
        findings_layout.setContentsMargins(0, 0, 0, 0)
        filters = QHBoxLayout()
        heading = QLabel("Findings")
        heading.setStyleSheet("font-weight: bold;")
        filters.addWidget(heading)
        filters.addWidget(self.dimension_filter)
        filters.addWidget(self.severity_filter)
        filters.addWidget(self.count_label)
        filters.addStretch(1)
        filters.addWidget(QLabel("Double-click a finding to open its record."))
        findings_layout.addLayout(filters)
        findings_layout.addWidget(self.table)

        gates_box = QWidget()
        gates_layout = QVBoxLayout(gates_box)
        gates_layout.setContentsMargins(0, 0, 0, 0)
        gates_heading = QLabel("Go/no-go gates")
        gates_heading.setStyleSheet("font-weight: bold;")
        gates_layout.addWidget(gates_heading)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.gates)
        gates_layout.addWidget(scroll)

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(findings)
        splitter.addWidget(gates_box)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([600, 400])
        layout = QVBoxLayout(self)
        layout.addWidget(scores)
        layout.addWidget(splitter, 1)

    def set_plan(
        self,
        service: PlanService,
        initiative_id: str | None,
        report: ReadinessReport | None = None,
    ) -> None:
        """Show an initiative: `report`, its readiness checked already, or checked here."""
        self.service = service
        self.initiative_id = initiative_id
        self.refresh(report)

    def refresh(self, checked: ReadinessReport | None = None) -> None:
        report: ReadinessReport | None = checked
        problem = "No initiative selected."
        if report is None and self.initiative_id is not None:
            try:
                report = check(self.service.plan(self.initiative_id), self.today)
            except PlannerError as exc:
                problem = str(exc)
        self.report = report
        self.model.set_findings(report.findings if report else [])
        self.gates.set_gates(report.gates if report else [])
        if report is None:
            self.score_label.setText("—")
            self.score_caption.setText(problem)
            for key in self.dimension_bars:
                self.dimension_bars[key].setValue(0)
                self.dimension_counts[key].setText("")
        else:
            self.score_label.setText(f"{report.score}")
            self.score_label.setStyleSheet(f"color: {score_colour(report.score)};")
            critical = sum(1 for f in report.findings if f.severity == "critical")
            not_run = (
                f" · {plural(len(report.not_run), 'rule')} about attitudes not checked "
                f"(hidden from viewers of this team plan)"
                if report.not_run
                else ""
            )
            self.score_caption.setText(
                f"out of 100 · {plural(len(report.findings), 'finding')}, "
                f"{critical} critical · as of {format_date(report.today)}{not_run}"
            )
            for dimension in report.dimensions:
                bar = self.dimension_bars[dimension.key]
                bar.setValue(dimension.score)
                bar.setStyleSheet(
                    f"QProgressBar::chunk {{ background: {STATUS_COLOURS[dimension.status]}; }}"
                )
                noun = "finding" if dimension.findings == 1 else "findings"
                self.dimension_counts[dimension.key].setText(
                    f"{dimension.status_label} · {dimension.findings} {noun}"
                )
        self._update_count()

    def _update_count(self) -> None:
        self.count_label.setText(f"{self.proxy.rowCount()} of {self.model.rowCount()} shown")

    def _open_finding(self, index: QModelIndex) -> None:
        target = self.proxy.data(index, RECORD_ROLE)
        if target is not None:
            kind, record_id = target
            self.record_requested.emit(kind, record_id)
