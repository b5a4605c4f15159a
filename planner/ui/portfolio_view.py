"""The Portfolio page (registered by `planner.ui.portfolio_page`): the change load on each unit per week across every initiative of
the file, the collisions it shows and what to move, filtered by unit and period.

The file's plans are read and the portfolio computed on a worker thread (a file of
twenty initiatives takes a moment); a filter recomputes from the plans already read,
without touching the database. Double-clicking a finding opens the record it names
in its own initiative (the window switches initiative when it must).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from planner.domain.errors import PlannerError
from planner.domain.plan import Plan
from planner.domain.records import Unit
from planner.ui.context import PlanContext
from planner.ui.date_field import DateField
from planner.ui.findings_model import RECORD_ROLE, FindingsFilter, FindingsModel
from planner.ui.formatting import format_date, plural
from planner.ui.portfolio_heatmap import PortfolioHeatmap

if TYPE_CHECKING:
    from planner.services.portfolio import Portfolio

ALL_UNITS = "All units"
FIT_ROWS = 25
"""Findings rows fitted to their text per turn of the event loop (`_fit_rows`)."""
HIDDEN_COLUMNS = (1, 5)
"""The findings table's Dimension (always "portfolio") and Rule columns."""


@dataclass(frozen=True)
class Filters:
    unit_id: str | None
    start: date | None
    end: date | None


def compute_for(plans: list[Plan], filters: Filters) -> Portfolio:
    """The portfolio of `plans` for the chosen unit (or all) and period."""
    from planner.services.portfolio import compute

    units: list[Unit] = list(plans[0].units) if plans else []
    if filters.unit_id is not None:
        units = [u for u in units if u.id == filters.unit_id]
    return compute(plans, units, start=filters.start, end=filters.end)


class PortfolioPage(QWidget):
    def __init__(self, ctx: PlanContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.plans: list[Plan] | None = None
        self.portfolio: Portfolio | None = None
        self._generation = 0
        self._read_due = False
        self.unit = QComboBox(self)
        self.unit.setObjectName("portfolio_unit")
        self.unit.setAccessibleName("Unit")
        self.unit.setMinimumContentsLength(18)
        self.unit.currentIndexChanged.connect(lambda _i: self._recompute())
        self.start = DateField(True, self)
        self.start.setObjectName("portfolio_from")
        self.start.setAccessibleName("From")
        self.end = DateField(True, self)
        self.end.setObjectName("portfolio_to")
        self.end.setAccessibleName("To")
        for field in (self.start, self.end):
            field.setMaximumWidth(200)
            field.editingFinished.connect(self._recompute)
        self.summary = QLabel("", self)
        self.summary.setObjectName("portfolio_summary")
        self.summary.setWordWrap(True)
        self.chart = PortfolioHeatmap(self)
        self.chart.unit_chosen.connect(self.select_unit_finding)
        self.cell = QLabel(
            "Hover over a cell, or use the arrow keys, to see what adds to it.", self
        )
        self.cell.setObjectName("portfolio_cell")
        self.cell.setWordWrap(True)
        self.chart.current_changed.connect(self.cell.setText)
        self.model = FindingsModel(self)
        self.proxy = FindingsFilter(self)
        self.proxy.setSourceModel(self.model)
        self.table = self._findings_table()
        self._lay_out()
        self.setFocusProxy(self.unit)

    def _findings_table(self) -> QTableView:
        table = QTableView(self)
        table.setObjectName("portfolio_findings")
        table.setModel(self.proxy)
        table.setSortingEnabled(True)
        table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setWordWrap(True)
        table.verticalHeader().setVisible(False)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        for column in HIDDEN_COLUMNS:
            table.setColumnHidden(column, True)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        table.setToolTip("Double-click a finding to open the record it names, in its initiative")
        table.activated.connect(self.open_finding)  # a double-click, or Enter
        return table

    def _lay_out(self) -> None:
        filters = QHBoxLayout()
        filters.addWidget(QLabel("Unit:", self))
        filters.addWidget(self.unit)
        filters.addSpacing(12)
        filters.addWidget(QLabel("From:", self))
        filters.addWidget(self.start)
        filters.addWidget(QLabel("To:", self))
        filters.addWidget(self.end)
        filters.addStretch(1)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.setObjectName("portfolio_splitter")
        heatmap = QWidget(self)
        column = QVBoxLayout(heatmap)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.chart, 1)
        column.addWidget(self.cell)
        split.addWidget(heatmap)
        split.addWidget(self.table)
        split.setStretchFactor(0, 5)
        split.setStretchFactor(1, 2)
        split.setSizes([5000, 2000])  # the heatmap first; the findings below, scrolling
        split.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.summary)
        layout.addWidget(split, 1)

    # ------------------------------------------------------------ computing
    def refresh(self) -> None:
        """The file changed (or another initiative was chosen): read every plan again.

        The read starts on the next turn of the event loop, once: opening a file asks
        twice in a row (the page restored, then the file's initiative chosen), and two
        reads of twenty plans at once on worker threads took twice as long as one."""
        self.plans = None
        if not self._read_due:
            self._read_due = True
            QTimer.singleShot(0, self._read)

    def _read(self) -> None:
        self._read_due = False
        self._start()

    def _recompute(self) -> None:
        if self.plans is not None:
            self._start()

    def _filters(self) -> Filters | None:
        try:
            start, end = self.start.value(), self.end.value()
        except PlannerError as exc:
            self.summary.setText(str(exc))
            return None
        unit_id = self.unit.currentData()
        return Filters(unit_id if isinstance(unit_id, str) else None, start, end)

    def _start(self) -> None:
        filters = self._filters()
        if filters is None:
            return
        self._generation += 1
        generation = self._generation
        service, cached = self.ctx.service, self.plans
        self.summary.setText("Computing the change load…")

        def work(_job: Any) -> tuple[list[Plan], Portfolio]:
            plans = cached
            if plans is None:
                plans = service.plans([i.id for i in service.initiatives_in_order()])
            return plans, compute_for(plans, filters)

        self.ctx.tasks.start(
            "Computing the portfolio",
            work,
            on_done=lambda result: self._computed(generation, *result),
            on_error=lambda message: self._failed(generation, message),
        )

    def _computed(self, generation: int, plans: list[Plan], portfolio: Portfolio) -> None:
        if generation != self._generation:
            return  # a newer filter or edit is being computed
        self.plans = plans
        self.portfolio = portfolio
        self._fill_units(plans)
        self.model.set_findings(list(portfolio.findings))
        self._fit_rows(generation, 0)
        self.summary.setText(_summary(portfolio))
        self._draw()

    def _fit_rows(self, generation: int, start: int) -> None:
        """Fit the findings' rows to their wrapped text a chunk at a time, the first
        screenful at once: twenty initiatives make hundreds of findings, and fitting
        them all in one go held the window for almost half a second."""
        if generation != self._generation:
            return
        end = min(self.proxy.rowCount(), start + FIT_ROWS)
        for row in range(start, end):
            self.table.resizeRowToContents(row)
        if end < self.proxy.rowCount():
            QTimer.singleShot(0, lambda: self._fit_rows(generation, end))

    def _failed(self, generation: int, message: str) -> None:
        if generation == self._generation:
            self.summary.setText(message)

    def _fill_units(self, plans: list[Plan]) -> None:
        chosen = self.unit.currentData()
        units = sorted(plans[0].units if plans else (), key=lambda u: u.name.casefold())
        self.unit.blockSignals(True)
        self.unit.clear()
        self.unit.addItem(ALL_UNITS, None)
        for unit in units:
            self.unit.addItem(unit.name, unit.id)
        found = self.unit.findData(chosen) if chosen is not None else 0
        self.unit.setCurrentIndex(max(found, 0))
        self.unit.blockSignals(False)

    def _draw(self) -> None:
        if self.portfolio is not None:
            self.chart.set_portfolio(self.portfolio)

    # ------------------------------------------------------------- finding
    def open_finding(self, index: QModelIndex) -> None:
        """Open the record a finding names: its initiative, its page, the row selected."""
        ref = self.proxy.data(index, RECORD_ROLE)
        if ref is None:
            return
        kind, record_id = ref
        self.ctx.show_record(kind, record_id)

    def select_unit_finding(self, unit_name: str) -> None:
        """A heatmap cell was clicked: select the first finding about its unit, if any."""
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, 2)
            if str(index.data() or "").startswith(f"{unit_name} "):
                self.table.selectRow(row)
                self.table.scrollTo(index)
                return

    def unit_names_drawn(self) -> list[str]:
        """The units on the heatmap's rows, as drawn (for the tests and a screen reader)."""
        return self.chart.row_labels()


def _summary(portfolio: Portfolio) -> str:
    if not portfolio.weeks:
        return "Nothing lands on any unit in this period."
    over = sum(1 for u in portfolio.units if any(w.over for w in u.weeks))
    critical = sum(1 for f in portfolio.findings if f.severity == "critical")
    first, last = portfolio.weeks[0], portfolio.weeks[-1]
    return (
        f"{plural(len(portfolio.initiatives), 'initiative')}, "
        f"{format_date(first)} to {format_date(last)}: "
        f"{plural(over, 'unit')} over capacity, {plural(len(portfolio.findings), 'finding')} "
        f"({critical} critical)"
    )
