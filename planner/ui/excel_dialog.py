"""The import preview: what a workbook would change, settled by the user before anything does.

A view only: it shows an `ImportPreview` and emits what the user asked for
(re-preview with pruning, save the report, apply with these conflict choices);
`planner.ui.excel_exchange` does the work off the UI thread.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from planner.domain.quoting import shown
from planner.services.excel.preview import ImportPreview, Side, Status
from planner.ui.excel_models import (
    ChangesModel,
    ConflictsModel,
    PreviewLines,
    ProblemsModel,
    SheetCountsModel,
)

RESIZE_SAMPLE_ROWS = 50


def _table(model: object, parent: QWidget, *, stretch_last: bool = True) -> QTableView:
    table = QTableView(parent)
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
    table.setModel(model)  # type: ignore[arg-type]
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.verticalHeader().hide()
    header = table.horizontalHeader()
    # Column widths from the first rows only: an import can list tens of thousands.
    header.setResizeContentsPrecision(RESIZE_SAMPLE_ROWS)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(stretch_last)
    return table


class ImportPreviewDialog(QDialog):
    prune_toggled = Signal(bool)
    plan_choice_requested = Signal(str)
    report_requested = Signal()
    apply_requested = Signal()

    def __init__(
        self,
        preview: ImportPreview,
        parent: QWidget | None = None,
        lines: PreviewLines | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("import_preview")
        self.setWindowTitle("Import from Excel")
        self.preview = preview
        self.counts = SheetCountsModel(self)
        self.changes = ChangesModel(self)
        self.conflicts = ConflictsModel(self)
        self.problems = ProblemsModel(self)
        self.heading = QLabel(self)
        self.heading.setWordWrap(True)
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.counts_table = _table(self.counts, self, stretch_last=False)
        self.counts_table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.counts_table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.counts_table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        self.counts_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tabs = QTabWidget(self)
        self.changes_table = _table(self.changes, self)
        self.problems_table = _table(self.problems, self)
        self.tabs.addTab(self.changes_table, "Changes")
        self.tabs.addTab(self._conflicts_page(), "Conflicts")
        self.tabs.addTab(self.problems_table, "Problems")
        self.prune = QCheckBox("Delete rows missing from the workbook", self)
        self.prune.setObjectName("prune")
        self.prune.setToolTip(
            "Records of the plan that the workbook no longer lists are "
            "deleted by the import (undoable)"
        )
        self.prune.setChecked(preview.prune)
        self.prune.toggled.connect(self.prune_toggled)
        self.other_plan = self._other_plan_row()
        self.reason = QLabel(self)
        self.reason.setTextFormat(Qt.TextFormat.PlainText)
        self.reason.setObjectName("apply_reason")
        self.reason.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.report_button = self.buttons.addButton(
            "Save report…", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.apply_button = self.buttons.addButton("Apply", QDialogButtonBox.ButtonRole.AcceptRole)
        self.apply_button.setDefault(True)
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.rejected.connect(self.reject)
        self.apply_button.clicked.connect(self.apply_requested)
        self.report_button.clicked.connect(self.report_requested)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.addWidget(self.counts_table)
        self.splitter.addWidget(self.tabs)
        self.splitter.setChildrenCollapsible(False)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.other_plan)
        layout.addWidget(self.prune)
        layout.addWidget(self.reason)
        layout.addWidget(self.buttons)
        self.conflicts.choices_changed.connect(self._update_apply)
        self.set_preview(preview, lines)
        self.resize(1000, 700)

    def _conflicts_page(self) -> QWidget:
        page = QWidget(self)
        self.conflicts_table = _table(self.conflicts, page, stretch_last=False)
        header = self.conflicts_table.horizontalHeader()
        for column in (0, 1, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.ResizeToContents)
        self.use_workbook = QPushButton("Selected: keep workbook", page)
        self.use_database = QPushButton("Selected: keep database", page)
        self.all_workbook = QPushButton("All: keep workbook", page)
        self.all_database = QPushButton("All: keep database", page)
        self.conflicts_table.setToolTip("Double-click a row to switch which side it keeps")
        self.conflicts_table.doubleClicked.connect(self._toggle)
        self.use_workbook.setToolTip("For the selected rows, the workbook's values win")
        self.use_database.setToolTip("For the selected rows, the database keeps its values")
        self.use_workbook.clicked.connect(lambda: self._choose_selected(Side.WORKBOOK))
        self.use_database.clicked.connect(lambda: self._choose_selected(Side.DATABASE))
        self.all_workbook.clicked.connect(lambda: self.conflicts.choose_all(Side.WORKBOOK))
        self.all_database.clicked.connect(lambda: self.conflicts.choose_all(Side.DATABASE))
        row = QHBoxLayout()
        for button in (self.use_workbook, self.use_database):
            row.addWidget(button)
        row.addStretch(1)
        for button in (self.all_workbook, self.all_database):
            row.addWidget(button)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addWidget(self.conflicts_table, 1)
        layout.addLayout(row)
        return page

    def _other_plan_row(self) -> QWidget:
        """Shown for a workbook of another file's plan of the same name: how to pair it."""
        row = QWidget(self)
        row.setObjectName("other_plan")
        self.other_plan_text = QLabel(row)
        self.other_plan_text.setTextFormat(Qt.TextFormat.PlainText)
        self.other_plan_text.setWordWrap(True)
        self.as_new = QPushButton("Import as a separate initiative", row)
        self.as_new.setObjectName("as_new")
        self.as_new.setToolTip("Every record of the workbook is added to a new initiative")
        self.match_by_name = QPushButton("Match its records by name", row)
        self.match_by_name.setObjectName("match_by_name")
        self.match_by_name.setToolTip(
            "Each row updates the record of the same name here; rows with no match are added"
        )
        self.as_new.clicked.connect(lambda: self.plan_choice_requested.emit("separate"))
        self.match_by_name.clicked.connect(lambda: self.plan_choice_requested.emit("match-by-name"))
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.other_plan_text, 1)
        layout.addWidget(self.as_new)
        layout.addWidget(self.match_by_name)
        return row

    def _toggle(self, index: QModelIndex) -> None:
        key = self.conflicts.conflicts[index.row()].key
        side = Side.DATABASE if self.conflicts.choices.get(key) is Side.WORKBOOK else Side.WORKBOOK
        self.conflicts.choose([index.row()], side)

    def _choose_selected(self, side: Side) -> None:
        rows = sorted(i.row() for i in self.conflicts_table.selectionModel().selectedRows())
        self.conflicts.choose(rows, side)

    # ------------------------------------------------------------ showing
    def set_preview(self, preview: ImportPreview, lines: PreviewLines | None = None) -> None:
        """`lines`: `PreviewLines.of(preview)`, if made off the UI thread already."""
        self.preview = preview
        lines = lines or PreviewLines.of(preview)
        where = "a new initiative" if not preview.initiative_exists else "the initiative"
        totals = lines.totals
        self.heading.setText(
            f"<b>{_quoted(preview.path.name)}</b> into {where} "
            f"<b>‘{_quoted(preview.initiative_name)}’</b>: "
            f"{totals[Status.NEW]} new, {totals[Status.CHANGED]} changed, "
            f"{totals[Status.CONFLICT]} in conflict, {totals[Status.DELETED]} to delete, "
            f"{totals[Status.UNCHANGED]} unchanged"
            + (
                f", <span style='color:#b00020'>{totals[Status.INVALID]} invalid</span>"
                if totals[Status.INVALID]
                else ""
            )
            + "."
        )
        self.other_plan.setVisible(preview.other_plan is not None)
        other = shown(preview.other_plan)
        self.other_plan_text.setText(
            f"This workbook comes from another file: its ‘{other}’ is not the "
            f"‘{other}’ of this database. Importing it as it is would add every "
            "record a second time."
        )
        self.counts.set_lines(lines)
        self.changes.set_lines(lines)
        for model in (self.conflicts, self.problems):
            model.set_preview(preview)
        full = (
            self.counts_table.horizontalHeader().sizeHint().height()
            + 4
            + sum(self.counts_table.rowHeight(r) for r in range(self.counts.rowCount()))
        )
        self.splitter.setSizes([min(full, 300), 400])
        for table in (self.changes_table, self.problems_table):
            table.resizeColumnsToContents()
            for column in range(table.model().columnCount() - 1):
                table.setColumnWidth(column, min(table.columnWidth(column), 240))
        self.tabs.setTabText(0, f"Changes ({self.changes.rowCount()})")
        self.tabs.setTabText(1, f"Conflicts ({len(self.conflicts.conflicts)})")
        self.tabs.setTabText(2, f"Problems ({len(preview.problems)})")
        self.tabs.setTabEnabled(1, bool(self.conflicts.conflicts))
        if preview.errors:
            self.tabs.setCurrentIndex(2)
        elif self.conflicts.conflicts:
            self.tabs.setCurrentIndex(1)
        else:
            self.tabs.setCurrentIndex(0)
        self._update_apply()

    def set_busy(self, busy: bool) -> None:
        """While a re-preview or the apply runs, nothing here may change what it works on."""
        for widget in (
            self.prune,
            self.apply_button,
            self.report_button,
            self.tabs,
            self.as_new,
            self.match_by_name,
        ):
            widget.setEnabled(not busy)
        if busy:
            self.reason.setText("Working…")
        else:
            self._update_apply()

    def blocker(self) -> str:
        """Why Apply is not possible yet, or "" when it is."""
        errors = len(self.preview.errors)
        if self.preview.other_plan is not None:
            return (
                "Choose how to import a plan from another file: as a separate initiative, "
                "or matching its records by name."
            )
        if errors:
            return (
                f"Fix the {errors} problem{'s' if errors != 1 else ''} in the workbook first "
                "(see Problems; Save report… lists them all), then import it again."
            )
        undecided = self.conflicts.undecided
        if undecided:
            return (
                f"Choose which side to keep for {undecided} conflicting "
                f"row{'s' if undecided != 1 else ''} (see Conflicts)."
            )
        return ""

    def _update_apply(self) -> None:
        why = self.blocker()
        self.apply_button.setEnabled(not why)
        if why:
            self.reason.setStyleSheet("QLabel { color: #b00020; }")
            self.reason.setText(why)
        else:
            self.reason.setStyleSheet("")
            changes = self.preview.has_changes
            self.reason.setText(
                "Apply makes these changes in one step (Edit → Undo reverts it); "
                "a backup of the file is taken first."
                if changes
                else "The database already holds everything in this workbook."
            )


def _quoted(text: str) -> str:
    """A name from the workbook inside the dialog's rich-text heading: escaped and short."""
    return html.escape(shown(text))
