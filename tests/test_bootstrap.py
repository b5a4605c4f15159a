"""The system packages packaging/bootstrap.sh installs are the ones Qt's plugins really link.

Qt's xcb platform plugin aborted a first start on a fresh Debian machine for
want of `libxcb-icccm4` and `libxcb-keysyms1`, and named the wrong library. The
list the bootstrap installs is derived from `ldd` and `dpkg -S` of the installed
PySide6 (packaging/qt_system_packages.py); this keeps the committed list equal
to that derivation on the machine that runs the tests.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

SCRIPT = REPO / "packaging" / "qt_system_packages.py"

pytestmark = pytest.mark.skipif(
    shutil.which("dpkg") is None or shutil.which("ldd") is None,
    reason="needs a Debian system (dpkg, ldd)",
)


def test_the_listed_packages_are_what_ldd_and_dpkg_find_for_the_installed_qt() -> None:
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--check"], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr


def test_the_list_holds_the_xcb_libraries_whose_absence_aborted_a_first_start() -> None:
    listed = (REPO / "packaging" / "qt-system-packages.txt").read_text(encoding="utf-8").split()
    assert {"libxcb-icccm4", "libxcb-keysyms1", "libxcb-cursor0", "libxkbcommon-x11-0"} <= set(
        listed
    )


def test_the_bootstrap_stops_with_the_names_of_libraries_qt_cannot_find(tmp_path: Path) -> None:
    """A library missing after the install is named before Qt gets to abort (fake `ldd`)."""
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "ldd").write_text(
        "#!/bin/sh\necho '\tlibxcb-icccm.so.4 => not found'\necho '\tlibc.so.6 => /lib/libc.so.6'\n"
    )
    (fake / "ldd").chmod(0o755)
    env = {**os.environ, "PATH": f"{fake}{os.pathsep}{os.environ['PATH']}"}

    stopped = subprocess.run(
        ["sh", "packaging/bootstrap.sh", "test", "--", "--version"],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        timeout=600,
    )
    ran = subprocess.run(
        ["sh", "packaging/bootstrap.sh", "test", "--", "--version"],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=600,
    )

    assert stopped.returncode == 1
    assert "libxcb-icccm.so.4 => not found" in stopped.stderr
    assert "libc.so.6" not in stopped.stderr
    assert ran.returncode == 0, ran.stderr
