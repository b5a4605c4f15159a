"""The benchmark's own machinery: the large-plan generator and the results it writes (no timings)."""

import json
import subprocess
import sys

from planner.bench import generator
from planner.persistence.database import open_database
from planner.services.planning import PlanService
from tests.conftest import REPO

TINY = 0.005


def test_large_plan_has_the_issue_counts_at_full_scale():
    counts = generator.plan_counts(1.0)
    assert counts == {
        "stakeholder": 10_000,
        "objective": 200,
        "kpi": 600,
        "measurement": 6_000,
        "communication": 3_000,
        "course": 300,
        "session": 1_500,
        "attendance": 50_000,
        "phase": 20,
        "gate_criterion": 100,
        "option": 20,
        "criterion": 12,
        "score": 240,
        "risk": 500,
    }


def test_generated_plan_holds_the_counts_and_every_record_is_valid(tmp_path):
    path = generator.large_plan_file(tmp_path, TINY)
    db = open_database(path, read_only=True)
    try:
        service = PlanService(db)
        plan = service.plan(service.find_initiative(None).id)
    finally:
        db.close()
    expected = generator.plan_counts(TINY)
    for kind, count in expected.items():
        assert len(plan.records(kind)) == count, kind
    assert {s.kind.value for s in plan.stakeholders} == {"group", "person"}
    assert all(c.audience_ids for c in plan.communications)
    assert all(plan.criteria_by_phase.get(p.id) for p in plan.phases)
    for record in plan.all_records():
        # Rebuilding through the validating constructor proves `trusted` skipped nothing.
        assert type(record)(**record.values()) == record


def test_generator_is_deterministic_and_cached(tmp_path):
    first = generator.build_large(TINY)
    again = generator.build_large(TINY)
    assert [r.id for r in first] == [r.id for r in again]
    assert first == again
    path = generator.large_plan_file(tmp_path, TINY)
    stamp = path.stat().st_mtime_ns
    assert generator.large_plan_file(tmp_path, TINY) == path
    assert path.stat().st_mtime_ns == stamp, "a cached plan must not be regenerated"


def test_bench_command_prints_the_table_and_writes_json(tmp_path):
    out = tmp_path / "results"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "planner.bench",
            "--runs",
            "1",
            "--scale",
            str(TINY),
            "--only",
            "load.large",
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    header = next(line for line in done.stdout.splitlines() if line.startswith("| what"))
    assert header == "| what | median | floor | ratio | CPU ratio | peak MB | target | verdict |"
    assert "| read the whole large plan (PlanService.plan) |" in done.stdout
    doc = json.loads((out / "latest.json").read_text(encoding="utf-8"))
    assert set(doc) == {"when", "commit", "machine", "runs", "scale", "large_plan", "results"}
    assert doc["large_plan"] == generator.plan_counts(TINY)
    assert {"cpu", "cores", "python", "packages"} <= set(doc["machine"])
    (row,) = doc["results"]
    assert row["key"] == "load.large" and row["error"] is None
    assert {
        "what",
        "median_s",
        "floor_median_s",
        "ratio",
        "cpu_median_s",
        "floor_cpu_median_s",
        "cpu_ratio",
        "peak_rss_mb",
        "floor_peak_rss_mb",
        "samples_s",
        "floor_samples_s",
        "targets",
        "misses",
    } <= set(row)
    assert len(row["samples_s"]) == len(row["floor_samples_s"]) == 1
    assert row["extra"]["records"] == sum(generator.plan_counts(TINY).values()) + 1
    assert row["ratio"] == row["median_s"] / row["floor_median_s"]
    assert row["cpu_ratio"] == row["cpu_median_s"] / row["floor_cpu_median_s"]
    assert len(list(out.glob("bench-*.json"))) == 1


def test_a_failing_probe_is_reported_in_one_line(tmp_path):
    from planner.bench.harness import Measurement, measure

    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    result = measure(
        Measurement("load.empty", "read an empty file", ("load-plan", str(empty))), runs=1
    )
    assert result.median_s is None
    assert result.error is not None and "\n" not in result.error
    assert result.error.startswith("load-plan failed: ")
