"""The Stakeholder map page: the map of now to drag, and a slider back through snapshots."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt

from planner.ui.map_page import StakeholderMapPage
from tests.ui_support import demo_window_fixture  # noqa: F401


def test_the_slider_replays_snapshots_and_only_now_is_editable(qtbot, demo_window, demo):
    demo_window.show_page("stakeholder_map")
    page = demo_window.pages["stakeholder_map"]
    assert isinstance(page, StakeholderMapPage)
    initiative = demo.initiatives()[0]
    people = {s.id: s for s in demo.list("stakeholder", initiative.id)}
    snaps = [snap for s in people.values() for snap in demo.list("snapshot", s.id)]
    first = min(snap.taken_on for snap in snaps)
    assert page.slider.maximum() == len({snap.taken_on for snap in snaps}) >= 2
    assert page.showing_now and page.map.editable
    assert page.map._positions == {i: (s.power, s.interest) for i, s in people.items()}

    page.slider.setValue(0)
    assert "Snapshot of" in page.when.text() and not page.map.editable
    then = {
        snap.stakeholder_id: (snap.power, snap.interest) for snap in snaps if snap.taken_on == first
    }
    assert then and all(page.map._positions[i] == where for i, where in then.items())
    assert then != {i: (people[i].power, people[i].interest) for i in then}, "the demo moves people"

    moved = next(iter(then))
    _drag(qtbot, page, moved)  # a drag on the past moves nothing
    assert demo.get("stakeholder", moved).power == people[moved].power

    page.slider.setValue(page.slider.maximum())
    _drag(qtbot, page, moved)
    assert (demo.get("stakeholder", moved).power, demo.get("stakeholder", moved).interest) == (1, 1)
    demo_window.undo()
    assert demo.get("stakeholder", moved).power == people[moved].power
    assert page.showing_now  # the redraw after the edit stays on now


def _drag(qtbot, page, stakeholder_id):
    """Press on a stakeholder's bubble and drop it on power 1, interest 1."""
    slide = page.map
    slide.pane.canvas.draw()
    point = slide.map.point_of(stakeholder_id)
    start = QPoint(*(round(v) for v in slide.pixel_of(point.x, point.y)))
    target = QPoint(*(round(v) for v in slide.pixel_of(1, 1)))
    qtbot.mousePress(slide.pane.canvas, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(slide.pane.canvas, pos=target)
    qtbot.mouseRelease(slide.pane.canvas, Qt.MouseButton.LeftButton, pos=target)
