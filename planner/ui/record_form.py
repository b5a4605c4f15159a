"""A form for one record, laid out from its field specs, validating as the user types.

Two uses: beside a table, where each field is saved the moment the user is done
with it (one undoable command per field, no Save button), and inside the Add
dialog, where the whole new record is checked before it may be added. In both,
the domain's own validation speaks: its one-line message appears under the
field it names, and nothing invalid reaches the database.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Collection, Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from planner.domain.errors import DomainError, PlannerError
from planner.domain.fields import FieldKind
from planner.domain.records import (
    ADKAR_FIELDS,
    COVERS_FIELDS,
    Record,
    Stakeholder,
    build,
    record_type,
)
from planner.ui.date_field import DateField, DateHint
from planner.ui.editors import (
    Currency,
    Lookup,
    PeopleField,
    ReferenceField,
    RefsField,
    make_editor,
)
from planner.ui.formatting import HIDDEN_TEXT, HIDDEN_TIP, people_dates, readable
from planner.ui.screen_fit import ElidedLabel

CommitField = Callable[[Record, str, Any], None]

PAUSED = (
    "Not saved yet: the team server cannot be reached. Your edit stays here and is "
    "saved once the window is back online"
)
"""What a save attempted while offline is told, under the field or the table."""

_GROUPS = {"ADKAR profile": ADKAR_FIELDS, "What the message covers": COVERS_FIELDS}


def error_colour(widget: QWidget) -> str:
    """A red that stays readable on light and dark palettes."""
    dark = widget.palette().color(QPalette.ColorRole.Window).lightness() < 128
    return "#ff7b72" if dark else "#c62828"


def steady_error_label(parent: QWidget, *, steady: bool = True) -> ElidedLabel:
    """A refusal's line: its room is kept while hidden, so a message never moves what is
    below it (the next click lands where the user aimed); one line, the rest in a tooltip.
    A tick box, which cannot hold a refused value, keeps no room (`steady=False`)."""
    label = ElidedLabel("", parent)
    # A palette, not a style sheet: a form holds a line per field, and each style sheet
    # costs its widget a style of its own (6 ms for the three forms a window opens with).
    palette = label.palette()
    palette.setColor(QPalette.ColorRole.WindowText, QColor(error_colour(parent)))
    label.setPalette(palette)
    policy = label.sizePolicy()
    policy.setRetainSizeWhenHidden(steady)
    label.setSizePolicy(policy)
    label.hide()
    return label


def form_fields(kind: str) -> list[str]:
    """Every field a person edits: not the id, timestamps or the link to the parent."""
    cls = record_type(kind)
    parent = cls.PARENT[0] if cls.PARENT else None
    return [name for name, spec in cls.SPECS.items() if spec.editable and name != parent]


class RecordForm(QWidget):
    """`commit=None` makes a form for a new record; otherwise edits save field by field."""

    validity_changed = Signal(bool)

    def __init__(
        self,
        kind: str,
        lookup: Lookup,
        *,
        commit: CommitField | None = None,
        fields: Sequence[str] | None = None,
        date_hint: DateHint | None = None,
        currency: Currency | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.kind = kind
        self.withheld: frozenset[str] = frozenset()
        """Fields the server withholds from this login: shown as "hidden", never edited."""
        self.hidden_labels: dict[str, QLabel] = {}
        self.date_hint = date_hint
        self.currency = currency
        self.record_class = record_type(kind)
        self._commit = commit
        self._lookup = lookup
        self._record: Record | None = None
        self.base_values: dict[str, Any] = {}
        self.editors: dict[str, QWidget] = {}
        self.errors: dict[str, QLabel] = {}
        self.valid = True
        self.barrier: QLabel | None = None
        self.paused = False
        self._held: dict[str, Record] = {}
        """Fields whose edit is kept unsaved (refused while offline, or refused once back),
        each with the record as the user saw it when the edit was made: the version its save
        is checked against. Their values are kept over a reload until saved or settled."""
        self._build(list(fields or form_fields(kind)))

    def _build(self, names: list[str]) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(6, 6, 6, 6)
        main = QFormLayout()
        main.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        outer.addLayout(main)
        groups: dict[str, QFormLayout] = {}
        for name in _visual_order(names):
            spec = self.record_class.SPECS[name]
            editor = make_editor(spec, self._lookup, self, currency=self.currency)
            editor.setObjectName(f"field_{name}")
            error = steady_error_label(self, steady=spec.kind is not FieldKind.BOOL)
            error.setObjectName(f"error_{name}")
            holder = QWidget(self)
            box = QVBoxLayout(holder)
            box.setContentsMargins(0, 0, 0, 0)
            box.setSpacing(1)
            box.addWidget(editor)
            box.addWidget(error)
            if spec.private:
                hidden = QLabel(HIDDEN_TEXT, holder)
                hidden.setObjectName(f"withheld_{name}")
                hidden.setToolTip(HIDDEN_TIP)
                hidden.hide()
                box.addWidget(hidden)
                self.hidden_labels[name] = hidden
            title = next((t for t, members in _GROUPS.items() if name in members), None)
            layout = main
            if title is not None:
                if title not in groups:
                    group = QGroupBox(title, self)
                    groups[title] = QFormLayout(group)
                    outer.addWidget(group)
                layout = groups[title]
            label = "" if spec.kind is FieldKind.BOOL else self._short_label(name, spec.label)
            if label:
                layout.addRow(label + ("" if not spec.required else " *"), holder)
            else:
                layout.addRow(holder)
            self.editors[name] = editor
            self.errors[name] = error
            if isinstance(editor, DateField):
                editor.hint = lambda n=name: self._date_near(n)
            editor.changed.connect(lambda n=name: self._on_changed(n))  # type: ignore[attr-defined]
            editor.edited.connect(lambda n=name: self._on_edited(n))  # type: ignore[attr-defined]
            for part in (editor, *editor.findChildren(QWidget)):
                part.installEventFilter(self)
        if "ADKAR profile" in groups:
            self.barrier = QLabel(self)
            self.barrier.setObjectName("adkar_barrier")
            self.barrier.setToolTip("The first stage at 3 or below: where the change will stall")
            groups["ADKAR profile"].addRow("Barrier point", self.barrier)
        outer.addStretch(1)

    def set_withheld(self, names: Collection[str]) -> None:
        """Show "hidden" instead of the editor of each private field the server withholds."""
        self.withheld = frozenset(names) & self.hidden_labels.keys()
        for name, label in self.hidden_labels.items():
            label.setVisible(name in self.withheld)
            self.editors[name].setVisible(name not in self.withheld)

    def _date_near(self, name: str) -> date | None:
        """An empty date's calendar opens near the record's other dates, else the plan's."""
        for other, editor in self.editors.items():
            if other != name and isinstance(editor, DateField):
                try:
                    value = editor.value()
                except DomainError:
                    continue
                if value is not None:
                    return value
        return self.date_hint() if self.date_hint is not None else None

    @staticmethod
    def _short_label(name: str, label: str) -> str:
        if name in ADKAR_FIELDS:
            return label.removeprefix("ADKAR ").capitalize()
        if name in COVERS_FIELDS:
            return ""
        return label

    # ------------------------------------------------------------------ values
    @property
    def record(self) -> Record | None:
        return self._record

    def set_record(self, record: Record | None) -> None:
        """Show a record; a field the user is typing in keeps its text if the record is the same."""
        same = record is not None and self._record is not None and record.id == self._record.id
        self._record = record
        self.setVisible(record is not None or self._commit is None)
        self._refresh_candidates()
        if not same:
            self._held.clear()
        focused = self.focusWidget()
        for name, editor in self.editors.items():
            if same and focused is not None and (editor is focused or editor.isAncestorOf(focused)):
                continue
            if name in self.withheld:
                continue  # it holds the field's default, not what the team recorded
            if same and name in self._held:
                continue
            editor.set_value(getattr(record, name) if record is not None else None)  # type: ignore[attr-defined]
            self.errors[name].hide()
        self._show_barrier(record)
        self._set_valid(True)

    def set_new(self, base_values: dict[str, Any]) -> None:
        """Start a new record from the domain's defaults plus `base_values` (e.g. the parent)."""
        self.base_values = dict(base_values)
        self._refresh_candidates()
        defaults = self.record_class.trusted(
            **{
                name: (f.default if f.default is not dataclasses.MISSING else None)
                for name, f in self.record_class.__dataclass_fields__.items()
            }
        )
        for name, editor in self.editors.items():
            editor.set_value(self.base_values.get(name, getattr(defaults, name)))  # type: ignore[attr-defined]
        self._validate_new(None, quiet=True)

    def _refresh_candidates(self) -> None:
        for editor in self.editors.values():
            if isinstance(editor, (ReferenceField, PeopleField, RefsField)):
                editor.forget_candidates()  # read again only when the user goes to the field

    def values(self) -> dict[str, Any]:
        return {name: editor.value() for name, editor in self.editors.items()}  # type: ignore[attr-defined]

    def new_values(self) -> dict[str, Any]:
        return {**self.base_values, **self.values()}

    # --------------------------------------------------------------- validation
    def _on_changed(self, name: str) -> None:
        if self._commit is None:
            self._validate_new(name)
        else:
            self._validate_field(name)

    def _on_edited(self, name: str) -> None:
        if self._commit is None or self._record is None:
            return
        candidate = self._validate_field(name)
        seen = self._held.get(name, self._record)
        if candidate is None or (
            name not in self._held and getattr(candidate, name) == getattr(seen, name)
        ):
            return
        if self.paused:
            self._held.setdefault(name, self._record)
            self._not_saved(name, name, PAUSED)
            return
        self._save(name, seen)

    def _save(self, name: str, seen: Record) -> bool:
        """Save one field from the record as the user saw it (the version check's base).
        A refused save keeps the edit held, so the table stays on the record until it is
        saved or settled (a conflict's choice, or Escape in the field)."""
        assert self._commit is not None  # a form for a new record holds nothing
        value = self.editors[name].value()  # type: ignore[attr-defined]
        if value == getattr(seen, name) and name in self._held:
            self._held.pop(name)  # put back as it was: nothing left to save
            return True
        self._held.pop(name, None)  # a reload while saving shows what was saved
        try:
            self._commit(seen, name, value)
        except PlannerError as exc:
            self._held[name] = seen
            self._not_saved(name, getattr(exc, "field", None) or name, str(exc))
            return False
        self.errors[name].hide()
        return True

    def save_held(self) -> None:
        """Save every field whose edit is held, each under its own version check; a field
        whose save is refused stays held, with the reason under it."""
        if self.paused or self._commit is None:
            return
        for name, seen in list(self._held.items()):
            if name in self._held and self._record is not None and seen.id == self._record.id:
                try:
                    self._record.with_changes(**{name: self.editors[name].value()})  # type: ignore[attr-defined]
                except DomainError as exc:
                    self._not_saved(
                        name, exc.field if exc.field in self.editors else name, str(exc)
                    )
                    continue
                self._save(name, seen)

    def settled(self, record_id: str, names: Collection[str], now: Record | None) -> None:
        """A conflict over these fields was settled (or the record is gone): their edits are
        held no more, and each shows `now`, the record as stored (None: leave the values)."""
        if self._record is None or self._record.id != record_id:
            return
        for name in names:
            self._held.pop(name, None)
            if now is not None and name in self.editors and name not in self.withheld:
                self.editors[name].set_value(getattr(now, name))  # type: ignore[attr-defined]
                self.errors[name].hide()
        if now is not None:
            self._record = now

    def drop(self, name: str) -> bool:
        """Escape in a field whose edit is held: the user drops it; the stored value shows."""
        if name not in self._held or self._record is None:
            return False
        self._held.pop(name)
        self.editors[name].set_value(getattr(self._record, name))  # type: ignore[attr-defined]
        self.errors[name].hide()
        return True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Escape
        ):
            for name, editor in self.editors.items():
                if (editor is watched or editor.isAncestorOf(watched)) and self.drop(name):  # type: ignore[arg-type]
                    return True
        return super().eventFilter(watched, event)

    def _not_saved(self, name: str, shown_at: str, message: str) -> None:
        """Say why under the field; the text stays, and saving it again is offered."""
        self.show_error(shown_at, message)
        forget = getattr(self.editors[name], "forget_saved", None)
        if forget is not None:
            forget()

    def holding(self) -> Record | None:
        """The record whose unsaved edit the form keeps (it must stay shown): held while
        offline, or refused once back until it is saved or settled."""
        return self._record if self._held else None

    def unsaved(self) -> bool:
        """Whether an edit here is not saved yet: held, or typed in the focused field."""
        return bool(self._held) or self._typing() is not None

    def _typing(self) -> str | None:
        """The focused field, where what it holds differs from the record's (and is a value)."""
        focus = QApplication.focusWidget()
        if focus is None or self._record is None or self._commit is None:
            return None
        for name, editor in self.editors.items():
            if editor is focus or editor.isAncestorOf(focus):
                try:
                    typed = editor.value()  # type: ignore[attr-defined]
                except DomainError:
                    return None
                return name if typed != getattr(self._record, name) else None
        return None

    def finish_typing(self) -> None:
        """The field being typed in is done with, as if the user left it: before the form
        shows another record, its edit is saved (or held while offline), never dropped."""
        name = self._typing()
        if name is not None:
            self._on_edited(name)

    def pause(self, paused: bool) -> None:
        """Offline, no field takes a new edit, and none is saved; the field being typed in
        keeps its text and may go on, as does one whose save was refused (held). Nothing is
        disabled, so every value can still be selected. Once back, each held edit is saved
        here, through the usual version check: none waits for the user to save it again."""
        if paused == self.paused:
            return
        self.paused = paused
        focus = QApplication.focusWidget()
        for name, editor in self.editors.items():
            typing = focus is not None and (editor is focus or editor.isAncestorOf(focus))
            _hold(editor, paused and not typing and name not in self._held)
        if not paused:
            self.save_held()

    def _validate_field(self, name: str) -> Record | None:
        if self._record is None:
            return None
        self._clear_errors()
        try:
            candidate = self._record.with_changes(**{name: self.editors[name].value()})  # type: ignore[attr-defined]
        except DomainError as exc:
            self.show_error(exc.field if exc.field in self.editors else name, str(exc))
            return None
        self._show_barrier(candidate)
        self._set_valid(True)
        return candidate

    def _validate_new(self, name: str | None, *, quiet: bool = False) -> None:
        """Check the whole new record.

        `quiet` (nothing typed yet) only disables Add, except for a reference with
        nothing to pick from, which the user must hear about before typing anything.
        """
        self._clear_errors()
        self._show_barrier(None)
        try:
            build(self.kind, self.new_values())
        except DomainError as exc:
            target = exc.field if exc.field in self.editors else name
            picked = target is not None and self.record_class.SPECS[target].kind is FieldKind.REF
            if target is not None and (not quiet or picked):
                self.show_error(target, str(exc))
            else:
                self._set_valid(False)
            return
        self._set_valid(True)

    def show_error(self, name: str, message: str) -> None:
        label = self.errors.get(name)
        if label is not None:
            label.setText(people_dates(message))
            label.show()
        self._set_valid(False)

    def error_text(self, name: str) -> str:
        label = self.errors[name]
        return label.text() if not label.isHidden() else ""

    def _clear_errors(self) -> None:
        """Hide the lines under the fields, but not the one saying why a held edit waits."""
        for name, label in self.errors.items():
            if name not in self._held:
                label.hide()

    def _set_valid(self, valid: bool) -> None:
        if valid != self.valid:
            self.valid = valid
            self.validity_changed.emit(valid)

    def _show_barrier(self, record: Record | None) -> None:
        """The ADKAR barrier point, from the record or (while adding) from the spin boxes."""
        if self.barrier is None:
            return
        if not isinstance(record, Stakeholder):
            record = Stakeholder.trusted(
                **{
                    name: self.editors[name].value()  # type: ignore[attr-defined]
                    for name in ADKAR_FIELDS
                }
            )
        stage = record.adkar_barrier
        self.barrier.setText(stage.label if stage else "None: every stage above 3")


def _hold(editor: QWidget, held: bool) -> None:
    """Make an editor take no edit, keeping its text selectable where it has any."""
    if isinstance(editor, DateField):
        editor.calendar_action.setEnabled(not held)
    read_only = getattr(editor, "setReadOnly", None)
    if read_only is not None:
        read_only(held)
    else:
        editor.setEnabled(not held)


def _visual_order(names: list[str]) -> list[str]:
    """The fields as the form shows them: those of the main list, then each group's, in
    the order the groups appear. Tab follows the order the editors are made in, so this
    keeps it from jumping down into the ADKAR boxes and back up to the date below them."""

    def group(name: str) -> int:
        return next((i for i, m in enumerate(_GROUPS.values(), 1) if name in m), 0)

    firsts = {group(n): i for i, n in reversed(list(enumerate(names)))}
    return sorted(names, key=lambda n: (group(n) != 0, firsts[group(n)]))


def scrolling(form: QWidget) -> QScrollArea:
    """A form in a scroll area that is no stop of its own for Tab (its fields are)."""
    area = QScrollArea()
    area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    area.setWidgetResizable(True)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    area.setWidget(form)
    return area


class RecordDialog(QDialog):
    """Add a record: the form for a new one, with Add enabled only while it is valid.

    Opened with `open()` (window-modal, never a blocking `exec()`); `create(values)`
    is called on Add and may raise PlannerError, whose message is shown and the
    dialog kept open.
    """

    def __init__(
        self,
        kind: str,
        lookup: Lookup,
        base_values: dict[str, Any],
        create: Callable[[dict[str, Any]], Record],
        parent: QWidget | None = None,
        date_hint: DateHint | None = None,
        currency: Currency | None = None,
    ) -> None:
        super().__init__(parent)
        cls = record_type(kind)
        self.setWindowTitle(f"Add {readable(cls.LABEL)}")
        self.setObjectName(f"add_{kind}")
        self.form = RecordForm(kind, lookup, date_hint=date_hint, currency=currency, parent=self)
        self.created: Record | None = None
        self._create = create
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setStyleSheet(f"color: {error_colour(self)};")
        self.message.hide()
        self.buttons = QDialogButtonBox(self)
        self.add_button = self.buttons.addButton("Add", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._add)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(scrolling(self.form), 1)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.form.validity_changed.connect(self.add_button.setEnabled)
        self.form.set_new(base_values)
        self.add_button.setEnabled(self.form.valid)
        self.resize(460, min(760, 140 + 44 * len(self.form.editors)))
        first = next(iter(self.form.editors.values()), None)
        if first is not None:
            first.setFocus()

    def _add(self) -> None:
        if not self.form.valid:
            return
        try:
            self.created = self._create(self.form.new_values())
        except PlannerError as exc:
            field = getattr(exc, "field", None)
            if field in self.form.editors:
                self.form.show_error(field, str(exc))
            else:
                self.message.setText(people_dates(str(exc)))
                self.message.show()
            return
        self.accept()
