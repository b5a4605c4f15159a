"""The Readiness, Dashboard and Present parts inside the real main window."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication

from planner.ui.findings_model import COLUMNS
from planner.ui.present.window import PresentWindow
from tests.conftest import DEMO_TODAY
from tests.ui_support import demo_window_fixture, window_fixture  # noqa: F401


def _stakeholder(service, name):
    initiative = service.initiatives()[0]
    return next(s for s in service.list("stakeholder", initiative.id) if s.name == name)


def _present_windows():
    return [
        w for w in QApplication.topLevelWidgets() if isinstance(w, PresentWindow) and w.isVisible()
    ]


def test_window_has_readiness_and_dashboard_pages_and_present_action(demo_window):
    titles = [demo_window.nav.item(row).text() for row in range(demo_window.nav.count())]
    assert "Readiness" in titles and "Dashboard" in titles
    view_actions = [a.text() for a in demo_window.menu("view").actions()]
    assert "&Present (workshop mode)" in view_actions
    help_actions = [a.text() for a in demo_window.menu("help").actions()]
    assert "Readiness &rules" in help_actions


def test_readiness_page_follows_edits_and_jumps_to_the_record(qtbot, demo_window, demo):
    page = demo_window.show_page("readiness")
    view = page.view
    assert view.report is not None and view.model.rowCount() > 0
    council = _stakeholder(demo, "Works council")
    rows = [
        r
        for r in range(view.proxy.rowCount())
        if view.proxy.index(r, COLUMNS.index("Record")).data() == "Works council"
        and view.proxy.index(r, COLUMNS.index("Rule")).data() == "no-relationship-owner"
    ]
    assert len(rows) == 1

    index = view.proxy.index(rows[0], 2)
    centre = view.table.visualRect(index).center()
    view.table.scrollTo(index)
    centre = view.table.visualRect(index).center()
    qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    qtbot.mouseDClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    assert demo_window.current_page_key() == "stakeholders"
    stakeholders = demo_window.pages["stakeholders"]
    assert stakeholders.current_record().id == council.id

    demo_window.show_page("readiness")
    findings_before = view.model.rowCount()
    demo.update("stakeholder", council.id, {"owner": "Priya Natarajan"})
    assert view.model.rowCount() == findings_before - 1
    qtbot.keyClick(demo_window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert demo.get("stakeholder", council.id).owner is None
    assert view.model.rowCount() == findings_before


def test_dashboard_page_exports_through_the_window_dialogs(qtbot, demo_window, tmp_path):
    page = demo_window.show_page("dashboard")
    assert page.view.pane.figure is not None
    page.view.show_chart("stakeholder-map")
    demo_window.dialogs.paths.append(tmp_path / "map.svg")
    with qtbot.waitSignal(page.view.exported, timeout=30_000) as written:
        qtbot.mouseClick(page.view.export_button, Qt.MouseButton.LeftButton)
        assert page.view.message.text() == "Saving map.svg…"
    assert written.args == [tmp_path / "map.svg"]
    assert (tmp_path / "map.svg").read_bytes().startswith(b"<?xml")
    assert page.view.message.text() == "Saved map.svg"


def test_f5_presents_and_an_edit_on_the_map_is_undone_from_the_window(qtbot, demo_window, demo):
    demo_window.activateWindow()
    qtbot.keyClick(demo_window, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: len(_present_windows()) == 1)
    present = _present_windows()[0]
    present.today = DEMO_TODAY
    assert present.isFullScreen()
    slide = present.map_slide
    slide.pane.canvas.draw()
    council = _stakeholder(demo, "Works council")
    point = slide.map.point_of(council.id)
    start = QPoint(*(round(v) for v in slide.pixel_of(point.x, point.y)))
    target = QPoint(*(round(v) for v in slide.pixel_of(1, 1)))
    qtbot.mousePress(slide.pane.canvas, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(slide.pane.canvas, pos=target)
    qtbot.mouseRelease(slide.pane.canvas, Qt.MouseButton.LeftButton, pos=target)
    assert (
        demo.get("stakeholder", council.id).power,
        demo.get("stakeholder", council.id).interest,
    ) == (1, 1)
    assert demo_window.actions_.undo.text() == "&Undo Move ‘Works council’ on the stakeholder map"

    present.activateWindow()
    qtbot.waitUntil(present.isActiveWindow)
    qtbot.keyClick(present, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not _present_windows())
    demo_window.actions_.undo.trigger()
    restored = demo.get("stakeholder", council.id)
    assert (restored.power, restored.interest) == (4, 3)


def test_present_without_an_initiative_says_why(qtbot, window):
    from planner.ui.workshop_pages import open_present

    assert open_present(window) is None
    assert "initiative" in window.message_label.text()


def test_help_shows_the_readiness_rules(qtbot, demo_window):
    from planner.ui.rules_dialog import RulesDialog

    action = next(a for a in demo_window.menu("help").actions() if a.text() == "Readiness &rules")
    action.trigger()
    dialogs = [
        w for w in QApplication.topLevelWidgets() if isinstance(w, RulesDialog) and w.isVisible()
    ]
    assert len(dialogs) == 1
    assert "Readiness" in dialogs[0].browser.toPlainText()
    dialogs[0].close()
