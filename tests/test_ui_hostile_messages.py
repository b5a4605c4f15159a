"""What the window says about a hostile file stays one short line of plain text.

The same hostile text as the command line's tests (terminal escape codes, line
breaks, bidirectional overrides, markup, a million characters) is planted in a
workbook's names and cells and in a database's names and schema revision; the
real window opens, previews, imports and deletes, and every status-bar message,
dialog, label and title it shows is checked: printable, one line (a dialog: one
line a paragraph), bounded, and markup shown as text.
"""

from __future__ import annotations

import re
import sqlite3
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from planner.domain.quoting import MESSAGE_LIMIT
from planner.persistence import open_database
from planner.services.planning import PlanService
from tests.excel_support import export, header_index
from tests.ui_support import make_window

# The import runs in the planner's Excel child process (see tests/test_ui_excel.py).
pytestmark = pytest.mark.serial

UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
# What a worksheet cell can hold (XML 1.0 allows no C0 controls but line breaks and tabs).
IN_A_CELL = "\u009b31m\u202e<b>evil</b>\nforged\u2066 line\x85"
IN_A_DATABASE = "\x1b]0;owned\x07\x1b[2J\u009b31m\u202e<b>evil</b>\nforged line"
HUGE = 1_000_000


def _one_line(text: str, limit: int = MESSAGE_LIMIT) -> str:
    assert text, "something is said"
    assert not UNPRINTABLE.search(text), repr(UNPRINTABLE.search(text))
    assert len(text) <= limit, len(text)
    return text


def _dialog_text(text: str) -> None:
    """A dialog: plain paragraphs, each one printable, bounded line."""
    for paragraph in text.split("\n\n"):
        _one_line(paragraph)


def _plan(db_path: Path) -> PlanService:
    service = PlanService(open_database(db_path))
    ini = service.create("initiative", {"name": "Rollout"})
    service.create("stakeholder", {"initiative_id": ini.id, "name": "Sales", "headcount": 5})
    service.history.clear()
    return service


def _wait_idle(qtbot, window) -> None:
    qtbot.waitUntil(lambda: not window.ctx.tasks.running, timeout=60000)


def _import(qtbot, window, path: Path) -> None:
    window.dialogs.paths.append(path)
    window.excel.import_action.trigger()
    _wait_idle(qtbot, window)


def test_a_workbook_of_hostile_names_previews_and_imports_with_every_message_escaped(
    qtbot, db_path: Path, tmp_path: Path
):
    service = _plan(db_path)
    workbook = export(service, tmp_path / "plan.xlsx")
    wb = load_workbook(workbook)
    wb["Initiative"].cell(row=2, column=header_index(wb["Initiative"], "Name"), value=IN_A_CELL)
    ws = wb["Stakeholders"]
    ws.cell(row=2, column=header_index(ws, "Name"), value="Sales " + IN_A_CELL)
    hostile = tmp_path / "hostile.xlsx"
    wb.save(hostile)
    window = make_window(qtbot, service, tmp_path)

    _import(qtbot, window, hostile)
    dialog = window.excel.dialog
    assert dialog is not None, window.message_label.text()
    heading = dialog.heading.text()
    assert "‘\\x9b31m\\u202e&lt;b&gt;evil&lt;/b&gt; forged\\u2066 line’" in heading, heading
    assert "<b>evil" not in heading, "a name in the workbook is not markup"
    _one_line(heading)
    _one_line(dialog.reason.text())
    assert dialog.apply_button.isEnabled(), dialog.reason.text()
    dialog.apply_button.click()
    qtbot.waitUntil(lambda: window.excel.dialog is None, timeout=60000)

    (initiative,) = service.initiatives()
    assert initiative.name.startswith("\u009b31m\u202e<b>evil</b>"), "imported as written"
    assert window.message_label.text().startswith("Imported: ")
    _one_line(window.windowTitle())
    assert "\\x9b31m\\u202e<b>evil</b> forged\\u2066" in window.windowTitle()
    _one_line(window.actions_.undo.text())
    window.grab().save(str(tmp_path / "hostile-import.png"))


def _with_number(source: Path, target: Path, text: str) -> Path:
    """The Stakeholders headcount of the first row (5) replaced in the sheet's XML itself."""
    cell = re.compile(rb'(<c r="D2"[^>]*>)<v>5</v>')
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            data = old.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                data = cell.sub(rb"\g<1><v>" + text.encode() + rb"</v>", data)
            new.writestr(item.filename, data)
    return target


def test_a_refused_workbook_quoting_a_million_characters_is_one_short_line(
    qtbot, db_path: Path, tmp_path: Path
):
    service = _plan(db_path)
    workbook = export(service, tmp_path / "plan.xlsx")
    text = "NaN\u009b31m\u202e" + "9" * HUGE
    bad = _with_number(workbook, tmp_path / "bad.xlsx", text)
    before = service.plan(service.initiatives()[0].id)
    window = make_window(qtbot, service, tmp_path)

    _import(qtbot, window, bad)
    message = _one_line(window.message_label.text())
    assert message.startswith("Stakeholders, row 2, column D ‘Headcount’"), message
    assert "NaN\\x9b31m\\u202e999" in message and "…" in message
    assert window.excel.dialog is None
    assert service.plan(service.initiatives()[0].id) == before


def _named(db_path: Path, name: str) -> PlanService:
    """A plan whose initiative is called `name`, written past the planner's own checks."""
    _plan(db_path).db.close()
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE initiative SET name = ?", (name,))
    conn.commit()
    conn.close()
    return PlanService(open_database(db_path))


def test_a_database_of_hostile_names_shows_them_escaped_in_title_dialogs_and_status_bar(
    qtbot, db_path: Path, tmp_path: Path
):
    service = _named(db_path, IN_A_DATABASE + "A" * 150)
    window = make_window(qtbot, service, tmp_path)

    title = _one_line(window.windowTitle())
    assert title.startswith("\\x1b]0;owned\\x07\\x1b[2J\\x9b31m\\u202e<b>evil</b>"), title
    window.dialogs.confirmations.append(True)
    window.initiatives.delete()
    (asked,) = window.dialogs.asked
    _dialog_text(asked)
    assert "‘\\x1b]0;owned\\x07" in asked and "…’" in asked, asked
    assert service.initiatives() == []
    message = _one_line(window.message_label.text())
    assert message.startswith("Deleted initiative ‘\\x1b]0;owned"), message
    _one_line(window.actions_.undo.text())


def test_a_million_character_name_in_a_database_is_one_short_line_of_plain_text(
    qtbot, db_path: Path, tmp_path: Path
):
    service = _named(db_path, IN_A_DATABASE + "A" * HUGE)
    window = make_window(qtbot, service, tmp_path)

    banner = window.findChild(QLabel, "unreadable_banner")
    assert banner is not None and banner.isVisible()
    text = _one_line(banner.text())
    assert "‘\\x1b]0;owned\\x07" in text and "1000042 characters" in text, text
    assert banner.textFormat() is Qt.TextFormat.PlainText, "<b> in a name is not markup"


def test_a_database_with_a_hostile_revision_is_refused_in_one_short_line(
    qtbot, service: PlanService, tmp_path: Path
):
    hostile = tmp_path / "received.db"
    _plan(hostile).db.close()
    conn = sqlite3.connect(hostile)
    conn.execute("UPDATE alembic_version SET version_num = ?", (IN_A_DATABASE + "A" * HUGE,))
    conn.commit()
    conn.close()
    before = hostile.read_bytes()
    window = make_window(qtbot, service, tmp_path)

    window.dialogs.paths.append(hostile)
    window.open_database()
    message = _one_line(window.message_label.text())
    assert "\\x1b]0;owned" in message, message
    for text in window.dialogs.errors:
        _dialog_text(text)
    assert hostile.read_bytes() == before
    assert window.ctx.service is service
