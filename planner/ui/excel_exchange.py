"""File → Export to Excel… and File → Import from Excel…: the core's exchange, shown.

Reading, checking and writing workbooks run off the UI thread (`ctx.tasks`,
with the status bar's progress bar and Cancel), the import's write included
(one transaction of tens of thousands of rows can take seconds). Reading a
workbook and the whole export of a database file run in a child process
(`reader_process`, `export_process`): a worker thread would still freeze the
UI thread whenever openpyxl's parser, matplotlib's renderer or a garbage
collection over the export's objects holds the interpreter. The undo
history calls its listeners, which redraw the pages, on the thread that
announces a command, so the worker writes without announcing and the UI
thread announces the import once the job has ended.

openpyxl and the importer load only when one of the entries is used.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence

from planner.collector import settle_again
from planner.domain.errors import Cancelled, PlannerError
from planner.domain.quoting import shown
from planner.domain.records import Record
from planner.ui.record_view import RecordView
from planner.ui.workers import Job

if TYPE_CHECKING:
    from planner.services.excel.importer import ImportOutcome
    from planner.services.excel.preview import ImportPreview
    from planner.services.excel.progress import Progress
    from planner.services.planning import PlanService
    from planner.ui.excel_dialog import ImportPreviewDialog
    from planner.ui.excel_models import PreviewLines

WORKBOOK_FILTER = "Excel workbooks (*.xlsx);;All files (*)"
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def _progress(job: Job, what: str) -> Progress:
    from planner.services.excel.progress import Progress

    return Progress(
        lambda fraction, text: job.progress(round(fraction * 1000), 1000, text),
        lambda: job.cancelled,
        what,
    )


def suggested_name(initiative_name: str) -> str:
    """A file name from the initiative's name, safe on every system."""
    stem = " ".join(_UNSAFE.sub(" ", initiative_name).split()).strip(" .") or "plan"
    return f"{stem[:80]}.xlsx"


class ExcelExchange(QObject):
    """Installs the two File menu entries on a main window and runs them."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.ctx = window.ctx
        self.export_action = QAction("&Export to Excel…", window)
        self.export_action.setObjectName("export_excel")
        self.export_action.setShortcut(QKeySequence("Ctrl+E"))
        self.export_action.setStatusTip("Write the initiative as a workbook to edit in Excel")
        self.export_action.triggered.connect(lambda _c=False: self.export())
        self.import_action = QAction("&Import from Excel…", window)
        self.import_action.setObjectName("import_excel")
        self.import_action.setShortcut(QKeySequence("Ctrl+Shift+I"))
        self.import_action.setStatusTip("Preview and apply the changes of an edited workbook")
        self.import_action.triggered.connect(lambda _c=False: self.import_())
        for action in (self.export_action, self.import_action):
            window.addAction(action)
        window.add_file_actions([self.export_action, self.import_action])
        self.dialog: ImportPreviewDialog | None = None
        self.job: Job | None = None
        # How a workbook from another file pairs with a same-named initiative (`PlanChoice`).
        self._choice = "same"
        # Set by the apply's worker once the import is written, read when the job has ended.
        self._committed: (
            tuple[PlanService, ImportOutcome, dict[tuple[str, str], list[Record]]] | None
        ) = None
        window.database_opened.connect(lambda _service: self._database_changed())
        self.ctx.tasks.ended.connect(self._job_ended)
        self.ctx.initiative_changed.connect(lambda _id: self.update_actions())
        self.update_actions()

    def update_actions(self) -> None:
        has = self.ctx.initiative_id is not None
        self.export_action.setEnabled(has)
        self.import_action.setEnabled(not self.ctx.read_only)
        if self.ctx.offline:
            tip = "Offline: nothing can be imported until the team server is back"
        elif self.ctx.read_only:
            tip = "This file is open read-only: nothing can be imported"
        else:
            tip = "Import from Excel"
        self.import_action.setToolTip(tip)

    def _database_changed(self) -> None:
        if self.dialog is not None:
            self.dialog.reject()
        self.update_actions()

    def _say(self, text: str, error: bool = False) -> None:
        self.ctx.report(text, error=error)

    # ------------------------------------------------------------------ export
    def export(self) -> Job | None:
        initiative_id = self.ctx.initiative_id
        if initiative_id is None:
            self._say("Choose or create an initiative to export it", True)
            return None
        service = self.ctx.service
        name = self.window.initiatives.current_name() or "plan"
        folder = service.db.path.parent if service.db.path is not None else Path.home()
        path = self.window.dialogs.save_path(
            self.window, "Export to Excel", WORKBOOK_FILTER, str(folder / suggested_name(name))
        )
        if path is None:
            return None
        if path.suffix == "":
            path = path.with_suffix(".xlsx")

        existed = path.exists()

        def work(job: Job) -> Any:
            from planner.services.excel.export_process import export_apart
            from planner.services.excel.workbook import export_initiative

            progress = _progress(job, "the export")
            if service.db.path is not None:
                result = export_apart(service.db.path, initiative_id, path, progress)
            else:
                result = export_initiative(service, initiative_id, path, progress=progress)
            if job.cancelled:
                if not existed:
                    path.unlink(missing_ok=True)
                raise Cancelled("the export")
            return result

        def done(result: Any) -> None:
            rows = sum(result.counts.values())
            note = (
                f" ({len(result.warnings)} warnings: {result.warnings[0]})"
                if result.warnings
                else ""
            )
            self._say(f"Exported ‘{shown(name)}’ to {result.path}: {rows} rows{note}")

        self.job = self.ctx.tasks.start(
            f"Exporting to {path.name}",
            work,
            on_done=done,
            on_error=lambda message: self._say(message, True),
        )
        return self.job

    # ------------------------------------------------------------------ import
    def import_(self) -> Job | None:
        if self.ctx.read_only:
            self._say("This file is open read-only: nothing can be imported into it", True)
            return None
        if self.dialog is not None:
            self.dialog.raise_()
            return None
        path = self.window.dialogs.open_path(self.window, "Import from Excel", WORKBOOK_FILTER)
        if path is None:
            return None
        self._choice = "same"
        return self._preview(path, prune=False)

    def _preview(self, path: Path, *, prune: bool) -> Job:
        service = self.ctx.service
        choice = self._choice

        def work(job: Job) -> tuple[ImportPreview, PreviewLines]:
            from planner.services.excel.importer import preview_import
            from planner.services.excel.reader_process import read_workbook_apart
            from planner.services.excel.staging import PlanChoice
            from planner.ui.excel_models import PreviewLines

            preview = preview_import(
                service,
                path,
                prune=prune,
                progress=_progress(job, "the import"),
                reader=read_workbook_apart,
                choice=PlanChoice(choice),
            )
            return preview, PreviewLines.of(preview)

        self.job = self.ctx.tasks.start(
            f"Reading {path.name}", work, on_done=self._show_preview, on_error=self._preview_failed
        )
        return self.job

    def _preview_failed(self, message: str) -> None:
        self._say(message, True)

    def _job_ended(self, job: Job) -> None:
        """However a job ended (done, failed, cancelled), the dialog is usable again."""
        if job is not self.job:
            return
        self.job = None
        committed, self._committed = self._committed, None
        if committed is not None:
            self._imported(*committed)
        if self.dialog is not None:
            self.dialog.prune.blockSignals(True)
            self.dialog.prune.setChecked(self.dialog.preview.prune)
            self.dialog.prune.blockSignals(False)
            self.dialog.set_busy(False)

    def _show_preview(self, result: tuple[ImportPreview, PreviewLines]) -> None:
        preview, lines = result
        if self.dialog is not None:
            self.dialog.set_preview(preview, lines)
            self.dialog.prune.blockSignals(True)
            self.dialog.prune.setChecked(preview.prune)
            self.dialog.prune.blockSignals(False)
            return
        from planner.ui.excel_dialog import ImportPreviewDialog

        dialog = ImportPreviewDialog(preview, self.window, lines)
        dialog.prune_toggled.connect(self._reprune)
        dialog.plan_choice_requested.connect(self._choose_plan)
        dialog.report_requested.connect(self._save_report)
        dialog.apply_requested.connect(self._apply)
        dialog.finished.connect(self._closed)
        self.dialog = dialog
        self.window.dialogs.show_dialog(dialog)

    def _closed(self, _result: int) -> None:
        """Closing the dialog cancels what it started: nothing is applied after it is gone."""
        if self.job is not None:
            self.job.cancel()
        if self.dialog is not None:
            self.dialog.deleteLater()
        self.dialog = None

    def _reprune(self, prune: bool) -> None:
        assert self.dialog is not None
        self.dialog.set_busy(True)
        self._preview(self.dialog.preview.path, prune=prune)

    def _choose_plan(self, choice: str) -> None:
        """A workbook of another plan of the same name: preview it again paired as chosen."""
        assert self.dialog is not None
        self._choice = choice
        self.dialog.set_busy(True)
        self._preview(self.dialog.preview.path, prune=self.dialog.preview.prune)

    def _save_report(self) -> None:
        from planner.services.excel.report import save_report

        assert self.dialog is not None
        preview = self.dialog.preview
        start = preview.path.with_name(f"{preview.path.stem} import report.xlsx")
        path = self.window.dialogs.save_path(
            self.dialog, "Save the import report", WORKBOOK_FILTER, str(start)
        )
        if path is None:
            return
        try:
            saved = save_report(preview, path)
        except PlannerError as exc:
            self._say(str(exc), True)
            return
        self._say(f"Saved the import report to {saved}")

    def _apply(self) -> None:
        dialog = self.dialog
        if dialog is None or dialog.blocker():
            return
        service = self.ctx.service
        preview, choices = dialog.preview, dict(dialog.conflicts.choices)
        parent_id = self.ctx.initiative_id or preview.initiative_id
        shown = [(kind, parent_id) for kind in self._top_level_kinds_shown()]

        def work(job: Job) -> ImportOutcome:
            from planner.services.excel.importer import (
                ImportRefused,
                backup_before,
                commit_import,
                prepare_import,
            )

            progress = _progress(job, "the import")
            prepared = prepare_import(
                service, preview, choices=choices, progress=progress.part(0.0, 0.6)
            )
            backup = backup_before(service, prepared, progress.part(0.6, 0.9))
            progress.step(0.9, "Applying the changes")
            if service is not self.ctx.service:
                raise ImportRefused("another file was opened meanwhile; nothing was imported")
            outcome = commit_import(service, preview, prepared, backup, announce=False)
            # What the window will show next, read here rather than on the UI thread.
            listings = {key: service.list(*key) for key in shown} if outcome.command else {}
            self._committed = (service, outcome, listings)
            return outcome

        dialog.set_busy(True)
        self.job = self.ctx.tasks.start(
            f"Importing {preview.path.name}",
            work,
            on_error=lambda message: self._say(message, True),
        )

    def _imported(
        self,
        service: PlanService,
        outcome: ImportOutcome,
        listings: dict[tuple[str, str], list[Record]],
    ) -> None:
        """Once written (even if Cancel came too late to stop it), the window follows."""
        if self.dialog is not None:
            self.dialog.accept()
        if outcome.command is not None:
            with self.ctx.read_ahead(listings):
                service.history.announce(outcome.command)
            settle_again()
        self._say(self._outcome(outcome))

    def _top_level_kinds_shown(self) -> list[str]:
        """The kinds of the tables on the page showing now that list an initiative's records."""
        key = self.window.current_page_key()
        page = self.window.pages.get(key) if key else None
        if page is None:
            return []
        views = ([page] if isinstance(page, RecordView) else []) + page.findChildren(RecordView)
        return [
            view.kind for view in views if (view.record_class.PARENT or ("", ""))[1] == "initiative"
        ]

    @staticmethod
    def _outcome(outcome: ImportOutcome) -> str:
        if outcome.created + outcome.updated + outcome.deleted == 0:
            return "Nothing to import: the database already holds this workbook's data"
        kept = f", {outcome.kept} kept from the database" if outcome.kept else ""
        return (
            f"Imported: {outcome.created} new, {outcome.updated} changed, "
            f"{outcome.deleted} deleted{kept} (Edit → Undo reverts it)"
        )
