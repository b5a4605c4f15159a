"""File → Export steering pack… and File → Export calendar…: the core's documents, shown.

Both run off the UI thread with the status bar's progress (a pack draws a dozen
charts, seconds of work on a big plan). The file name's type picks PDF or
PowerPoint; a second question asks how people are shown (the privacy filter),
since a pack often travels further than the room it was made for.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction

from planner.charts.privacy import Privacy
from planner.domain.wording import plural
from planner.ui.excel_exchange import suggested_name
from planner.ui.workers import Job

PACK_FILTER = "PDF document (*.pdf);;PowerPoint presentation (*.pptx)"
CALENDAR_FILTER = "Calendar (*.ics)"
PRIVACY_CHOICES = {
    "Names shown (for the committee)": Privacy.OFF,
    "Initials, attitudes hidden": Privacy.INITIALS,
    "Codes for every stakeholder, attitudes hidden": Privacy.CODES,
}


class PackExport(QObject):
    """Installs the two File menu entries on a main window and runs them."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.ctx = window.ctx
        self.report_action = QAction("Export steering &pack…", window)
        self.report_action.setObjectName("export_report")
        self.report_action.setStatusTip(
            "Write the steering-committee pack (PDF or PowerPoint) from the plan as it stands"
        )
        self.report_action.triggered.connect(lambda _c=False: self.export_report())
        self.calendar_action = QAction("Export ca&lendar…", window)
        self.calendar_action.setObjectName("export_calendar")
        self.calendar_action.setStatusTip(
            "Write training sessions and communications as calendar events (.ics)"
        )
        self.calendar_action.triggered.connect(lambda _c=False: self.export_calendar())
        window.add_file_actions([self.report_action, self.calendar_action])
        self.ctx.initiative_changed.connect(lambda _id: self._update_actions())
        window.database_opened.connect(lambda _service: self._update_actions())
        self._update_actions()

    def _update_actions(self) -> None:
        has = self.ctx.initiative_id is not None
        self.report_action.setEnabled(has)
        self.calendar_action.setEnabled(has)

    def _target(self, title: str, filters: str, suffix: str) -> Path | None:
        service = self.ctx.service
        name = self.window.initiatives.current_name() or "plan"
        folder = service.db.path.parent if service.db.path is not None else Path.home()
        start = folder / Path(suggested_name(name)).with_suffix(suffix)
        path: Path | None = self.window.dialogs.save_path(self.window, title, filters, str(start))
        if path is not None and path.suffix == "":
            path = path.with_suffix(suffix)
        return path

    def choose_privacy(self) -> Privacy | None:
        """Who the pack is for decides what it may say about people."""
        label = self.window.dialogs.choose(
            self.window, "Steering pack", "Show people in the pack as:", list(PRIVACY_CHOICES)
        )
        return None if label is None else PRIVACY_CHOICES[label]

    def export_report(self, privacy: Privacy | None = None) -> Job | None:
        initiative_id = self.ctx.initiative_id
        if initiative_id is None:
            return None
        path = self._target("Export steering pack", PACK_FILTER, ".pdf")
        if path is None:
            return None
        privacy = privacy or self.choose_privacy()
        if privacy is None:
            return None
        service = self.ctx.service
        steps = ("Checking readiness", "Drawing charts and laying out pages", "Writing the file")

        def work(job: Job) -> Path:
            from planner.services.report import write_report

            plan = service.plan(initiative_id)

            def progress(step: str) -> None:
                index = steps.index(step) if step in steps else 0
                job.progress(index, len(steps), step)

            return write_report(plan, path, privacy=privacy, progress=progress)

        job: Job = self.ctx.tasks.start(
            f"Writing {path.name}",
            work,
            on_done=lambda out: self.ctx.report(f"Wrote the steering pack to {out}"),
            on_error=lambda message: self.ctx.report(message, error=True),
        )
        return job

    def export_calendar(self) -> Job | None:
        initiative_id = self.ctx.initiative_id
        if initiative_id is None:
            return None
        path = self._target("Export calendar", CALENDAR_FILTER, ".ics")
        if path is None:
            return None
        service = self.ctx.service

        def work(job: Job) -> Any:
            from planner.services.invitations import write_calendar

            job.progress(0, 1, "Writing calendar events")
            return write_calendar(service.plan(initiative_id), path)

        def done(result: Any) -> None:
            self.ctx.report(
                f"Wrote {plural(result.sessions, 'training session')} and "
                f"{plural(result.communications, 'communication')} to {result.path}"
            )

        job: Job = self.ctx.tasks.start(
            f"Writing {path.name}",
            work,
            on_done=done,
            on_error=lambda message: self.ctx.report(message, error=True),
        )
        return job
