"""Edits typed in a real LibreOffice Calc (through UNO), saved as .xlsx and imported:
a deleted row, a renamed stakeholder that links still name by its old name."""

from __future__ import annotations

import json
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from planner.persistence import open_database
from planner.services.excel.importer import apply_import
from planner.services.excel.preview import Status
from planner.services.planning import PlanService
from tests.excel_support import export, preview

DRIVER = Path(__file__).with_name("lo_edit.py")
SYSTEM_PYTHON = "/usr/bin/python3"

pytestmark = pytest.mark.skipif(
    shutil.which("soffice") is None or not Path(SYSTEM_PYTHON).exists(),
    reason="LibreOffice (soffice) and the system python3 with python3-uno are needed",
)


@pytest.fixture(scope="module")
def office(tmp_path_factory) -> Iterator[str]:
    """One LibreOffice process for the module, with its own profile."""
    home = tmp_path_factory.mktemp("lo-profile")
    pipe = f"planner-{uuid.uuid4().hex[:8]}"
    process = subprocess.Popen(
        [
            "soffice",
            f"-env:UserInstallation={home.as_uri()}",
            "--headless",
            "--invisible",
            "--norestore",
            "--nologo",
            f"--accept=pipe,name={pipe};urp;",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield pipe
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def _edit_in_libreoffice(office: str, source: Path, target: Path, edits: list[dict]) -> Path:
    plan = target.with_suffix(".json")
    plan.write_text(json.dumps(edits))
    result = subprocess.run(
        [SYSTEM_PYTHON, str(DRIVER), office, str(source), str(target), str(plan)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return target


EDITS = [
    {"sheet": "Stakeholders", "find": "Works council", "delete": True},
    {"sheet": "Stakeholders", "find": "Service team leads", "set": {"Name": "Service supervisors"}},
]


def test_a_row_deleted_and_a_stakeholder_renamed_in_libreoffice(office, demo, tmp_path):
    source = export(demo, tmp_path / "plan.xlsx")
    edited = _edit_in_libreoffice(office, source, tmp_path / "edited.xlsx", EDITS)
    result = preview(demo, edited)
    assert result.errors == [], [str(p) for p in result.errors]
    assert not [p for p in result.problems if "ignored" in p.message], [
        str(p) for p in result.problems
    ]
    assert [r.title for r in result.rows(Status.CHANGED)] == ["Service supervisors"]
    assert result.kept == {"stakeholder": 1}
    apply_import(demo, result)
    assert _audience(demo) == {"Customer service agents", "Service supervisors"}
    again = preview(demo, edited)
    assert again.errors == [] and not again.has_changes

    db = open_database(tmp_path / "fresh.db")
    try:
        fresh = PlanService(db)
        errors = preview(fresh, edited).errors
        assert errors, "the deleted stakeholder is linked to"
        assert [str(p) for p in errors if "‘Works council’" not in p.message] == []
        renamed_only = _edit_in_libreoffice(office, source, tmp_path / "renamed.xlsx", EDITS[1:])
        result = preview(fresh, renamed_only)
        assert result.errors == [] and not [p for p in result.problems if "ignored" in p.message]
        apply_import(fresh, result)
        assert _audience(fresh) == {"Customer service agents", "Service supervisors"}
        again = preview(fresh, renamed_only)
        assert again.errors == [] and not again.has_changes
    finally:
        db.close()


def _audience(service: PlanService) -> set[str]:
    plan = service.plan(service.initiatives()[0].id)
    message = next(c for c in plan.communications if c.name == "Service desk briefing")
    return {service.get("stakeholder", i).name for i in message.audience_ids}
