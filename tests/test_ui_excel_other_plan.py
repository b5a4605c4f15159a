"""The window's import preview for a workbook of another file's plan of the same name."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from planner.persistence import open_database
from planner.services.demo import create_demo
from planner.services.excel.preview import Status
from planner.services.planning import PlanService
from tests.conftest import DEMO_TODAY
from tests.excel_support import export
from tests.test_ui_excel import _apply, _open_preview, _wait_idle
from tests.ui_support import make_window


def _other_file(tmp_path: Path) -> Path:
    db = open_database(tmp_path / "other.db")
    try:
        other = PlanService(db)
        create_demo(other, today=DEMO_TODAY)
        return export(other, tmp_path / "other.xlsx")
    finally:
        db.close()


def test_the_preview_offers_a_separate_initiative_or_matching_by_name(qtbot, demo, tmp_path):
    workbook = _other_file(tmp_path)
    window = make_window(qtbot, demo, tmp_path)
    dialog = _open_preview(qtbot, window, workbook)
    name = demo.initiatives()[0].name
    assert dialog.other_plan.isVisible()
    assert "comes from another file" in dialog.other_plan_text.text()
    assert not dialog.apply_button.isEnabled()
    assert "separate initiative" in dialog.reason.text()

    qtbot.mouseClick(dialog.match_by_name, Qt.MouseButton.LeftButton)
    _wait_idle(qtbot, window)
    assert not dialog.other_plan.isVisible()
    assert dialog.preview.errors == []
    assert dialog.preview.totals()[Status.NEW] == 0

    qtbot.mouseClick(dialog.as_new, Qt.MouseButton.LeftButton)
    _wait_idle(qtbot, window)
    assert dialog.preview.initiative_name == f"{name} (imported)"
    _apply(qtbot, window, dialog)
    names = sorted(i.name for i in demo.initiatives())
    assert names == [name, f"{name} (imported)"]
    counts = [len(demo.plan(i.id).stakeholders) for i in demo.initiatives()]
    assert counts == [30, 30]
