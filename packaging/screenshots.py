"""Render the main window on the sample plan, one PNG per page, without a screen.

    python packaging/screenshots.py [OUT_DIR]     (default: resources/screenshots)

Writes `<page>.png` for every page the window has (including pages other parts
register) and `main-window.png`, the one the README shows. Runs offscreen on a
throw-away database and settings folder, so nothing of the user's is touched.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SAMPLE_TODAY = date(2026, 11, 2)
SIZE = (1440, 880)
README_PAGE = "stakeholders"


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else REPO / "resources" / "screenshots"
    scratch = Path(tempfile.gettempdir()) / "planner-screenshots"
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["PLANNER_DATA_DIR"] = str(scratch / "data")
    os.environ["PLANNER_CONFIG_DIR"] = str(scratch / "config")
    sys.path.insert(0, str(REPO))

    from planner.persistence.database import open_database
    from planner.services.demo import create_demo
    from planner.services.planning import PlanService
    from planner.ui.app import make_application
    from planner.ui.main_window import MainWindow

    app = make_application()
    service = PlanService(open_database(scratch / "helix-crm-rollout.db"))
    create_demo(service, today=SAMPLE_TODAY)
    service.history.clear()
    window = MainWindow(service)
    window.resize(*SIZE)
    window.show()
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for key in list(window.pages):
        window.show_page(key)
        app.processEvents()
        target = out / f"{key}.png"
        window.grab().save(str(target))
        written.append(target)
    window.show_page(README_PAGE)
    app.processEvents()
    window.grab().save(str(out / "main-window.png"))
    window.close()
    service.db.close()
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
