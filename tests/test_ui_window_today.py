"""The window's calendar can be fixed: the screenshot script and tests see one day everywhere."""

from __future__ import annotations

from datetime import date

from planner.ui.main_window import MainWindow
from planner.ui.settings import Settings
from tests.ui_support import ScriptedDialogs, demo_window_fixture  # noqa: F401

DAY = date(2027, 3, 1)


def test_every_page_takes_the_window_s_today(qtbot, demo, tmp_path):
    window = MainWindow(
        demo,
        settings=Settings(tmp_path / "settings.ini"),
        dialogs=ScriptedDialogs(),
        today=lambda: DAY,
    )
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)

    readiness = window.show_page("readiness")
    qtbot.waitUntil(lambda: readiness.view.report is not None)
    assert readiness.view.report.today == DAY
    assert readiness.view.score_caption.text().endswith("as of 1 Mar 2027")

    timeline = window.show_page("timeline")
    qtbot.waitUntil(lambda: timeline.view.layout_ is not None)
    assert timeline.view.today == DAY
    assert timeline._title().endswith("printed 1 Mar 2027")

    dashboard = window.show_page("dashboard")
    assert dashboard.view.today == DAY


def test_the_real_calendar_by_default(qtbot, demo_window):
    timeline = demo_window.show_page("timeline")
    qtbot.waitUntil(lambda: timeline.view.layout_ is not None)
    assert timeline.view.today == date.today()
