"""The Readiness and Dashboard pages and View → Present, joined to the main window.

The views take a service and an initiative; these pages feed them from the
window's context, so they redraw when the window says the plan changed (and
only when shown), jump to records through the window, and ask for file names
through the window's dialogs.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QVBoxLayout, QWidget

from planner.domain.errors import PlannerError
from planner.ui.context import PlanContext
from planner.ui.pages import PageSpec

if TYPE_CHECKING:
    from planner.ui.main_window import MainWindow
    from planner.ui.present.window import PresentWindow


def _fill(page: QWidget, view: QWidget) -> None:
    layout = QVBoxLayout(page)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(view)


class ReadinessPage(QWidget):
    def __init__(self, ctx: PlanContext) -> None:
        super().__init__()
        self.ctx = ctx
        from planner.ui.readiness_view import ReadinessView  # built when first shown

        self.view = ReadinessView(ctx.service, None, follow_edits=False, parent=self)
        self.view.record_requested.connect(ctx.show_record)
        _fill(self, self.view)

    def refresh(self) -> None:
        """Show the window's report of the plan as it stands (checked here if nobody has
        since the last change); a plan that cannot be checked says why in the view."""
        try:
            readiness = self.ctx.readiness_now(self.view.today)
        except PlannerError:
            readiness = None
        report = readiness.report if readiness is not None else None
        self.view.set_plan(self.ctx.service, self.ctx.initiative_id, report)


class DashboardPage(QWidget):
    def __init__(self, ctx: PlanContext) -> None:
        super().__init__()
        self.ctx = ctx
        from planner.ui.dashboard_view import DashboardView  # built when first shown

        self.view = DashboardView(
            ctx.service,
            None,
            follow_edits=False,
            ask_path=self._ask,
            run_task=self._run,
            parent=self,
        )
        _fill(self, self.view)

    def _run(
        self,
        title: str,
        work: Callable[[], Path],
        done: Callable[[Path], None],
        failed: Callable[[str], None],
    ) -> None:
        self.ctx.tasks.start(title, lambda _job: work(), on_done=done, on_error=failed)

    def _ask(self, parent: QWidget, title: str, suggested: str) -> Path | None:
        from planner.ui.dashboard_view import CHART_FILTER

        return self.ctx.dialogs.save_path(parent, title, CHART_FILTER, suggested)

    def refresh(self) -> None:
        self.view.today = self.ctx.today()
        self.view.set_plan(self.ctx.service, self.ctx.initiative_id)


def open_present(window: MainWindow) -> PresentWindow | None:
    """Present the current initiative full screen; the window closes with the file it shows."""
    ctx = window.ctx
    if ctx.initiative_id is None:
        ctx.report("Choose or create an initiative to present it", error=True)
        return None
    from planner.ui.present.window import PresentWindow

    present = PresentWindow(ctx.service, ctx.initiative_id, today=ctx.today(), parent=window)
    present.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    window.database_opened.connect(present.close)
    present.showFullScreen()
    present.activateWindow()
    return present


def show_rules(window: MainWindow) -> None:
    from planner.ui.rules_dialog import RulesDialog

    dialog = RulesDialog(window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()


def install(window: MainWindow) -> None:
    """Add the Readiness and Dashboard pages, View → Present (F5) and Help → Readiness rules."""
    window.register_page(
        PageSpec(
            "readiness",
            "Readiness",
            ReadinessPage,
            "Scores, findings to fix and the go/no-go gates",
        )
    )
    window.register_page(
        PageSpec(
            "dashboard",
            "Dashboard",
            DashboardPage,
            "Every chart of the plan, exportable as PNG, SVG or PDF",
        )
    )
    present = QAction("&Present (workshop mode)", window)
    present.setShortcut(QKeySequence("F5"))
    present.setStatusTip(
        "Full-screen slides for a workshop: arrows step, P hides names, Esc leaves"
    )
    present.triggered.connect(lambda _checked=False: open_present(window))
    window.addAction(present)
    view_menu = window.menu("view")
    first = view_menu.actions()[0] if view_menu.actions() else None
    view_menu.insertAction(first, present)
    view_menu.insertSeparator(first)
    rules = QAction("Readiness &rules", window)
    rules.triggered.connect(lambda _checked=False: show_rules(window))
    help_menu = window.menu("help")
    help_menu.insertAction(help_menu.actions()[0] if help_menu.actions() else None, rules)
