"""File menu: new database, open, open recent, save a copy; remembered layout; kill safety."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

from planner.persistence.backup import quick_check
from planner.persistence.database import open_database
from planner.services.planning import PlanService
from planner.ui.settings import Settings, settings_file
from tests.conftest import REPO
from tests.ui_support import demo_window_fixture, make_window, window_fixture  # noqa: F401


def test_new_open_recent_and_a_refused_file(window, qtbot, tmp_path):
    first = window.service.db.path
    fresh = tmp_path / "fresh"
    window.dialogs.paths.append(fresh)
    window.actions_.new_db.trigger()
    assert window.service.db.path == tmp_path / "fresh.db"
    assert (tmp_path / "fresh.db").exists() and window.switcher.count() == 0
    assert "fresh.db" in window.windowTitle()

    window.dialogs.texts.append("ERP")
    window.actions_.new_initiative.trigger()
    assert [i.name for i in window.service.initiatives()] == ["ERP"]

    bogus = tmp_path / "notes.db"
    bogus.write_text("not a database")
    window.dialogs.paths.append(bogus)
    window.actions_.open_db.trigger()
    assert "not a planner database" in window.message_label.text()
    assert window.dialogs.errors and bogus.read_text() == "not a database"
    assert window.service.db.path == tmp_path / "fresh.db"

    recent = window.ctx.settings.recent_files()
    assert recent[:2] == [(tmp_path / "fresh.db").resolve(), first.resolve()]
    window.actions_.recent_menu.aboutToShow.emit()
    entries = [a.text() for a in window.actions_.recent_menu.actions()]
    assert entries == [str(first.resolve())]
    window.actions_.recent_menu.actions()[0].trigger()
    assert window.service.db.path == first.resolve()


def test_new_database_never_overwrites_an_existing_file(window, tmp_path):
    existing = tmp_path / "keep.db"
    existing.write_bytes(b"precious")
    window.dialogs.paths.append(existing)
    window.actions_.new_db.trigger()
    assert existing.read_bytes() == b"precious"
    assert "already exists" in window.message_label.text()


def test_save_a_copy_runs_in_the_background_and_is_checked(demo_window, qtbot, tmp_path):
    window = demo_window
    target = tmp_path / "copies" / "copy.db"
    window.dialogs.paths.append(target)
    job = window.save_copy()
    assert job is not None
    qtbot.waitUntil(lambda: not window.ctx.tasks.running, timeout=20_000)
    assert quick_check(target) == "ok"
    assert "Saved a checked copy" in window.message_label.text()
    copy = PlanService(open_database(target))
    assert [i.name for i in copy.initiatives()] == [i.name for i in window.service.initiatives()]
    copy.db.close()


def test_layout_and_hidden_columns_are_remembered(qtbot, service, tmp_path):
    service.create("initiative", {"name": "CRM"})
    window = make_window(qtbot, service, tmp_path)
    view = window.show_page("stakeholders")
    view.set_column_visible(view.model.columns.index("function"), False)
    qtbot.waitExposed(window)
    qtbot.wait(50)  # the page settles at its size
    total = sum(view.splitter.sizes())
    view.splitter.setSizes([total - 180, 180])  # the user drags the divider
    widths = view.splitter.sizes()
    assert widths[1] == 180
    window.close()
    again = make_window(qtbot, service, tmp_path)
    assert again.current_page_key() == "stakeholders"
    view = again.pages["stakeholders"]
    assert view.table.isColumnHidden(view.model.columns.index("function"))
    assert not view.table.isColumnHidden(view.model.columns.index("name"))
    qtbot.waitUntil(lambda: view.splitter.sizes() == widths)


def test_settings_live_in_the_test_config_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("PLANNER_CONFIG_DIR", raising=False)
    assert settings_file().is_relative_to(tmp_path)
    monkeypatch.setenv("PLANNER_CONFIG_DIR", str(tmp_path / "elsewhere"))
    settings = Settings()
    settings.add_recent(tmp_path / "a.db")
    settings.sync()
    assert (tmp_path / "elsewhere" / "planner.ini").exists()


KILL_SCRIPT = """
import os, signal, sys
from PySide6.QtWidgets import QApplication
from planner.persistence.database import open_database
from planner.services.planning import PlanService
from planner.ui.main_window import MainWindow
app = QApplication([])
service = PlanService(open_database(sys.argv[1]))
window = MainWindow(service)
window.show()
view = window.show_page("stakeholders")
row = view.model.row_of(sys.argv[2])
view.model.setData(view.model.index(row, view.model.columns.index("power")), 5)
view.form.set_record(view.model.record(row))
view.form.editors["function"].setText("Field sales")
view.form.editors["function"].editingFinished.emit()
app.processEvents()
os.kill(os.getpid(), signal.SIGKILL)
"""


def test_edits_survive_a_kill_of_the_process(demo, db_path, tmp_path):
    initiative = demo.initiatives()[0]
    reps = next(s for s in demo.list("stakeholder", initiative.id) if s.name == "Sales reps North")
    demo.db.close()
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "PLANNER_CONFIG_DIR": str(tmp_path / "cfg"),
    }
    result = subprocess.run(
        [sys.executable, "-c", KILL_SCRIPT, str(db_path), reps.id],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == -signal.SIGKILL, result.stderr[-2000:]
    assert quick_check(db_path) == "ok"
    reopened = PlanService(open_database(db_path))
    after = reopened.get("stakeholder", reps.id)
    reopened.db.close()
    assert (after.power, after.function) == (5, "Field sales")


def test_opening_the_file_already_open_changes_nothing(window, qtbot, tmp_path):
    service = window.service
    path = service.db.path
    window.dialogs.paths.append(path)
    window.actions_.open_db.trigger()
    assert window.service is service
    assert not service.db.read_only
    assert window.message_label.text() == f"{path.name} is already open in this window"
    service.create("initiative", {"name": "Still writable"})
    assert "(read-only)" not in window.windowTitle()


def test_a_file_closed_first_is_reopened_writable(window, qtbot, tmp_path):
    """The restore flow: the window's connection is closed, then the same file opened again."""
    service = window.service
    path = service.db.path
    service.db.close()
    assert window.open_path(path)
    assert window.service is not service
    assert not window.service.db.read_only
    window.service.create("initiative", {"name": "Reopened"})
