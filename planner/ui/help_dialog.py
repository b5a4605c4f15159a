"""Help → Help and keyboard shortcuts (F1): how the window works and every key it answers to.

The key list is read from the window's own menus when the dialog opens, so it
names exactly what the window binds (pages other parts register, the Excel
entries) and cannot drift from it; Present mode's keys live on its window and
are listed here as they are bound there.
"""

from __future__ import annotations

from html import escape

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QMenu, QTextBrowser, QVBoxLayout, QWidget

PRESENT_KEYS = (
    ("→, Space, Page Down", "Next slide"),
    ("←, Backspace, Page Up", "Previous slide"),
    ("Home, End", "First, last slide"),
    ("Ctrl++, Ctrl+−, Ctrl+0", "Larger, smaller, normal type"),
    ("P", "Privacy: off → initials → codes"),
    ("Ctrl+Z, Ctrl+Shift+Z", "Undo, redo a move on the map"),
    ("Esc", "Leave Present"),
)
TABLE_KEYS = (
    ("F2, or just type", "Edit the cell in place"),
    ("Enter, Tab", "Keep what was typed and move on"),
    ("Esc", "Leave the cell as it was"),
)
TIMELINE_KEYS = (
    ("Tab, Shift+Tab, arrows", "Pick a bar or marker"),
    ("Alt+←, Alt+→", "Move it a day earlier, later"),
    ("Alt+Shift+←, Alt+Shift+→", "Move it a week"),
    ("Ctrl+Alt+←, Ctrl+Alt+→", "Move a phase's end a day"),
    ("Enter", "Open its record"),
    ("Ctrl+wheel", "Zoom by week, month, quarter"),
)
INTRO = (
    "<p>Every edit is saved at once, in its own transaction, and can be undone. "
    "Choose a part of the plan on the left; the table lists its records and the form "
    "beside it holds every field. A value the plan cannot accept is explained under "
    "its field and is never written.</p>"
)


def menu_keys(menus: dict[str, QMenu]) -> list[tuple[str, str, str]]:
    """(menu, entry, keys) for every menu entry that has a key, in menu order."""
    rows = []
    for name, menu in menus.items():
        for action in menu.actions():
            keys = [s.toString(QKeySequence.SequenceFormat.NativeText) for s in action.shortcuts()]
            if keys and not action.isSeparator():
                entry = action.text().replace("&&", "\0").replace("&", "").replace("\0", "&")
                rows.append((name.title(), entry.rstrip("…"), ", ".join(keys)))
    return rows


def _table(rows: list[tuple[str, ...]] | tuple[tuple[str, str], ...]) -> str:
    cells = "".join(
        "<tr>"
        + "".join(f"<td style='padding:2px 12px 2px 0'>{escape(c)}</td>" for c in row)
        + "</tr>"
        for row in rows
    )
    return f"<table>{cells}</table>"


class HelpDialog(QDialog):
    def __init__(self, menus: dict[str, QMenu], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("help_dialog")
        self.setWindowTitle("Help and keyboard shortcuts")
        self.browser = QTextBrowser(self)
        self.browser.setOpenExternalLinks(False)
        self.browser.setHtml(
            INTRO
            + "<h3>Window</h3>"
            + _table([(entry, keys) for _menu, entry, keys in menu_keys(menus)])
            + "<h3>Tables</h3>"
            + _table(TABLE_KEYS)
            + "<h3>Timeline</h3>"
            + _table(TIMELINE_KEYS)
            + "<h3>Present (workshop mode)</h3>"
            + _table(PRESENT_KEYS)
        )
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        layout.addWidget(buttons)
        self.resize(560, 520)
