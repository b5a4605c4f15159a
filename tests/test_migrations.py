"""Alembic: one head, upgrades from empty, models match migrations, old files open."""

import sqlite3
from pathlib import Path

import pytest
from pytest_alembic.tests import (  # noqa: F401  (collected as tests here)
    test_model_definitions_match_ddl,
    test_single_head_revision,
    test_up_down_consistency,
    test_upgrade,
)
from sqlalchemy import create_engine

from planner.paths import migrations_dir
from planner.persistence import open_database
from planner.persistence.schema import HEAD_REVISION, KNOWN_REVISIONS
from planner.services.planning import PlanService


@pytest.fixture
def alembic_config():
    return {"script_location": str(migrations_dir())}


@pytest.fixture
def alembic_engine(tmp_path: Path):
    engine = create_engine(f"sqlite:///{tmp_path / 'alembic.db'}")
    yield engine
    engine.dispose()


def test_known_revisions_match_the_scripts():
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    script = ScriptDirectory.from_config(config)
    walked = [rev.revision for rev in script.walk_revisions()]
    assert tuple(reversed(walked)) == KNOWN_REVISIONS
    assert script.get_current_head() == HEAD_REVISION


def _file_at_first_revision(path: Path) -> None:
    """A database built by running the first migration script, as an early release did."""
    from alembic import command
    from alembic.config import Config

    engine = create_engine(f"sqlite:///{path}")
    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, KNOWN_REVISIONS[0])
    engine.dispose()
    conn = sqlite3.connect(path)
    conn.execute(
        "insert into initiative values ('Old plan', 'From the first release', 'COO', "
        "'2026-01-05', '2026-09-01', 'planning', 'aaaaaaaa-0000-4000-8000-000000000001', "
        "'2026-01-05 10:00:00', '2026-01-05 10:00:00')"
    )
    conn.execute(
        "insert into stakeholder (id, created_at, updated_at, initiative_id, name, kind, "
        "headcount, side, power, interest, engagement, desired_engagement, impact, "
        "adkar_awareness, adkar_desire, adkar_knowledge, adkar_ability, "
        "adkar_reinforcement) values ('aaaaaaaa-0000-4000-8000-000000000002', "
        "'2026-01-05 10:00:00', '2026-01-05 10:00:00', "
        "'aaaaaaaa-0000-4000-8000-000000000001', 'Warehouse', 'group', 80, 'business', "
        "2, 3, 'neutral', 'supportive', 'high', 3, 3, 2, 2, 1)"
    )
    conn.commit()
    conn.close()


def test_file_made_at_first_revision_opens_with_its_data(tmp_path: Path):
    path = tmp_path / "old.db"
    _file_at_first_revision(path)
    db = open_database(path)
    try:
        service = PlanService(db)
        initiative = service.find_initiative("old plan")
        assert initiative.currency == "EUR"  # 0003: every older plan counted in euros
        plan = service.plan(initiative.id)
        # the free-text sponsor matched no stakeholder: it became one, and the link
        sponsor = plan.by_id[initiative.sponsor_id]
        assert (sponsor.KIND, sponsor.name, sponsor.side.value, sponsor.power) == (
            "stakeholder",
            "COO",
            "executive",
            5,
        )
        assert sorted((s.name, s.headcount) for s in plan.stakeholders) == [
            ("COO", 1),
            ("Warehouse", 80),
        ]
        warehouse = next(s for s in plan.stakeholders if s.name == "Warehouse")
        service.update("stakeholder", warehouse.id, {"power": 4})
    finally:
        db.close()
    conn = sqlite3.connect(path)
    assert conn.execute("select version_num from alembic_version").fetchone()[0] == HEAD_REVISION
    conn.close()


def test_new_file_schema_equals_migrated_schema(tmp_path: Path):
    """create_all + stamp (new files) must build exactly what the migrations build."""
    fresh = tmp_path / "fresh.db"
    open_database(fresh).close()
    migrated = tmp_path / "migrated.db"
    _file_at_first_revision(migrated)
    open_database(migrated).close()  # every later revision, as a user's old file gets them

    def schema(path: Path) -> dict[str, list[tuple]]:
        conn = sqlite3.connect(path)
        tables = [
            r[0]
            for r in conn.execute("select name from sqlite_master where type='table' order by name")
        ]
        out = {t: sorted(conn.execute(f"pragma table_info('{t}')").fetchall()) for t in tables}
        for t in tables:
            out[t + ":fk"] = sorted(r[2:] for r in conn.execute(f"pragma foreign_key_list('{t}')"))
            out[t + ":ix"] = sorted(r[1:3] for r in conn.execute(f"pragma index_list('{t}')"))
        conn.close()
        return out

    assert schema(fresh) == schema(migrated)


@pytest.mark.parametrize(
    ("text", "linked"),
    [("  warehouse ", "Warehouse"), ("Warehouse (Head of Logistics)", "Warehouse"), ("", None)],
)
def test_sponsor_text_is_matched_to_a_stakeholder_by_name(tmp_path: Path, text, linked):
    path = tmp_path / "old.db"
    _file_at_first_revision(path)
    conn = sqlite3.connect(path)
    conn.execute("update initiative set sponsor = ?", (text,))
    conn.commit()
    conn.close()
    db = open_database(path)
    try:
        service = PlanService(db)
        plan = service.plan(service.find_initiative("old plan").id)
        sponsor = plan.initiative.sponsor_id
        assert (plan.by_id[sponsor].title if sponsor else None) == linked
        assert [s.name for s in plan.stakeholders] == ["Warehouse"]  # nobody added
    finally:
        db.close()
    conn = sqlite3.connect(path)
    columns = [row[1] for row in conn.execute("pragma table_info(initiative)")]
    conn.close()
    assert "sponsor" not in columns and {"sponsor_id", "readiness_thresholds"} <= set(columns)
