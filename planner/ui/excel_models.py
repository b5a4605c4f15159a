"""Table models of an import preview: counts per sheet, field changes, conflicts, problems.

They adapt the core's `ImportPreview` and hold no logic of their own beyond
the user's side choices for conflicts, which the dialog hands to the importer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor

from planner.services.excel.preview import ImportPreview, RowPlan, Side, Status

_Index = QModelIndex | QPersistentModelIndex
_DISPLAY = Qt.ItemDataRole.DisplayRole
_STATUS_COLOURS = {
    Status.NEW: "#1b7f3b",
    Status.CHANGED: "#1f5fa8",
    Status.CONFLICT: "#a35a00",
    Status.INVALID: "#b00020",
    Status.DELETED: "#7a1f5c",
}
SIDE_LABELS = {Side.WORKBOOK: "Workbook", Side.DATABASE: "Database", None: "Choose…"}


class _RowsModel(QAbstractTableModel):
    """A read-only table of display strings; subclasses fill `rows`."""

    HEADERS: tuple[str, ...] = ()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[tuple[Any, ...]] = []

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def data(self, index: _Index, role: int = _DISPLAY) -> Any:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        if role in (_DISPLAY, Qt.ItemDataRole.ToolTipRole):
            value = self.rows[index.row()][index.column()]
            return "" if value is None else str(value)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY) -> Any:
        if (
            role == _DISPLAY
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self.HEADERS)
        ):
            return self.HEADERS[section]
        return None

    def _reset(self, rows: list[tuple[Any, ...]]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()


_COUNT_ORDER = (
    Status.NEW,
    Status.CHANGED,
    Status.UNCHANGED,
    Status.CONFLICT,
    Status.INVALID,
    Status.DELETED,
)


@dataclass(frozen=True)
class PreviewLines:
    """An import preview's counts and change lines, made before the dialog shows them.

    An import into an empty file has a line for every record (tens of
    thousands): a window's worker thread makes them (`of`), so that the UI
    thread only hands them to the models.
    """

    changes: list[tuple[Any, ...]]
    counts: list[tuple[Any, ...]]
    totals: dict[Status, int]

    @classmethod
    def of(cls, preview: ImportPreview) -> PreviewLines:
        per_sheet = []
        totals = dict.fromkeys(Status, 0)
        for sheet in preview.sheets:
            counts = sheet.counts()
            per_sheet.append((sheet.title, *(counts[s] for s in _COUNT_ORDER)))
            for status, count in counts.items():
                totals[status] += count
        return cls(_change_lines(preview), per_sheet, totals)


def _change_lines(preview: ImportPreview) -> list[tuple[Any, ...]]:
    new, deleted = Status.NEW, Status.DELETED
    labels = {status: status.value for status in Status}
    rows: list[tuple[Any, ...]] = []
    append = rows.append
    for plan in preview.rows(Status.NEW, Status.CHANGED, Status.CONFLICT, Status.DELETED):
        status = plan.status
        base = (labels[status], plan.sheet, plan.row or "", plan.title)
        if status is new:
            append((*base, "", "", "new record"))
        elif status is deleted:
            append((*base, "", "", "deleted"))
        for change in plan.changes:
            append((*base, change.label, change.old, change.new))
    return rows


class SheetCountsModel(_RowsModel):
    HEADERS = ("Sheet", "New", "Changed", "Unchanged", "Conflict", "Invalid", "Deleted")
    _ORDER = _COUNT_ORDER

    def set_lines(self, lines: PreviewLines) -> None:
        self._reset(lines.counts)

    def count(self, sheet: str, status: Status) -> int:
        for row in self.rows:
            if row[0] == sheet:
                return int(row[1 + self._ORDER.index(status)])
        return 0

    def data(self, index: _Index, role: int = _DISPLAY) -> Any:
        if index.isValid() and index.column() > 0 and index.row() < len(self.rows):
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return int(Qt.AlignmentFlag.AlignCenter)
            value = self.rows[index.row()][index.column()]
            if role == Qt.ItemDataRole.ForegroundRole:
                status = self._ORDER[index.column() - 1]
                colour = _STATUS_COLOURS.get(status) if value else "#9a9a9a"
                return QBrush(QColor(colour)) if colour else None
            if role == _DISPLAY and not value:
                return "–"
        return super().data(index, role)


class ChangesModel(_RowsModel):
    """One line per changed field (old → new); new and deleted rows take one line each."""

    HEADERS = ("Status", "Sheet", "Row", "Record", "Field", "Old value", "New value")

    def set_lines(self, lines: PreviewLines) -> None:
        self._reset(lines.changes)

    def data(self, index: _Index, role: int = _DISPLAY) -> Any:
        if (
            role == Qt.ItemDataRole.ForegroundRole
            and index.isValid()
            and index.column() == 0
            and index.row() < len(self.rows)
        ):
            return QBrush(QColor(_STATUS_COLOURS[Status(self.rows[index.row()][0])]))
        return super().data(index, role)


class ProblemsModel(_RowsModel):
    HEADERS = ("Severity", "Sheet", "Row", "Column", "Header", "Found", "Expected", "Problem")

    def set_preview(self, preview: ImportPreview) -> None:
        self._reset(
            [
                (
                    p.severity.value,
                    p.sheet,
                    p.row,
                    p.column,
                    p.header,
                    p.found,
                    p.expected,
                    p.message,
                )
                for p in preview.problems
            ]
        )

    def data(self, index: _Index, role: int = _DISPLAY) -> Any:
        if (
            role == Qt.ItemDataRole.ForegroundRole
            and index.isValid()
            and index.column() == 0
            and index.row() < len(self.rows)
        ):
            error = self.rows[index.row()][0] == "error"
            return QBrush(QColor(_STATUS_COLOURS[Status.INVALID] if error else "#8a6d00"))
        return super().data(index, role)


class ConflictsModel(_RowsModel):
    """Rows changed on both sides since the export, each with the side the user picked."""

    HEADERS = ("Sheet", "Row", "Record", "Changed fields (database → workbook)", "Keep")
    choices_changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.conflicts: list[RowPlan] = []
        self.choices: dict[tuple[str, str], Side] = {}

    def set_preview(self, preview: ImportPreview) -> None:
        self.conflicts = preview.conflicts
        keys = {row.key for row in self.conflicts}
        self.choices = {key: side for key, side in self.choices.items() if key in keys}
        self._reset(
            [
                (
                    row.sheet,
                    row.row,
                    row.title,
                    "; ".join(f"{c.label}: {c.old} → {c.new}" for c in row.changes),
                )
                for row in self.conflicts
            ]
        )
        self.choices_changed.emit()

    def data(self, index: _Index, role: int = _DISPLAY) -> Any:
        if index.isValid() and index.column() == 4 and index.row() < len(self.rows):
            side = self.choices.get(self.conflicts[index.row()].key)
            if role in (_DISPLAY, Qt.ItemDataRole.ToolTipRole):
                return SIDE_LABELS[side]
            if role == Qt.ItemDataRole.ForegroundRole and side is None:
                return QBrush(QColor(_STATUS_COLOURS[Status.CONFLICT]))
            return None
        return super().data(index, role)

    @property
    def undecided(self) -> int:
        return sum(1 for row in self.conflicts if row.key not in self.choices)

    def choose(self, rows: list[int], side: Side) -> None:
        for row in rows:
            if 0 <= row < len(self.conflicts):
                self.choices[self.conflicts[row].key] = side
        if rows:
            self.dataChanged.emit(self.index(min(rows), 4), self.index(max(rows), 4))
        self.choices_changed.emit()

    def choose_all(self, side: Side) -> None:
        self.choose(list(range(len(self.conflicts))), side)
