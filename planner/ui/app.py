"""Start the Qt application on a database file."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from planner import APP_ID, APP_NAME, DESKTOP_ID, __version__
from planner.domain.errors import PlannerError
from planner.domain.quoting import one_line
from planner.paths import smoke_test_screenshot
from planner.services.files import CorruptDatabaseError, Database, open_database
from planner.services.planning import PlanService
from planner.ui.collector import settle_after_first_paint
from planner.ui.theme import use_readable_indicators


def make_application(argv: list[str] | None = None) -> QApplication:
    if QApplication.instance() is None:
        # Fractional scale factors (125 %, 150 %) are used as they are, not rounded.
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
            Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
        )
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    if not isinstance(app, QApplication):
        raise RuntimeError("a QCoreApplication without widgets is running; the window needs one")
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_ID)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(DESKTOP_ID)
    use_readable_indicators(app)
    return app


def run(path: Path, *, create_sample: bool = False) -> int:
    """The window on a database file (created when missing; a damaged one offers a restore)."""
    make_application()
    try:
        try:
            db = open_database(path, backup_on_open="background")
        except CorruptDatabaseError as exc:
            from planner.ui.safety import offer_restore

            if not offer_restore(path, exc):
                raise
            db = open_database(path, backup_on_open="background")
    except PlannerError as exc:
        QMessageBox.critical(None, APP_NAME, one_line(str(exc)))
        print(f"planner: error: {exc}", file=sys.stderr)
        return 1
    return run_on(db, create_sample=create_sample)


def run_on(db: Database, *, create_sample: bool = False) -> int:
    """The window on an open database (a file, or a team database on a server)."""
    app = make_application()
    service = PlanService(db)
    if create_sample and not service.initiatives():
        from planner.services.demo import create_demo

        create_demo(service, portfolio=True)  # the CRM rollout and two more sharing units
        service.history.clear()
    from planner.ui.main_window import MainWindow, app_icon

    icon = app_icon()
    if icon is not None:
        app.setWindowIcon(icon)
    window = MainWindow(service)
    window.show()
    settle_after_first_paint(window)
    screenshot = smoke_test_screenshot()
    if screenshot is not None:
        QTimer.singleShot(0, lambda: _save_and_quit(window, screenshot))
    code = app.exec()
    window.live.stop()
    db.close()
    return int(code)


def _save_and_quit(window: QWidget, screenshot: Path) -> None:
    window.grab().save(str(screenshot))
    QApplication.quit()
