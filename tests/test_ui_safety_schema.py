"""The window refuses a received file whose schema is not the planner's, and offers a clean copy.

Driven as a user would: File → Open on a file with a planted trigger and a
table replaced by an endless view; the window must not hang, must say in one
line what is foreign, leave the file's bytes as they were, and on request copy
the data into a new clean file that it then opens.
"""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

from planner.ui.main_window import MainWindow
from tests.ui_support import demo_window_fixture, make_window, window_fixture  # noqa: F401

ENDLESS = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT i FROM n"


def _received(window: MainWindow, tmp_path: Path) -> Path:
    """A copy of the window's demo plan, planted with a trigger and an endless view."""
    source = window.service.db.path
    assert source is not None
    target = tmp_path / "received" / "from-a-colleague.db"
    target.parent.mkdir()
    shutil.copyfile(source, target)
    with sqlite3.connect(target) as conn:
        conn.execute("CREATE TRIGGER evil AFTER INSERT ON stakeholder BEGIN DELETE FROM risk; END")
        conn.execute("ALTER TABLE objective RENAME TO objective_kept")
        conn.execute(f"CREATE VIEW objective AS SELECT * FROM objective_kept, ({ENDLESS})")
    return target


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_hostile_file_is_refused_and_its_data_copied_into_a_clean_file(
    demo_window: MainWindow, qtbot, tmp_path: Path
):
    window = demo_window
    first = window.service.db.path
    people = len(window.service.list("stakeholder"))
    received = _received(window, tmp_path)
    before = _digest(received)

    clean = tmp_path / "received" / "clean"
    window.dialogs.paths += [received, clean]
    window.dialogs.confirmations.append(True)
    window.actions_.open_db.trigger()

    asked = window.dialogs.asked[-1]
    assert asked.startswith(f"{received} holds a trigger ‘evil’ on ‘stakeholder’")
    assert "\n" not in asked
    assert "Nothing in it was run" in asked
    assert _digest(received) == before
    qtbot.waitUntil(lambda: window.service.db.path == clean.with_suffix(".db"), timeout=60_000)
    assert window.message_label.text().startswith("Copied ")
    assert len(window.service.list("stakeholder")) == people
    assert window.service.list("objective") == []
    assert _digest(received) == before
    assert first is not None and first.exists()


def test_declining_the_clean_copy_leaves_everything_as_it_was(
    demo_window: MainWindow, qtbot, tmp_path: Path
):
    window = demo_window
    first = window.service.db.path
    received = _received(window, tmp_path)
    before = _digest(received)
    listing = sorted(p.name for p in received.parent.iterdir())

    window.dialogs.paths.append(received)
    window.dialogs.confirmations.append(False)
    window.actions_.open_db.trigger()

    assert "holds a trigger ‘evil’" in window.message_label.text()
    assert window.service.db.path == first
    assert not window.service.db.read_only
    assert _digest(received) == before
    assert sorted(p.name for p in received.parent.iterdir()) == listing
