"""The window's Excel exchange with its slow steps elsewhere: child processes, the worker.

Reading a workbook and exporting run in child processes, the import's write
on the worker thread; these tests check that what the window does that way
still gives the right data, on screen and in the file.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from planner.domain.errors import Cancelled
from planner.persistence import open_database
from planner.services.excel.guards import UnsafeWorkbookError
from planner.services.excel.importer import preview_import
from planner.services.excel.preview import Status
from planner.services.excel.progress import Progress
from planner.services.excel.reader import read_workbook
from planner.services.excel.reader_process import read_workbook_apart
from planner.services.planning import PlanService
from tests.excel_support import export
from tests.ui_support import make_window

# They wait for the planner's Excel child processes, which run at a lower priority
# than the window (nice 10): beside another xdist worker keeping both cores busy they
# starve past their timeouts. So they run in the test command's serial step.
pytestmark = pytest.mark.serial


def _wait_idle(qtbot, window) -> None:
    qtbot.waitUntil(lambda: not window.ctx.tasks.running, timeout=60000)


def test_export_from_the_window_holds_exactly_the_plan(qtbot, demo, tmp_path):
    window = make_window(qtbot, demo, tmp_path)
    out = tmp_path / "plan.xlsx"
    window.dialogs.paths.append(out)
    window.excel.export_action.trigger()
    _wait_idle(qtbot, window)
    assert window.message_label.text().startswith("Exported")
    preview = preview_import(demo, out)
    assert not preview.problems
    totals = preview.totals()
    assert totals[Status.UNCHANGED] > 0
    assert sum(totals.values()) == totals[Status.UNCHANGED]
    exported_here = preview_import(demo, export(demo, tmp_path / "here.xlsx"))
    assert [(s.title, s.counts()) for s in preview.sheets] == [
        (s.title, s.counts()) for s in exported_here.sheets
    ]


def test_an_export_that_cannot_be_written_says_why_in_one_line(qtbot, demo, tmp_path):
    window = make_window(qtbot, demo, tmp_path)
    window.dialogs.paths.append(tmp_path / "plan.txt")
    window.excel.export_action.trigger()
    _wait_idle(qtbot, window)
    message = window.message_label.text()
    assert "must end in .xlsx" in message and "\n" not in message
    assert list(tmp_path.glob("*.txt")) == list(tmp_path.glob("*.partial")) == []


def test_import_into_an_empty_file_fills_the_table_that_is_showing(qtbot, demo, tmp_path):
    workbook = export(demo, tmp_path / "plan.xlsx")
    expected = sorted(s.name for s in demo.plan(demo.find_initiative(None).id).stakeholders)
    empty = open_database(tmp_path / "empty.db")
    service = PlanService(empty)
    window = make_window(qtbot, service, tmp_path)
    page = window.show_page("stakeholders")
    assert page.model.rowCount() == 0
    window.dialogs.paths.append(workbook)
    window.excel.import_action.trigger()
    qtbot.waitUntil(lambda: window.excel.dialog is not None, timeout=60000)
    _wait_idle(qtbot, window)
    dialog = window.excel.dialog
    assert dialog.counts.count("Stakeholders", Status.NEW) == len(expected)
    assert dialog.changes.rowCount() == sum(
        dialog.counts.count(row[0], Status.NEW) for row in dialog.counts.rows
    )
    qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.excel.dialog is None, timeout=60000)

    initiative = service.find_initiative(None)
    assert window.ctx.initiative_id == initiative.id
    assert sorted(s.name for s in service.plan(initiative.id).stakeholders) == expected
    shown = sorted(page.model.record(r).name for r in range(page.model.rowCount()))
    assert shown == expected
    assert window.actions_.undo.text() == "&Undo Import plan.xlsx"

    window.actions_.undo.trigger()
    assert service.initiatives() == []
    assert page.model.rowCount() == 0
    empty.close()


def test_reading_apart_gives_what_reading_here_gives(demo, tmp_path):
    workbook = export(demo, tmp_path / "plan.xlsx")
    here, apart = read_workbook(workbook), read_workbook_apart(workbook)
    assert apart.info == here.info
    assert apart.fingerprints == here.fingerprints
    assert [
        (s.title, s.header_row, s.headers, s.rows, s.formulas, s.merged) for s in apart.sheets
    ] == [(s.title, s.header_row, s.headers, s.rows, s.formulas, s.merged) for s in here.sheets]


def test_reading_apart_refuses_a_bad_file_with_the_readers_message(tmp_path):
    bad = tmp_path / "notes.xlsx"
    bad.write_text("not a workbook")
    with pytest.raises(UnsafeWorkbookError) as here:
        read_workbook(bad)
    with pytest.raises(UnsafeWorkbookError) as apart:
        read_workbook_apart(bad)
    assert str(apart.value) == str(here.value)


def test_reading_apart_stops_when_cancelled(demo, tmp_path):
    workbook = export(demo, tmp_path / "plan.xlsx")
    with pytest.raises(Cancelled):
        read_workbook_apart(workbook, Progress(cancelled=lambda: True, what="the import"))


def test_history_can_apply_on_one_thread_and_announce_on_another(demo):
    heard = []
    demo.history.subscribe(lambda command, direction: heard.append((command.label, direction)))
    command = demo.execute("Quiet", [], announce=False)
    assert heard == []
    demo.history.announce(command)
    assert heard == [("Quiet", "do")]


def test_the_collector_is_settled_only_where_the_application_asks():
    script = (
        "import gc; from planner import collector; collector.settle_again(); "
        "before = gc.get_freeze_count(); collector.settle(); "
        "print(before == 0, gc.get_freeze_count() > 0, "
        "gc.get_threshold()[2] == collector.FULL_PASS_EVERY)"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True
    )
    assert done.stdout.split() == ["True", "True", "True"]


def test_export_apart_of_a_missing_initiative_says_so(demo, tmp_path):
    from planner.domain.errors import PlannerError
    from planner.services.excel.export_process import export_apart

    assert demo.db.path is not None
    with pytest.raises(PlannerError) as refused:
        export_apart(Path(demo.db.path), "no-such-id", tmp_path / "x.xlsx")
    assert "\n" not in str(refused.value)
    assert not (tmp_path / "x.xlsx").exists()
