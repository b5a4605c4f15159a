"""An amount typed as text with its currency ("€62,000") is read through `planner import`."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.conftest import run_cli


def _exported(tmp_path: Path) -> tuple[Path, Path]:
    db = tmp_path / "plan.db"
    assert run_cli("demo", "--db", str(db)).returncode == 0
    book = tmp_path / "plan.xlsx"
    done = run_cli("export", "--db", str(db), "--no-charts", str(book))
    assert done.returncode == 0, done.stderr
    return db, book


def _retype(book: Path, text: str) -> tuple[str, str]:
    wb = load_workbook(book)
    ws = wb["Options"]
    headers = [c.value for c in ws[1]]
    column = headers.index("Annual cost") + 1
    name = ws.cell(row=2, column=headers.index("Name") + 1).value
    ws.cell(row=2, column=column).value = text
    wb.save(book)
    return str(name), ws.cell(row=2, column=column).coordinate


def _cost(db: Path, name: str) -> float | None:
    with sqlite3.connect(db) as con:
        (cost,) = con.execute(
            "SELECT annual_cost FROM tech_option WHERE name = ?", (name,)
        ).fetchone()
    return cost


@pytest.mark.parametrize("text", ["€62,000", "62,000 €", "EUR 62,000", "62000"])
def test_amount_in_the_initiatives_currency_is_accepted(tmp_path, text):
    db, book = _exported(tmp_path)
    name, _ = _retype(book, text)
    done = run_cli("import", "--db", str(db), str(book))
    assert done.returncode == 0, done.stderr
    assert _cost(db, name) == 62000.0


@pytest.mark.parametrize(
    ("text", "why"), [("$1,250.50", "USD"), ("€1,25", "decimal part"), ("€1,2500", "oddly")]
)
def test_other_currency_or_ambiguous_amount_is_refused(tmp_path, text, why):
    db, book = _exported(tmp_path)
    name, coordinate = _retype(book, text)
    before = _cost(db, name)
    done = run_cli("import", "--db", str(db), str(book))
    assert done.returncode != 0
    assert why in done.stderr and "Options" in done.stderr, done.stderr
    assert f"row 2, column {coordinate.rstrip('0123456789')}" in done.stderr, done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert _cost(db, name) == before
