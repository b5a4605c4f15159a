"""The questions the window asks the user, behind one object so tests can answer them.

The window and views call `ctx.dialogs.confirm(...)` and friends; tests replace
`window.dialogs` with an object giving scripted answers, so no test ever waits
on a modal dialog. A message box is built here in full (its text plain, each
paragraph one bounded, printable line, whatever a file put in it) and only
`run_box` waits for the user, so a test answers the very box a user would see.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QDialog,
    QFileDialog,
    QInputDialog,
    QLineEdit,
    QMessageBox,
    QWidget,
)

from planner.domain.quoting import one_line

DATABASE_FILTER = "Planner databases (*.db *.sqlite *.planner);;All files (*)"


def paragraphs(text: str) -> str:
    """A dialog's text as plain paragraphs, each one printable line of bounded length
    (`one_line`): a name or message from a file cannot add lines or fill the screen."""
    return "\n\n".join(one_line(part) for part in text.split("\n\n"))


def _box(icon: QMessageBox.Icon, parent: QWidget | None, title: str, text: str) -> QMessageBox:
    box = QMessageBox(icon, one_line(title), paragraphs(text), parent=parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    return box


class Dialogs:
    def confirm(self, parent: QWidget | None, title: str, text: str, action: str) -> bool:
        box = _box(QMessageBox.Icon.Question, parent, title, text)
        ok = box.addButton(action, QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        return self.run_box(box) is ok

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

    def team_database(self, parent: QWidget | None) -> str | None:
        """The URL of a team database (host, port, database, user), or None."""
        from planner.ui.team import TeamDatabaseDialog

        dialog = TeamDatabaseDialog(parent)
        return dialog.url() if dialog.exec() == QDialog.DialogCode.Accepted else None

    def settle_conflict(self, dialog: QDialog) -> str | None:
        """Show the conflict choice; "mine", "theirs", or None when cancelled."""
        dialog.exec()
        return getattr(dialog, "choice", None)

    def error(self, parent: QWidget | None, title: str, text: str) -> None:
        box = _box(QMessageBox.Icon.Warning, parent, title, text)
        box.setObjectName("error_dialog")
        self.run_box(box)

    def run_box(self, box: QMessageBox) -> QAbstractButton | None:
        """Show a message box until the user answers; the button clicked."""
        box.exec()
        return box.clickedButton()

    def show_dialog(self, dialog: QDialog) -> None:
        """Show a window-modal dialog without blocking (its signals carry the answers)."""
        dialog.open()
