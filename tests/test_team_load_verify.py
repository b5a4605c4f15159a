"""The team load test's checking (no load is run here): lost, overwritten and doubled edits
are caught, refreshes are matched to their saves, and the row fails or skips as it should."""

import subprocess
import sys

from planner.bench import report, suite, team_server
from planner.bench.harness import Measurement, Result, Sample, _summarise, measure
from planner.bench.team_verify import Save, lost_edits, percentile, refresh_delays
from tests.conftest import REPO


def _run():
    """Two editors: A edits its own record twice, both edit a shared one once."""
    saves = [
        Save(0, 1, "own-a", "notes", "editor 0 edit 1", 2),
        Save(0, 2, "own-a", "owner", "editor 0 edit 2", 3),
        Save(0, 3, "shared", "notes", "editor 0 edit 3", 6),
        Save(1, 1, "shared", "notes", "editor 1 edit 1", 7),
    ]
    audit = {
        ("own-a", 2): {"notes": "editor 0 edit 1", "owner": None},
        ("own-a", 3): {"notes": "editor 0 edit 1", "owner": "editor 0 edit 2"},
        ("shared", 6): {"notes": "editor 0 edit 3"},
        ("shared", 7): {"notes": "editor 1 edit 1"},
    }
    initial = {"own-a": 1, "shared": 5}
    final = {
        "own-a": {"notes": "editor 0 edit 1", "owner": "editor 0 edit 2", "version": 3},
        "shared": {"notes": "editor 1 edit 1", "version": 7},
    }
    return saves, audit, initial, final


def test_a_clean_run_has_nothing_lost():
    assert lost_edits(*_run()) == []


def test_a_planted_overwrite_is_caught():
    saves, audit, initial, final = _run()
    # Editor 1 wrote over editor 0's save without a new version: version 6 lost its value.
    audit[("shared", 6)] = {"notes": "editor 1 edit 1"}
    (problem,) = lost_edits(saves, audit, initial, final)
    assert problem == (
        "editor 0's edit 3 (shared notes): version 6 holds 'editor 1 edit 1', not 'editor 0 edit 3'"
    )


def test_two_saves_of_one_version_are_caught():
    saves, audit, initial, final = _run()
    saves.append(Save(1, 2, "shared", "notes", "editor 1 edit 2", 7))
    problems = lost_edits(saves, audit, initial, final)
    assert problems == [
        "editor 1's edit 2 (shared notes) and editor 1's edit 1 both saved version 7"
    ]


def test_a_final_value_other_than_the_last_save_is_caught():
    saves, audit, initial, final = _run()
    final["shared"]["notes"] = "editor 0 edit 3"
    (problem,) = lost_edits(saves, audit, initial, final)
    assert problem.startswith("shared notes ends as 'editor 0 edit 3', not the last save's")


def test_a_version_no_save_accounts_for_is_caught():
    saves, audit, initial, final = _run()
    audit[("shared", 8)] = {"notes": "someone else"}
    final["shared"] = {"notes": "someone else", "version": 8}
    problems = lost_edits(saves, audit, initial, final)
    assert problems[0] == "shared: 2 saves, but the server's versions after 5 are 6–8"
    assert any("ends at version 8, not 7" in p for p in problems)


def test_a_save_the_server_never_stored_is_caught():
    saves, audit, initial, final = _run()
    del audit[("own-a", 3)]
    problems = lost_edits(saves, audit, initial, final)
    assert problems[0] == "editor 0's edit 2 (own-a owner): the server holds no version 3"


def test_refreshes_are_matched_to_the_saves_of_the_other_editors():
    commits = {"a": [10.0, 11.0], "b": [12.0]}
    heard = {
        "a": [("a", 10.1), ("b", 12.5)],  # its own change is not a refresh
        "b": [("a", 10.2), ("ready-x", 10.3)],  # b never heard a's second save
    }
    delays, missed = refresh_delays(commits, heard)
    assert sorted(round(d, 3) for d in delays) == [0.2, 0.5]
    assert missed == 1


def test_percentiles_by_nearest_rank():
    values = [float(v) for v in range(1, 21)]
    assert percentile(values, 0.5) == 10.0
    assert percentile(values, 0.95) == 19.0
    assert percentile([], 0.5) is None


def test_a_lost_edit_fails_the_row_and_the_verdict_says_so():
    measurement = Measurement(
        "team.load", "load", ("team-load",), runs=1, limits=(("lost", 0, "edits lost"),)
    )
    result = Result("team.load", "load")
    _summarise(result, measurement, [Sample(1.0, None, 50.0, {"lost": 2})], [])
    assert result.broken == ["2 edits lost (must be at most 0)"]
    assert report._verdict(result) == "FAILED: 2 edits lost (must be at most 0)"


def test_without_postgresql_the_row_is_skipped_in_one_line(monkeypatch):
    monkeypatch.setattr(team_server, "server_programs", lambda: None)
    (row,) = [m for m in suite.measurements(_files()) if m.key == suite.TEAM_KEY]
    result = measure(row, runs=5)
    assert result.skipped == "PostgreSQL not installed"
    assert report._verdict(result) == "skipped: PostgreSQL not installed"


def _files():
    from pathlib import Path

    return suite.Files(Path("demo.db"), Path("large.db"), Path("work"))


def test_a_team_url_that_is_not_postgresql_is_refused_in_one_line(tmp_path):
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "planner.bench",
            "--only",
            "team",
            "--team-url",
            "sqlite:///x.db",
            "--out",
            str(tmp_path / "out"),
        ],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2
    expected = (
        "python -m planner.bench: error: --team-url 'sqlite:///x.db' is not a PostgreSQL "
        "URL (postgresql://user@host/database)"
    )
    assert done.stderr.strip().splitlines() == [expected]
    assert not (tmp_path / "out").exists()
