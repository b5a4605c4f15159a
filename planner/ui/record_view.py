"""A table of one kind of record with its form and its sub-records: the workhorse view.

`RecordView` shows the records of `spec.kind` under one parent (the initiative,
or the record selected in the enclosing view), with a filter box, a column
chooser, sortable columns and inline editing, and beside (or below) the table a
tab with the current record's form followed by one tab per child table (KPIs
under an objective, measurements under a KPI...). Every change goes through the
planning service; the view reloads when the window tells it the plan changed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QEvent, QItemSelectionModel, QObject, QPoint, Qt, QTimer
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QSplitter,
    QTableView,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from planner.domain.changes import Action
from planner.domain.errors import ConflictError, PlannerError
from planner.domain.fields import FieldKind
from planner.domain.quoting import shown
from planner.domain.records import Record, record_type
from planner.services.history import Command
from planner.ui.columns import STRETCHING, ColumnFit, base_width
from planner.ui.context import PlanContext
from planner.ui.delegates import FieldDelegate, RecordTable
from planner.ui.formatting import counted, people_dates, readable
from planner.ui.models import RecordFilterProxy, RecordTableModel
from planner.ui.record_form import (
    PAUSED,
    RecordDialog,
    RecordForm,
    form_fields,
    scrolling,
    steady_error_label,
)
from planner.ui.record_history import RecordHistoryPanel

BIG_TABLE = 2000
"""Above this many rows the filter waits for a pause in typing before it runs."""


@dataclass(frozen=True)
class TableSpec:
    """What a RecordView shows: a kind, its columns, and the child tables under it."""

    kind: str
    hidden: tuple[str, ...] = ()
    children: tuple[TableSpec, ...] = ()
    sort: str | None = "name"
    children_height: int = 400
    columns: tuple[str, ...] = field(default=())
    empty: tuple[str, str] | None = None
    """As a child table: what one line says instead of the empty table, and the window's
    command it offers (snapshots are taken, not added: "No snapshots yet — Take snapshot")."""

    def column_names(self) -> list[str]:
        return list(self.columns) if self.columns else form_fields(self.kind)


def describe_dependents(counts: dict[str, int]) -> str:
    parts = []
    for kind, count in sorted(counts.items()):
        cls = record_type(kind)
        parts.append(counted(count, cls.LABEL, cls.PLURAL))
    return ", ".join(parts)


class RecordView(QWidget):
    def __init__(
        self,
        ctx: PlanContext,
        spec: TableSpec,
        parent: QWidget | None = None,
        *,
        nested: bool = False,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.spec = spec
        self.kind = spec.kind
        # Where its dividers are remembered: a table under another kind's rows (sessions
        # under a course, stakeholders under a unit) is laid out apart from its own page.
        self._place = f"{parent.kind}.{spec.kind}" if isinstance(parent, RecordView) else spec.kind
        self.record_class = record_type(spec.kind)
        self.nested = nested
        self._leaving = False
        self._leave_pending = False
        self._saved_versions: dict[str, int] = {}
        """Each record's version after the user's own last save here (the form's guard)."""
        self.parent_id: str | None = None
        self.setObjectName(f"view_{spec.kind}")
        columns = spec.column_names()
        self.model = RecordTableModel(
            spec.kind,
            columns,
            commit=self._commit_cell,
            titles=ctx.titles,
            currency=ctx.currency,
            parent=self,
        )
        self.model.edit_refused.connect(self._refused)
        self.proxy = RecordFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = self._make_table(columns)
        self.form = RecordForm(
            spec.kind,
            ctx,
            commit=self._commit_field,
            date_hint=ctx.date_hint,
            currency=ctx.currency,
            parent=self,
        )
        self.history = RecordHistoryPanel(ctx, spec.kind, self)
        self.children_views: list[RecordView] = []
        self.details = QTabWidget(self)
        self.details.setDocumentMode(True)
        for child_spec in spec.children:
            child = RecordView(ctx, child_spec, self, nested=True)
            self.children_views.append(child)
            self.details.addTab(child, record_type(child_spec.kind).PLURAL)
        self._build_layout()
        self._restore_columns()
        self._splitters_restored = False
        self.last_dialog: RecordDialog | None = None
        self._ref_kinds = {
            spec.ref for spec in self.model.specs if spec.kind in (FieldKind.REF, FieldKind.REFS)
        }
        self.table.installEventFilter(self)
        self.table.selectionModel().currentRowChanged.connect(self._on_current)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)

    # ------------------------------------------------------------------ layout
    def _make_table(self, columns: list[str]) -> QTableView:
        table = RecordTable(self)
        table.setObjectName(f"table_{self.kind}")
        table.setModel(self.proxy)
        delegate = FieldDelegate(self.kind, columns, self.ctx, table, self.ctx.currency)
        delegate.hold_while(lambda: self.ctx.offline, lambda: self._refused(PAUSED))
        table.setItemDelegate(delegate)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        table.setAlternatingRowColors(True)
        table.setTabKeyNavigation(False)
        table.setWordWrap(False)
        table.verticalHeader().hide()
        table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 10)
        header = table.horizontalHeader()
        header.setSectionsMovable(True)
        header.setHighlightSections(False)
        sort_column = columns.index(self.spec.sort) if self.spec.sort in columns else -1
        header.setSortIndicator(sort_column, Qt.SortOrder.AscendingOrder)
        table.setSortingEnabled(True)
        specs = [self.record_class.SPECS[name] for name in columns]
        metrics = table.fontMetrics()
        self.columns = ColumnFit(
            table,
            [base_width(s, metrics, name=n == "name") for s, n in zip(specs, columns, strict=True)],
            [s.kind in STRETCHING for s in specs],
        )
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._column_menu_at)
        return table

    def _build_layout(self) -> None:
        plural = readable(self.record_class.PLURAL)
        self.add_button = self._button("Add", f"Add: {readable(self.record_class.LABEL)}", self.add)
        self.duplicate_button = self._button(
            "Duplicate", "Duplicate the selected rows", self.duplicate
        )
        self.delete_button = self._button("Delete", "Delete the selected rows", self.delete)
        self.filter = QLineEdit(self)
        self.filter.setObjectName(f"filter_{self.kind}")
        self.filter.setPlaceholderText(f"Filter {plural}…")
        self.filter.setClearButtonEnabled(True)
        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(200)
        self._filter_timer.timeout.connect(self._apply_filter)
        self.filter.textChanged.connect(self._filter_changed)
        self.count = QLabel(self)
        self.columns_button = QToolButton(self)
        self.columns_button.setText("Columns")
        self.columns_button.setToolTip("Choose the columns to show")
        self.columns_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.columns_button.setMenu(self._column_menu())
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        for button in (self.add_button, self.duplicate_button, self.delete_button):
            bar.addWidget(button)
        bar.addSpacing(8)
        self.error = steady_error_label(self)
        self.error.setObjectName(f"error_{self.kind}")
        bar.addWidget(self.filter, 3)
        bar.addWidget(self.error, 2)
        bar.addWidget(self.count)
        bar.addWidget(self.columns_button)
        top = QWidget(self)
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addLayout(bar)
        top_layout.addWidget(self.table, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName(f"splitter_{self.kind}")
        self.splitter.addWidget(top)
        side = QWidget(self)
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.setSpacing(0)
        side_layout.addWidget(scrolling(self.form), 1)
        side_layout.addWidget(self.history)
        self.splitter.addWidget(side)
        # A wider window widens the table, where names and text want the room; the form
        # keeps a width its fields read well at (the divider still moves either way).
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 0)
        self.splitter.setSizes([800, 430])
        self.splitter.setChildrenCollapsible(False)
        outer: QWidget = self.splitter
        if self.children_views:
            outer = QSplitter(Qt.Orientation.Vertical, self)
            outer.addWidget(self.splitter)
            outer.addWidget(self.details)
            outer.setChildrenCollapsible(False)
            outer.setSizes([800 - self.spec.children_height, self.spec.children_height])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0 if self.nested else 8, 6, 0 if self.nested else 8, 0)
        layout.addWidget(outer)
        self.empty_children = self._empty_line()
        layout.addWidget(self.empty_children)
        self._outer = outer
        self.setTabOrder(self.filter, self.table)
        self._update_buttons()

    def _empty_line(self) -> QLabel:
        """One line under the table for child tables that say so when they are empty."""
        line = QLabel(self)
        line.setObjectName(f"empty_children_{self.kind}")
        line.setContentsMargins(2, 4, 2, 4)
        collapsing = [c for c in self.spec.children if c.empty is not None]
        if collapsing and len(collapsing) == len(self.spec.children):
            text, command = collapsing[0].empty or ("", "")
            action = self.ctx.actions.get(command)
            if action is not None:
                name = action.text().replace("&", "")
                keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
                text += f' — <a href="{command}">{name}</a>' + (f" ({keys})" if keys else "")
                line.linkActivated.connect(lambda _link: action.trigger())
            line.setText(text)
        line.hide()
        return line

    def _fit_children(self) -> None:
        """Child tables that are all empty and say so in one line give their room to the table."""
        collapse = bool(self.empty_children.text()) and all(
            child.model.rowCount() == 0 for child in self.children_views
        )
        self.details.setVisible(not collapse)
        self.empty_children.setVisible(collapse)

    def _button(self, text: str, tip: str, slot: Any) -> QToolButton:
        button = QToolButton(self)
        button.setText(text)
        button.setToolTip(tip)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        button.clicked.connect(slot)
        return button

    def _column_menu(self) -> QMenu:
        menu = QMenu(self)
        for i, spec in enumerate(self.model.specs):
            action = QAction(spec.label, menu)
            action.setCheckable(True)
            action.setChecked(True)
            action.toggled.connect(lambda on, col=i: self.set_column_visible(col, on))
            menu.addAction(action)
        menu.aboutToShow.connect(self._sync_column_menu)
        return menu

    def _sync_column_menu(self) -> None:
        menu = self.columns_button.menu()
        for i, action in enumerate(menu.actions()):
            action.blockSignals(True)
            action.setChecked(not self.table.isColumnHidden(i))
            action.blockSignals(False)

    def _column_menu_at(self, point: QPoint) -> None:
        self._sync_column_menu()
        self.columns_button.menu().popup(self.table.horizontalHeader().mapToGlobal(point))

    def set_column_visible(self, column: int, visible: bool) -> None:
        if (
            not visible
            and sum(not self.table.isColumnHidden(c) for c in range(self.model.columnCount())) <= 1
        ):
            return
        self.table.setColumnHidden(column, not visible)
        self.columns.fit()
        hidden = {
            self.model.columns[c]
            for c in range(self.model.columnCount())
            if self.table.isColumnHidden(c)
        }
        self.ctx.settings.set_hidden_columns(self.kind, hidden)

    def _restore_columns(self) -> None:
        saved = self.ctx.settings.hidden_columns(self.kind)
        defaults = set(self.spec.hidden) | {
            name
            for name, spec in zip(self.model.columns, self.model.specs, strict=True)
            if spec.kind is FieldKind.LONGTEXT
        }
        hidden = saved if saved else defaults
        for i, name in enumerate(self.model.columns):
            self.table.setColumnHidden(i, name in hidden)
        self.columns.fit()

    def _splitters(self) -> dict[str, QSplitter]:
        found = {"table": self.splitter}
        if isinstance(self._outer, QSplitter):
            found["children"] = self._outer
        return found

    def showEvent(self, event: QShowEvent) -> None:
        # The dividers go back where the user left them once the page has its size:
        # restored earlier, the table's stretch would take whatever the page grew by.
        super().showEvent(event)
        if not self._splitters_restored:
            self._splitters_restored = True
            QTimer.singleShot(0, self._restore_splitters)

    def _restore_splitters(self) -> None:
        for name, splitter in self._splitters().items():
            state = self.ctx.settings.blob(f"splitters/{self._place}/{name}")
            if state is not None:
                splitter.restoreState(state)

    def save_layout(self) -> None:
        """Remember where the user put the dividers (called when the window closes)."""
        if not self._splitters_restored:
            return  # never shown: nothing the user could have moved
        for name, splitter in self._splitters().items():
            self.ctx.settings.set_blob(f"splitters/{self._place}/{name}", splitter.saveState())

    # --------------------------------------------------------------- loading
    def set_parent_id(self, parent_id: str | None) -> None:
        self.parent_id = parent_id
        self.reload()

    def reload(self) -> None:
        """Load this view's records once (no per-cell queries) and keep the selection."""
        current = self.current_record()
        selected = set(self.selected_ids())
        records = self.ctx.listing(self.kind, self.parent_id) if self.parent_id else []
        self.model.read_only = self.ctx.read_only
        self.model.withheld = self.ctx.withheld(self.kind)
        self.form.set_withheld(self.model.withheld)
        if records:
            for kind in self._ref_kinds:
                if kind is not None:
                    self.ctx.titles(kind)  # the names its link columns show, read now, not in paint
        self.model.set_records(records)
        self.model.refresh_titles()
        self._restore_selection(current.id if current else None, selected)
        self._on_current()
        self._update_count()
        self._update_buttons()

    def apply_change(self, command: Command) -> None:
        """Follow one edit cheaply: patch rows that were only updated, reload otherwise."""
        mine = command.touching(self.kind)
        if not mine:
            if command.kinds & self._ref_kinds:
                self.model.refresh_titles()
                self.form.set_record(self.current_record())
            if "initiative" in command.kinds:
                self.model.refresh_money()
                self.form.set_record(self.current_record())
            for child in self.children_views:
                child.apply_change(command)
            if self.children_views:
                self._fit_children()
            return
        ids = [c.id for c in mine if c.action is Action.UPDATE]
        if len(ids) != len(mine) or any(self.model.row_of(i) < 0 for i in ids):
            self.reload()
            return
        self.model.update_records([self.ctx.service.get(self.kind, i) for i in ids])
        self._on_current()
        self._update_count()

    def _restore_selection(self, current_id: str | None, selected: set[str]) -> None:
        selection = self.table.selectionModel()
        target = self._proxy_row(current_id) if current_id else -1
        if target < 0 and self.proxy.rowCount() and not self.table.currentIndex().isValid():
            target = 0
        if target < 0 and self.table.currentIndex().isValid():
            return
        selection.blockSignals(True)
        selection.clearSelection()
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        for ident in selected:
            row = self._proxy_row(ident)
            if row >= 0:
                selection.select(self.proxy.index(row, 0), flags)
        if target >= 0:
            selection.setCurrentIndex(
                self.proxy.index(target, self._first_visible_column()),
                flags if not selected else QItemSelectionModel.SelectionFlag.NoUpdate,
            )
        selection.blockSignals(False)
        self.table.viewport().update()

    def _first_visible_column(self) -> int:
        for c in range(self.model.columnCount()):
            if not self.table.isColumnHidden(c):
                return c
        return 0

    def _proxy_row(self, record_id: str | None) -> int:
        row = self.model.row_of(record_id) if record_id else -1
        if row < 0:
            return -1
        return self.proxy.mapFromSource(self.model.index(row, 0)).row()

    def _on_current(self, *_args: Any) -> None:
        self._show_current()

    def _show_current(self, *, tried: bool = False) -> None:
        """Show the current row's record in the form. Where the form has an edit not yet
        saved (being typed in, or held), it is saved first, just after the table's change of
        row (a save re-sorts the rows: never inside that change); what cannot be saved now
        keeps the table on its record."""
        if self._leaving:
            return  # a save made on the way to another row; the move itself shows it
        record = self.current_record()
        kept = self.form.record
        leaving = kept is not None and (record is None or record.id != kept.id)
        if leaving and not tried and self.form.unsaved():
            if not self._leave_pending:
                self._leave_pending = True
                QTimer.singleShot(0, self._leave_record)
            return
        kept = self.form.holding()
        if kept is not None and (record is None or record.id != kept.id):
            # Showing another record would drop the edit the form keeps unsaved.
            QTimer.singleShot(0, lambda: self.select(kept.id))
            until = (
                "until the window is back online"
                if self.ctx.offline
                else "until it is saved, or dropped with Esc in its field"
            )
            self._refused(
                f"Your unsaved edit of ‘{shown(kept.title)}’ is kept: the table stays on it {until}"
            )
            return
        self.form.set_record(record)
        self.form.setEnabled(not self.ctx.service.db.read_only)
        self.form.pause(self.ctx.offline)
        self.history.set_record(record)
        for child in self.children_views:
            child.follow_parent(record.id if record else None)
        if self.children_views:
            self._fit_children()

    def _leave_record(self) -> None:
        """On the way to another row: the field being typed in is finished and every held
        edit saved (online; held while offline), then the row chosen is shown, or, where an
        edit could not be saved, the table goes back to its record."""
        self._leave_pending = False
        self._leaving = True
        try:
            self.form.finish_typing()
            self.form.save_held()
        finally:
            self._leaving = False
        self._show_current(tried=True)

    def follow_parent(self, parent_id: str | None) -> None:
        """Show the rows under another parent; offline, where they cannot be read, the
        table is emptied rather than left showing another parent's rows, and says why."""
        try:
            self.set_parent_id(parent_id)
        except PlannerError as exc:
            if not self.ctx.offline:
                raise
            self.model.set_records([])
            self._update_count()
            self._update_buttons()
            self._refused(str(exc))

    def _filter_changed(self, _text: str) -> None:
        if self.model.rowCount() > BIG_TABLE:
            self._filter_timer.start()
        else:
            self._apply_filter()

    def _apply_filter(self) -> None:
        self.proxy.setFilterFixedString(self.filter.text())
        self._update_count()

    def _update_count(self) -> None:
        total, shown = self.model.rowCount(), self.proxy.rowCount()
        whole = counted(total, self.record_class.LABEL, self.record_class.PLURAL)
        self.count.setText(f"{shown:,} of {whole}" if shown != total else whole)

    def writable_changed(self) -> None:
        """Saving turned on or off (the team server lost or back): follow it without a
        reload, so that a cell or field being edited stays open with what was typed."""
        self.model.read_only = self.ctx.read_only
        if not self.ctx.offline:
            self.error.hide()
        self.form.pause(self.ctx.offline)
        delegate = self.table.itemDelegate()
        if not self.ctx.offline and isinstance(delegate, FieldDelegate):
            delegate.release()
        self._update_buttons()

    def _update_buttons(self, *_args: Any) -> None:
        writable = not self.ctx.read_only
        has_rows = bool(self.selected_ids())
        self.add_button.setEnabled(writable and self.parent_id is not None)
        self.duplicate_button.setEnabled(writable and has_rows)
        self.delete_button.setEnabled(writable and has_rows)

    # -------------------------------------------------------------- selection
    def current_record(self) -> Record | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        return self.proxy.record(index)

    def selected_ids(self) -> list[str]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        if not rows:
            current = self.current_record()
            return [current.id] if current else []
        return [self.proxy.record(self.proxy.index(r, 0)).id for r in rows]

    def select(self, record_id: str) -> bool:
        row = self._proxy_row(record_id)
        if row < 0 and self.model.row_of(record_id) >= 0:
            self.filter.clear()
            row = self._proxy_row(record_id)
        if row < 0:
            return False
        index = self.proxy.index(row, self._first_visible_column())
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index)
        return True

    def handles(self, kind: str) -> bool:
        return kind == self.kind or any(child.handles(kind) for child in self.children_views)

    def show_record(self, kind: str, record_id: str) -> bool:
        """Select a record of this kind, or the ancestor here and then the record below it."""
        if kind == self.kind:
            found = self.select(record_id)
            if found:
                self.table.setFocus()
            return found
        for child in self.children_views:
            if child.handles(kind):
                ancestor = self.ctx.ancestor_id(kind, record_id, self.kind)
                if ancestor is None or not self.select(ancestor):
                    return False
                self.details.setCurrentWidget(child)
                return child.show_record(kind, record_id)
        return False

    # ------------------------------------------------------------ moving about
    def current_child(self) -> RecordView | None:
        """The table under the selected row that shows (the current tab below)."""
        widget = self.details.currentWidget()
        return widget if isinstance(widget, RecordView) else None

    def open_children(self) -> RecordView | None:
        """Put the cursor in the table under the selected row (Ctrl+Down, Enter on the row)."""
        child = self.current_child()
        if child is None or self.current_record() is None:
            return None
        child.table.setFocus()
        if child.proxy.rowCount() and not child.table.currentIndex().isValid():
            child.table.setCurrentIndex(child.proxy.index(0, child._first_visible_column()))
        return child

    def parent_view(self) -> RecordView | None:
        """The table this one hangs under (None for a page's own table)."""
        widget = self.parentWidget()
        while widget is not None and not isinstance(widget, RecordView):
            widget = widget.parentWidget()
        return widget

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Enter on a row that has rows below it goes down into them (not while editing)."""
        if (
            watched is self.table
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
            and self.table.state() != QAbstractItemView.State.EditingState
            and self.open_children() is not None
        ):
            return True
        return super().eventFilter(watched, event)

    # ---------------------------------------------------------------- editing
    def _commit_cell(self, record: Record, changes: dict[str, Any]) -> None:
        # From the version shown: where someone else saved the record since, it is refused
        # and the user chooses (once the cell's editor has closed).
        try:
            self.ctx.service.update(self.kind, record.id, changes, version=record.version)
        except ConflictError:
            # Refused in one line at once (the cell keeps what is saved), then the choice.
            QTimer.singleShot(0, lambda: self.settle_conflict(record.id, changes, record))
            raise
        self.error.hide()

    def settle_conflict(
        self, record_id: str, changes: dict[str, Any], seen: Record | None = None
    ) -> None:
        """Someone else saved the record first: theirs beside yours, and the user chooses.

        `seen` is the record as the user last saw it: the other person's changes to fields
        the user did not touch are listed too, and kept whatever the user chooses (a save
        writes only the user's own fields: the merge is field by field)."""
        from planner.ui.conflict_dialog import ConflictDialog, value_describer

        try:
            theirs = self.ctx.service.get(self.kind, record_id)
        except PlannerError:
            self.form.settled(record_id, changes, None)
            self.reload()
            self._refused("someone else removed the record meanwhile; nothing of yours was saved")
            return
        self.ctx.notify_changed(frozenset({self.kind}))
        describe = value_describer(self.ctx.titles, self.ctx.currency())
        dialog = ConflictDialog(theirs, changes, describe, self.window(), seen=seen)
        choice = self.ctx.dialogs.settle_conflict(dialog)
        dialog.deleteLater()
        if choice == "mine":
            try:
                saved = self.ctx.service.update(
                    self.kind, record_id, changes, version=theirs.version
                )
            except ConflictError:
                self.settle_conflict(record_id, changes, theirs)
                return
            except PlannerError as exc:
                self._refused(str(exc))
                return
            self._saved_versions[record_id] = saved.version
            self.form.settled(record_id, changes, saved)
            self.ctx.report(f"Saved yours over the other change to ‘{theirs.title}’")
        else:
            # Theirs stays: an edit the form held is dropped (said below), not saved later.
            self.form.settled(record_id, changes, theirs)
            self.reload()
            kept = "Kept the other change" if choice == "theirs" else "Nothing saved"
            self.ctx.report(f"{kept} to ‘{theirs.title}’")
        self.error.hide()

    def _commit_field(self, record: Record, name: str, value: Any) -> None:
        # The form keeps the record it was opened on while it saves field by field: the
        # version the user last saw is that one's, or the one of their own last save here.
        seen = max(record.version, self._saved_versions.get(record.id, 0))
        try:
            saved = self.ctx.service.update(self.kind, record.id, {name: value}, version=seen)
        except ConflictError:
            # The field says why at once; then theirs beside yours, as for a cell.
            QTimer.singleShot(0, lambda: self.settle_conflict(record.id, {name: value}, record))
            raise
        self._saved_versions[record.id] = saved.version

    def _refused(self, message: str) -> None:
        message = people_dates(message)
        self.error.setText(message)
        self.error.show()
        self.ctx.report(message, error=True)

    def add(self, values: dict[str, Any] | None = None) -> RecordDialog | None:
        """Open the Add form for a new record here, starting with `values` filled in."""
        if self.parent_id is None or self.ctx.read_only:
            return None
        parent_field = self.record_class.PARENT[0] if self.record_class.PARENT else None
        base = {**(values or {}), **({parent_field: self.parent_id} if parent_field else {})}
        dialog = RecordDialog(
            self.kind,
            self.ctx,
            base,
            self._create,
            self.window(),
            date_hint=self.ctx.date_hint,
            currency=self.ctx.currency,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.last_dialog = dialog
        dialog.finished.connect(lambda _r: self._dialog_closed(dialog))
        dialog.open()
        return dialog

    def _create(self, values: dict[str, Any]) -> Record:
        return self.ctx.service.create(self.kind, values)

    def _dialog_closed(self, dialog: RecordDialog) -> None:
        if dialog.created is not None:
            self.reload()
            self.select(dialog.created.id)
            self.ctx.report(
                f"Added {readable(self.record_class.LABEL)} ‘{shown(dialog.created.title)}’"
            )
        self.window().activateWindow()
        self.table.setFocus()
        if self.last_dialog is dialog:
            self.last_dialog = None

    def duplicate(self) -> list[Record]:
        ids = self.selected_ids()
        if not ids or self.ctx.read_only:
            return []
        try:
            copies = self.ctx.service.duplicate(self.kind, ids)
        except PlannerError as exc:
            self._refused(str(exc))
            return []
        self.reload()
        if copies:
            self.select(copies[0].id)
        return copies

    def delete(self) -> bool:
        ids = self.selected_ids()
        if not ids or self.ctx.read_only:
            return False
        cls = self.record_class
        if len(ids) == 1:
            what = f"{readable(cls.LABEL)} ‘{shown(self.ctx.service.get(self.kind, ids[0]).title)}’"
        else:
            what = f"{len(ids)} {readable(cls.PLURAL)}"
        text = f"Delete {what}?"
        also = describe_dependents(self.ctx.service.dependents(self.kind, ids))
        if also:
            text += f"\n\nThis also deletes {also}."
        text += "\n\nEdit → Undo brings it back."
        if not self.ctx.dialogs.confirm(self, f"Delete {readable(cls.PLURAL)}", text, "Delete"):
            return False
        versions: dict[str, int] | None = self._shown_versions(ids)
        while True:
            try:
                self.ctx.service.delete(self.kind, ids, versions=versions)
                break
            except ConflictError as exc:
                # Someone else changed (or removed) one of them since it was shown: ask again.
                versions = self._ask_delete_changed(exc, ids)
                if versions is None:
                    self.reload()
                    self.ctx.report(f"Nothing deleted: {what} changed meanwhile")
                    return False
            except PlannerError as exc:
                self._refused(str(exc))
                return False
        self.error.hide()
        self.ctx.report(f"Deleted {what} (Ctrl+Z to undo)")
        return True

    def _shown_versions(self, ids: list[str]) -> dict[str, int]:
        """The version of each of these records as the table shows them."""
        wanted = set(ids)
        return {r.id: r.version for r in self.model.records if r.id in wanted}

    def _ask_delete_changed(self, exc: ConflictError, ids: list[str]) -> dict[str, int] | None:
        """Someone changed a record the user is deleting: say who saw what, and ask.

        Returns the versions to delete now (those just read), or None to delete nothing."""
        try:
            now = [self.ctx.service.get(self.kind, i) for i in ids]
        except PlannerError:
            self.reload()
            self._refused("someone else removed it meanwhile; nothing was deleted")
            return None
        by_id = {r.id: r for r in self.model.records}
        changed = [r for r in now if by_id.get(r.id) is None or by_id[r.id].version != r.version]
        names = ", ".join(f"‘{shown(r.title)}’" for r in changed) or str(exc)
        text = (
            f"Someone else changed {names} after you last saw it. Delete it anyway, with "
            "their change?\n\nEdit → Undo brings it back."
        )
        cls = self.record_class
        if not self.ctx.dialogs.confirm(
            self, f"Delete changed {readable(cls.PLURAL)}", text, "Delete anyway"
        ):
            return None
        return {r.id: r.version for r in now}
