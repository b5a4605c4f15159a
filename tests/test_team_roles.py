"""Team roles on a real PostgreSQL server: a viewer cannot write, even by hand."""

from __future__ import annotations

import psycopg
import pytest

from planner.cli import main
from planner.persistence.database import open_database


def _as(url: str, user: str) -> str:
    rest = url.split("@", 1)[1]
    return f"postgresql://{user}@{rest}"


def test_viewer_cannot_write_and_opens_read_only(pg_url: str) -> None:
    open_database(pg_url).close()
    with psycopg.connect(pg_url, autocommit=True) as admin:
        admin.execute("DROP ROLE IF EXISTS vera")
        admin.execute("CREATE ROLE vera LOGIN")
    assert main(["team", "grant", "--db", pg_url, "--user", "vera", "--role", "viewer"]) == 0
    with psycopg.connect(_as(pg_url, "vera")) as viewer:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            viewer.execute("DELETE FROM initiative")
    db = open_database(_as(pg_url, "vera"))
    try:
        assert db.read_only
        assert db.read_only_reason == "Read-only: you are a viewer of this team plan"
    finally:
        db.close()


def test_unknown_role_changes_nothing(pg_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    open_database(pg_url).close()
    assert main(["team", "grant", "--db", pg_url, "--user", "nobody", "--role", "boss"]) != 0
    assert len(capsys.readouterr().err.strip().splitlines()) == 1
