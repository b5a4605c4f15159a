"""The PySide6 pin: 100,000 calls of a Qt method returning nothing must not abort the process.

PySide6 6.12.0 on Python 3.11 miscounts references to None and dies with
`Fatal Python error: none_dealloc` after a few thousand such calls; a user
editing for an hour would lose the app.
"""

import os
import subprocess
import sys

from tests.conftest import REPO

SCRIPT = """
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication([])
label = QLabel()
for i in range(100_000):
    label.setText("x")
    label.setToolTip(None if i % 2 else "y")
print("done", label.text())
"""


def test_hundred_thousand_void_qt_calls_exit_cleanly():
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "done x" in result.stdout
    assert "none_dealloc" not in result.stderr
