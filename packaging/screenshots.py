"""Render every page, dialog and Present slide of the sample plan, without a screen.

    python packaging/screenshots.py [OUT_DIR]     (default: /tmp/planner-screenshots/out)

For each screen — a 1366×768 laptop, a 1920×1080 monitor and a 2560×1440 display
at 200 % — and each theme (light, dark), writes `<screen>/<theme>/<name>.png`:
the pages (`page-<key>`), the Add dialog of each table page (`add-<kind>`), Help
and the readiness rules (`dialog-…`), every Present slide (`present-NN-<key>`),
and the map with names on its bubbles, openly and under privacy (`present-map-…`).
The window fills the screen's free area, as a maximised window would.
Each screen runs in its own process, as Qt keeps one set of screens per process,
on a throw-away database and settings folder, so nothing of the user's is
touched. `--readme` also copies the pictures the README shows to
resources/screenshots/.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SAMPLE_TODAY = date(2026, 11, 2)
SCREENS = {
    "1366x768": (1366, 768, 1),
    "1920x1080": (1920, 1080, 1),
    "2560x1440-2x": (2560, 1440, 2),
}
THEMES = ("light", "dark")
README_PICTURES = {
    "main-window.png": ("1920x1080", "light", "page-stakeholders"),
    "laptop-readiness.png": ("1366x768", "light", "page-readiness"),
    "present-map.png": ("1366x768", "light", "present-01-stakeholder-map"),
    "dark-rollout.png": ("1920x1080", "dark", "page-rollout"),
    "dark-dashboard.png": ("1920x1080", "dark", "page-dashboard"),
    "present-map-names.png": ("1920x1080", "light", "present-map-names"),
    "present-map-private.png": ("1366x768", "light", "present-map-names-initials"),
    "portfolio.png": ("1366x768", "light", "page-portfolio"),
}


def render(out: Path, theme: str) -> list[Path]:
    """In this process (its screen already chosen): every page, dialog and slide, one theme."""
    scratch = Path(tempfile.mkdtemp(prefix="planner-screenshots-"))
    os.environ["PLANNER_DATA_DIR"] = str(scratch / "data")
    os.environ["PLANNER_CONFIG_DIR"] = str(scratch / "config")
    sys.path.insert(0, str(REPO))

    from PySide6.QtWidgets import QApplication

    from planner.charts import Privacy
    from planner.persistence.database import open_database
    from planner.services.demo import create_demo
    from planner.services.planning import PlanService
    from planner.ui.app import make_application
    from planner.ui.main_window import MainWindow
    from planner.ui.present.window import PresentWindow
    from planner.ui.rules_dialog import RulesDialog
    from planner.ui.settings import Settings
    from planner.ui.theme import dark_palette, use_readable_indicators

    app = make_application()
    app.setStyle("Fusion")
    use_readable_indicators(app)
    if theme == "dark":
        app.setPalette(dark_palette())
    service = PlanService(open_database(scratch / "helix-crm-rollout.db"))
    create_demo(service, today=SAMPLE_TODAY, portfolio=True)  # as `planner demo` makes it
    service.history.clear()
    window = MainWindow(
        service, settings=Settings(scratch / "settings.ini"), today=lambda: SAMPLE_TODAY
    )
    window.show()
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []

    def settle() -> None:
        """Until the window's background work (the portfolio, a readiness check) is drawn."""
        tasks = window.ctx.tasks
        for _ in range(4):
            app.processEvents()
        deadline = time.monotonic() + 30
        while tasks.running and time.monotonic() < deadline:
            tasks.wait(50)
            app.processEvents()
        for _ in range(4):
            app.processEvents()

    def save(widget: object, name: str) -> None:
        settle()
        target = out / f"{name}.png"
        widget.grab().save(str(target))  # type: ignore[attr-defined]
        written.append(target)

    window.resize(window.screen().availableGeometry().size())
    for key in list(window.pages):
        window.show_page(key)
        save(window, f"page-{key}")
        view = window.active_view()
        if view is not None:
            dialog = view.add()
            if dialog is not None:
                save(dialog, f"add-{view.kind}")
                dialog.reject()
    window.show_help()
    helps = [w for w in app.topLevelWidgets() if w.objectName() == "help_dialog" and w.isVisible()]
    for dialog in helps:
        save(dialog, "dialog-help")
        dialog.close()
    rules = RulesDialog(window)
    rules.show()
    save(rules, "dialog-readiness-rules")
    rules.close()
    present = PresentWindow(service, service.initiatives()[0].id, today=SAMPLE_TODAY, parent=window)
    present.showFullScreen()
    for index, slide in enumerate(present.slides):
        present.show_slide(index)
        save(present, f"present-{index + 1:02d}-{slide.key}")
    present.set_zoom(1.44)
    present.show_slide(0)
    save(present, "present-zoomed-stakeholder-map")
    present.set_zoom(1.0)
    present.set_names_on_map(True)
    save(present, "present-map-names")
    present.set_privacy(Privacy.INITIALS)
    save(present, "present-map-names-initials")
    present.set_privacy(Privacy.CODES)
    save(present, "present-map-codes")
    present.close()
    window.close()
    service.db.close()
    QApplication.processEvents()
    shutil.rmtree(scratch, ignore_errors=True)
    return written


def run_screen(out: Path, name: str) -> int:
    width, height, scale = SCREENS[name]
    config = Path(tempfile.mkdtemp(prefix="planner-screen-")) / "screen.json"
    screen = {"name": name, "x": 0, "y": 0, "width": width, "height": height}
    config.write_text(json.dumps({"screens": [screen]}))
    code = 0
    for theme in THEMES:
        env = {
            **os.environ,
            "QT_QPA_PLATFORM": f"offscreen:configfile={config}",
            "QT_SCALE_FACTOR": str(scale),
        }
        done = subprocess.run(
            [sys.executable, __file__, "--one", str(out / name / theme), theme],
            env=env,
            check=False,
        )
        code = code or done.returncode
    return code


def main(argv: list[str]) -> int:
    if argv[:1] == ["--one"]:
        for path in render(Path(argv[1]), argv[2]):
            print(path)
        return 0
    readme = "--readme" in argv
    rest = [a for a in argv if a != "--readme"]
    out = Path(rest[0]) if rest else Path(tempfile.gettempdir()) / "planner-screenshots" / "out"
    code = 0
    for name in SCREENS:
        code = code or run_screen(out, name)
    if readme and code == 0:
        target = REPO / "resources" / "screenshots"
        target.mkdir(parents=True, exist_ok=True)
        for picture, (screen, theme, name) in README_PICTURES.items():
            shutil.copyfile(out / screen / theme / f"{name}.png", target / picture)
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
