"""Files that are not usable planner databases: one line, and the bytes stay as they were."""

import hashlib
import sqlite3
import zipfile
from pathlib import Path

import pytest

from planner.persistence import DatabaseError, NewerSchemaError, open_database
from tests.conftest import run_cli


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _text(path: Path) -> None:
    path.write_text("name,power\nSales,4\n")


def _zero(path: Path) -> None:
    path.write_bytes(b"")


def _excel(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")


def _other_sqlite(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("create table contacts (name text)")
    conn.commit()
    conn.close()


def _corrupt(path: Path) -> None:
    db = open_database(path)
    from planner.services.demo import create_demo
    from planner.services.planning import PlanService

    create_demo(PlanService(db))
    db.close()
    data = bytearray(path.read_bytes())
    page = 4096
    for offset in range(page * 3, min(len(data), page * 12)):
        data[offset] = 0xA5
    path.write_bytes(bytes(data))


def _newer(path: Path) -> None:
    open_database(path).close()
    conn = sqlite3.connect(path)
    conn.execute("update alembic_version set version_num='9999_from_the_future'")
    conn.commit()
    conn.close()


CASES = [
    (_text, "not a planner database (not an SQLite file)"),
    (_zero, "is empty (0 bytes)"),
    (_excel, "is a zip file (an Excel workbook?)"),
    (_other_sqlite, "is an SQLite database but not a planner database"),
    (_corrupt, "is damaged"),
    (_newer, "was written by a newer version of the planner (schema 9999_from_the_future)"),
]


@pytest.mark.parametrize(("make", "words"), CASES, ids=[c[0].__name__ for c in CASES])
def test_bad_file_is_refused_and_left_untouched(tmp_path: Path, make, words):
    path = tmp_path / "plan.db"
    make(path)
    before = _digest(path)
    siblings = sorted(p.name for p in tmp_path.iterdir())
    with pytest.raises(DatabaseError) as caught:
        open_database(path)
    message = str(caught.value)
    assert words in message and "\n" not in message
    assert _digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == siblings


@pytest.mark.parametrize(("make", "words"), CASES, ids=[c[0].__name__ for c in CASES])
def test_cli_reports_bad_file_in_one_line(tmp_path: Path, make, words):
    path = tmp_path / "plan.db"
    make(path)
    before = _digest(path)
    result = run_cli("demo", "--db", str(path))
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and words in result.stderr
    assert "Traceback" not in result.stderr
    assert _digest(path) == before


def test_newer_schema_is_its_own_error(tmp_path: Path):
    path = tmp_path / "plan.db"
    _newer(path)
    with pytest.raises(NewerSchemaError):
        open_database(path)


def test_a_folder_is_not_a_database(tmp_path: Path):
    with pytest.raises(DatabaseError, match="is a folder"):
        open_database(tmp_path)
