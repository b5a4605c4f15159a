"""The cell editor for any record field: the same editors as the forms, inside a table."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractSpinBox,
    QComboBox,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from planner.domain.errors import DomainError
from planner.domain.records import record_type
from planner.ui.editors import Currency, Lookup, make_editor

_SAVING_KEYS = frozenset({Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab, Qt.Key.Key_Backtab})


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
        self._held: Callable[[], bool] = lambda: False
        self._refuse: Callable[[], None] = lambda: None
        self._open: dict[int, QWidget] = {}
        """The cell editors open now (by id): those kept open while held are saved once back."""
        self._refused: set[int] = set()

    def hold_while(self, held: Callable[[], bool], refuse: Callable[[], None]) -> None:
        """While `held()` (offline), an open cell editor is not saved nor closed by Enter,
        Tab or a click elsewhere: `refuse()` says why, and the typed value stays in it
        until `release()` saves it once back."""
        self._held, self._refuse = held, refuse

    def holding(self) -> bool:
        return self._held()

    def _refuse_for(self, editor: QObject) -> None:
        self._refused.add(id(editor))
        self._refuse()

    def release(self) -> None:
        """Back online: save each cell editor kept open while held, through the model's
        usual save (and its version check), and close it. One the user is still typing in
        stays open unless its save was refused: leaving it saves it, as ever."""
        for key, editor in list(self._open.items()):
            refused = key in self._refused
            if editor.hasFocus() and not refused:
                continue
            self._refused.discard(key)
            self.commitData.emit(editor)
            self.closeEditor.emit(editor, QStyledItemDelegate.EndEditHint.SubmitModelCache)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self._held():
            if (
                event.type() == QEvent.Type.KeyPress
                and isinstance(event, QKeyEvent)
                and event.key() in _SAVING_KEYS
            ):
                self._refuse_for(watched)
                return True
            if event.type() == QEvent.Type.FocusOut:
                return False  # the editor's own business; the delegate neither saves nor closes
        return super().eventFilter(watched, event)

    def createEditor(
        self,
        parent: QWidget,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> QWidget:
        spec = self._specs[index.column()]
        editor = make_editor(spec, self._lookup, parent, in_cell=True, currency=self._currency)
        editor.setAutoFillBackground(True)
        key = id(editor)
        self._open[key] = editor
        editor.destroyed.connect(lambda *_a, k=key: self._closed(k))
        if isinstance(editor, QComboBox):
            editor.activated.connect(lambda _i, e=editor: self._finish(e))
        return editor

    def _closed(self, key: int) -> None:
        self._open.pop(key, None)
        self._refused.discard(key)

    def destroyEditor(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:
        self._closed(id(editor))
        super().destroyEditor(editor, index)

    def _finish(self, editor: QWidget) -> None:
        if self._held():
            self._refuse_for(editor)
            return
        self.commitData.emit(editor)
        self.closeEditor.emit(editor, QStyledItemDelegate.EndEditHint.SubmitModelCache)

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:
        editor.set_value(index.data(Qt.ItemDataRole.EditRole))  # type: ignore[attr-defined]

    def setModelData(
        self, editor: QWidget, model: QAbstractItemModel, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        if self._held():
            self._refuse_for(editor)
            return
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


class RecordTable(QTableView):
    """A table whose cell editor stays open, unsaved, while its delegate holds edits
    (offline): moving to another cell would otherwise close it and drop what was typed.
    Escape still closes it: the user dropping an edit is the user's choice."""

    def closeEditor(self, editor: QWidget, hint: QAbstractItemDelegate.EndEditHint) -> None:
        delegate = self.itemDelegate()
        holding = isinstance(delegate, FieldDelegate) and delegate.holding()
        if holding and hint != QAbstractItemDelegate.EndEditHint.RevertModelCache:
            return
        super().closeEditor(editor, hint)
