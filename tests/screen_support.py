"""Running a worker module on a screen of a chosen size, in a process of its own.

Qt keeps one set of screens per process, so each screen size gets a fresh
Python running `python -m <worker>` on the offscreen platform with that screen
and scale factor, its own data and settings folders, and prints JSON.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.conftest import REPO


def run_on_screen(
    worker: str, name: str, width: int, height: int, scale: int, folder: Path
) -> dict[str, Any]:
    """`python -m worker` on one `width`×`height` screen at `scale`; what it printed, read."""
    config = folder / "screen.json"
    screen = {"name": name, "x": 0, "y": 0, "width": width, "height": height}
    config.write_text(json.dumps({"windowFrameMargins": True, "screens": [screen]}))
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": f"offscreen:configfile={config}",
        "QT_SCALE_FACTOR": str(scale),
        "PLANNER_DATA_DIR": str(folder / "data"),
        "XDG_CONFIG_HOME": str(folder / "config"),
    }
    done = subprocess.run(
        [sys.executable, "-m", worker],
        check=False,
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result: dict[str, Any] = json.loads(done.stdout)
    return result
