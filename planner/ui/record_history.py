"""Who changed the current record and when: a line under its form, and its whole trail.

On a team plan the line says "Changed by alice on 2 Dec 2026 14:05" and
"History of this record…" lists every change (who, when, which fields, old →
new), read from the trail the server keeps. On a local file the line says that
the history is kept for team plans only. The trail is read when the record
shown (or its version) changes, one indexed query, not on every repaint.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from planner.domain.errors import PlannerError
from planner.domain.records import Record
from planner.domain.trail import TrailEntry
from planner.services.record_trail import LOCAL_FILE, Title, changes_text, last_change, when
from planner.ui.context import PlanContext

Index = QModelIndex | QPersistentModelIndex
COLUMNS = ("When", "Who", "Change", "Version", "Fields (old → new)")
_ACTIONS = {"create": "Created", "update": "Changed", "delete": "Deleted"}


class TrailModel(QAbstractTableModel):
    """One row per change of one record, oldest first."""

    def __init__(self, title: Title | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._entries: list[TrailEntry] = []
        self._title = title

    def set_entries(self, entries: list[TrailEntry]) -> None:
        self.beginResetModel()
        self._entries = list(entries)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._entries)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._entries):
            return None
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        entry = self._entries[index.row()]
        column = index.column()
        if column == 0:
            return when(entry.at)
        if column == 1:
            return entry.login
        if column == 2:
            return _ACTIONS[entry.action.value]
        if column == 3:
            return "" if entry.version is None else str(entry.version)
        return changes_text(entry, self._title)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation is Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(COLUMNS)
        ):
            return COLUMNS[section]
        return None


class RecordHistoryDialog(QDialog):
    def __init__(
        self, label: str, entries: list[TrailEntry], title: Title, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("record_history_dialog")
        self.setWindowTitle(f"History of {label}")
        self.model = TrailModel(title, self)
        self.model.set_entries(entries)
        self.table = QTableView(self)
        self.table.setObjectName("record_history_table")
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(True)
        self.table.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(900, 420)


class RecordHistoryPanel(QWidget):
    """The line under a record's form, and the button that opens its trail."""

    def __init__(self, ctx: PlanContext, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.kind = kind
        self.setObjectName(f"history_{kind}")
        self.line = QLabel(self)
        self.line.setObjectName(f"history_line_{kind}")
        self.line.setWordWrap(True)
        self.button = QPushButton("History of this record…", self)
        self.button.setObjectName(f"history_button_{kind}")
        self.button.setToolTip("Every change of this record: who, when, which fields")
        self.button.clicked.connect(self.open_history)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.line, 1)
        layout.addWidget(self.button)
        self.entries: list[TrailEntry] = []
        self.last_dialog: RecordHistoryDialog | None = None
        self._record: Record | None = None
        self._shown: tuple[str, int] | None = None
        self.set_record(None)

    def set_record(self, record: Record | None) -> None:
        """Read the record's trail if it is another record, or another version of it."""
        self._record = record
        self.setVisible(record is not None)
        if record is None:
            self._shown = None
            return
        if not self.ctx.service.db.on_server:
            self.line.setText(LOCAL_FILE)
            self.button.setVisible(False)
            return
        key = (record.id, record.version)
        if key == self._shown:
            return
        self._shown = key
        try:
            found = self.ctx.service.record_trail(self.kind, record.id)
        except PlannerError as exc:
            self.entries = []
            self.line.setText(f"The history could not be read: {exc}")
            self.button.setVisible(False)
            return
        self.entries = found or []
        self.line.setText(last_change(self.entries) or "No change of this record is recorded yet.")
        self.button.setVisible(bool(self.entries))

    def open_history(self) -> RecordHistoryDialog | None:
        if self._record is None or not self.entries:
            return None
        dialog = RecordHistoryDialog(self._record.title, self.entries, self._title, self)
        self.last_dialog = dialog
        dialog.open()
        return dialog

    def _title(self, kind: str, record_id: str) -> str | None:
        return self.ctx.titles(kind).get(record_id)
