"""Qt table models over lists of domain records, driven by the records' field specs.

`RecordTableModel` holds plain immutable records (no database rows, no database
access per cell): the view loads a list once per change and hands it over.
Edits made in a cell go to a `commit(record, changes)` callback, which is the
planning service; a refused edit leaves the model untouched and is reported
through `edit_refused` with its one-line message.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from itertools import count
from operator import attrgetter
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)

from planner.domain.errors import PlannerError
from planner.domain.fields import FieldKind, FieldSpec
from planner.domain.records import Record, record_type
from planner.ui.formatting import HIDDEN_TEXT, HIDDEN_TIP, format_value, sort_key_function

Index = QModelIndex | QPersistentModelIndex
Role = Qt.ItemDataRole

SEARCH_ROLE = Role.UserRole + 1
RECORD_ROLE = Role.UserRole + 2

Commit = Callable[[Record, dict[str, Any]], None]
Titles = Callable[[str], Mapping[str, str]]

_NOT_IN_CELL = (FieldKind.LONGTEXT, FieldKind.REFS)


def _no_titles(_kind: str) -> Mapping[str, str]:
    return {}


class RecordTableModel(QAbstractTableModel):
    edit_refused = Signal(str)

    def __init__(
        self,
        kind: str,
        columns: Sequence[str],
        *,
        commit: Commit | None = None,
        titles: Titles = _no_titles,
        currency: Callable[[], str | None] | None = None,
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self.kind = kind
        self.record_class = record_type(kind)
        self.columns = list(columns)
        self.specs: list[FieldSpec] = [self.record_class.SPECS[name] for name in self.columns]
        self._commit = commit
        self._titles = titles
        self._currency = currency
        self._rows: list[Record] = []
        self._search: list[str | None] = []
        self._sort: tuple[int, Qt.SortOrder] | None = None
        self.read_only = False
        self.withheld: frozenset[str] = frozenset()
        """Fields the server withholds from this login: shown as "hidden", never edited."""

    # ------------------------------------------------------------------ content
    @property
    def records(self) -> list[Record]:
        return list(self._rows)

    def record(self, row: int) -> Record:
        return self._rows[row]

    def row_of(self, record_id: str) -> int:
        for row, record in enumerate(self._rows):
            if record.id == record_id:
                return row
        return -1

    def set_records(self, records: Sequence[Record]) -> None:
        """Replace the rows; same rows in the same order only repaint, keeping selection."""
        records = list(records)
        fresh = {r.id: r for r in records}
        if records and len(fresh) == len(self._rows) and all(r.id in fresh for r in self._rows):
            self._rows = [fresh[r.id] for r in self._rows]
            self._search = [None] * len(records)
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(records) - 1, len(self.columns) - 1)
            )
            if self._sort is not None:
                self.sort(*self._sort)
            return
        self.beginResetModel()
        self._rows = self._sorted(records)
        self._search = [None] * len(records)
        self.endResetModel()

    def update_records(self, records: Sequence[Record]) -> None:
        """Swap in changed versions of rows already shown (after an edit or its undo)."""
        for record in records:
            row = self.row_of(record.id)
            if row >= 0:
                self._rows[row] = record
                self._search[row] = None
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.columns) - 1))
        if self._sort is not None:
            self.sort(*self._sort)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort in Python with one key per row: far cheaper than a comparison per call into Qt."""
        self._sort = (column, order) if 0 <= column < len(self.columns) else None
        self.layoutAboutToBeChanged.emit()
        old = {id(record): row for row, record in enumerate(self._rows)}
        self._rows = self._sorted(self._rows)
        new_row = [old[id(record)] for record in self._rows]
        moved = {before: after for after, before in enumerate(new_row)}
        persistent = self.persistentIndexList()
        self.changePersistentIndexList(
            persistent, [self.index(moved[i.row()], i.column()) for i in persistent]
        )
        self._search = [None] * len(self._rows)
        self.layoutChanged.emit()

    def _sorted(self, records: list[Record]) -> list[Record]:
        if self._sort is None:
            return records
        column, order = self._sort
        spec = self.specs[column]
        titles = self._titles_for(spec)
        keys = map(sort_key_function(spec, titles), map(attrgetter(spec.name), records))
        keyed = sorted(zip(keys, count()), reverse=order == Qt.SortOrder.DescendingOrder)
        return [records[i] for _key, i in keyed]

    def refresh_titles(self) -> None:
        """Referenced names may have changed (a stakeholder renamed): repaint link columns."""
        if self._rows and any(s.kind in (FieldKind.REF, FieldKind.REFS) for s in self.specs):
            self._search = [None] * len(self._rows)
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._rows) - 1, len(self.columns) - 1)
            )

    # ---------------------------------------------------------------- the model
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def _titles_for(self, spec: FieldSpec) -> Mapping[str, str] | None:
        return self._titles(spec.ref) if spec.ref else None

    def _money(self, spec: FieldSpec) -> str | None:
        return self._currency() if spec.money and self._currency is not None else None

    def refresh_money(self) -> None:
        """The initiative's currency changed: repaint the amounts."""
        if self._rows and any(s.money for s in self.specs):
            self._search = [None] * len(self._rows)
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._rows) - 1, len(self.columns) - 1)
            )

    def data(self, index: Index, role: int = Role.DisplayRole) -> Any:
        if not index.isValid():
            return None
        record = self._rows[index.row()]
        spec = self.specs[index.column()]
        if spec.name in self.withheld and role != RECORD_ROLE:
            return self._withheld(index, role)
        value = getattr(record, spec.name)
        if role == Role.DisplayRole:
            if spec.kind is FieldKind.BOOL:
                return None
            return format_value(spec, value, self._titles_for(spec), self._money(spec))
        if role == Role.EditRole:
            return value
        if role == Role.CheckStateRole and spec.kind is FieldKind.BOOL:
            return Qt.CheckState.Checked if value else Qt.CheckState.Unchecked
        if role == Role.TextAlignmentRole and spec.kind in (FieldKind.INT, FieldKind.FLOAT):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Role.ToolTipRole:
            if spec.kind in _NOT_IN_CELL and value:
                text = format_value(spec, value, self._titles_for(spec))
                return str(value) if spec.kind is FieldKind.LONGTEXT else text
            return spec.help or None
        if role == SEARCH_ROLE:
            return self._search_text(index.row())
        if role == RECORD_ROLE:
            return record
        return None

    def _withheld(self, index: Index, role: int) -> Any:
        if role == Role.DisplayRole:
            return HIDDEN_TEXT
        if role == Role.ToolTipRole:
            return HIDDEN_TIP
        if role == SEARCH_ROLE:
            return self._search_text(index.row())
        return None

    def _search_text(self, row: int) -> str:
        cached = self._search[row]
        if cached is None:
            record = self._rows[row]
            parts = [
                format_value(
                    spec, getattr(record, spec.name), self._titles_for(spec), self._money(spec)
                )
                for spec in self.specs
                if spec.kind is not FieldKind.BOOL and spec.name not in self.withheld
            ]
            cached = self._search[row] = " | ".join(parts)
        return cached

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Role.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.specs):
            return None
        spec = self.specs[section]
        if role == Role.DisplayRole:
            return spec.label
        if role == Role.ToolTipRole:
            rng = spec.describe_range() if spec.kind is not FieldKind.CHOICE else ""
            return " ".join(part for part in (spec.help, f"({rng})" if rng else "") if part) or None
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        spec = self.specs[index.column()]
        if (
            self._commit is None
            or self.read_only
            or not spec.editable
            or spec.kind in _NOT_IN_CELL
            or spec.name in self.withheld
        ):
            return flags
        if spec.kind is FieldKind.BOOL:
            return flags | Qt.ItemFlag.ItemIsUserCheckable
        return flags | Qt.ItemFlag.ItemIsEditable

    def setData(self, index: Index, value: Any, role: int = Role.EditRole) -> bool:
        if not index.isValid() or self._commit is None:
            return False
        spec = self.specs[index.column()]
        if role == Role.CheckStateRole and spec.kind is FieldKind.BOOL:
            state = value.value if isinstance(value, Qt.CheckState) else value
            value = state == Qt.CheckState.Checked.value
        elif role != Role.EditRole or not (self.flags(index) & Qt.ItemFlag.ItemIsEditable):
            return False
        record = self._rows[index.row()]
        if value == getattr(record, spec.name):
            return True
        try:
            self._commit(record, {spec.name: value})
        except PlannerError as exc:
            self.edit_refused.emit(str(exc))
            return False
        return True


class RecordFilterProxy(QSortFilterProxyModel):
    """Filters on all of a row's text; sorting is handed to the source model.

    The source sorts on typed keys (numbers as numbers, enumerations in their
    order) computed once per row, which keeps a 10,000-row table quick.
    """

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setFilterRole(SEARCH_ROLE)
        self.setFilterKeyColumn(0)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        source = self.sourceModel()
        if isinstance(source, RecordTableModel):
            source.sort(column, order)

    def record(self, index: Index) -> Record:
        source = self.sourceModel()
        assert isinstance(source, RecordTableModel)
        return source.record(self.mapToSource(index).row())
