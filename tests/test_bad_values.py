"""Bad values inside a database file: one line naming table, row and column; nothing written.

A `.db` from someone else may hold an engagement of `bogus`, a date of
`not a date`, a word where a number belongs, a NULL in a required column or a
column that is gone. `check`, `export`, `import` and `chart` refuse it in one
line naming where it is, `doctor` lists every one, the window says what is
wrong instead of an empty page, and the file's bytes stay as they were.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import shutil
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.cli import main
from planner.domain.fields import FieldKind
from planner.domain.records import RECORD_TYPES
from planner.persistence import open_database
from planner.persistence.tables import TABLES
from planner.services.demo import create_demo
from planner.services.planning import PlanService
from tests.conftest import run_cli

# Fields a wrong stored value can be put into: those with a type or a list of values.
TYPED = {FieldKind.CHOICE, FieldKind.DATE, FieldKind.INT, FieldKind.FLOAT}
COLUMNS = [
    (kind, name)
    for kind, cls in RECORD_TYPES.items()
    for name, spec in cls.SPECS.items()
    if spec.kind in TYPED
]
ALL_CHOICE_VALUES = {
    member.value
    for cls in RECORD_TYPES.values()
    for spec in cls.SPECS.values()
    if spec.choices is not None
    for member in spec.choices
}
# Words, punctuation and spaces: never a number, a date or a choice's value.
JUNK = st.text(
    alphabet=st.characters(codec="utf-8", categories=["L", "P"], include_characters=" "),
    min_size=1,
    max_size=12,
).filter(lambda text: text.strip() != "" and text not in ALL_CHOICE_VALUES)


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A demo file holding records of every kind, and a workbook exported from it."""
    folder = tmp_path_factory.mktemp("base")
    path = folder / "plan.db"
    db = open_database(path)
    try:
        create_demo(PlanService(db), portfolio=True)  # the units and impact, too
    finally:
        db.close()
    workbook = folder / "plan.xlsx"
    assert _planner("export", "--db", str(path), "--no-charts", str(workbook))[0] == 0
    conn = sqlite3.connect(path)
    for kind, table in TABLES.items():
        assert conn.execute(f'SELECT count(*) FROM "{table.name}"').fetchone()[0], kind
    conn.close()
    return path, workbook


def _planner(*args: str) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(list(args))
    return code, err.getvalue()


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _spoil(path: Path, *scripts: str) -> str:
    """Run SQL on the file as someone else's program would; the id of the row spoiled."""
    for script in scripts:
        conn = sqlite3.connect(path)
        conn.executescript(script)
        conn.commit()
        conn.close()
    return ""


def _first_id(path: Path, table: str) -> str:
    conn = sqlite3.connect(path)
    try:
        return str(conn.execute(f'SELECT id FROM "{table}" ORDER BY rowid LIMIT 1').fetchone()[0])
    finally:
        conn.close()


def _commands(path: Path, workbook: Path, folder: Path) -> list[list[str]]:
    return [
        ["check", "--db", str(path)],
        ["export", "--db", str(path), str(folder / "out.xlsx")],
        ["import", "--db", str(path), "--dry-run", str(workbook)],
        ["chart", "--db", str(path), "--kind", "roadmap", str(folder / "map.png")],
    ]


def _assert_refused_everywhere(path: Path, workbook: Path, folder: Path, *names: str) -> None:
    before = _digest(path)
    for command in _commands(path, workbook, folder):
        code, err = _planner(*command)
        lines = err.splitlines()
        assert code != 0, command
        assert len(lines) == 1, (command, err)
        assert "Traceback" not in err
        for name in names:
            assert name in lines[0], (command, name, lines[0])
    assert not (folder / "out.xlsx").exists() and not (folder / "map.png").exists()
    assert _digest(path) == before


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(where=st.sampled_from(COLUMNS), junk=JUNK)
def test_a_wrong_value_in_any_typed_column_is_named_by_every_command(
    base: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory, where, junk: str
):
    kind, column = where
    folder = tmp_path_factory.mktemp("spoilt")
    path = folder / "plan.db"
    shutil.copyfile(base[0], path)
    table = TABLES[kind].name
    row = _first_id(path, table)
    conn = sqlite3.connect(path)
    conn.execute(f'UPDATE "{table}" SET "{column}" = ? WHERE id = ?', (junk, row))
    conn.commit()
    conn.close()
    _assert_refused_everywhere(
        path, base[1], folder, f"table {table}", f"column {column}", row, repr(junk)[:20]
    )
    code, err = _planner("doctor", "--db", str(path))
    assert code != 0 and len(err.splitlines()) == 1 and f"column {column}" in err


def test_a_null_where_a_value_is_required_is_named(base, tmp_path: Path):
    path = tmp_path / "plan.db"
    shutil.copyfile(base[0], path)
    row = _first_id(path, "objective")
    _spoil(
        path,
        "PRAGMA writable_schema=ON; UPDATE sqlite_master SET sql = replace(sql, "
        "'name VARCHAR(200) NOT NULL', 'name VARCHAR(200)') WHERE name = 'objective';",
        f"UPDATE objective SET name = NULL WHERE id = '{row}'",
    )
    # A NULL can only get in where the schema was altered: the schema check refuses the
    # file first, naming the column whose NOT NULL is gone (and nothing runs).
    _assert_refused_everywhere(path, base[1], tmp_path, "‘objective.name’", "--repair")


def test_a_missing_column_is_named(base, tmp_path: Path):
    path = tmp_path / "plan.db"
    shutil.copyfile(base[0], path)
    _spoil(path, "ALTER TABLE risk DROP COLUMN mitigation")
    _assert_refused_everywhere(path, base[1], tmp_path, "table ‘risk’", "column ‘mitigation’")


def test_doctor_lists_every_bad_value(base, tmp_path: Path):
    path = tmp_path / "plan.db"
    shutil.copyfile(base[0], path)
    _spoil(
        path,
        "UPDATE kpi SET direction = 'up'; UPDATE phase SET starts_on = 'not a date';"
        "UPDATE stakeholder SET engagement = 'bogus' WHERE rowid = 2",
    )
    before = _digest(path)
    result = run_cli("doctor", "--db", str(path))
    conn = sqlite3.connect(path)
    counts = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("kpi", "phase")}
    conn.close()
    values = [line for line in result.stdout.splitlines() if "values:" in line]
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert sum("table kpi," in line and "'up'" in line for line in values) == counts["kpi"]
    assert sum("table phase," in line for line in values) == counts["phase"]
    assert sum("'bogus'" in line for line in values) == 1
    assert _digest(path) == before


def test_a_real_planner_process_names_the_bad_value(base, tmp_path: Path):
    path = tmp_path / "plan.db"
    shutil.copyfile(base[0], path)
    row = _first_id(path, "stakeholder")
    _spoil(path, f"UPDATE stakeholder SET engagement = 'bogus' WHERE id = '{row}'")
    result = run_cli("check", "--db", str(path))
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "table stakeholder" in result.stderr and "column engagement" in result.stderr
    assert row in result.stderr and "'bogus'" in result.stderr


def test_the_window_says_what_is_wrong_instead_of_an_empty_page(qtbot, base, tmp_path: Path):
    from tests.ui_support import make_window

    path = tmp_path / "plan.db"
    shutil.copyfile(base[0], path)
    row = _first_id(path, "stakeholder")
    _spoil(path, f"UPDATE stakeholder SET involved_on = 'not a date' WHERE id = '{row}'")
    before = _digest(path)
    db = open_database(path)
    try:
        window = make_window(qtbot, PlanService(db), tmp_path)
        window.show_page("stakeholders")
        banner = window.unreadable
        qtbot.waitUntil(banner.isVisible)
        text = banner.text()
        for words in ("table stakeholder", "column involved_on", row, "'not a date'"):
            assert words in text
        window.grab().save(str(tmp_path / "window.png"))
        window.show_page("objectives")
        qtbot.waitUntil(lambda: not banner.isVisible())
        assert window.pages["objectives"].model.rowCount() > 0
        keys = [spec.key for spec in window._page_specs]
        window.nav.setCurrentRow(keys.index("risks"))  # its form lists the stakeholders
        qtbot.waitUntil(banner.isVisible)
        assert "column involved_on" in banner.text()
        window.close()
    finally:
        db.close()
    assert _digest(path) == before


def test_a_name_of_a_million_characters_is_refused_short_and_printable(base, tmp_path: Path):
    """A record can hold 200 characters of name; a file from elsewhere may hold any text."""
    path = tmp_path / "plan.db"
    shutil.copyfile(base[0], path)
    row = _first_id(path, "stakeholder")
    huge = "Ops " * 250_000 + "\x1b[2J"
    conn = sqlite3.connect(path)
    conn.execute("UPDATE stakeholder SET name = ? WHERE id = ?", (huge, row))
    conn.commit()
    conn.close()
    _assert_refused_everywhere(path, base[1], tmp_path, "table stakeholder", "column name", row)
    for command in _commands(path, base[1], tmp_path):
        _code, err = _planner(*command)
        assert len(err) < 600 and "\x1b" not in err, (command, len(err))


def _impact_spoilt(base: tuple[Path, Path], folder: Path) -> tuple[Path, str]:
    path = folder / "plan.db"
    shutil.copyfile(base[0], path)
    row = _first_id(path, "impact_assessment")
    _spoil(path, f"UPDATE impact_assessment SET culture = 'enormous' WHERE id = '{row}'")
    return path, row


def test_a_bad_aspect_of_an_impact_assessment_is_named_by_portfolio_and_publish(
    base: tuple[Path, Path], tmp_path: Path
):
    """`publish` copies rows as they are stored: it checks them first, before it opens the
    server (an unreachable one here, which it never reaches)."""
    path, row = _impact_spoilt(base, tmp_path)
    before = _digest(path)
    for command in (
        ["portfolio", "--db", str(path)],
        ["publish", "--db", str(path), "--to", "postgresql://nobody@127.0.0.1:1/team"],
    ):
        code, err = _planner(*command)
        assert code == 1 and len(err.splitlines()) == 1, (command, err)
        assert "table impact_assessment" in err and row in err and "column culture" in err
        assert "'enormous' is not one of none, low, medium, high" in err
    assert "nothing was copied" in err and "server" not in err
    assert _digest(path) == before


def test_publish_of_bad_values_or_dangling_references_copies_nothing_to_the_server(
    base: tuple[Path, Path], tmp_path: Path, pg_url: str
):
    from sqlalchemy import create_engine, inspect

    spoilt, row = _impact_spoilt(base, tmp_path)
    dangling = tmp_path / "dangling.db"
    shutil.copyfile(base[0], dangling)
    _spoil(
        dangling,
        "PRAGMA foreign_keys=OFF; UPDATE impact_assessment SET unit_id = "
        "'00000000-0000-4000-8000-000000000000' WHERE rowid = (SELECT min(rowid) FROM "
        "impact_assessment)",
    )
    for path, said in (
        (spoilt, f"row id {row}, column culture"),
        (dangling, "1 row of the file points at records that do not exist (in impact_assessment)"),
    ):
        before = _digest(path)
        result = run_cli("publish", "--db", str(path), "--to", pg_url)
        assert result.returncode == 1 and result.stderr.count("\n") == 1, result.stderr
        assert said in result.stderr and "nothing was copied" in result.stderr
        assert _digest(path) == before
    engine = create_engine(pg_url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        assert inspect(engine).get_table_names() == [], "not even the schema was made"
    finally:
        engine.dispose()


def test_units_inside_themselves_are_listed_by_doctor(base: tuple[Path, Path], tmp_path: Path):
    """A unit its own parent, or two units each the other's: nothing walks the parents
    forever (check and export read the file), and doctor names each loop once."""
    path = tmp_path / "plan.db"
    shutil.copyfile(base[0], path)
    conn = sqlite3.connect(path)
    (first, a), (second, b), (third, c) = conn.execute(
        "SELECT id, name FROM unit ORDER BY name LIMIT 3"
    ).fetchall()
    conn.execute("UPDATE unit SET parent_unit_id = ? WHERE id = ?", (second, first))
    conn.execute("UPDATE unit SET parent_unit_id = ? WHERE id = ?", (first, second))
    conn.execute("UPDATE unit SET parent_unit_id = id WHERE id = ?", (third,))
    conn.commit()
    conn.close()
    before = _digest(path)
    assert _planner("check", "--db", str(path))[0] == 0
    assert _planner("export", "--db", str(path), "--no-charts", str(tmp_path / "o.xlsx"))[0] == 0
    doctor = run_cli("doctor", "--db", str(path), timeout=60)
    assert doctor.returncode == 1
    loops = [line for line in doctor.stdout.splitlines() if "PROBLEM  units:" in line]
    tail = "a unit cannot be inside itself; change a parent unit"
    assert sorted(loops) == sorted(
        [
            f"  PROBLEM  units: the file puts ‘{a}’ in ‘{b}’ in ‘{a}’; {tail}",
            f"  PROBLEM  units: the file puts ‘{c}’ in ‘{c}’; {tail}",
        ]
    )
    assert _digest(path) == before
