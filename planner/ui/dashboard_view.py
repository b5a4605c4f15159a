"""The Dashboard: every chart of the plan in the window, each exportable as PNG, SVG or PDF.

Charts are drawn only when the dashboard is visible and only the one being
looked at; an edit elsewhere marks it stale until it is shown again.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from planner.charts import CHART_KINDS, NORMAL, check_output, render
from planner.domain.errors import PlannerError
from planner.services.planning import PlanService
from planner.ui.chart_canvas import ChartPane, screen_style
from planner.ui.history_link import follow_history
from planner.ui.theme import is_dark

SCREEN_DPI = 96
SaveAsk = Callable[[QWidget, str, str], Path | None]
TaskRun = Callable[[str, Callable[[], Path], Callable[[Path], None], Callable[[str], None]], None]


CHART_FILTER = "PNG image (*.png);;SVG drawing (*.svg);;PDF document (*.pdf)"


def ask_export_path(parent: QWidget, title: str, suggested: str) -> Path | None:
    chosen, _selected = QFileDialog.getSaveFileName(parent, title, suggested, CHART_FILTER)
    return Path(chosen) if chosen else None


class DashboardView(QWidget):
    """Emits `exported(path)` once a chart file is written."""

    exported = Signal(Path)

    def __init__(
        self,
        service: PlanService,
        initiative_id: str | None,
        *,
        today: date | None = None,
        follow_edits: bool = True,
        ask_path: SaveAsk = ask_export_path,
        run_task: TaskRun | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.service = service
        self.initiative_id = initiative_id
        self.today = today
        self.ask_path = ask_path
        self.run_task = run_task
        self._stale = True

        self.chart_list = QListWidget()
        self.chart_list.setMaximumWidth(200)
        for spec in CHART_KINDS.values():
            item = QListWidgetItem(spec.title)
            item.setData(Qt.ItemDataRole.UserRole, spec.kind)
            item.setToolTip(spec.description)
            self.chart_list.addItem(item)
        self.description = QLabel()
        self.description.setWordWrap(True)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.export_button = QPushButton("Export…")
        self.export_button.setToolTip("Save this chart as PNG, SVG or PDF")
        self.export_button.clicked.connect(self.export_dialog)
        self.pane = ChartPane()

        header = QHBoxLayout()
        header.addWidget(self.description, 1)
        header.addWidget(self.export_button, 0, Qt.AlignmentFlag.AlignTop)
        right = QVBoxLayout()
        right.addLayout(header)
        right.addWidget(self.message)
        right.addWidget(self.pane, 1)
        layout = QHBoxLayout(self)
        layout.addWidget(self.chart_list)
        layout.addLayout(right, 1)

        self.chart_list.currentRowChanged.connect(lambda _row: self._chart_chosen())
        self.chart_list.setCurrentRow(0)
        if follow_edits:
            follow_history(self, service, self.refresh)

    @property
    def kind(self) -> str:
        item = self.chart_list.currentItem()
        return str(item.data(Qt.ItemDataRole.UserRole)) if item else next(iter(CHART_KINDS))

    def show_chart(self, kind: str) -> None:
        for row in range(self.chart_list.count()):
            if self.chart_list.item(row).data(Qt.ItemDataRole.UserRole) == kind:
                self.chart_list.setCurrentRow(row)
                return
        raise KeyError(kind)

    def set_plan(self, service: PlanService, initiative_id: str | None) -> None:
        self.service = service
        self.initiative_id = initiative_id
        self.refresh()

    def refresh(self) -> None:
        """Redraw now if on screen, else when next shown."""
        self._stale = True
        if self.isVisible():
            self._draw()

    def changeEvent(self, event: QEvent) -> None:
        """A switch between a light and a dark theme redraws the chart in the other style."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self._draw()

    def _chart_chosen(self) -> None:
        spec = CHART_KINDS[self.kind]
        self.description.setText(spec.description)
        self.refresh()

    def _draw(self) -> None:
        self._stale = False
        self.message.clear()
        if self.initiative_id is None:
            self.message.setText("No initiative selected: choose or create one to see its charts.")
            self.export_button.setEnabled(False)
            return
        try:
            plan = self.service.plan(self.initiative_id)
            style = screen_style(NORMAL, self.pane.size_for_charts(), dpi=SCREEN_DPI)
            if is_dark(self.palette()):
                style = style.on_dark()
            figure = CHART_KINDS[self.kind].build(plan, today=self.today, style=style)
        except PlannerError as exc:
            self.message.setText(str(exc))
            self.export_button.setEnabled(False)
            return
        self.pane.show_figure(figure)
        self.export_button.setEnabled(True)

    def export_dialog(self) -> None:
        spec = CHART_KINDS[self.kind]
        path = self.ask_path(self, f"Export {spec.title}", f"{spec.kind}.png")
        if path is None:
            return
        if path.suffix == "":
            path = path.with_suffix(".png")
        self.export(path)

    def export(self, path: Path) -> None:
        """Write the current chart at print size (not screen size); errors shown, not raised.

        The figure is built here (building touches matplotlib's global settings);
        writing it, the slow part, goes to `run_task` when the window gives one.
        """
        if self.initiative_id is None:
            return
        spec = CHART_KINDS[self.kind]
        try:
            out = check_output(path)
            plan = self.service.plan(self.initiative_id)
            figure = spec.build(plan, today=self.today, style=NORMAL)
        except PlannerError as exc:
            self._export_failed(str(exc))
            return
        if self.run_task is None:
            try:
                written = render(figure, out)
            except PlannerError as exc:
                self._export_failed(str(exc))
                return
            self._exported(written)
        else:
            self.message.setText(f"Saving {out.name}…")
            self.run_task(
                f"Exporting {spec.title}",
                lambda: render(figure, out),
                self._exported,
                self._export_failed,
            )

    def _exported(self, written: Path) -> None:
        self.message.setText(f"Saved {written.name}")
        self.exported.emit(written)

    def _export_failed(self, message: str) -> None:
        self.message.setText(message)
