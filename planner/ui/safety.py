"""Data safety in the window: the read-only banner, File → Restore from backup, Help → Check database.

Thin on purpose: the backups, the restore and the checks are the core's
(`planner.persistence.backup`, `.restore`, `.doctor`); this module only shows
them. A restore closes the window's own connection first (a restore needs the
file's writer lock), then reopens the file through `window.open_path`.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
)
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from planner.domain.errors import PlannerError
from planner.domain.quoting import one_line
from planner.services.files import (
    BackupInfo,
    CorruptDatabaseError,
    Database,
    DoctorReport,
    Status,
    doctor,
    list_backups,
    restore_backup,
)
from planner.ui.theme import banner_style

_Index = QModelIndex | QPersistentModelIndex
CHECKS_POLL_MS = 100
FOLLOW_MS = 500
"""How often the window looks whether its database turned read-only while open."""
_STATUS = {
    Status.OK: "ok",
    Status.WARNING: "<i>warning</i>",
    Status.PROBLEM: "<b style='color:#b00020'>PROBLEM</b>",
}


class BackupTableModel(QAbstractTableModel):
    COLUMNS = ("Taken", "Size", "Why")

    def __init__(self, backups: list[BackupInfo], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.backups = backups

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.backups)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        info = self.backups[index.row()]
        when, size, why = info.describe().split(" (", 1)[0], _size(info.size), info.reason
        return (when, size, why.replace("-", " "))[index.column()]

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.COLUMNS[section]
        return None


def _size(size: int) -> str:
    return f"{size / 1024:,.0f} KB" if size >= 1024 else f"{size} bytes"


class RestoreDialog(QDialog):
    """The backups of the open file, newest first; Restore puts the chosen one back."""

    def __init__(self, database: Path, backups: list[BackupInfo], parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("restore_dialog")
        self.setWindowTitle("Restore from backup")
        self.model = BackupTableModel(backups, self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.restore_button: QPushButton = buttons.addButton(
            "Restore", QDialogButtonBox.ButtonRole.AcceptRole
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                f"Backups of {database.name}, newest first. Restoring replaces the file with the "
                f"backup; the file as it is now is backed up first.",
                self,
            )
        )
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.table.selectRow(0)
        self.resize(560, 360)

    def chosen(self) -> BackupInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.backups[rows[0].row()] if rows else None

    def _selection_changed(self) -> None:
        self.restore_button.setEnabled(self.chosen() is not None)


class ReadOnlyBanner(QLabel):
    """Says, above the pages, that edits cannot be saved and why."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("read_only_banner")
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWordWrap(True)
        self.setStyleSheet(banner_style(parent.palette(), "warning"))
        self.hide()

    def show_for(self, db: Database) -> None:
        if not db.read_only:
            self.hide()
            return
        reason = (db.read_only_reason or "opened read-only").removeprefix("Read-only: ")
        self.setText(one_line(f"Read-only: {reason}. You can look, but changes cannot be saved."))
        self.show()


class DataSafety(QObject):
    """Installs the banner and the two menu entries on a main window."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.banner = ReadOnlyBanner(window)
        window.add_banner(self.banner)
        self.restore_action = QAction("&Restore from backup…", window)
        self.restore_action.setObjectName("restore_from_backup")
        self.restore_action.triggered.connect(self.restore_from_backup)
        window.add_file_actions([self.restore_action])
        self.check_action = QAction("&Check database", window)
        self.check_action.setObjectName("check_database")
        self.check_action.triggered.connect(self.check_database)
        window.menu("help").addAction(self.check_action)
        self.dialog: RestoreDialog | None = None
        self.report: DoctorReport | None = None
        self.report_box: QMessageBox | None = None
        self._watched: Database | None = None
        self._watch = QTimer(self)
        self._watch.setInterval(CHECKS_POLL_MS)
        self._watch.timeout.connect(self._poll)
        # A database can turn read-only while open (found damaged, or a team plan whose
        # owner has made this login a viewer since): the banner and the edits follow.
        self._writable = True
        self._follow = QTimer(self)
        self._follow.setInterval(FOLLOW_MS)
        self._follow.timeout.connect(self._follow_read_only)
        self._follow.start()
        window.database_opened.connect(self._opened)
        self._opened(window.ctx.service)

    def _opened(self, service: Any) -> None:
        db: Database = service.db
        self.banner.show_for(db)
        self._writable = not db.read_only
        # The whole-file check and the backup taken on open run on a thread of
        # the database's while the plan is already shown: the status bar says
        # so, and what they found is told once they are done. (Not a task of
        # the window's: there is nothing to cancel, every write waits for them.)
        if db.checking:
            name = db.path.name if db.path else db.describe()
            self.window.ctx.report(f"Checking and backing up {name}…")
        self._watched = db
        self._watch.start()

    def _follow_read_only(self) -> None:
        db = self.window.ctx.service.db
        if db.read_only == (not self._writable) or db.checking:
            return
        self._writable = not db.read_only
        self.banner.show_for(db)
        self.window.writable_changed()

    def _poll(self) -> None:
        db = self._watched
        if db is None or db.checking:
            return
        self._watch.stop()
        self._watched = None
        self._checked(db)

    def _checked(self, db: Database) -> None:
        """Say what the checks on open found: a damaged file, or a backup that failed."""
        if db is not self.window.ctx.service.db:
            return
        name = db.path.name if db.path else db.describe()
        if self.window.message_label.text().startswith("Checking and backing up"):
            self.window.message_label.clear()
        if db.damage is not None:
            self.banner.show_for(db)
            self.window.read_only_changed()
            self.window.ctx.report(str(db.damage), error=True)
            self.window.ctx.dialogs.error(
                self.window,
                "The planner file is damaged",
                f"{db.damage}. Nothing will be written to it; "
                "File → Restore from backup puts a good copy back.",
            )
        elif db.backup_problem:
            self.window.ctx.report(f"{name}: {db.backup_problem}", error=True)

    def restore_from_backup(self) -> None:
        path = self.window.ctx.service.db.path
        if path is None:
            self._not_on_a_server("has no planner backups to restore: restore it with pg_restore")
            return
        backups = list_backups(path)
        if not backups:
            self.window.ctx.dialogs.error(
                self.window, "Restore from backup", f"There is no backup of {path.name} yet."
            )
            return
        self.dialog = RestoreDialog(path, backups, self.window)
        self.dialog.accepted.connect(self._restore_chosen)
        self.dialog.open()

    def _not_on_a_server(self, what: str) -> None:
        """File safety of a team database is the server's: say so instead of doing nothing."""
        self.window.ctx.report(f"A team database {what}", error=True)

    def _restore_chosen(self) -> None:
        assert self.dialog is not None
        info = self.dialog.chosen()
        db = self.window.ctx.service.db
        if info is None or db.path is None:
            return
        path: Path = db.path
        db.close()
        try:
            result = restore_backup(path, info)
        except PlannerError as exc:
            self.window.ctx.dialogs.error(self.window, "Restore from backup", str(exc))
            self.window.open_path(path)
            return
        if self.window.open_path(path):
            self.window.ctx.message.emit(result.describe(), False)

    def check_database(self) -> None:
        path = self.window.ctx.service.db.path
        if path is None:
            self._not_on_a_server("is checked with `planner doctor --db URL` (schema, versions)")
            return
        self.window.ctx.tasks.start(
            f"Checking {path.name}",
            lambda _job: doctor(path),
            on_done=self._show_report,
            on_error=lambda message: self.window.ctx.dialogs.error(
                self.window, "Check database", message
            ),
        )

    def _show_report(self, report: DoctorReport) -> None:
        self.report = report
        icon = QMessageBox.Icon.Information if report.healthy else QMessageBox.Icon.Warning
        box = QMessageBox(
            icon, "Check database", html.escape(one_line(report.summary())), parent=self.window
        )
        box.setObjectName("check_report")
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setInformativeText(
            "<br>".join(
                f"<b>{html.escape(check.name)}</b> — {_STATUS[check.status]}: "
                f"{html.escape(one_line(check.detail))}"
                for check in report.checks
            )
        )
        box.setStyleSheet("QLabel#qt_msgbox_informativelabel { min-width: 600px; }")
        self.report_box = box
        box.open()


def offer_restore(path: Path, error: CorruptDatabaseError) -> bool:
    """At start-up, offer the newest good backup of a damaged file; True once restored."""
    if error.backup is None:
        return False
    box = QMessageBox(QMessageBox.Icon.Critical, "The planner file is damaged", str(error))
    restore = box.addButton("Restore the backup", QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    if box.clickedButton() is not restore:
        return False
    restore_backup(path, error.backup)
    return True
