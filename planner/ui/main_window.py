"""The main window (minimal: initiatives and their stakeholders)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QComboBox, QMainWindow, QTableView, QVBoxLayout, QWidget

from planner import APP_NAME
from planner.domain.records import Record
from planner.services.planning import PlanService

Index = QModelIndex | QPersistentModelIndex


class RecordTableModel(QAbstractTableModel):
    def __init__(self, fields: list[str], parent: Any = None) -> None:
        super().__init__(parent)
        self._fields = fields
        self._rows: list[Record] = []

    def set_records(self, records: list[Record]) -> None:
        self.beginResetModel()
        self._rows = list(records)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._fields)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or not index.isValid():
            return None
        value = getattr(self._rows[index.row()], self._fields[index.column()])
        return getattr(value, "label", value)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            from planner.domain.records import Stakeholder

            return Stakeholder.SPECS[self._fields[section]].label
        return None


class MainWindow(QMainWindow):
    def __init__(self, service: PlanService) -> None:
        super().__init__()
        self.service = service
        self.setWindowTitle(f"{APP_NAME} — {service.db.describe()}")
        self.initiative_box = QComboBox()
        self.table = QTableView()
        self.model = RecordTableModel(["name", "side", "power", "interest", "engagement"], self)
        self.table.setModel(self.model)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addWidget(self.initiative_box)
        layout.addWidget(self.table)
        self.setCentralWidget(body)
        for initiative in service.initiatives():
            self.initiative_box.addItem(initiative.name, initiative.id)
        self.initiative_box.currentIndexChanged.connect(self._show_initiative)
        self._show_initiative()
        self.resize(1000, 700)

    def _show_initiative(self) -> None:
        initiative_id = self.initiative_box.currentData()
        records = self.service.list("stakeholder", initiative_id) if initiative_id else []
        self.model.set_records(records)
