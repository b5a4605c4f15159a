"""The calendar programs' own parsers, driven from the tests.

Thunderbird reads calendars with Mozilla's ical.js: `packaging/bootstrap.sh test`
installs the npm package into .venv/node (outside the repository), and each read
is a short run of `calendar_clients/read_with_icaljs.mjs` under node. Evolution and
GNOME Calendar read them with libical, which the system python3 reaches through
PyGObject (Debian: python3-gi, gir1.2-ical-3.0), as the LibreOffice tests reach UNO.
Where PLANNER_REAL_CLIENTS=required, a missing program fails instead of skipping.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.office_support import SYSTEM_PYTHON, absent

CLIENTS = Path(__file__).parent / "calendar_clients"
ICALJS = Path(sys.prefix) / "node" / "node_modules" / "ical.js"


def read_with_icaljs(path: Path) -> dict[str, Any]:
    """What Thunderbird's parser makes of the file (see read_with_icaljs.mjs)."""
    node = shutil.which("node")
    if node is None:
        absent("node is not installed (Debian: nodejs)")
    if not (ICALJS / "package.json").is_file():
        absent(f"the npm package ical.js is not installed in {ICALJS.parent}")
    return _run([str(node), str(CLIENTS / "read_with_icaljs.mjs"), str(ICALJS), str(path)])


def read_with_libical(path: Path) -> dict[str, Any]:
    """What Evolution's parser makes of the file (see read_with_libical.py)."""
    if not SYSTEM_PYTHON.exists():
        absent(f"{SYSTEM_PYTHON} is not installed")
    probe = subprocess.run(
        [
            str(SYSTEM_PYTHON),
            "-c",
            "import gi; gi.require_version('ICalGLib', '3.0'); from gi.repository import ICalGLib",
        ],
        capture_output=True,
        timeout=60,
        check=False,
    )
    if probe.returncode != 0:
        absent(f"{SYSTEM_PYTHON} cannot load libical (Debian: python3-gi gir1.2-ical-3.0)")
    return _run([str(SYSTEM_PYTHON), str(CLIENTS / "read_with_libical.py"), str(path)])


def _run(command: list[str]) -> dict[str, Any]:
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, f"{Path(command[1]).name} failed: {done.stderr.strip()}"
    result: dict[str, Any] = json.loads(done.stdout)
    return result
