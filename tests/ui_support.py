"""Helpers for the window tests: scripted answers to dialogs, and finding cells."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import QAbstractButton, QMessageBox

from planner.services.planning import PlanService
from planner.ui.dialogs import Dialogs
from planner.ui.main_window import MainWindow
from planner.ui.record_view import RecordView
from planner.ui.settings import Settings


class ScriptedDialogs(Dialogs):
    """Answers the window's questions from queues; records what was asked."""

    def __init__(self) -> None:
        self.texts: list[str | None] = []
        self.paths: list[Path | None] = []
        self.confirmations: list[bool] = []
        self.choices: list[str | None] = []
        self.asked: list[str] = []
        self.errors: list[str] = []
        self.team_urls: list[str | None] = []
        self.conflict_choices: list[str | None] = []
        self.conflicts_shown: list[list[tuple[str, ...]]] = []

    def run_box(self, box: QMessageBox) -> QAbstractButton | None:
        """The box the window built, answered: a question from `confirmations`, an error
        recorded (both by the text the box shows)."""
        if box.icon() is not QMessageBox.Icon.Question:
            self.errors.append(box.text())
            return None
        self.asked.append(box.text())
        wanted = (
            QMessageBox.ButtonRole.DestructiveRole
            if self.confirmations.pop(0)
            else QMessageBox.ButtonRole.RejectRole
        )
        return next(b for b in box.buttons() if box.buttonRole(b) is wanted)

    def ask_text(self, parent, title, label, text=""):
        self.asked.append(label)
        return self.texts.pop(0)

    def open_path(self, parent, title, filters="", start=""):
        return self.paths.pop(0)

    def save_path(self, parent, title, filters="", start=""):
        return self.paths.pop(0)

    def choose(self, parent, title, label, items):
        self.asked.append(label)
        answer = self.choices.pop(0)
        assert answer is None or answer in items, (answer, items)
        return answer

    def team_database(self, parent):
        return self.team_urls.pop(0)

    def settle_conflict(self, dialog):
        """Records the rows the conflict dialog shows; cancels unless an answer is queued."""
        self.conflicts_shown.append([tuple(row) for row in dialog.rows.rows])
        return self.conflict_choices.pop(0) if self.conflict_choices else None


def make_window(qtbot, service: PlanService, tmp_path: Path) -> MainWindow:
    window = MainWindow(
        service, settings=Settings(tmp_path / "settings.ini"), dialogs=ScriptedDialogs()
    )
    qtbot.addWidget(window)
    window.resize(1300, 800)
    window.show()
    return window


def team_window(qtbot, db, folder: Path, *, active: bool = False) -> MainWindow:
    """A window on a team plan with its own settings, once its listening connection is up;
    `active`: also made the active window (where keys and focus must reach it)."""
    folder.mkdir(parents=True, exist_ok=True)
    window = MainWindow(
        PlanService(db), settings=Settings(folder / "settings.ini"), dialogs=ScriptedDialogs()
    )
    qtbot.addWidget(window)
    window.resize(1300, 800)
    window.show()
    if active:
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)
    qtbot.waitUntil(lambda: window.live.listening)
    return window


def cell(view: RecordView, title: str, column: str) -> QModelIndex:
    """The (proxy) index of a record's cell, found by the record's title."""
    col = view.model.columns.index(column)
    for row in range(view.proxy.rowCount()):
        if view.proxy.record(view.proxy.index(row, 0)).title == title:
            return view.proxy.index(row, col)
    raise AssertionError(f"no row {title!r} in {view.kind}")


@pytest.fixture(name="window")
def window_fixture(qtbot, service: PlanService, tmp_path: Path) -> MainWindow:
    return make_window(qtbot, service, tmp_path)


@pytest.fixture(name="demo_window")
def demo_window_fixture(qtbot, demo: PlanService, tmp_path: Path) -> MainWindow:
    return make_window(qtbot, demo, tmp_path)
