"""One editor widget per field kind, shared by table cells and forms.

Every editor offers `value()`, `set_value(v)`, a `changed` signal (as the user
types, for live validation) and an `edited` signal (when the user is done with
the field: Enter, focus out, a pick), which is when an edit is saved.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, QEvent, QObject, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLineEdit,
    QListView,
    QPlainTextEdit,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from planner.domain.fields import MAX_DATE, MIN_DATE, FieldKind, FieldSpec
from planner.ui.formatting import NONE_TEXT, format_number

Candidates = Callable[[str], Sequence[tuple[str, str]]]
"""kind -> [(id, title)] of the records a reference may point at."""

_NO_DATE = QDate(1899, 12, 31)


class TextField(QLineEdit):
    changed = Signal()
    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.textEdited.connect(self.changed)
        self.editingFinished.connect(self._finish)
        self._last = ""

    def value(self) -> str:
        return self.text()

    def set_value(self, value: Any) -> None:
        self._last = "" if value is None else str(value)
        self.setText(self._last)

    def _finish(self) -> None:
        if self.text() != self._last:
            self._last = self.text()
            self.edited.emit()


class NumberField(TextField):
    """Numbers typed as text, so an empty field means 'not set' and ranges are explained."""

    def __init__(self, spec: FieldSpec, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if spec.describe_range():
            self.setPlaceholderText(spec.describe_range())

    def set_value(self, value: Any) -> None:
        super().set_value(format_number(value).replace(",", "") if value is not None else "")


class LongTextField(QPlainTextEdit):
    changed = Signal()
    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)
        self.setMinimumHeight(60)
        self.setMaximumHeight(110)
        self.textChanged.connect(self.changed)
        self._last = ""

    def value(self) -> str:
        return self.toPlainText()

    def set_value(self, value: Any) -> None:
        self._last = "" if value is None else str(value)
        self.setPlainText(self._last)

    def focusOutEvent(self, event: Any) -> None:
        super().focusOutEvent(event)
        if self.toPlainText() != self._last:
            self._last = self.toPlainText()
            self.edited.emit()


class IntField(QSpinBox):
    changed = Signal()
    edited = Signal()

    def __init__(self, spec: FieldSpec, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRange(
            int(spec.minimum if spec.minimum is not None else -1_000_000_000),
            int(spec.maximum if spec.maximum is not None else 1_000_000_000),
        )
        self.setKeyboardTracking(False)
        self.setAccelerated(True)
        self.valueChanged.connect(self._on_change)
        self._quiet = False

    def value(self) -> int:
        return int(super().value())

    def set_value(self, value: Any) -> None:
        self._quiet = True
        self.setValue(int(value if value is not None else self.minimum()))
        self._quiet = False

    def _on_change(self) -> None:
        if not self._quiet:
            self.changed.emit()
            self.edited.emit()


class BoolField(QCheckBox):
    changed = Signal()
    edited = Signal()

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.clicked.connect(self.changed)
        self.clicked.connect(self.edited)

    def value(self) -> bool:
        return self.isChecked()

    def set_value(self, value: Any) -> None:
        self.setChecked(bool(value))


class ComboField(QComboBox):
    """Enumerations and single references: a label shown, a value stored."""

    changed = Signal()
    edited = Signal()

    def __init__(
        self, items: Sequence[tuple[Any, str]], optional: bool, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._optional = optional
        self._items: list[tuple[Any, str]] = []
        self.set_candidates(items)
        self.activated.connect(self.changed)
        self.activated.connect(self.edited)

    def set_candidates(self, items: Sequence[tuple[Any, str]]) -> None:
        """Offer another list (references follow the current initiative's records)."""
        items = list(items)
        if items == self._items:
            return
        current = self.currentData()
        self._items = items
        self.blockSignals(True)
        self.clear()
        if self._optional:
            self.addItem(NONE_TEXT, None)
        for value, label in items:
            self.addItem(label, value)
        self.setCurrentIndex(max(self.findData(current), 0))
        self.blockSignals(False)

    def value(self) -> Any:
        return self.currentData()

    def set_value(self, value: Any) -> None:
        index = self.findData(value)
        self.setCurrentIndex(max(index, 0))


class _DateEdit(QDateEdit):
    """A QDateEdit whose calendar is made when it first pops up, not with the form.

    A calendar is a whole month table of widgets; a form has several dates, and
    most are never opened.
    """

    calendar_made = Signal(QObject)

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self._has_calendar = False

    def _calendar(self) -> None:
        if not self._has_calendar:
            self._has_calendar = True
            self.calendar_made.emit(self.calendarWidget())

    def mousePressEvent(self, event: Any) -> None:
        self._calendar()
        super().mousePressEvent(event)

    def keyPressEvent(self, event: Any) -> None:
        self._calendar()
        super().keyPressEvent(event)


class DateField(QWidget):
    """A date picker that can also say 'no date' (for optional dates)."""

    changed = Signal()
    edited = Signal()

    def __init__(self, optional: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = _DateEdit(self)
        self.edit.setCalendarPopup(True)
        self.edit.setDisplayFormat("d MMM yyyy")
        self.edit.setKeyboardTracking(False)
        low = _NO_DATE if optional else _qdate(MIN_DATE)
        self.edit.setDateRange(low, _qdate(MAX_DATE))
        if optional:
            self.edit.setSpecialValueText(NONE_TEXT)
        self.edit.setDate(low if optional else QDate.currentDate())
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.edit, 1)
        self.clear_button: QToolButton | None = None
        if optional:
            self.clear_button = QToolButton(self)
            self.clear_button.setText("×")
            self.clear_button.setToolTip("No date")
            self.clear_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            self.clear_button.clicked.connect(self.clear)
            layout.addWidget(self.clear_button)
        self.setFocusProxy(self.edit)
        self._quiet = False
        self.edit.dateChanged.connect(self._on_change)
        self.edit.calendar_made.connect(lambda calendar: calendar.installEventFilter(self))

    def value(self) -> date | None:
        qdate = self.edit.date()
        if qdate == _NO_DATE and self.edit.minimumDate() == _NO_DATE:
            return None
        return date(qdate.year(), qdate.month(), qdate.day())

    def set_value(self, value: date | None) -> None:
        self._quiet = True
        if value is None and self.edit.minimumDate() == _NO_DATE:
            self.edit.setDate(_NO_DATE)
        elif value is not None:
            self.edit.setDate(_qdate(value))
        self._quiet = False

    def clear(self) -> None:
        self.edit.setDate(self.edit.minimumDate())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show and self.value() is None:
            calendar = self.edit.calendarWidget()
            today = QDate.currentDate()
            calendar.setCurrentPage(today.year(), today.month())
        return False

    def _on_change(self) -> None:
        if not self._quiet:
            self.changed.emit()
            self.edited.emit()


def _qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


class RefsField(QWidget):
    """Pick several stakeholders: a checkable list with a search box."""

    changed = Signal()
    edited = Signal()

    def __init__(
        self, candidates: Sequence[tuple[str, str]], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._quiet = False
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Find…")
        self.search.setClearButtonEnabled(True)
        self.items = QStandardItemModel(self)
        self._candidates: list[tuple[str, str]] = []
        self.set_candidates(candidates)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.items)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.search.textChanged.connect(self.proxy.setFilterFixedString)
        self.list = QListView(self)
        self.list.setModel(self.proxy)
        self.list.setUniformItemSizes(True)
        self.list.setMinimumHeight(110)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.search)
        layout.addWidget(self.list)
        self.setFocusProxy(self.list)
        self.items.itemChanged.connect(self._on_change)

    def set_candidates(self, candidates: Sequence[tuple[str, str]]) -> None:
        candidates = sorted(candidates, key=lambda c: c[1].casefold())
        if candidates == self._candidates:
            return
        chosen = self.value()
        self._candidates = candidates
        self._quiet = True
        self.items.clear()
        for ident, title in candidates:
            item = QStandardItem(title)
            item.setData(ident, Qt.ItemDataRole.UserRole)
            item.setCheckable(True)
            item.setEditable(False)
            self.items.appendRow(item)
        self._quiet = False
        self.set_value(chosen)

    def value(self) -> tuple[str, ...]:
        out = []
        for row in range(self.items.rowCount()):
            item = self.items.item(row)
            if item.checkState() == Qt.CheckState.Checked:
                out.append(str(item.data(Qt.ItemDataRole.UserRole)))
        return tuple(out)

    def set_value(self, value: Sequence[str] | None) -> None:
        chosen = set(value or ())
        self._quiet = True
        for row in range(self.items.rowCount()):
            item = self.items.item(row)
            wanted = item.data(Qt.ItemDataRole.UserRole) in chosen
            item.setCheckState(Qt.CheckState.Checked if wanted else Qt.CheckState.Unchecked)
        self._quiet = False

    def set_checked(self, title: str, checked: bool = True) -> None:
        """Tick a stakeholder by its shown name (what a user clicking does)."""
        for item in self.items.findItems(title):
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def _on_change(self) -> None:
        if not self._quiet:
            self.changed.emit()
            self.edited.emit()


def make_editor(
    spec: FieldSpec, candidates: Candidates, parent: QWidget | None = None, *, in_cell: bool = False
) -> QWidget:
    """The editor for a field: combo boxes for choices, date pickers, ranged spin boxes."""
    kind = spec.kind
    editor: QWidget
    if kind is FieldKind.CHOICE:
        assert spec.choices is not None
        editor = ComboField([(c, c.label) for c in spec.choices], not spec.required, parent)
    elif kind is FieldKind.REF:
        assert spec.ref is not None
        editor = ComboField(list(candidates(spec.ref)), not spec.required, parent)
    elif kind is FieldKind.REFS:
        assert spec.ref is not None
        editor = RefsField(candidates(spec.ref), parent)
    elif kind is FieldKind.DATE:
        editor = DateField(not spec.required, parent)
    elif kind is FieldKind.INT:
        editor = IntField(spec, parent)
    elif kind is FieldKind.FLOAT:
        editor = NumberField(spec, parent)
    elif kind is FieldKind.BOOL:
        editor = BoolField("" if in_cell else spec.label, parent)
    elif kind is FieldKind.LONGTEXT and not in_cell:
        editor = LongTextField(parent)
    else:
        editor = TextField(parent)
    if spec.help:
        editor.setToolTip(spec.help)
    return editor
