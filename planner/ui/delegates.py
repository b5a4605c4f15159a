"""The cell editor for any record field: the same editors as the forms, inside a table."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QComboBox,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from planner.domain.errors import DomainError
from planner.domain.records import record_type
from planner.ui.editors import Currency, Lookup, make_editor


class FieldDelegate(QStyledItemDelegate):
    def __init__(
        self,
        kind: str,
        columns: list[str],
        lookup: Lookup,
        parent: Any = None,
        currency: Currency | None = None,
    ) -> None:
        super().__init__(parent)
        self._specs = [record_type(kind).SPECS[name] for name in columns]
        self._lookup = lookup
        self._currency = currency

    def createEditor(
        self,
        parent: QWidget,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> QWidget:
        spec = self._specs[index.column()]
        editor = make_editor(spec, self._lookup, parent, in_cell=True, currency=self._currency)
        editor.setAutoFillBackground(True)
        if isinstance(editor, QComboBox):
            editor.activated.connect(lambda _i, e=editor: self._finish(e))
        return editor

    def _finish(self, editor: QWidget) -> None:
        self.commitData.emit(editor)
        self.closeEditor.emit(editor, QStyledItemDelegate.EndEditHint.SubmitModelCache)

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:
        editor.set_value(index.data(Qt.ItemDataRole.EditRole))  # type: ignore[attr-defined]

    def setModelData(
        self, editor: QWidget, model: QAbstractItemModel, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        if isinstance(editor, QAbstractSpinBox):
            editor.interpretText()  # the table takes Enter before the spin box reads its text
        try:
            value = editor.value()  # type: ignore[attr-defined]
        except DomainError as exc:  # typed text that is no value (a date that is not one)
            source: Any = model
            while not hasattr(source, "edit_refused") and hasattr(source, "sourceModel"):
                source = source.sourceModel()
            if hasattr(source, "edit_refused"):
                source.edit_refused.emit(str(exc))
            return
        model.setData(index, value, Qt.ItemDataRole.EditRole)
