"""`planner backup` of a team plan into a local file, and `planner publish` restoring it,
against a real PostgreSQL server (tests/postgres_support.py): every record equal."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import run_cli
from sqlalchemy import create_engine, select

from planner.persistence.server import server_url
from planner.persistence.tables import PLAN_TABLES


def _records(where: str) -> dict[str, list[dict[str, object]]]:
    """Every row of every plan table (not the server's trail), in a stable order."""
    url = server_url(where) if "://" in where else f"sqlite:///{where}"
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return {
                table.name: sorted(
                    (dict(row) for row in connection.execute(select(table)).mappings()),
                    key=repr,
                )
                for table in PLAN_TABLES
            }
    finally:
        engine.dispose()


def test_backup_of_a_team_plan_then_publish_round_trips_every_record(
    tmp_path: Path, pg_server, pg_url: str
):
    plan_file = tmp_path / "plan.db"
    assert run_cli("demo", "--db", str(plan_file)).returncode == 0
    assert run_cli("publish", "--db", str(plan_file), "--to", pg_url).returncode == 0
    on_server = _records(pg_url)
    assert len(on_server["initiative"]) == 3

    copy = tmp_path / "plan-copy.db"
    backed_up = run_cli("backup", "--db", pg_url, "--to", str(copy))
    assert backed_up.returncode == 0, backed_up.stderr
    assert backed_up.stdout.startswith(f"Backed up {pg_url} to {copy}: 3 initiatives, ")
    assert _records(str(copy)) == on_server

    checks = []
    for where in (pg_url, str(copy)):
        result = run_cli("check", "--db", where, "--format", "json", "--today", "2026-11-02")
        assert result.returncode == 0, result.stderr
        checks.append(json.loads(result.stdout))
    assert checks[0] == checks[1]
    assert checks[0]["findings"]

    restored_url = pg_server.create()
    try:
        restored = run_cli("publish", "--db", str(copy), "--to", restored_url)
        assert restored.returncode == 0, restored.stderr
        assert _records(restored_url) == on_server
    finally:
        pg_server.drop(restored_url)


def test_backup_refuses_an_existing_file_in_one_line(tmp_path: Path, pg_url: str):
    plan_file = tmp_path / "plan.db"
    assert run_cli("demo", "--db", str(plan_file)).returncode == 0
    assert run_cli("publish", "--db", str(plan_file), "--to", pg_url).returncode == 0
    existing = tmp_path / "plan-copy.db"
    existing.write_bytes(b"keep me")
    refused = run_cli("backup", "--db", pg_url, "--to", str(existing))
    assert refused.returncode == 1
    assert refused.stderr == (
        f"planner: error: {existing} already exists; a backup never overwrites a file, "
        f"so nothing was copied (name a new file)\n"
    )
    assert refused.stdout == ""
    assert existing.read_bytes() == b"keep me"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("plan-copy")] == [
        "plan-copy.db"
    ]
