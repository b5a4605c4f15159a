"""The real command line, in fresh processes: exit codes, one-line messages, the demo."""

import sqlite3
from pathlib import Path

from planner.domain.records import Initiative
from planner.services.demo import build_demo
from tests.conftest import DEMO_TODAY, run_cli


def test_demo_creates_the_promised_plan(tmp_path: Path):
    path = tmp_path / "demo.db"
    result = run_cli("demo", "--db", str(path))
    assert result.returncode == 0, result.stderr
    assert "Created ‘Helix CRM rollout’" in result.stdout
    conn = sqlite3.connect(path)
    counts = {
        t: conn.execute(f"select count(*) from {t}").fetchone()[0]
        for t in (
            "initiative",
            "stakeholder",
            "objective",
            "kpi",
            "measurement",
            "communication",
            "course",
            "training_session",
            "attendance",
            "phase",
            "gate_criterion",
            "tech_option",
            "criterion",
            "option_score",
            "risk",
            "snapshot",
        )
    }
    conn.close()
    assert counts["initiative"] == 3  # the CRM rollout and two smaller initiatives
    assert 25 <= counts["stakeholder"] <= 40, "a few dozen stakeholders"
    assert counts["objective"] >= 3 and counts["kpi"] >= 6 and counts["measurement"] >= 15
    assert counts["communication"] >= 10
    assert counts["course"] >= 3 and counts["training_session"] >= 8 and counts["attendance"] > 0
    assert (
        counts["phase"] == 3 + 2 + 2 and counts["gate_criterion"] > 0
    )  # CRM, expenses, territories
    assert counts["tech_option"] == 3 and counts["option_score"] > 0 and counts["risk"] >= 5
    for what, number in [
        ("stakeholders", counts["stakeholder"]),
        ("kpis", counts["kpi"]),
        ("options", counts["tech_option"]),
    ]:
        assert f"{number} {what}" in result.stdout


def test_demo_covers_every_side_and_kind():
    records = build_demo(today=DEMO_TODAY)
    stakeholders = [r for r in records if r.KIND == "stakeholder"]
    assert {s.side.value for s in stakeholders} == {"business", "it", "executive", "external"}
    assert {s.kind.value for s in stakeholders} == {"person", "group"}
    functions = {s.function for s in stakeholders}
    assert {"Sales", "Customer service", "Finance", "IT", "Executive"} <= functions
    assert sum(isinstance(r, Initiative) for r in records) == 1
    phases = [r for r in records if r.KIND == "phase"]
    assert [p.kind.value for p in phases] == ["pilot", "wave", "wave"]


def test_demo_twice_in_one_file_is_refused(tmp_path: Path):
    path = tmp_path / "demo.db"
    assert run_cli("demo", "--db", str(path)).returncode == 0
    again = run_cli("demo", "--db", str(path))
    assert again.returncode == 1
    assert (
        again.stderr == "planner: error: an initiative named 'Helix CRM rollout' already exists\n"
    )


def test_missing_argument_and_unknown_command_are_one_line(tmp_path: Path):
    for args in (["demo"], ["frobnicate"], ["demo", "--db"]):
        result = run_cli(*args)
        assert result.returncode == 2, args
        assert result.stderr.count("\n") == 1 and result.stderr.startswith("planner")
        assert "Traceback" not in result.stderr


def test_missing_folder_for_database(tmp_path: Path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = run_cli("demo", "--db", str(blocker / "sub" / "plan.db"))
    assert result.returncode == 1
    assert result.stderr.startswith("planner: error: cannot create")
    assert result.stderr.count("\n") == 1


def test_version():
    result = run_cli("--version")
    assert result.returncode == 0 and result.stdout.startswith("planner ")
