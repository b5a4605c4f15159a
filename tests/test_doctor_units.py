"""`planner doctor` warns of units of nearly the same name, one line a pair naming both,
and says nothing of the kind on the sample file."""

from __future__ import annotations

import sqlite3
import uuid
from pathlib import Path

from planner.domain.unit_names import similar_pairs
from planner.persistence import open_database
from planner.services.planning import PlanService
from tests.conftest import run_cli


def _unit_lines(stdout: str) -> list[str]:
    return [line for line in stdout.splitlines() if " unit names: " in line]


def test_the_sample_file_has_no_units_of_nearly_the_same_name(tmp_path: Path):
    for example in ("gaps", "good"):
        path = tmp_path / f"{example}.db"
        assert run_cli("demo", "--db", str(path), "--example", example).returncode == 0
        doctor = run_cli("doctor", "--db", str(path))
        assert doctor.returncode == 0, doctor.stdout + doctor.stderr
        assert "ok       values: every stored value can be read" in doctor.stdout
        assert _unit_lines(doctor.stdout) == []


def test_doctor_warns_of_each_pair_of_nearly_the_same_name(tmp_path: Path):
    path = tmp_path / "plan.db"
    assert run_cli("demo", "--db", str(path)).returncode == 0
    db = open_database(path)
    try:
        service = PlanService(db)
        service.create("unit", {"name": "Inside-sales"})
        service.create("unit", {"name": "Custmer service agents"})
        service.create("unit", {"name": "Sales reps East"})
    finally:
        db.close()
    # A file edited by hand elsewhere keeps the space the planner would have trimmed.
    conn = sqlite3.connect(path)
    conn.execute(
        "INSERT INTO unit (id, name, kind, headcount, capacity, created_at, updated_at)"
        " SELECT ?, 'Inside Sales ', kind, headcount, capacity, created_at, updated_at"
        " FROM unit WHERE name = 'Inside sales'",
        (str(uuid.uuid4()),),
    )
    conn.commit()
    conn.close()
    doctor = run_cli("doctor", "--db", str(path))
    assert doctor.returncode == 0, doctor.stdout + doctor.stderr  # a warning, not a problem
    tail = (
        "are nearly the same name; if they are the same people, link their stakeholders "
        "to one and delete the other, else rename one"
    )
    assert sorted(_unit_lines(doctor.stdout)) == sorted(
        f"  warning  unit names: ‘{a}’ and ‘{b}’ {tail}"
        for a, b in [
            ("Custmer service agents", "Customer service agents"),
            ("Inside sales", "Inside Sales "),
            ("Inside sales", "Inside-sales"),
            ("Inside Sales ", "Inside-sales"),
        ]
    )


def test_names_are_compared_without_case_spacing_punctuation_or_filler_words():
    names = [
        "Inside sales",
        "Inside Sales ",
        "inside-sales team",
        "Sales reps North",
        "Sales reps South",
        "Team 1",
        "Team 2",
        "Finance",
        "Fiance",
    ]
    assert similar_pairs(names) == [
        ("Fiance", "Finance"),
        ("Inside sales", "Inside Sales "),
        ("Inside sales", "inside-sales team"),
        ("Inside Sales ", "inside-sales team"),
    ]
