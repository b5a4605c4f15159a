"""Readiness findings as a Qt table, and the proxy that filters them by dimension and severity.

The model only adapts a `ReadinessReport`'s findings; it never runs the check
itself, so the view decides when the plan is re-checked.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor

from planner.services.readiness import DIMENSIONS, RULES_BY_ID, SEVERITIES, Finding
from planner.ui.formatting import people_dates

Index = QModelIndex | QPersistentModelIndex

SEVERITY_COLOURS = {"critical": "#c62828", "warning": "#ef8f00", "info": "#1565c0"}
SEVERITY_LABELS = {"critical": "Critical", "warning": "Warning", "info": "Info"}
_SEVERITY_RANK = {severity: rank for rank, severity in enumerate(SEVERITIES)}
_DIMENSION_LABELS = dict(DIMENSIONS)
_DIMENSION_RANK = {key: rank for rank, (key, _label) in enumerate(DIMENSIONS)}

SEVERITY_ROLE = Qt.ItemDataRole.UserRole + 1
DIMENSION_ROLE = Qt.ItemDataRole.UserRole + 2
RECORD_ROLE = Qt.ItemDataRole.UserRole + 3
SORT_ROLE = Qt.ItemDataRole.UserRole + 4

COLUMNS = ("Severity", "Dimension", "Finding", "What to do", "Record", "Rule")


class FindingsModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._findings: list[Finding] = []
        self._sort: tuple[int, Qt.SortOrder] | None = None

    def set_findings(self, findings: list[Finding]) -> None:
        self.beginResetModel()
        self._findings = [findings[row] for row in self._order(findings)]
        self.endResetModel()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort in Python, one key per finding: a portfolio's six hundred findings sorted by
        the proxy cost a call into Python for every comparison (50 ms on the UI thread)."""
        self._sort = (column, order) if 0 <= column < len(COLUMNS) else None
        self.layoutAboutToBeChanged.emit()
        rows = self._order(self._findings)
        self._findings = [self._findings[row] for row in rows]
        moved = {before: after for after, before in enumerate(rows)}
        persistent = self.persistentIndexList()
        self.changePersistentIndexList(
            persistent, [self.index(moved[i.row()], i.column()) for i in persistent]
        )
        self.layoutChanged.emit()

    def _order(self, findings: list[Finding]) -> list[int]:
        """The rows of `findings` in the chosen order (stable: ties keep theirs)."""
        rows = list(range(len(findings)))
        if self._sort is None:
            return rows
        column, order = self._sort
        keys = [self._sort_key(finding, column) for finding in findings]
        return sorted(rows, key=keys.__getitem__, reverse=order == Qt.SortOrder.DescendingOrder)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._findings)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._findings):
            return None
        finding = self._findings[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(finding, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            rule = RULES_BY_ID.get(finding.rule)
            why = f"{rule.title}\n\n{rule.why}" if rule else people_dates(finding.message)
            action = people_dates(finding.action)
            return f"{why}\n\nWhat to do: {action}" if action else why
        if role == Qt.ItemDataRole.DecorationRole and column == 0:
            return QColor(SEVERITY_COLOURS.get(finding.severity, "#777777"))
        if role == SEVERITY_ROLE:
            return finding.severity
        if role == DIMENSION_ROLE:
            return finding.dimension
        if role == RECORD_ROLE:
            return (finding.record.kind, finding.record.id) if finding.record else None
        if role == SORT_ROLE:
            return self._sort_key(finding, column)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(COLUMNS)
        ):
            return COLUMNS[section]
        return None

    @staticmethod
    def _display(finding: Finding, column: int) -> str:
        if column == 0:
            return SEVERITY_LABELS.get(finding.severity, finding.severity)
        if column == 1:
            return _DIMENSION_LABELS.get(finding.dimension, finding.dimension)
        if column == 2:
            return people_dates(finding.message)
        if column == 3:
            return people_dates(finding.action)
        if column == 4:
            return finding.record.name if finding.record else "—"
        return finding.rule

    @staticmethod
    def _sort_key(finding: Finding, column: int) -> Any:
        if column == 0:
            return _SEVERITY_RANK.get(finding.severity, len(SEVERITIES))
        if column == 1:
            return _DIMENSION_RANK.get(finding.dimension, len(DIMENSIONS))
        return FindingsModel._display(finding, column).casefold()


class FindingsFilter(QSortFilterProxyModel):
    """Shows the findings of one dimension and/or one severity; None means any."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._dimension: str | None = None
        self._severity: str | None = None
        self.setSortRole(SORT_ROLE)

    def set_dimension(self, key: str | None) -> None:
        self.beginFilterChange()
        self._dimension = key
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_severity(self, severity: str | None) -> None:
        self.beginFilterChange()
        self._severity = severity
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sorting is the findings model's own (in Python, one key per finding)."""
        source = self.sourceModel()
        if isinstance(source, FindingsModel):
            source.sort(column, order)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        if self._dimension is None and self._severity is None:
            return True
        model = self.sourceModel()
        index = model.index(source_row, 0, source_parent)
        if self._dimension is not None and model.data(index, DIMENSION_ROLE) != self._dimension:
            return False
        return self._severity is None or model.data(index, SEVERITY_ROLE) == self._severity
