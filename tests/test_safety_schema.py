"""A received database runs no code: hostile schemas are refused in one line, untouched.

Every case starts from a real planner file and changes its schema the way a
file from someone else could be changed: triggers that delete data, views
(some recursive and endless), a table replaced by a view, columns dropped,
renamed or given another type, CHECKs and generated columns. hypothesis
combines them; each file then goes through the real command line (`check`,
`export`, `import`, `doctor`) in a fresh process with a harness timeout, and
must be refused with one line, without hanging, its bytes unchanged.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import sqlite3
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.persistence import open_database
from planner.persistence.errors import ForeignSchemaError
from planner.persistence.tables import metadata
from planner.services.demo import create_demo
from planner.services.excel.workbook import export_initiative
from planner.services.planning import PlanService
from tests.conftest import run_cli

TODAY = date(2026, 11, 2)
ENDLESS = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT i FROM n"
TABLES = sorted(t.name for t in metadata.sorted_tables)
RECORD_TABLES = sorted(t.name for t in metadata.sorted_tables if "created_at" in t.c)
Mutation = Callable[[sqlite3.Connection], None]


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A demo plan and its workbook, made once; every case works on a copy of the plan."""
    folder = tmp_path_factory.mktemp("clean")
    db = open_database(folder / "plan.db")
    try:
        service = PlanService(db)
        create_demo(service, today=TODAY)
        initiative = service.find_initiative(None)
        export_initiative(service, initiative.id, folder / "plan.xlsx", today=TODAY, charts=False)
    finally:
        db.close()
    return folder / "plan.db", folder / "plan.xlsx"


def _trigger(table: str, event: str, victim: str) -> Mutation:
    def apply(conn: sqlite3.Connection) -> None:
        conn.execute(
            f'CREATE TRIGGER "evil_{table}_{event}" AFTER {event} ON "{table}" '
            f'BEGIN DELETE FROM "{victim}"; END'
        )

    return apply


def _endless_trigger(table: str) -> Mutation:
    def apply(conn: sqlite3.Connection) -> None:
        conn.execute(
            f'CREATE TRIGGER "spin_{table}" BEFORE INSERT ON "{table}" '
            f"BEGIN SELECT count(*) FROM ({ENDLESS}); END"
        )

    return apply


def _view(name: str, endless: bool) -> Mutation:
    def apply(conn: sqlite3.Connection) -> None:
        body = ENDLESS if endless else "SELECT 1 AS one"
        conn.execute(f'CREATE VIEW "{name}" AS {body}')

    return apply


def _table_as_view(table: str, endless: bool) -> Mutation:
    def apply(conn: sqlite3.Connection) -> None:
        conn.execute("PRAGMA foreign_keys=OFF")
        conn.execute(f'ALTER TABLE "{table}" RENAME TO "{table}_kept"')
        loop = f", ({ENDLESS})" if endless else ""
        conn.execute(f'CREATE VIEW "{table}" AS SELECT * FROM "{table}_kept"{loop}')

    return apply


def _schema_text(table: str, old: str, new: str) -> Mutation:
    """Edit a table's definition in place (writable_schema), as a hand-made file could."""

    def apply(conn: sqlite3.Connection) -> None:
        conn.execute("PRAGMA writable_schema=ON")
        changed = conn.execute(
            "UPDATE sqlite_schema SET sql = replace(sql, ?, ?) WHERE name = ?", (old, new, table)
        ).rowcount
        assert changed == 1
        conn.execute("PRAGMA writable_schema=RESET")

    return apply


def _rename_column(table: str) -> Mutation:
    return lambda conn: conn.execute(f'ALTER TABLE "{table}" RENAME COLUMN updated_at TO changed')


def _drop_column(table: str) -> Mutation:
    return lambda conn: conn.execute(f'ALTER TABLE "{table}" DROP COLUMN updated_at')


def _extra_column(table: str) -> Mutation:
    return lambda conn: conn.execute(f'ALTER TABLE "{table}" ADD COLUMN extra TEXT DEFAULT (1)')


def _extra_index(table: str) -> Mutation:
    return lambda conn: conn.execute(
        f'CREATE INDEX "ix_evil_{table}" ON "{table}" (length(created_at) * 2)'
    )


def _extra_table(name: str) -> Mutation:
    return lambda conn: conn.execute(f'CREATE TABLE "{name}" (x)')


_SAFE_NAME = st.text(alphabet="abcdefghijklmnopqrstuvwxyz_", min_size=3, max_size=12).map(
    lambda s: f"zz_{s}"
)
_EVENTS = st.sampled_from(["INSERT", "UPDATE", "DELETE"])
_RECORDS = st.sampled_from(RECORD_TABLES)
MUTATIONS = st.one_of(
    st.builds(_trigger, _RECORDS, _EVENTS, st.sampled_from(TABLES)),
    st.builds(_endless_trigger, _RECORDS),
    st.builds(_view, _SAFE_NAME, st.booleans()),
    st.builds(_table_as_view, _RECORDS, st.booleans()),
    st.builds(_rename_column, _RECORDS),
    st.builds(_drop_column, _RECORDS),
    st.builds(_extra_column, _RECORDS),
    st.builds(_extra_index, _RECORDS),
    st.builds(_extra_table, _SAFE_NAME),
    st.builds(
        _schema_text, st.just("stakeholder"), st.just("power INTEGER"), st.just("power TEXT")
    ),
    st.builds(
        _schema_text,
        st.just("stakeholder"),
        st.just("power INTEGER NOT NULL"),
        st.just("power INTEGER"),
    ),
    st.builds(
        _schema_text,
        st.just("risk"),
        st.just("likelihood INTEGER NOT NULL"),
        st.just("likelihood INTEGER NOT NULL CHECK (likelihood < 100)"),
    ),
)


def _hostile(clean_file: Path, folder: Path, mutations: list[Mutation]) -> Path:
    target = folder / "received.db"
    shutil.copyfile(clean_file, target)
    conn = sqlite3.connect(target)
    try:
        for mutation in mutations:
            try:
                mutation(conn)
            except sqlite3.OperationalError:
                continue  # two draws on one name: the first one's change stays
        conn.commit()
    finally:
        conn.close()
    return target


def _one_line_refusal(result, path: Path) -> None:
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stderr.count("\n") == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert str(path) in result.stderr


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(mutations=st.lists(MUTATIONS, min_size=1, max_size=3))
def test_a_hostile_schema_is_refused_by_every_command_in_one_line(
    clean: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory, mutations: list[Mutation]
):
    folder = tmp_path_factory.mktemp("hostile")
    received = _hostile(clean[0], folder, mutations)
    before = _digest(received)
    listing = sorted(p.name for p in folder.iterdir())
    for command in (
        ["check", "--today", str(TODAY)],
        ["export", str(folder / "out.xlsx")],
        ["import", str(clean[1])],
        ["chart", "--kind", "roadmap", str(folder / "roadmap.png")],
    ):
        result = run_cli(command[0], "--db", str(received), *command[1:], timeout=90)
        _one_line_refusal(result, received)
        assert "the planner runs nothing from a file it did not write" in result.stderr
    doctor = run_cli("doctor", "--db", str(received), timeout=90)
    assert doctor.returncode == 1
    assert "PROBLEM  schema objects: " in doctor.stdout or "PROBLEM  schema: " in doctor.stdout
    assert _digest(received) == before
    assert sorted(p.name for p in folder.iterdir()) == listing


REPAIRABLE = {
    "trigger": (_trigger("stakeholder", "INSERT", "risk"), True),
    "stakeholder view": (_table_as_view("stakeholder", endless=True), False),
    "version view": (_table_as_view("alembic_version", endless=True), True),
    "view": (_view("zz_spin", endless=True), True),
    "dropped column": (_drop_column("risk"), True),
    "type": (_schema_text("stakeholder", "power INTEGER", "power TEXT"), True),
}


@pytest.mark.parametrize("case", sorted(REPAIRABLE))
def test_open_refuses_and_repair_copies_the_data_into_a_clean_file(
    clean: tuple[Path, Path], tmp_path: Path, case: str
):
    mutation, stakeholders_kept = REPAIRABLE[case]
    received = _hostile(clean[0], tmp_path, [mutation])
    before = _digest(received)
    with pytest.raises(ForeignSchemaError, match="^" + re.escape(str(received))):
        open_database(received)
    with pytest.raises(ForeignSchemaError):
        open_database(received, read_only=True)

    out = tmp_path / "clean.db"
    repaired = run_cli("doctor", "--db", str(received), "--repair", str(out), timeout=120)
    assert repaired.returncode == 0, repaired.stderr
    assert repaired.stdout.startswith("Copied "), repaired.stdout
    assert "left out: " in repaired.stdout
    assert _digest(received) == before

    with sqlite3.connect(clean[0]) as source:
        stakeholders = source.execute("select count(*) from stakeholder").fetchone()[0]
    db = open_database(out)
    try:
        service = PlanService(db)
        plan = service.plan(service.find_initiative(None).id)
        assert len(plan.stakeholders) == (stakeholders if stakeholders_kept else 0)
        service.create("risk", {"initiative_id": plan.initiative.id, "name": "After repair"})
        assert len(service.list("risk", plan.initiative.id)) == len(plan.risks) + 1
    finally:
        db.close()
    doctor = run_cli("doctor", "--db", str(out), timeout=120)
    assert doctor.returncode == 0, doctor.stdout


def test_repair_never_overwrites_and_a_table_of_initiatives_as_a_view_copies_nothing_else(
    clean: tuple[Path, Path], tmp_path: Path
):
    received = _hostile(clean[0], tmp_path, [_table_as_view("initiative", endless=True)])
    taken = tmp_path / "taken.db"
    taken.write_text("mine")
    refused = run_cli("doctor", "--db", str(received), "--repair", str(taken), timeout=120)
    _one_line_refusal(refused, taken)
    assert taken.read_text() == "mine"
    out = tmp_path / "clean.db"
    repaired = run_cli("doctor", "--db", str(received), "--repair", str(out), timeout=120)
    assert repaired.returncode == 0, repaired.stderr
    assert "‘initiative’ is a view, where the planner keeps a table" in repaired.stdout
    assert "of stakeholder the clean file refused" in repaired.stdout
    check = run_cli("check", "--db", str(out), timeout=120)
    assert check.returncode == 1 and "holds no initiative yet" in check.stderr


def test_a_file_built_by_the_migrations_is_the_planners_own(tmp_path: Path):
    """A file upgraded through the Alembic scripts has the schema a new file gets."""
    from sqlalchemy import create_engine

    from planner.persistence.database import run_migrations

    engine = create_engine(f"sqlite:///{tmp_path / 'migrated.db'}")
    with engine.begin() as connection:
        run_migrations(connection)
    engine.dispose()
    db = open_database(tmp_path / "migrated.db")
    db.close()
    doctor = run_cli("doctor", "--db", str(tmp_path / "migrated.db"), timeout=120)
    assert "ok       schema objects: " in doctor.stdout, doctor.stdout


def test_the_expected_schema_is_the_one_a_new_file_gets(tmp_path: Path):
    """The comparison's side, made from collected statements without an engine, is object
    for object what `create_schema` writes into a new file through SQLAlchemy."""
    from planner.persistence.schema import HEAD_REVISION
    from planner.persistence.schema_objects import describe, differences, expected

    open_database(tmp_path / "new.db").close()
    conn = sqlite3.connect(tmp_path / "new.db")
    try:
        found = describe(conn)
    finally:
        conn.close()
    assert differences(found, expected(HEAD_REVISION)) == []
    assert found == expected(HEAD_REVISION) and "alembic_version" in found


def test_a_statement_that_never_ends_is_stopped_in_one_line(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """The second line of defence: whatever a file could make endless is cut off."""
    from sqlalchemy import text

    from planner.persistence import DatabaseError, untrusted

    monkeypatch.setattr(untrusted, "STATEMENT_SECONDS", 0.5)
    db = open_database(db_path)
    try:
        endless = pytest.raises(DatabaseError, match=r"took longer than 0\.5 s and was stopped")
        with endless, db.reading() as connection:
            connection.execute(text(f"SELECT count(*) FROM ({ENDLESS})")).all()
        unsaved = pytest.raises(DatabaseError, match=r"the change was not saved$")
        with unsaved, db.transaction() as connection:
            connection.execute(
                text(f"INSERT INTO alembic_version SELECT i FROM ({ENDLESS}) WHERE i < 0")
            )
        PlanService(db).create("initiative", {"name": "Still usable"})
    finally:
        db.close()


def test_an_sqlite_url_is_checked_like_a_file_name(clean: tuple[Path, Path], tmp_path: Path):
    received = _hostile(clean[0], tmp_path, [_trigger("stakeholder", "INSERT", "risk")])
    before = _digest(received)
    with pytest.raises(ForeignSchemaError, match="holds a trigger ‘evil_stakeholder_INSERT’"):
        open_database(f"sqlite:///{received}")
    assert _digest(received) == before


PORTFOLIO_CODE = {
    "trigger on units": _trigger("unit", "UPDATE", "impact_assessment"),
    "endless trigger on impact": _endless_trigger("impact_assessment"),
    "units as a view": _table_as_view("unit", endless=True),
}


@pytest.mark.parametrize("case", sorted(PORTFOLIO_CODE))
def test_code_planted_on_the_portfolio_tables_is_refused_by_portfolio_and_publish(
    clean: tuple[Path, Path], tmp_path: Path, case: str
):
    """`publish` refuses before it opens the server (an unreachable one here: nothing is
    tried), and `portfolio` reads nothing of the file."""
    received = _hostile(clean[0], tmp_path, [PORTFOLIO_CODE[case]])
    before = _digest(received)
    for command in (
        ["portfolio"],
        ["publish", "--to", "postgresql://nobody@127.0.0.1:1/team"],
    ):
        result = run_cli(command[0], "--db", str(received), *command[1:], timeout=90)
        _one_line_refusal(result, received)
        assert "the planner runs nothing from a file it did not write" in result.stderr
        assert "server" not in result.stderr
    assert _digest(received) == before
