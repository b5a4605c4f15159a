"""The core (domain, persistence, services, charts) never imports Qt; checked in a fresh process."""

import subprocess
import sys

from tests.conftest import REPO

CORE = [
    "planner.domain",
    "planner.persistence",
    "planner.services",
    "planner.charts",
    "planner.cli",
]


def _python(code: str) -> subprocess.CompletedProcess[str]:
    """Run code in a fresh interpreter: what it imports is not hidden by this process's."""
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=120
    )


def test_core_imports_no_qt():
    code = (
        "import importlib, pkgutil, sys\n"
        f"for name in {CORE!r}:\n"
        "    module = importlib.import_module(name)\n"
        "    for info in pkgutil.walk_packages(getattr(module, '__path__', []), name + '.'):\n"
        "        importlib.import_module(info.name)\n"
        "qt = sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6', 'PyQt')))\n"
        "print(qt)\n"
        "sys.exit(1 if qt else 0)\n"
    )
    result = _python(code)
    assert result.returncode == 0, result.stdout + result.stderr


def test_opening_an_up_to_date_file_does_not_import_alembic_or_matplotlib(tmp_path):
    path = tmp_path / "plan.db"
    code = (
        "import sys\n"
        "from planner.persistence import open_database\n"
        f"open_database({str(path)!r}).close()\n"
        f"open_database({str(path)!r}).close()\n"
        "heavy = sorted(m for m in ('alembic', 'matplotlib', 'openpyxl') if m in sys.modules)\n"
        "print(heavy)\n"
        "sys.exit(1 if heavy else 0)\n"
    )
    result = _python(code)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_window_starts_without_importing_what_only_later_work_needs(tmp_path):
    """Start-up pays only for what the first screen needs (see README, Benchmarks)."""
    path = tmp_path / "plan.db"
    shot = tmp_path / "window.png"
    code = (
        "import os, sys\n"
        "os.environ['QT_QPA_PLATFORM'] = 'offscreen'\n"
        f"os.environ['PLANNER_SMOKE_TEST'] = {str(shot)!r}\n"
        f"os.environ['PLANNER_DATA_DIR'] = {str(tmp_path / 'data')!r}\n"
        "from planner.persistence import open_database\n"
        "from planner.services.demo import create_demo\n"
        "from planner.services.planning import PlanService\n"
        f"db = open_database({str(path)!r})\n"
        "create_demo(PlanService(db))\n"
        "db.close()\n"
        "from planner.cli import main\n"
        f"code = main(['--db', {str(path)!r}])\n"
        "late = ('sqlalchemy.orm', 'alembic', 'matplotlib', 'openpyxl', 'numpy',\n"
        "        'planner.services.readiness', 'planner.services.excel')\n"
        "heavy = sorted(m for m in late if m in sys.modules)\n"
        "print(heavy)\n"
        "sys.exit(code or (1 if heavy else 0))\n"
    )
    result = _python(code)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "[]"
    assert shot.exists()
