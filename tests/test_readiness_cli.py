"""`planner check` on real files, in a fresh process: the demo's planted gaps, JSON, text, errors."""

import hashlib
import json
from pathlib import Path

import pytest

from planner.paths import resources_dir
from planner.services.readiness import DIMENSIONS, RULES_BY_ID, check, rules_markdown
from tests.conftest import DEMO_TODAY, REPO, run_cli

pytestmark = pytest.mark.both_engines

PLANTED = {
    ("impacted-not-reached", "Field service engineers"),
    ("untrained-before-phase", "Field service engineers"),
    ("resistance-without-plan", "Works council"),
    ("no-relationship-owner", "Works council"),
    ("involved-after-start", "Finance controllers"),
    ("never-involved", "Credit control"),
    ("objective-without-kpi", "Grow cross-sell revenue"),
    ("kpi-without-baseline-or-target", "Customer satisfaction"),
    ("kpi-never-measured", "Customer satisfaction"),
    ("never-hears-benefits", "Customer service agents"),
    ("adkar-barrier-before-phase", "Customer service agents"),
    ("phase-without-gate-criteria", "Wave 2: finance and billing"),
    ("untrained-before-phase", "Billing team"),
    ("training-after-go-live", "Billing B"),
    ("training-capacity-short", "Sales reps North"),
    ("communication-gap-in-phase", "Wave 1: all sales and marketing"),
    ("option-not-fully-scored", "Contactor upgrade"),
}


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.sqlite_only("proves check never writes by the SQLite file's digest")
def test_check_json_on_the_demo_finds_the_planted_gaps(demo, db_path):
    before = _digest(db_path)
    result = run_cli(
        "check", "--db", str(db_path), "--format", "json", "--today", DEMO_TODAY.isoformat()
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert _digest(db_path) == before, "check must never write"
    data = json.loads(result.stdout)

    assert {"initiative", "score", "dimensions", "findings", "gates"} <= set(data)
    assert data["initiative"] == "Helix CRM rollout"
    assert isinstance(data["score"], int) and 0 <= data["score"] <= 100
    assert [d["key"] for d in data["dimensions"]] == [key for key, _ in DIMENSIONS]
    for d in data["dimensions"]:
        assert {"key", "score", "findings"} <= set(d)
        assert isinstance(d["score"], int) and 0 <= d["score"] <= 100
        assert d["findings"] == sum(f["dimension"] == d["key"] for f in data["findings"])
    for f in data["findings"]:
        assert {"rule", "dimension", "severity", "message", "action", "record"} <= set(f)
        assert f["action"].endswith(".") and f["action"] != f["message"]
        rule = RULES_BY_ID[f["rule"]]
        assert (f["dimension"], f["severity"]) == (rule.dimension, rule.severity)
        assert f["message"]
        if f["record"] is not None:
            assert set(f["record"]) >= {"type", "id", "name"}
            record = demo.get(f["record"]["type"], f["record"]["id"])
            assert record.title == f["record"]["name"]
    found = {(f["rule"], f["record"]["name"]) for f in data["findings"] if f["record"]}
    assert found >= PLANTED, sorted(PLANTED - found)

    # things done well are not flagged
    rules = {f["rule"] for f in data["findings"]}
    assert not rules & {
        "no-sponsor",
        "no-business-power",
        "key-player-not-reached",
        "no-pilot",
        "chosen-not-best",
        "cost-dominates",
        "kpi-measurement-stale",
    }
    scores = {d["key"]: d["score"] for d in data["dimensions"]}
    statuses = {d["key"]: d["status"] for d in data["dimensions"]}
    assert scores["technology_fit"] >= 80 and statuses["technology_fit"] == "green"
    # criticals and red gates: these dimensions cannot be green, nor the overall ready
    assert scores["change_management"] < 50 and statuses["change_management"] == "red"
    assert statuses["phased_rollout"] == "red" and scores["phased_rollout"] <= 45
    assert data["score"] <= min(scores.values()) + 20

    assert [g["phase"] for g in data["gates"]] == [
        "Pilot: North sales & service desk",
        "Wave 1: all sales and marketing",
        "Wave 2: finance and billing",
    ]
    for gate in data["gates"]:
        assert {"phase", "status", "criteria"} <= set(gate)
        assert gate["status"] in ("green", "amber", "red")
        for criterion in gate["criteria"]:
            assert {"description", "met", "actual", "required"} <= set(criterion)
            assert criterion["met"] in (True, False, None)
    assert data["gates"][2] == {**data["gates"][2], "status": "red", "criteria": []}
    pilot = {c["description"]: c for c in data["gates"][0]["criteria"]}
    assert pilot["Data migration rehearsal signed off"]["met"] is True
    assert pilot["Agents know how to work cases in the CRM"]["actual"] == 2

    in_process = check(demo.plan(demo.find_initiative(None).id), DEMO_TODAY)
    assert in_process.to_json() == data


def test_check_text_is_readable(demo, db_target):
    result = run_cli(
        "check",
        "--db",
        str(db_target),
        "--initiative",
        "helix crm rollout",
        "--today",
        DEMO_TODAY.isoformat(),
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    report = check(demo.plan(demo.find_initiative(None).id), DEMO_TODAY)
    assert out.startswith(f"Readiness of ‘Helix CRM rollout’ on 2026-11-02: {report.score}/100\n")
    for d in report.dimensions:
        assert f"{d.label}" in out and f" {d.score} " in out
    assert out.index("Critical (") < out.index("Warnings (") < out.index("Gates")
    assert "No communication reaches Field service engineers (high impact)." in out
    assert "→ Schedule a session for Field service engineers before " in out
    assert "Wave 2: finance and billing (wave, starts 2027-03-15): RED" in out
    assert max(len(line) for line in out.splitlines()) <= 100


def test_one_initiative_needs_no_name_and_today_defaults(demo, db_target):
    result = run_cli("check", "--db", str(db_target), "--format", "json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["initiative"] == "Helix CRM rollout"


def test_check_errors_are_one_line(demo, db_target, tmp_path):
    cases = [
        (["check", "--db", str(tmp_path / "missing.db")], 1, "does not exist"),
        (
            ["check", "--db", str(db_target), "--initiative", "Nope"],
            1,
            "no initiative named 'Nope'",
        ),
        (["check", "--db", str(db_target), "--today", "2026-13-01"], 2, "is not a date"),
        (["check", "--db", str(db_target), "--format", "xml"], 2, "invalid choice"),
    ]
    for args, status, text in cases:
        result = run_cli(*args)
        assert result.returncode == status, (args, result.stderr)
        assert result.stderr.count("\n") == 1 and result.stderr.startswith("planner")
        assert text in result.stderr and "Traceback" not in result.stderr
        assert result.stdout == ""
    assert not (tmp_path / "missing.db").exists()


def test_several_initiatives_check_the_main_one_unless_named(demo, db_target):
    from planner.services.demo import create_demo

    first = demo.initiatives()[0].name
    create_demo(demo, name="Second plan", today=DEMO_TODAY)
    result = run_cli("check", "--db", str(db_target), "--format", "json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["initiative"] == first  # the first created
    named = run_cli(
        "check", "--db", str(db_target), "--initiative", "Second plan", "--format", "json"
    )
    assert json.loads(named.stdout)["initiative"] == "Second plan"


def test_rules_document_in_the_repo_is_generated_from_the_catalogue():
    committed = (resources_dir() / "readiness-rules.md").read_text(encoding="utf-8")
    assert committed == rules_markdown(), (
        "regenerate: python -m planner.services.readiness > resources/readiness-rules.md"
    )
    assert resources_dir() == REPO / "resources"
    for rule in RULES_BY_ID.values():
        assert f"### `{rule.id}` — {rule.title}" in committed
        for name in rule.thresholds:
            assert f"`{name}` =" in committed
    for needle in (
        "Each dimension starts at 100",
        "| critical | 15 | 30 |",
        "**green** when met",
        "correlational and self-reported",
    ):
        assert needle in committed


def test_rules_document_command_prints_it():
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "planner.services.readiness"],
        cwd=REPO,
        check=False,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )
    assert result.returncode == 0 and result.stderr == ""
    assert result.stdout == (REPO / "resources" / "readiness-rules.md").read_text("utf-8")


def test_demo_good_example_is_a_well_run_plan_next_to_the_sample_with_gaps(tmp_path):
    db = tmp_path / "samples.db"
    made = run_cli("demo", "--db", str(db), "--example", "good")
    assert made.returncode == 0, made.stderr
    assert "Northwind warehouse app rollout" in made.stdout
    assert run_cli("demo", "--db", str(db)).returncode == 0
    reports = {}
    for name in ("Northwind warehouse app rollout", "Helix CRM rollout"):
        result = run_cli("check", "--db", str(db), "--initiative", name, "--format", "json")
        assert result.returncode == 0, result.stderr
        reports[name] = json.loads(result.stdout)
    good, gaps = reports["Northwind warehouse app rollout"], reports["Helix CRM rollout"]
    serious = [f for f in good["findings"] if f["severity"] in ("critical", "warning")]
    assert serious == [], serious
    assert {d["status"] for d in good["dimensions"]} == {"green"}
    assert good["score"] >= 90
    assert [g["status"] for g in good["gates"]] == ["amber", "amber"]  # evidence still to come
    assert all(c["status"] != "red" for g in good["gates"] for c in g["criteria"])
    assert sum(f["severity"] == "critical" for f in gaps["findings"]) >= 5
    assert gaps["score"] < 50 and "red" in {g["status"] for g in gaps["gates"]}


def test_demo_rejects_an_unknown_example(tmp_path):
    result = run_cli("demo", "--db", str(tmp_path / "x.db"), "--example", "perfect")
    assert result.returncode != 0
    assert "invalid choice: 'perfect'" in result.stderr and "Traceback" not in result.stderr
