"""The planner as `pip install` and `pipx install` give it: a wheel in a fresh virtual environment.

A checkout hides what a wheel lacks (the checkout's `migrations/` and
`resources/` are found beside `planner/`), so this builds the wheel from a copy
of the project, installs it without `-e` into a new venv, and runs the installed
`planner` from a folder far from the checkout. Marked `wheel` (about a minute
and a half, most of it pip): `pytest -m wheel`, its own step in the test command.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from planner.persistence.schema import HEAD_REVISION, KNOWN_REVISIONS
from tests.conftest import REPO
from tests.test_migrations import _file_at_first_revision

pytestmark = pytest.mark.wheel

# What never goes into the copy the wheel is built from (it would only slow the copy).
NOT_SOURCE = (".venv", ".git", "build", "dist", "bench-results", "__pycache__", "*.egg-info")


def _clean_env(**extra: str) -> dict[str, str]:
    """The environment of a user's shell: none of this test run's Python settings.

    PYTHONDONTWRITEBYTECODE goes too: setuptools warns that it cannot
    byte-compile under it, and the build must be free of warnings.
    """
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTHON", "VIRTUAL_ENV", "PIP_REQUIRE"))
    }
    return {**env, **extra}


def _run(args: list[str], *, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, cwd=cwd, env=env, timeout=900)


def _backend_warnings(output: str) -> list[str]:
    """Warnings from the build backend (setuptools); pip's own index notices are not ours."""
    return [
        line.strip()
        for line in output.splitlines()
        if "warning" in line.casefold() and not line.lstrip().startswith("WARNING: Location")
    ]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel, built with setuptools from a copy of the project (the checkout stays as it is)."""
    scratch = tmp_path_factory.mktemp("wheel")
    source = scratch / "source"
    shutil.copytree(REPO, source, ignore=shutil.ignore_patterns(*NOT_SOURCE))
    built = _run(
        [sys.executable, "-m", "pip", "wheel", "-v", "--no-deps", "-w", str(scratch), "."],
        cwd=source,
        env=_clean_env(),
    )
    assert built.returncode == 0, built.stderr[-4000:]
    assert _backend_warnings(built.stdout + built.stderr) == []
    (found,) = scratch.glob("change_readiness_planner-*.whl")
    return found


@pytest.fixture(scope="module")
def venv(wheel: Path) -> Iterator[Path]:
    """A new virtual environment with the wheel (and its dependencies) installed, no `-e`."""
    folder = wheel.parent / "venv"
    made = _run([sys.executable, "-m", "venv", str(folder)], cwd=wheel.parent, env=_clean_env())
    assert made.returncode == 0, made.stderr
    installed = _run(
        [str(folder / "bin" / "python"), "-m", "pip", "install", "-q", str(wheel)],
        cwd=wheel.parent,
        env=_clean_env(),
    )
    assert installed.returncode == 0, installed.stderr[-4000:]
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def user(tmp_path: Path) -> Path:
    """A folder far from the checkout, where the user runs `planner`."""
    home = tmp_path / "user"
    home.mkdir()
    return home


def planner(venv: Path, user: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """The installed `planner` program, as a user starts it from their own folder."""
    return _run(
        [str(venv / "bin" / "planner"), *args],
        cwd=user,
        env=_clean_env(PLANNER_DATA_DIR=str(user / "data"), QT_QPA_PLATFORM="offscreen", **env),
    )


def test_the_wheel_holds_the_migrations_and_resources_as_package_data(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {
        "planner/migrations/env.py",
        "planner/migrations/script.py.mako",
        "planner/migrations/versions/0001_initial.py",
        "planner/resources/icons/planner.svg",
        "planner/resources/readiness-rules.md",
    } <= names
    scripts = {path.name for path in (REPO / "migrations" / "versions").glob("*.py")}
    assert {name.rsplit("/", 1)[1] for name in names if "/versions/" in name} == scripts
    # Nothing outside the package: no top-level `migrations` or `resources` in site-packages.
    others = {name.split("/")[0] for name in names} - {"planner"}
    assert len(others) == 1 and others.pop().endswith(".dist-info")
    assert not [name for name in names if "screenshots" in name]


def test_the_installed_planner_finds_its_files_inside_the_venv(venv: Path, user: Path) -> None:
    probe = _run(
        [
            str(venv / "bin" / "python"),
            "-c",
            (
                "import json, planner, planner.paths as p; print(json.dumps("
                "[planner.__file__, str(p.migrations_dir()), str(p.resources_dir())]))"
            ),
        ],
        cwd=user,
        env=_clean_env(),
    )
    assert probe.returncode == 0, probe.stderr
    module, migrations, resources = (Path(item) for item in json.loads(probe.stdout))
    site = venv.resolve()
    assert site in module.resolve().parents
    assert site in migrations.resolve().parents and (migrations / "env.py").is_file()
    assert site in resources.resolve().parents and (resources / "icons" / "planner.svg").is_file()


def _revision_and_initiatives(path: Path) -> tuple[str, list[str]]:
    conn = sqlite3.connect(path)
    try:
        (revision,) = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        names = sorted(row[0] for row in conn.execute("SELECT name FROM initiative"))
        return revision, names
    finally:
        conn.close()


SAMPLE = ["Helix CRM rollout", "Sales territory redesign", "Spendly expense rollout"]


def test_installed_planner_makes_checks_exports_and_imports_a_plan(venv: Path, user: Path) -> None:
    plan, workbook, copy = user / "plan.db", user / "plan.xlsx", user / "copy.db"

    demo = planner(venv, user, "demo", "--db", str(plan))
    check = planner(venv, user, "check", "--db", str(plan), "--format", "json")
    export = planner(venv, user, "export", "--db", str(plan), str(workbook))
    imported = planner(venv, user, "import", "--db", str(copy), str(workbook))

    assert demo.returncode == 0, demo.stderr
    # The sample is a portfolio of three initiatives; the export is of the first.
    assert _revision_and_initiatives(plan) == (HEAD_REVISION, SAMPLE)
    assert check.returncode == 0, check.stderr
    assert len(json.loads(check.stdout)["dimensions"]) == 6
    assert export.returncode == 0, export.stderr
    assert workbook.read_bytes().startswith(b"PK\x03\x04")
    assert imported.returncode == 0, imported.stderr
    assert _revision_and_initiatives(copy) == (HEAD_REVISION, ["Helix CRM rollout"])


def test_installed_planner_upgrades_a_file_from_the_first_revision(venv: Path, user: Path) -> None:
    old = user / "old.db"
    _file_at_first_revision(old)
    assert _revision_and_initiatives(old) == (KNOWN_REVISIONS[0], ["Old plan"])

    result = planner(venv, user, "demo", "--db", str(old))

    assert result.returncode == 0, result.stderr
    assert _revision_and_initiatives(old) == (HEAD_REVISION, sorted([*SAMPLE, "Old plan"]))


def test_installed_planner_opens_its_window(venv: Path, user: Path) -> None:
    shot = user / "window.png"

    result = planner(venv, user, PLANNER_SMOKE_TEST=str(shot))

    assert result.returncode == 0, result.stderr
    assert shot.read_bytes().startswith(b"\x89PNG")
