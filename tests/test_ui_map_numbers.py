"""The stakeholder map in Present: numbers a room can rely on, and privacy that hides attitudes
everywhere. Drags are real mouse drags on the canvas; the database and the slide are checked."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt

from planner.charts import Privacy
from planner.persistence.database import open_database
from planner.services.planning import PlanService
from planner.ui.present.window import PresentWindow
from tests.conftest import DEMO_TODAY


def _open(qtbot, service):
    window = PresentWindow(service, service.initiatives()[0].id, today=DEMO_TODAY)
    qtbot.addWidget(window)
    window.showFullScreen()
    qtbot.waitExposed(window)
    return window


def _numbers(window) -> dict[str, int]:
    return {p.stakeholder_id: p.number for p in window.map_slide.map.points}


def _drag(qtbot, window, stakeholder_id: str, cell: tuple[int, int]) -> None:
    slide = window.map_slide
    slide.pane.canvas.draw()
    point = slide.map.point_of(stakeholder_id)
    start = QPoint(*(round(v) for v in slide.pixel_of(point.x, point.y)))
    target = QPoint(*(round(v) for v in slide.pixel_of(*cell)))
    qtbot.mousePress(slide.pane.canvas, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(slide.pane.canvas, pos=target)
    qtbot.mouseRelease(slide.pane.canvas, Qt.MouseButton.LeftButton, pos=target)


def test_a_drag_renumbers_nobody_and_the_numbers_hold_in_the_next_session(qtbot, demo, db_path):
    window = _open(qtbot, demo)
    before = _numbers(window)
    council = next(
        s for s in demo.list("stakeholder", window.initiative_id) if s.name == "Works council"
    )
    _drag(qtbot, window, council.id, (5, 5))
    moved = demo.get("stakeholder", council.id)
    assert (moved.interest, moved.power) == (5, 5)
    assert _numbers(window) == before
    demo.update("stakeholder", council.id, {"name": "Employee council"})
    assert _numbers(window) == before
    window.close()

    later = PlanService(open_database(db_path))
    try:
        again = _open(qtbot, later)
        assert _numbers(again) == before
        again.close()
    finally:
        later.db.close()


def test_codes_use_the_bubble_numbers_so_the_room_sees_one_numbering(qtbot, demo):
    window = _open(qtbot, demo)
    window.set_privacy(Privacy.CODES)
    for point in window.map_slide.map.points:
        assert point.label == f"S{point.number:02d}"
    window.close()


def test_privacy_hides_attitudes_in_findings_too(qtbot, demo):
    window = _open(qtbot, demo)
    findings = next(i for i, s in enumerate(window.slides) if s.key == "findings")
    window.show_slide(findings)
    shown_off = window.current_slide().findings.text()
    assert "Resistance from" in shown_off or "engagement" in shown_off.lower()
    for privacy in (Privacy.INITIALS, Privacy.CODES):
        window.set_privacy(privacy)
        text = window.current_slide().findings.text()
        assert "Resistance from" not in text and "resistant" not in text.lower()
        assert "hidden (privacy)" in text
    window.close()
