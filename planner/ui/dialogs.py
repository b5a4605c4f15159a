"""The questions the window asks the user, behind one object so tests can answer them.

The window and views call `ctx.dialogs.confirm(...)` and friends; tests replace
`window.dialogs` with an object giving scripted answers, so no test ever waits
on a modal dialog.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDialog, QFileDialog, QInputDialog, QLineEdit, QMessageBox, QWidget

DATABASE_FILTER = "Planner databases (*.db *.sqlite *.planner);;All files (*)"


class Dialogs:
    def confirm(self, parent: QWidget | None, title: str, text: str, action: str) -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=parent)
        ok = box.addButton(action, QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        return box.clickedButton() is ok

    def ask_text(
        self, parent: QWidget | None, title: str, label: str, text: str = ""
    ) -> str | None:
        value, ok = QInputDialog.getText(parent, title, label, QLineEdit.EchoMode.Normal, text)
        return value if ok else None

    def open_path(
        self, parent: QWidget | None, title: str, filters: str = DATABASE_FILTER, start: str = ""
    ) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(parent, title, start, filters)
        return Path(name) if name else None

    def save_path(
        self, parent: QWidget | None, title: str, filters: str = DATABASE_FILTER, start: str = ""
    ) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(parent, title, start, filters)
        return Path(name) if name else None

    def choose(
        self, parent: QWidget | None, title: str, label: str, items: list[str]
    ) -> str | None:
        """One of `items` (the first preselected), or None when the user cancels."""
        value, ok = QInputDialog.getItem(parent, title, label, items, 0, False)
        return value if ok else None

    def error(self, parent: QWidget | None, title: str, text: str) -> None:
        QMessageBox.warning(parent, title, text)

    def show_dialog(self, dialog: QDialog) -> None:
        """Show a window-modal dialog without blocking (its signals carry the answers)."""
        dialog.open()
