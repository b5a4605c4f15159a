"""Present (workshop) mode: full screen, slides by arrow keys, zoom, privacy, drag on the map."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QLabel

from planner.charts import CHART_KINDS, Privacy
from planner.domain.enums import StakeholderKind
from planner.ui.present.map_slide import MapSlide
from planner.ui.present.slides import ChartSlide, FindingsSlide, GatesSlide
from planner.ui.present.window import PresentWindow
from tests.conftest import DEMO_TODAY


@pytest.fixture
def initiative_id(demo):
    return demo.initiatives()[0].id


@pytest.fixture
def present(qtbot, demo, initiative_id):
    window = PresentWindow(demo, initiative_id, today=DEMO_TODAY)
    qtbot.addWidget(window)
    window.showFullScreen()
    qtbot.waitExposed(window)
    window.activateWindow()
    return window


def _texts(figure):
    from matplotlib.text import Text

    return " ".join(t.get_text() for t in figure.findobj(Text))


def _largest_type(figure):
    from matplotlib.text import Text

    return max(t.get_fontsize() for t in figure.findobj(Text) if t.get_text())


def _key(qtbot, window, key, modifier=Qt.KeyboardModifier.NoModifier):
    qtbot.keyClick(window, key, modifier)


def test_present_opens_full_screen_steps_through_every_slide_and_closes(qtbot, present):
    assert present.isFullScreen()
    keys = [slide.key for slide in present.slides]
    assert keys[:5] == ["stakeholder-map", "readiness", "findings", "roadmap", "gates"]
    assert set(CHART_KINDS) <= set(keys)
    seen = []
    for position in range(len(present.slides)):
        slide = present.current_slide()
        assert present.index == position
        assert present.stack.currentWidget() is slide
        assert present.position_label.text() == f"{position + 1} / {len(present.slides)}"
        if isinstance(slide, (ChartSlide, MapSlide)):
            assert slide.pane.canvas is not None and slide.pane.figure.axes
        elif isinstance(slide, FindingsSlide):
            assert "Critical" in slide.findings.text()
        elif isinstance(slide, GatesSlide):
            assert len(slide.panel.cards) == 3
        seen.append(slide.key)
        _key(qtbot, present, Qt.Key.Key_Right)
    assert seen == keys
    assert present.index == len(keys) - 1, "stepping past the last slide stays there"
    _key(qtbot, present, Qt.Key.Key_Left)
    assert present.index == len(keys) - 2
    _key(qtbot, present, Qt.Key.Key_Home)
    assert present.index == 0
    with qtbot.waitSignal(present.closed):
        _key(qtbot, present, Qt.Key.Key_Escape)
    assert not present.isVisible()


def test_zoom_scales_slide_type_independently_of_the_system(qtbot, present):
    present.show_slide(2)
    findings = present.current_slide()
    base = findings.findings.font().pointSizeF()
    _key(qtbot, present, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert present.zoom == pytest.approx(1.2)
    assert findings.findings.font().pointSizeF() == pytest.approx(base * 1.2)
    assert present.zoom_label.text() == "Zoom 120 %"
    _key(qtbot, present, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    _key(qtbot, present, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert findings.findings.font().pointSizeF() == pytest.approx(base / 1.2, rel=1e-3)
    _key(qtbot, present, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert present.zoom == 1.0
    assert findings.findings.font().pointSizeF() == pytest.approx(base)

    present.show_slide(0)
    largest = _largest_type(present.map_slide.pane.figure)
    _key(qtbot, present, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert _largest_type(present.map_slide.pane.figure) == pytest.approx(largest * 1.2)


def test_privacy_hides_names_and_individual_attitudes(qtbot, present, demo, initiative_id):
    from planner.charts.privacy import initials

    plan = demo.plan(initiative_id)
    people = [s for s in plan.stakeholders if s.kind is StakeholderKind.PERSON]
    shortest = min(people, key=lambda s: len(s.name))

    def bare(name):
        return name.split(" (")[0]

    shown = _texts(present.map_slide.pane.figure)
    assert shortest.name in shown and "Works council" in shown
    assert "Privacy off" in present.privacy_button.text()

    _key(qtbot, present, Qt.Key.Key_P)
    assert present.privacy is Privacy.INITIALS
    assert "PRIVATE" in present.privacy_button.text()
    shown = _texts(present.map_slide.pane.figure)
    assert not any(bare(p.name) in shown for p in people)
    assert initials(shortest.name) in shown
    assert "Works council" in shown, "groups are not individuals and keep their names"
    assert "Resistant" not in shown, "engagement (attitude) is not shown"
    present.show_slide(2)
    findings_text = present.current_slide().findings.text()
    assert not any(bare(p.name) in findings_text for p in people)

    _key(qtbot, present, Qt.Key.Key_P)
    assert present.privacy is Privacy.CODES
    present.show_slide(0)
    shown = _texts(present.map_slide.pane.figure)
    assert not any(bare(s.name) in shown for s in plan.stakeholders)
    assert "S01" in shown
    _key(qtbot, present, Qt.Key.Key_P)
    assert present.privacy is Privacy.OFF


def _bubble_position(slide: MapSlide, stakeholder_id: str) -> QPoint:
    point = slide.map.point_of(stakeholder_id)
    x, y = slide.pixel_of(point.x, point.y)
    return QPoint(round(x), round(y))


def test_dragging_a_bubble_moves_the_stakeholder_and_undo_restores_it(
    qtbot, present, demo, initiative_id
):
    slide = present.map_slide
    slide.pane.canvas.draw()
    council = next(s for s in demo.list("stakeholder", initiative_id) if s.name == "Works council")
    assert (council.power, council.interest) == (4, 3)
    canvas = slide.pane.canvas
    start = _bubble_position(slide, council.id)
    x, y = slide.pixel_of(5.1, 4.8)
    target = QPoint(round(x), round(y))

    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=start)
    assert slide.dragging == council.id
    qtbot.mouseMove(canvas, pos=target)
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=target)

    moved = demo.get("stakeholder", council.id)
    assert (moved.power, moved.interest) == (5, 5)
    assert demo.history.undo_label == "Move ‘Works council’ on the stakeholder map"
    redrawn = slide.map.point_of(council.id)
    assert (round(redrawn.y), round(redrawn.x)) == (5, 5)

    _key(qtbot, present, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    restored = demo.get("stakeholder", council.id)
    assert (restored.power, restored.interest) == (4, 3)
    assert (round(slide.map.point_of(council.id).y), round(slide.map.point_of(council.id).x)) == (
        4,
        3,
    )
    assert present.message.text() == "Undone: Move ‘Works council’ on the stakeholder map"
    _key(
        qtbot,
        present,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert demo.get("stakeholder", council.id).power == 5


def test_a_drop_on_the_same_cell_changes_nothing(qtbot, present, demo, initiative_id):
    slide = present.map_slide
    slide.pane.canvas.draw()
    council = next(s for s in demo.list("stakeholder", initiative_id) if s.name == "Works council")
    start = _bubble_position(slide, council.id)
    qtbot.mousePress(slide.pane.canvas, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseRelease(slide.pane.canvas, Qt.MouseButton.LeftButton, pos=start + QPoint(3, 3))
    assert not demo.history.can_undo


def test_snapshot_button_records_positions_for_trails(qtbot, present, demo, initiative_id):
    stakeholders = demo.list("stakeholder", initiative_id)
    before = len(demo.plan(initiative_id).snapshots)
    assert present.snapshot_button.isVisible()
    qtbot.mouseClick(present.snapshot_button, Qt.MouseButton.LeftButton)
    plan = demo.plan(initiative_id)
    assert len(plan.snapshots) == before + len(stakeholders)
    taken = [s for s in plan.snapshots if s.label and s.label.startswith("Workshop ")]
    assert {s.stakeholder_id for s in taken} == {s.id for s in stakeholders}
    assert {s.taken_on for s in taken} == {DEMO_TODAY}
    assert present.message.text() == f"Snapshot of {len(stakeholders)} stakeholders taken"
    present.next_slide()
    assert not present.snapshot_button.isVisible()


def test_a_deleted_initiative_is_reported_not_raised(qtbot, present, demo, initiative_id):
    demo.delete("initiative", [initiative_id])
    assert present.stack.currentWidget() is present.problem
    assert present.problem.text()
    demo.history.undo()
    assert present.stack.currentWidget() is present.map_slide


def test_a_read_only_file_can_be_presented_but_not_edited(qtbot, demo, initiative_id, db_path):
    from planner.persistence import open_database
    from planner.services.planning import PlanService

    demo.db.close()
    read_only = PlanService(open_database(db_path, read_only=True))
    window = PresentWindow(read_only, initiative_id, today=DEMO_TODAY)
    qtbot.addWidget(window)
    window.showFullScreen()
    qtbot.waitExposed(window)
    slide = window.map_slide
    slide.pane.canvas.draw()
    assert not window.snapshot_button.isEnabled()
    council = next(
        s for s in read_only.list("stakeholder", initiative_id) if s.name == "Works council"
    )
    qtbot.mousePress(
        slide.pane.canvas, Qt.MouseButton.LeftButton, pos=_bubble_position(slide, council.id)
    )
    assert slide.dragging is None
    read_only.db.close()


def test_an_empty_initiative_presents_every_slide(qtbot, service):
    initiative = service.create("initiative", {"name": "Blank slate"})
    window = PresentWindow(service, initiative.id, today=DEMO_TODAY)
    qtbot.addWidget(window)
    window.showFullScreen()
    qtbot.waitExposed(window)
    for position in range(len(window.slides)):
        window.show_slide(position)
        assert window.stack.currentWidget() is window.slides[position]
    assert "No phases yet" in window.slides[4].panel.findChild(QLabel).text()
    window.show_slide(0)
    canvas = window.map_slide.pane.canvas
    canvas.draw()
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=canvas.rect().center())
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=canvas.rect().center())
    assert window.map_slide.dragging is None
    assert service.history.undo_label == "Add initiative ‘Blank slate’"
