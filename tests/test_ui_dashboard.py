"""The Dashboard: charts embedded in the window, exported as PNG, SVG and PDF; matplotlib loaded late."""

from __future__ import annotations

import subprocess
import sys

import pytest
from PySide6.QtCore import Qt

from planner.charts import CHART_KINDS
from planner.ui.dashboard_view import DashboardView
from tests.conftest import DEMO_TODAY, REPO

MAGIC = {".png": b"\x89PNG", ".svg": b"<?xml", ".pdf": b"%PDF"}


@pytest.fixture
def initiative_id(demo):
    return demo.initiatives()[0].id


class SaveDialog:
    """Stands in for the file dialog: records the suggested name, answers with a chosen suffix."""

    def __init__(self, folder):
        self.folder = folder
        self.suffix = ".png"
        self.suggested: list[str] = []

    def __call__(self, _parent, _title, suggested):
        self.suggested.append(suggested)
        return self.folder / suggested.replace(".png", self.suffix)


@pytest.fixture
def dialog(tmp_path):
    return SaveDialog(tmp_path)


@pytest.fixture
def dashboard(qtbot, demo, initiative_id, dialog):
    view = DashboardView(demo, initiative_id, today=DEMO_TODAY, ask_path=dialog)
    qtbot.addWidget(view)
    view.resize(1200, 800)
    view.show()
    qtbot.waitExposed(view)
    return view


def test_window_modules_do_not_import_matplotlib():
    code = (
        "import sys\n"
        "import planner.ui.main_window, planner.ui.readiness_view, planner.ui.dashboard_view\n"
        "import planner.ui.present.window\n"
        "print(sorted(m for m in sys.modules if m.startswith('matplotlib')))\n"
        "sys.exit(1 if 'matplotlib' in sys.modules else 0)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_dashboard_lists_every_chart_and_draws_the_chosen_one(qtbot, dashboard):
    titles = [dashboard.chart_list.item(row).text() for row in range(dashboard.chart_list.count())]
    assert titles == [spec.title for spec in CHART_KINDS.values()]
    for kind, spec in CHART_KINDS.items():
        dashboard.chart_list.setCurrentRow(titles.index(spec.title))
        assert dashboard.kind == kind
        assert dashboard.pane.figure is not None and dashboard.pane.figure.axes
        assert dashboard.description.text() == spec.description
        assert dashboard.export_button.isEnabled()


@pytest.mark.parametrize("suffix", [".png", ".svg", ".pdf"])
def test_export_writes_the_chart_in_the_chosen_format(qtbot, dashboard, dialog, tmp_path, suffix):
    dashboard.show_chart("roadmap")
    dialog.suffix = suffix
    qtbot.mouseClick(dashboard.export_button, Qt.MouseButton.LeftButton)
    written = tmp_path / f"roadmap{suffix}"
    assert dialog.suggested == ["roadmap.png"]
    assert written.read_bytes().startswith(MAGIC[suffix])
    assert dashboard.message.text() == f"Saved roadmap{suffix}"


def test_export_to_a_bad_name_says_why_and_writes_nothing(dashboard, tmp_path):
    dashboard.export(tmp_path / "chart.txt")
    assert ".png, .svg or .pdf" in dashboard.message.text()
    assert list(tmp_path.glob("chart*")) == []


def test_dashboard_redraws_after_an_edit_and_waits_when_hidden(dashboard, demo, initiative_id):
    dashboard.show_chart("stakeholder-map")
    first = dashboard.pane.figure
    council = next(s for s in demo.list("stakeholder", initiative_id) if s.name == "Works council")
    demo.update("stakeholder", council.id, {"power": 1})
    assert dashboard.pane.figure is not first
    dashboard.hide()
    shown = dashboard.pane.figure
    demo.history.undo()
    assert dashboard.pane.figure is shown, "a hidden dashboard draws nothing"
    dashboard.show()
    assert dashboard.pane.figure is not shown


def test_dashboard_without_initiative_says_so(qtbot, demo):
    view = DashboardView(demo, None)
    qtbot.addWidget(view)
    view.show()
    assert "No initiative" in view.message.text()
    assert not view.export_button.isEnabled()
