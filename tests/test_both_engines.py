"""The `both_engines` marker: a marked module's database tests are collected once per engine,
a `sqlite_only` test and every unmarked module's tests once, with their IDs unchanged."""

from __future__ import annotations

import subprocess
import sys

from conftest import REPO


def _collected(*modules: str) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:xdist", *modules],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    return [line for line in done.stdout.splitlines() if "::" in line]


def test_a_marked_module_runs_its_database_tests_on_both_engines():
    ids = _collected("tests/test_persistence.py", "tests/test_typed_values.py")
    persistence = "tests/test_persistence.py::"
    for engine in ("sqlite", "postgresql"):
        assert f"{persistence}test_every_record_kind_round_trips[{engine}]" in ids
    # No database, or a test about the file itself: once, under its plain name.
    assert f"{persistence}test_table_columns_match_domain_fields" in ids
    assert f"{persistence}test_foreign_keys_are_enforced" in ids
    assert not [i for i in ids if i.startswith(f"{persistence}test_foreign_keys_are_enforced[")]
    # An unmarked module that uses the same fixtures keeps the file only, and its IDs.
    typed = [i for i in ids if i.startswith("tests/test_typed_values.py::")]
    assert "tests/test_typed_values.py::test_an_unambiguous_cost_in_a_workbook_is_imported" in typed
    assert not [i for i in typed if "sqlite]" in i or "postgresql]" in i]
