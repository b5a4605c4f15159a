"""Re-saved with no edit by the real programs (LibreOffice Calc, Gnumeric's ssconvert),
a workbook holding values a spreadsheet cannot keep exactly imports as nothing to change,
and a colleague's edit meanwhile is kept, never a conflict."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from planner.services.excel.preview import Status
from tests.excel_support import export, preview
from tests.office_support import absent

AWKWARD = 0.30000000000000004


def _libreoffice(source: Path, tmp_path: Path) -> Path:
    out = tmp_path / "libreoffice"
    profile = (tmp_path / "lo-profile").as_uri()
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(out),
            str(source),
        ],
        capture_output=True,
        timeout=300,
        check=True,
    )
    return out / source.name


def _gnumeric(source: Path, tmp_path: Path) -> Path:
    target = tmp_path / "gnumeric.xlsx"
    subprocess.run(
        ["ssconvert", "--export-type=Gnumeric_Excel:xlsx2", str(source), str(target)],
        capture_output=True,
        timeout=300,
        check=True,
    )
    return target


PROGRAMS = {"libreoffice": ("soffice", _libreoffice), "gnumeric": ("ssconvert", _gnumeric)}


@pytest.mark.parametrize("program", sorted(PROGRAMS))
def test_a_resave_by_a_real_program_is_nothing_to_change(program, demo, tmp_path):
    command, resave = PROGRAMS[program]
    if shutil.which(command) is None:
        absent(f"{command} is not installed")
    plan = demo.plan(demo.initiatives()[0].id)
    kpi = next(k for k in plan.kpis if k.direction.value == "increase")
    demo.update("kpi", kpi.id, {"baseline": AWKWARD, "target": 0.9})
    option = plan.options[0]
    demo.update("option", option.id, {"annual_cost": 1234.5678901234567})
    resaved = resave(export(demo, tmp_path / "plan.xlsx"), tmp_path)
    result = preview(demo, resaved)
    assert result.errors == [], [str(p) for p in result.errors]
    assert not result.has_changes, [
        (r.sheet, r.title, [(c.label, c.old, c.new) for c in r.changes])
        for r in result.rows(Status.CHANGED, Status.CONFLICT, Status.NEW)
    ]
    demo.update("kpi", kpi.id, {"unit": "share of cases"})
    again = preview(demo, resaved)
    assert again.conflicts == [] and not again.has_changes
