"""One editor widget per field kind, shared by table cells and forms.

Every editor offers `value()`, `set_value(v)`, a `changed` signal (as the user
types, for live validation) and an `edited` signal (when the user is done with
the field: Enter, focus out, a pick), which is when an edit is saved.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from PySide6.QtCore import (
    QEvent,
    QObject,
    QSize,
    QSortFilterProxyModel,
    QStringListModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QFocusEvent, QKeyEvent, QStandardItem, QStandardItemModel, QWheelEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QLineEdit,
    QListView,
    QPlainTextEdit,
    QSpinBox,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from planner.domain.errors import PlannerError
from planner.domain.fields import FieldKind, FieldSpec
from planner.domain.money import parse_money
from planner.ui.date_field import DateField
from planner.ui.formatting import NONE_TEXT, format_amount, format_number, money_style

_TYPED_LIMIT = 1_000_000_000
_GROUPED = re.compile(r"[-+]?\d{1,3}(?:[,\u00a0\u202f ]\d{3})+(?:\.\d+)?")


class Lookup(Protocol):
    """Where reference editors find the records a reference may point at (the window's
    `PlanContext`: the current initiative's records)."""

    def candidates(self, kind: str) -> Sequence[tuple[str, str]]:
        """[(id, title)] of every record of `kind` a reference may point at, by title."""
        ...

    def title(self, kind: str, record_id: str) -> str | None:
        """The title of one of them, without reading them all (None: it is none of them)."""
        ...


Currency = Callable[[], str | None]
"""The current initiative's currency (an ISO 4217 code), for fields of money."""


def _no_currency() -> str | None:
    return None


class TextField(QLineEdit):
    changed = Signal()
    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.textEdited.connect(self.changed)
        self.editingFinished.connect(self._finish)
        self._last: str | None = ""

    def value(self) -> str:
        return self.text()

    def set_value(self, value: Any) -> None:
        self._last = "" if value is None else str(value)
        self.setText(self._last)

    def forget_saved(self) -> None:
        """The text was not saved: Enter offers it again, unchanged."""
        self._last = None

    def _finish(self) -> None:
        if self.text() != self._last:
            self._last = self.text()
            self.edited.emit()


class NumberField(TextField):
    """Numbers typed as text, so an empty field means 'not set' and ranges are explained.

    The field shows a number as the table does (62,000) and takes it back typed
    either way; digits grouped by commas or spaces are one number.
    """

    def __init__(self, spec: FieldSpec, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if spec.describe_range():
            self.setPlaceholderText(spec.describe_range())

    def set_value(self, value: Any) -> None:
        super().set_value(format_number(value) if value is not None else "")

    def value(self) -> str:
        text = self.text().strip()
        grouped = _GROUPED.fullmatch(text)
        if grouped is None:
            return text
        return re.sub(r"[,\s]", "", text)


class MoneyField(TextField):
    """An amount in the initiative's currency, shown and read the user's locale's way.

    It shows what the table shows ("€62,000"; "62 000 €" in French) and takes it back
    typed any unambiguous way ("62,000", "62000", "62 000 €"); `value()` refuses, with the
    reason, an amount that could be read two ways or is in another currency.
    """

    def __init__(self, spec: FieldSpec, currency: Currency, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spec = spec
        self.currency = currency
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

    def set_value(self, value: Any) -> None:
        currency = self.currency()
        self.setPlaceholderText(f"e.g. {format_amount(62000, currency)}")
        super().set_value(format_amount(value, currency) if value is not None else "")

    def value(self) -> float | None:  # type: ignore[override]  # an amount, not its text
        return parse_money(
            self.text(),
            self.currency(),
            money_style(),
            where=self.spec.label,
            field=self.spec.name,
        )


PEOPLE_FIELDS = frozenset({"owner", "trainer"})
"""Text fields that name a person: they offer the initiative's stakeholders as you type."""


class PeopleField(TextField):
    """A person's name: the initiative's stakeholders are offered as you type (any part of
    the name matches), and anyone else, an outsider, can still be typed in full.

    The names are read when the field gets the focus (or a key), not when a record is
    shown: a page of a large plan shows its first record without sorting 10,000 names."""

    def __init__(self, lookup: Lookup, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._lookup = lookup
        self._listed = False
        self.names = QStringListModel(self)
        completer = QCompleter(self.names, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.activated.connect(lambda _text: self._finish())
        self.setCompleter(completer)
        self.setPlaceholderText("A stakeholder, or anyone else")

    def forget_candidates(self) -> None:
        """The stakeholders may have changed: their names are read again when next needed."""
        self._listed = False

    def list_candidates(self) -> None:
        """Offer the stakeholders' names (read once until forgotten)."""
        if not self._listed:
            self._listed = True
            self.set_candidates(suggestions(self._lookup))

    def focusInEvent(self, event: QFocusEvent) -> None:
        self.list_candidates()
        super().focusInEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        self.list_candidates()
        super().keyPressEvent(event)

    def set_candidates(self, candidates: Sequence[tuple[str, str]]) -> None:
        titles = sorted({title for _id, title in candidates}, key=str.casefold)
        if titles != self.names.stringList():
            self.names.setStringList(titles)


class LongTextField(QPlainTextEdit):
    changed = Signal()
    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)
        self.setMinimumHeight(60)
        self.setMaximumHeight(110)
        self.textChanged.connect(self.changed)
        self._last: str | None = ""

    def value(self) -> str:
        return self.toPlainText()

    def set_value(self, value: Any) -> None:
        self._last = "" if value is None else str(value)
        self.setPlainText(self._last)

    def forget_saved(self) -> None:
        """The text was not saved: leaving the field offers it again, unchanged."""
        self._last = None

    def focusOutEvent(self, event: Any) -> None:
        super().focusOutEvent(event)
        if self.toPlainText() != self._last:
            self._last = self.toPlainText()
            self.edited.emit()


class IntField(QSpinBox):
    """A whole number; the arrows keep to the field's range, typing does not.

    A spin box limited to 1–5 swallows a typed 7 without a word; this one takes
    any whole number typed, so the domain's validation can say why 7 is refused,
    under the field, while the arrows and Page Up/Down still stay in range.
    """

    changed = Signal()
    edited = Signal()

    def __init__(self, spec: FieldSpec, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._low = int(spec.minimum) if spec.minimum is not None else -_TYPED_LIMIT
        self._high = int(spec.maximum) if spec.maximum is not None else _TYPED_LIMIT
        self.setRange(-_TYPED_LIMIT, _TYPED_LIMIT)
        if spec.describe_range():
            self.setToolTip(spec.describe_range())
        self.setKeyboardTracking(False)
        self.setAccelerated(True)
        self.valueChanged.connect(self._on_change)
        self.lineEdit().textEdited.connect(self._typing)
        self._quiet = False

    def value(self) -> int:
        """What the field holds now, including digits typed but not yet entered."""
        try:
            return int(self.cleanText())
        except ValueError:
            return int(super().value())

    def set_value(self, value: Any) -> None:
        self._quiet = True
        self.setValue(int(value if value is not None else max(self._low, min(0, self._high))))
        self._quiet = False

    def stepBy(self, steps: int) -> None:
        current = self.value()
        stepped = max(self._low, min(self._high, current + steps))
        if stepped != current or not self._low <= current <= self._high:
            self.setValue(stepped)

    def _typing(self, _text: str) -> None:
        if not self._quiet:
            self.changed.emit()

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


class ReferenceField(ComboField):
    """A single reference (the sponsor, who attended): the record it points at is shown
    at once, and the list of every record it may point at is read only when the user
    opens it, or uses a key or the wheel on it. Until then a large plan's 10,000
    stakeholders cost the page nothing: showing a record reads that one record."""

    def __init__(
        self, kind: str, lookup: Lookup, optional: bool, parent: QWidget | None = None
    ) -> None:
        super().__init__([], optional, parent)
        self._kind = kind
        self._lookup = lookup
        self._listed = False

    def forget_candidates(self) -> None:
        """The records may have changed: the list is read again when it is next needed, and
        the record shown now is shown by its name now (it may have been renamed)."""
        self._listed = False
        self._show_only(self.value())

    def list_candidates(self) -> None:
        """Offer every record the reference may point at (read once until forgotten)."""
        if not self._listed:
            self._listed = True
            self.set_candidates(self._lookup.candidates(self._kind))

    def set_value(self, value: Any) -> None:
        if not self._listed:
            self._show_only(value)
        super().set_value(value)

    def _show_only(self, value: Any) -> None:
        """Offer just the record `value` points at; a required reference with no record
        to show starts at the first of the full list, as it always has."""
        title = None if value is None else self._lookup.title(self._kind, value)
        if title is None:
            if self._optional:
                self.set_candidates([])
            else:
                self.list_candidates()
            return
        index = self.findData(value)
        if index < 0 or self.itemText(index) != title:
            self.set_candidates([(value, title)])

    def showPopup(self) -> None:
        self.list_candidates()
        super().showPopup()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        self.list_candidates()  # arrows, Page Up/Down and typed letters move through the list
        super().keyPressEvent(event)

    def wheelEvent(self, event: QWheelEvent) -> None:
        self.list_candidates()
        super().wheelEvent(event)


class RoomyRows(QStyledItemDelegate):
    """Rows as tall as a check box needs with room around it: 14 px rows clip the boxes.
    (A style sheet would do it too, but replaces the style's drawing of the boxes, which
    then vanish on dark palettes.)"""

    def sizeHint(self, option: QStyleOptionViewItem, index: Any) -> QSize:
        size = super().sizeHint(option, index)
        return QSize(size.width(), max(size.height(), option.fontMetrics.height() + 10))


class RefsField(QWidget):
    """Pick several stakeholders: a checkable list with a search box.

    By keyboard: Tab comes to the search box (type part of a name), Tab again to the
    list with the first one found current, Space ticks it, Tab leaves.

    Like `ReferenceField`, the list shows only the chosen records until the user goes
    to it (focus on the list or the search box): a large plan's 10,000 stakeholders
    are read when a message's audience is being picked, not when its page opens."""

    changed = Signal()
    edited = Signal()

    def __init__(self, kind: str, lookup: Lookup, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._kind = kind
        self._lookup = lookup
        self._listed = False
        self._quiet = False
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Find…")
        self.search.setClearButtonEnabled(True)
        self.items = QStandardItemModel(self)
        self._candidates: list[tuple[str, str]] = []
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.items)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.search.textChanged.connect(self.proxy.setFilterFixedString)
        self.list = QListView(self)
        self.list.setModel(self.proxy)
        self.list.setUniformItemSizes(True)
        self.list.setItemDelegate(RoomyRows(self.list))
        self.list.setMinimumHeight(150)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.search)
        layout.addWidget(self.list)
        self.setFocusProxy(self.search)  # Tab comes to Find…, then the list, then leaves
        self.items.itemChanged.connect(self._on_change)
        for part in (self.search, self.list):
            part.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusIn:
            self.list_candidates()
            if watched is self.list:
                self._first_found()
        return super().eventFilter(watched, event)

    def _first_found(self) -> None:
        """Into the list from Find…: the cursor on the first one found, so Space ticks it
        (the list's own choice would be the row it had before the search narrowed it)."""
        if self.proxy.rowCount() and not self.list.currentIndex().isValid():
            self.list.setCurrentIndex(self.proxy.index(0, 0))

    def forget_candidates(self) -> None:
        """The records may have changed: the list is read again when the user next goes
        to it (at once if the user is in it); until then it shows the chosen ones."""
        self._listed = False
        if self.search.hasFocus() or self.list.hasFocus():
            self.list_candidates()
        else:
            self._show_only(self.value())

    def list_candidates(self) -> None:
        """Offer every record of the kind, the chosen ones ticked (read once until forgotten)."""
        if not self._listed:
            self._listed = True
            self.set_candidates(self._lookup.candidates(self._kind))

    def _show_only(self, chosen: Sequence[str]) -> None:
        """Offer just the chosen records (those still in the initiative), ticked."""
        shown = []
        for ident in chosen:
            title = self._lookup.title(self._kind, ident)
            if title is not None:
                shown.append((ident, title))
        self.set_candidates(shown)
        self._tick(chosen)

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
        self._tick(chosen)

    def value(self) -> tuple[str, ...]:
        out = []
        for row in range(self.items.rowCount()):
            item = self.items.item(row)
            if item.checkState() == Qt.CheckState.Checked:
                out.append(str(item.data(Qt.ItemDataRole.UserRole)))
        return tuple(out)

    def set_value(self, value: Sequence[str] | None) -> None:
        if self._listed:
            self._tick(value or ())
        else:
            self._show_only(tuple(value or ()))

    def _tick(self, value: Sequence[str]) -> None:
        chosen = set(value)
        self._quiet = True
        for row in range(self.items.rowCount()):
            item = self.items.item(row)
            wanted = item.data(Qt.ItemDataRole.UserRole) in chosen
            item.setCheckState(Qt.CheckState.Checked if wanted else Qt.CheckState.Unchecked)
        self._quiet = False

    def set_checked(self, title: str, checked: bool = True) -> None:
        """Tick a stakeholder by its shown name (what a user clicking does)."""
        self.list_candidates()
        for item in self.items.findItems(title):
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def _on_change(self) -> None:
        if not self._quiet:
            self.changed.emit()
            self.edited.emit()


def suggestions(lookup: Lookup) -> Sequence[tuple[str, str]]:
    """The stakeholders a people field suggests; none when they cannot be read (a bad value
    in the file), since a suggestion is a convenience and the field still takes any name."""
    try:
        return lookup.candidates("stakeholder")
    except PlannerError:
        return []


def make_editor(
    spec: FieldSpec,
    lookup: Lookup,
    parent: QWidget | None = None,
    *,
    in_cell: bool = False,
    currency: Currency | None = None,
) -> QWidget:
    """The editor for a field: combo boxes for choices, date pickers, ranged spin boxes."""
    kind = spec.kind
    editor: QWidget
    if kind is FieldKind.CHOICE:
        assert spec.choices is not None
        editor = ComboField([(c, c.label) for c in spec.choices], not spec.required, parent)
    elif kind is FieldKind.REF:
        assert spec.ref is not None
        editor = ReferenceField(spec.ref, lookup, not spec.required, parent)
    elif kind is FieldKind.REFS:
        assert spec.ref is not None
        editor = RefsField(spec.ref, lookup, parent)
    elif kind is FieldKind.DATE:
        editor = DateField(not spec.required, parent)
    elif kind is FieldKind.INT:
        editor = IntField(spec, parent)
    elif kind is FieldKind.FLOAT and spec.money:
        editor = MoneyField(spec, currency or _no_currency, parent)
    elif kind is FieldKind.FLOAT:
        editor = NumberField(spec, parent)
    elif kind is FieldKind.BOOL:
        editor = BoolField("" if in_cell else spec.label, parent)
    elif kind is FieldKind.LONGTEXT and not in_cell:
        editor = LongTextField(parent)
    elif kind is FieldKind.TEXT and spec.name in PEOPLE_FIELDS:
        editor = PeopleField(lookup, parent)
    else:
        editor = TextField(parent)
    if spec.help:
        editor.setToolTip(spec.help)
    return editor
