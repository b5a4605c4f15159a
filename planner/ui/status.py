"""Status-bar pieces: the progress of background work, and the error text style."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QToolButton, QWidget

from planner.domain.quoting import one_line
from planner.ui.record_form import error_colour
from planner.ui.workers import Job, TaskRunner


def error_style(widget: QWidget) -> str:
    return f"color: {error_colour(widget)};"


class TaskIndicator(QWidget):
    """Shows the running task's title and progress with a Cancel button; hidden when idle."""

    def __init__(self, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.label = QLabel(self)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.bar = QProgressBar(self)
        self.bar.setMaximumWidth(180)
        self.bar.setTextVisible(False)
        self.cancel = QToolButton(self)
        self.cancel.setText("Cancel")
        self.cancel.clicked.connect(runner.cancel_all)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancel)
        runner.started.connect(self._started)
        runner.progressed.connect(self._progressed)
        runner.ended.connect(self._ended)
        self.hide()

    def _started(self, job: Job) -> None:
        self.label.setText(one_line(job.title))
        self.bar.setRange(0, 0)
        self.show()

    def _progressed(self, job: Job, done: int, total: int, text: str) -> None:
        self.label.setText(one_line(f"{job.title}: {text}" if text else job.title))
        if total > 0:
            self.bar.setRange(0, total)
            self.bar.setValue(done)

    def _ended(self, _job: Job) -> None:
        if not self.runner.running:
            self.hide()
