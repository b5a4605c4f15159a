"""File → Export to Excel… and Import from Excel… in the real window, on the demo plan."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt

from planner.persistence import open_database
from planner.services.excel.layout import SHEET_TITLES
from planner.services.excel.preview import Side, Status
from planner.services.planning import PlanService
from planner.ui.excel_exchange import suggested_name
from tests.excel_support import edit, export, header_index, row_of
from tests.ui_support import make_window

# They wait for the planner's Excel child processes, which run at a lower priority
# than the window (nice 10): beside another xdist worker keeping both cores busy they
# starve past their timeouts. So they run in the test command's serial step.
pytestmark = pytest.mark.serial

NEW_STAKEHOLDER = (
    ("Name", "Warehouse staff"),
    ("Person or group", "group"),
    ("Headcount", 80),
    ("Side", "Business"),
    ("Power", 2),
    ("Interest", "4"),
    ("Current engagement", "Neutral"),
    ("Desired engagement", "Supportive"),
    ("Impact", "High"),
    ("ADKAR awareness", 2),
    ("ADKAR desire", 2),
    ("ADKAR knowledge", 1),
    ("ADKAR ability", 1),
    ("ADKAR reinforcement", 1),
)


def _stakeholders(service: PlanService) -> dict[str, int]:
    plan = service.plan(service.initiatives()[0].id)
    return {s.name: s.power for s in plan.stakeholders}


def _set(ws, name: str, header: str, value) -> None:
    ws.cell(row=row_of(ws, "Name", name), column=header_index(ws, header)).value = value


def _power_and_new_row(wb) -> None:
    ws = wb["Stakeholders"]
    _set(ws, "Credit control", "Power", 1)
    row = ws.max_row + 1
    for header, value in NEW_STAKEHOLDER:
        ws.cell(row=row, column=header_index(ws, header)).value = value


def _wait_idle(qtbot, window) -> None:
    qtbot.waitUntil(lambda: not window.ctx.tasks.running, timeout=60000)


def _open_preview(qtbot, window, path: Path):
    window.dialogs.paths.append(path)
    window.excel.import_action.trigger()
    qtbot.waitUntil(lambda: window.excel.dialog is not None, timeout=60000)
    _wait_idle(qtbot, window)
    return window.excel.dialog


def _apply(qtbot, window, dialog) -> None:
    assert dialog.apply_button.isEnabled(), dialog.reason.text()
    qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.excel.dialog is None, timeout=60000)


@pytest.fixture
def exported(demo, tmp_path):
    return export(demo, tmp_path / "plan.xlsx")


def test_export_through_the_menu_writes_a_workbook_with_every_sheet(qtbot, demo, tmp_path):
    window = make_window(qtbot, demo, tmp_path)
    out = tmp_path / "out" / "exported"
    out.parent.mkdir()
    window.dialogs.paths.append(out)
    texts = [a.text() for a in window.menu("file").actions()]
    export_at = texts.index("&Export to Excel…")
    assert texts[export_at + 1] == "&Import from Excel…"
    assert texts.index("&Quit") > export_at + 1
    window.excel.export_action.trigger()
    _wait_idle(qtbot, window)
    written = out.with_suffix(".xlsx")
    assert written.exists()
    assert window.message_label.text().startswith(
        f"Exported ‘{window.initiatives.current_name()}’ to {written}"
    )
    book = load_workbook(written, read_only=True)
    try:
        names = book.sheetnames
    finally:
        book.close()
    assert set(SHEET_TITLES.values()) <= set(names)
    assert {"Readiness", "Charts"} <= set(names)
    assert os.listdir(out.parent) == ["exported.xlsx"]


def test_export_into_a_missing_folder_says_so_and_leaves_nothing(qtbot, demo, tmp_path):
    window = make_window(qtbot, demo, tmp_path)
    window.dialogs.paths.append(tmp_path / "nowhere" / "plan.xlsx")
    window.excel.export_action.trigger()
    _wait_idle(qtbot, window)
    message = window.message_label.text()
    assert "nowhere" in message and "\n" not in message
    assert not (tmp_path / "nowhere").exists()


def test_cancelled_export_says_so_and_leaves_no_file(qtbot, demo, tmp_path):
    window = make_window(qtbot, demo, tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    window.dialogs.paths.append(out / "plan.xlsx")
    window.excel.export_action.trigger()
    [job] = window.ctx.tasks.running
    job.cancel()
    _wait_idle(qtbot, window)
    assert window.message_label.text() == "the export was cancelled; nothing was changed"
    assert os.listdir(out) == []


def test_suggested_export_name_is_safe():
    assert suggested_name('ERP: "finance"/rollout') == "ERP finance rollout.xlsx"
    assert suggested_name("...") == "plan.xlsx"


def test_import_previews_applies_and_undoes_as_one_step(qtbot, demo, exported, tmp_path):
    window = make_window(qtbot, demo, tmp_path)
    before = _stakeholders(demo)
    path = edit(exported, tmp_path / "edited.xlsx", _power_and_new_row)
    dialog = _open_preview(qtbot, window, path)
    assert dialog.isVisible()
    assert dialog.counts.count("Stakeholders", Status.CHANGED) == 1
    assert dialog.counts.count("Stakeholders", Status.NEW) == 1
    assert dialog.counts.count("Stakeholders", Status.UNCHANGED) == len(before) - 1
    changes = {(r[3], r[4], r[5], r[6]) for r in dialog.changes.rows}
    assert ("Credit control", "Power", str(before["Credit control"]), "1") in changes
    assert ("Warehouse staff", "", "", "new record") in changes
    assert _stakeholders(demo) == before
    dialog.grab().save(str(tmp_path / "import-preview.png"))

    _apply(qtbot, window, dialog)
    after = _stakeholders(demo)
    assert after == {**before, "Credit control": 1, "Warehouse staff": 2}
    assert window.message_label.text() == (
        "Imported: 1 new, 1 changed, 0 deleted (Edit → Undo reverts it)"
    )
    assert window.actions_.undo.text() == "&Undo Import edited.xlsx"
    window.actions_.undo.trigger()
    assert _stakeholders(demo) == before
    assert not demo.history.can_undo


def test_a_conflict_needs_a_choice_before_apply(qtbot, demo, exported, tmp_path):
    window = make_window(qtbot, demo, tmp_path)
    credit = next(
        s for s in demo.plan(demo.initiatives()[0].id).stakeholders if s.name == "Credit control"
    )
    demo.update("stakeholder", credit.id, {"power": 4})
    path = edit(
        exported,
        tmp_path / "both.xlsx",
        lambda wb: _set(wb["Stakeholders"], "Credit control", "Power", 5),
    )
    dialog = _open_preview(qtbot, window, path)
    assert dialog.conflicts.rowCount() == 1
    assert dialog.tabs.currentIndex() == 1
    assert not dialog.apply_button.isEnabled()
    assert dialog.reason.text() == (
        "Choose which side to keep for 1 conflicting row (see Conflicts)."
    )
    assert dialog.conflicts.data(dialog.conflicts.index(0, 4)) == "Choose…"
    assert dialog.conflicts.data(dialog.conflicts.index(0, 3)) == "Power: 4 → 5"
    dialog.grab().save(str(tmp_path / "import-conflict.png"))
    dialog.conflicts_table.selectRow(0)
    qtbot.mouseClick(dialog.use_database, Qt.MouseButton.LeftButton)
    assert dialog.conflicts.data(dialog.conflicts.index(0, 4)) == "Database"
    dialog.conflicts_table.doubleClicked.emit(dialog.conflicts.index(0, 2))
    assert dialog.conflicts.data(dialog.conflicts.index(0, 4)) == "Workbook"
    qtbot.mouseClick(dialog.all_database, Qt.MouseButton.LeftButton)
    assert dialog.conflicts.data(dialog.conflicts.index(0, 4)) == "Database"
    qtbot.mouseClick(dialog.all_workbook, Qt.MouseButton.LeftButton)
    assert dialog.conflicts.data(dialog.conflicts.index(0, 4)) == "Workbook"
    assert dialog.reason.text().startswith("Apply makes these changes in one step")
    _apply(qtbot, window, dialog)
    assert _stakeholders(demo)["Credit control"] == 5


def test_invalid_rows_keep_apply_disabled_and_the_report_lists_them(
    qtbot, demo, exported, tmp_path
):
    window = make_window(qtbot, demo, tmp_path)
    before = _stakeholders(demo)
    path = edit(
        exported,
        tmp_path / "bad.xlsx",
        lambda wb: _set(wb["Stakeholders"], "Credit control", "Power", 9),
    )
    dialog = _open_preview(qtbot, window, path)
    assert not dialog.apply_button.isEnabled()
    assert dialog.reason.text().startswith("Fix the 1 problem in the workbook first")
    assert dialog.tabs.currentIndex() == 2
    problem = dialog.problems.rows[0]
    assert (problem[0], problem[1], problem[4]) == ("error", "Stakeholders", "Power")
    dialog.grab().save(str(tmp_path / "import-problems.png"))
    report = tmp_path / "report.xlsx"
    window.dialogs.paths.append(report)
    qtbot.mouseClick(dialog.report_button, Qt.MouseButton.LeftButton)
    book = load_workbook(report, read_only=True)
    try:
        rows = list(book["Problems"].iter_rows(min_row=2, values_only=True))
    finally:
        book.close()
    assert [(r[0], r[1], r[4]) for r in rows] == [("error", "Stakeholders", "Power")]
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert window.excel.dialog is None
    assert _stakeholders(demo) == before


def test_prune_re_previews_with_the_rows_to_delete(qtbot, demo, exported, tmp_path):
    window = make_window(qtbot, demo, tmp_path)
    initiative_id = demo.initiatives()[0].id
    risks = {r.id for r in demo.plan(initiative_id).risks}
    dropped: list[str] = []

    def drop_first_risk(wb):
        ws = wb["Risks"]
        dropped.append(ws.cell(row=2, column=header_index(ws, "ID")).value)
        ws.delete_rows(2)

    dialog = _open_preview(qtbot, window, edit(exported, tmp_path / "fewer.xlsx", drop_first_risk))
    assert dialog.counts.count("Risks", Status.DELETED) == 0
    assert dialog.reason.text().startswith("The database already holds everything")
    dialog.prune.setChecked(True)
    qtbot.waitUntil(lambda: dialog.preview.prune, timeout=60000)
    _wait_idle(qtbot, window)
    assert dialog.counts.count("Risks", Status.DELETED) == 1
    assert dialog.prune.isEnabled() and dialog.prune.isChecked()
    _apply(qtbot, window, dialog)
    assert {r.id for r in demo.plan(initiative_id).risks} == risks - set(dropped)
    window.actions_.undo.trigger()
    assert {r.id for r in demo.plan(initiative_id).risks} == risks


def test_cancel_during_preview_applies_nothing(qtbot, demo, exported, tmp_path):
    window = make_window(qtbot, demo, tmp_path)
    before = _stakeholders(demo)
    window.dialogs.paths.append(edit(exported, tmp_path / "edited.xlsx", _power_and_new_row))
    window.excel.import_action.trigger()
    [job] = window.ctx.tasks.running
    job.cancel()
    _wait_idle(qtbot, window)
    assert window.excel.dialog is None
    assert window.message_label.text() == "the import was cancelled; nothing was changed"
    assert _stakeholders(demo) == before
    assert not demo.history.can_undo


def test_cancel_during_apply_applies_nothing_and_keeps_the_dialog(qtbot, demo, exported, tmp_path):
    window = make_window(qtbot, demo, tmp_path)
    before = _stakeholders(demo)
    dialog = _open_preview(
        qtbot, window, edit(exported, tmp_path / "edited.xlsx", _power_and_new_row)
    )
    qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    assert not dialog.apply_button.isEnabled() and dialog.reason.text() == "Working…"
    [job] = window.ctx.tasks.running
    job.cancel()
    _wait_idle(qtbot, window)
    assert _stakeholders(demo) == before
    assert not demo.history.can_undo
    assert window.excel.dialog is dialog and dialog.apply_button.isEnabled()


def test_closing_the_dialog_while_it_re_previews_drops_the_result(qtbot, demo, exported, tmp_path):
    window = make_window(qtbot, demo, tmp_path)
    dialog = _open_preview(qtbot, window, exported)
    dialog.prune.setChecked(True)
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    _wait_idle(qtbot, window)
    assert window.excel.dialog is None


def test_an_edit_after_the_preview_makes_apply_refuse(qtbot, demo, exported, tmp_path):
    window = make_window(qtbot, demo, tmp_path)
    dialog = _open_preview(
        qtbot, window, edit(exported, tmp_path / "edited.xlsx", _power_and_new_row)
    )
    credit = next(
        s for s in demo.plan(demo.initiatives()[0].id).stakeholders if s.name == "Credit control"
    )
    demo.update("stakeholder", credit.id, {"power": 3})
    before = _stakeholders(demo)
    qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    _wait_idle(qtbot, window)
    assert window.message_label.text() == (
        "the plan was changed after this import was "
        "previewed; preview the workbook again; nothing was "
        "imported"
    )
    assert window.excel.dialog is dialog and dialog.apply_button.isEnabled()
    assert _stakeholders(demo) == before
    assert demo.history.undo_label != "Import edited.xlsx"


@pytest.mark.parametrize("content", [b"not a workbook at all", b"PK\x03\x04" + b"\x00" * 64])
def test_a_file_that_is_no_workbook_gives_one_line_and_changes_nothing(
    qtbot, demo, tmp_path, content
):
    window = make_window(qtbot, demo, tmp_path)
    before = demo.plan(demo.initiatives()[0].id)
    bad = tmp_path / "hostile.xlsx"
    bad.write_bytes(content)
    window.dialogs.paths.append(bad)
    window.excel.import_action.trigger()
    _wait_idle(qtbot, window)
    message = window.message_label.text()
    assert message and "\n" not in message and "hostile.xlsx" in message
    assert "Traceback" not in message
    assert window.excel.dialog is None
    assert demo.plan(demo.initiatives()[0].id) == before


def test_a_read_only_file_can_export_but_not_import(qtbot, demo, tmp_path):
    path = demo.db.path
    assert path is not None
    second = open_database(path)
    try:
        window = make_window(qtbot, PlanService(second), tmp_path)
        assert second.read_only
        assert not window.excel.import_action.isEnabled()
        assert window.excel.import_() is None
        assert "read-only" in window.message_label.text()
        assert window.excel.export_action.isEnabled()
        window.dialogs.paths.append(tmp_path / "copy.xlsx")
        window.excel.export_action.trigger()
        _wait_idle(qtbot, window)
        assert (tmp_path / "copy.xlsx").exists()
    finally:
        second.close()


def test_preview_models_pass_the_model_tester(qtmodeltester, qtbot, demo, exported, tmp_path):
    from planner.services.excel.importer import preview_import
    from planner.ui.excel_dialog import ImportPreviewDialog

    credit = next(
        s for s in demo.plan(demo.initiatives()[0].id).stakeholders if s.name == "Credit control"
    )
    demo.update("stakeholder", credit.id, {"power": 4})

    def edits(wb):
        _set(wb["Stakeholders"], "Credit control", "Power", 5)
        _set(wb["Stakeholders"], "Sales operations", "Power", 9)
        ws = wb["Stakeholders"]
        row = ws.max_row + 1
        for header, value in NEW_STAKEHOLDER:
            ws.cell(row=row, column=header_index(ws, header)).value = value

    preview = preview_import(demo, edit(exported, tmp_path / "all.xlsx", edits))
    dialog = ImportPreviewDialog(preview)
    qtbot.addWidget(dialog)
    for model in (dialog.counts, dialog.changes, dialog.conflicts, dialog.problems):
        assert model.rowCount() > 0
        qtmodeltester.check(model)
    dialog.conflicts.choose_all(Side.DATABASE)
    qtmodeltester.check(dialog.conflicts)
