"""The spreadsheet programs people use, driven from the tests.

One LibreOffice process serves a whole test module (`office` fixture): it has
its own profile in a temporary folder, runs headless and listens on a named
pipe; each edit is a short run of `office/calc_edit.py` under the system
python3, which is where python3-uno imports (it does not in a virtual
environment). Gnumeric is its `ssconvert` command.

`packaging/bootstrap.sh test` installs both and sets PLANNER_REAL_CLIENTS=required,
so that a missing program fails the tests there instead of skipping them.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from planner.services.excel.metadata import canonical, compared_fields
from planner.services.planning import PlanService

SYSTEM_PYTHON = Path("/usr/bin/python3")
EDIT_SCRIPT = Path(__file__).parent / "office" / "calc_edit.py"
INSTALL_HINT = "sh packaging/bootstrap.sh test installs it"


def absent(what: str) -> None:
    """Skip with the reason, or fail where the test setup promised the program."""
    message = f"{what} ({INSTALL_HINT})"
    if os.environ.get("PLANNER_REAL_CLIENTS") == "required":
        pytest.fail(message)
    pytest.skip(message)


def _uno_importable() -> bool:
    if not SYSTEM_PYTHON.exists():
        return False
    probe = subprocess.run(
        [str(SYSTEM_PYTHON), "-c", "import uno"], capture_output=True, timeout=60, check=False
    )
    return probe.returncode == 0


class Office:
    """A headless LibreOffice that edits and saves workbooks through UNO."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.pipe = f"planner-tests-{uuid.uuid4().hex[:12]}"
        profile = (folder / "profile").as_uri()
        self.process = subprocess.Popen(
            [
                shutil.which("soffice") or "soffice",
                f"-env:UserInstallation={profile}",
                "--headless",
                "--invisible",
                "--nologo",
                "--norestore",
                "--nodefault",
                "--nolockcheck",
                f"--accept=pipe,name={self.pipe};urp;StarOffice.ComponentContext",
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env={**os.environ, "HOME": str(folder / "home")},
        )

    def edit(self, source: Path, target: Path, steps: list[dict[str, Any]]) -> Path:
        """Open `source` in Calc, make `steps` (see calc_edit.py), save as `target`."""
        edits = target.with_name(target.name + ".steps.json")
        edits.write_text(json.dumps(steps), encoding="utf-8")
        result = subprocess.run(
            [str(SYSTEM_PYTHON), str(EDIT_SCRIPT), self.pipe, str(source), str(target), str(edits)],
            capture_output=True,
            text=True,
            timeout=240,
            check=False,
        )
        assert result.returncode == 0, f"LibreOffice edit failed: {result.stderr.strip()}"
        assert target.is_file(), f"LibreOffice did not write {target.name}"
        return target

    def resave(self, source: Path, target: Path) -> Path:
        return self.edit(source, target, [])

    def print_pdf(self, source: Path, target: Path) -> Path:
        """The workbook printed to PDF, as File → Export as PDF does with its print setup."""
        return self.edit(source, target.with_suffix(".pdf"), [])

    def close(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def start_office() -> Iterator[Office]:
    """Body of a module-scoped fixture: one office for all the tests of a module."""
    if shutil.which("soffice") is None:
        absent("LibreOffice Calc is not installed (Debian: libreoffice-calc-nogui)")
    if not _uno_importable():
        absent(f"{SYSTEM_PYTHON} cannot import uno (Debian: python3-uno)")
    with tempfile.TemporaryDirectory(prefix="planner-office-") as folder:
        office = Office(Path(folder))
        try:
            yield office
        finally:
            office.close()


def gnumeric_resave(source: Path, target: Path) -> Path:
    """Open and save again with Gnumeric's ssconvert (the writer the .xlsx name picks)."""
    program = shutil.which("ssconvert")
    if program is None:
        absent("Gnumeric's ssconvert is not installed (Debian: gnumeric)")
    home = target.parent / "gnumeric-home"
    home.mkdir(exist_ok=True)
    result = subprocess.run(
        [str(program), str(source), str(target)],
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
        env={**os.environ, "HOME": str(home)},
    )
    assert result.returncode == 0 and target.is_file(), f"ssconvert failed: {result.stderr}"
    return target


def pdf_pages(pdf: Path) -> int:
    program = shutil.which("pdfinfo")
    if program is None:
        absent("pdfinfo is not installed (Debian: poppler-utils)")
    info = subprocess.run(
        [str(program), str(pdf)], capture_output=True, text=True, timeout=60, check=True
    ).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def fields(service: PlanService) -> dict[str, dict[str, str]]:
    """Every record of the first initiative: id -> field -> canonical value."""
    plan = service.plan(service.initiatives()[0].id)
    return {
        r.id: {name: canonical(getattr(r, name)) for name in compared_fields(r)}
        for r in plan.all_records()
    }


def differences(
    before: dict[str, dict[str, str]], after: dict[str, dict[str, str]]
) -> dict[str, Any]:
    """What an import did: fields changed per record, and records added or removed."""
    changed = {
        rid: {k: (old[k], after[rid][k]) for k in old if old[k] != after[rid][k]}
        for rid, old in before.items()
        if rid in after and old != after[rid]
    }
    return {
        "changed": changed,
        "added": [after[rid] for rid in after.keys() - before.keys()],
        "removed": sorted(before.keys() - after.keys()),
    }
