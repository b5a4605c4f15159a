"""Data safety in the window: the read-only banner, Restore from backup, Check database."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from planner.persistence import open_database
from planner.persistence.backup import backup_folder, list_backups
from planner.services.demo import DEMO_NAME
from planner.services.planning import PlanService
from tests.ui_support import make_window


def _reopened(demo: PlanService) -> PlanService:
    """The demo file closed and opened again, which takes its first backup."""
    path = demo.db.path
    assert path is not None
    demo.db.close()
    return PlanService(open_database(path))


def test_a_file_open_in_another_window_shows_a_read_only_banner(
    qtbot, service, db_path, tmp_path: Path
):
    second = open_database(db_path)
    try:
        window = make_window(qtbot, PlanService(second), tmp_path)
        banner = window.safety.banner
        assert banner.isVisible()
        assert banner.text() == (
            "Read-only: plan.db is already open in another window of this "
            "planner. You can look, but changes cannot be saved."
        )
        window.grab().save(str(tmp_path / "read-only-window.png"))
    finally:
        second.close()


def test_a_writable_file_shows_no_banner(qtbot, service, tmp_path: Path):
    window = make_window(qtbot, service, tmp_path)
    assert not window.safety.banner.isVisible()


def test_restore_from_backup_in_the_window(qtbot, demo, tmp_path: Path):
    service = _reopened(demo)
    path = service.db.path
    window = make_window(qtbot, service, tmp_path)
    service.create("initiative", {"name": "Mistake"})

    window.safety.restore_action.trigger()
    dialog = window.safety.dialog
    assert dialog is not None and dialog.isVisible()
    model = dialog.model
    assert model.rowCount() == 1
    good = list_backups(path)[0]
    assert model.data(model.index(0, 2)) == "on open"
    assert model.data(model.index(0, 0)) == good.taken_at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
    dialog.grab().save(str(tmp_path / "restore-dialog.png"))
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)

    restored = window.ctx.service
    assert restored is not service
    assert not restored.db.read_only
    assert [i.name for i in restored.initiatives()] == [DEMO_NAME]
    assert [b.reason for b in list_backups(path)] == ["before-restore", "on-open"]
    restored.create("initiative", {"name": "After the restore"})


def test_restore_with_no_backup_says_so(qtbot, service, tmp_path: Path):
    window = make_window(qtbot, service, tmp_path)
    window.safety.restore_action.trigger()
    assert window.ctx.dialogs.errors == ["There is no backup of plan.db yet."]
    assert window.safety.dialog is None


def test_check_database_reports_in_the_window(qtbot, demo, tmp_path: Path):
    window = make_window(qtbot, _reopened(demo), tmp_path)
    window.safety.check_action.trigger()
    qtbot.waitUntil(lambda: window.safety.report_box is not None, timeout=30000)
    box = window.safety.report_box
    assert box.text() == "plan.db passed every check"
    details = box.informativeText()
    assert "<b>integrity</b> — ok: integrity_check found no damage" in details
    assert "<b>lock</b> — ok: open for writing by process" in details
    assert "<b>backups</b> — ok: 1 backup; newest good one:" in details
    box.grab().save(str(tmp_path / "check-report.png"))


def test_a_failed_backup_on_open_is_said_in_the_status_bar(qtbot, demo, tmp_path: Path):
    path = demo.db.path
    assert path is not None
    demo.db.close()
    folder = backup_folder(path)
    folder.parent.mkdir(parents=True, exist_ok=True)
    folder.write_text("a file where the backup folder should be")
    service = PlanService(open_database(path, backup_on_open="background"))
    window = make_window(qtbot, service, tmp_path)
    label = window.message_label
    qtbot.waitUntil(lambda: "no backup could be taken" in label.text(), timeout=10_000)
    assert label.text().startswith("plan.db: no backup could be taken")
    assert service.db.backup_problem is not None
    assert window.pages["stakeholders"] is not None
