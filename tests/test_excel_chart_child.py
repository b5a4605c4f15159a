"""The export's charts (and fingerprints) made by a child process alongside the cells, and
every way back to making them in process (small file, failed child, plan edited meanwhile,
cancel)."""

from __future__ import annotations

import pickle
import subprocess
import zipfile

import pytest
from openpyxl import load_workbook

from planner.charts import CHART_KINDS
from planner.domain.errors import Cancelled
from planner.persistence.inspection import change_counter
from planner.services.excel import chart_images
from planner.services.excel.apart import child_command
from planner.services.excel.chart_images import ChartDrawer, Picture, draw_pictures, read_plan
from planner.services.excel.metadata import packed_fingerprints
from planner.services.excel.progress import CancelToken, Progress
from planner.services.excel.workbook import export_initiative
from tests.conftest import DEMO_TODAY
from tests.excel_support import only_changes, preview_import

# They wait for the planner's Excel child processes, which run at a lower priority
# than the window (nice 10): beside another xdist worker keeping both cores busy they
# starve past their timeouts. So they run in the test command's serial step.
pytestmark = pytest.mark.serial


@pytest.fixture
def drawn_here(monkeypatch):
    """Record every in-process drawing (and give a marker picture instead), so a test can
    tell the child's pictures from the parent's."""
    calls: list[str] = []

    def draw(plan, today):
        calls.append(plan.initiative.name)
        return [Picture("roadmap", None, "drawn by the parent")]

    monkeypatch.setattr(chart_images, "draw_pictures", draw)
    return calls


@pytest.fixture
def any_size(monkeypatch):
    """The demo file is small; let it have a child as a large one would."""
    monkeypatch.setattr(chart_images, "CHILD_MIN_BYTES", 0)


def _start(service) -> ChartDrawer:
    initiative = service.initiatives()[0]
    drawer = ChartDrawer.start(service.db.path, initiative.id, DEMO_TODAY)
    assert drawer is not None
    return drawer


def test_the_child_draws_the_same_pictures_as_the_parent_would(demo, any_size, monkeypatch):
    plan, read_at = read_plan(demo, demo.initiatives()[0].id)
    assert read_at is not None
    expected = draw_pictures(plan, DEMO_TODAY)
    drawer = _start(demo)
    monkeypatch.setattr(chart_images, "draw_pictures", lambda *_: pytest.fail("drawn here"))
    pictures = drawer.pictures(plan, DEMO_TODAY, read_at=read_at, progress=Progress())
    assert [p.kind for p in pictures] == list(CHART_KINDS)
    assert pictures == expected
    assert all(p.png and p.png.startswith(b"\x89PNG") for p in pictures)


def test_export_of_a_large_file_takes_the_childs_pictures_and_fingerprints(
    demo, any_size, tmp_path, monkeypatch
):
    from planner.services.excel import export as export_module

    monkeypatch.setattr(chart_images, "draw_pictures", lambda *_: pytest.fail("drawn here"))
    monkeypatch.setattr(
        export_module, "packed_fingerprints", lambda *_: pytest.fail("fingerprinted here")
    )
    out = tmp_path / "plan.xlsx"
    result = export_initiative(demo, demo.initiatives()[0].id, out, today=DEMO_TODAY)
    assert result.warnings == ()
    assert len(load_workbook(out)["Charts"]._images) == len(CHART_KINDS)
    with zipfile.ZipFile(out) as archive:
        assert len([n for n in archive.namelist() if n.startswith("xl/media/")]) == 8
    monkeypatch.undo()
    untouched = preview_import(demo, out)
    assert not untouched.errors
    assert not only_changes(untouched)


def test_a_plan_edited_while_the_child_read_it_is_drawn_again_here(demo, any_size, drawn_here):
    initiative = demo.initiatives()[0]
    before, read_at = read_plan(demo, initiative.id)
    stakeholder = before.stakeholders[0]
    demo.update("stakeholder", stakeholder.id, {"name": "Renamed while exporting"})
    drawer = _start(demo)
    pictures = drawer.pictures(before, DEMO_TODAY, read_at=read_at, progress=Progress())
    assert drawn_here == [initiative.name]
    assert pictures == [Picture("roadmap", None, "drawn by the parent")]
    assert drawer.fingerprints() is None


def test_a_child_that_fails_leaves_the_drawing_to_the_parent(demo, any_size, drawn_here):
    plan, read_at = read_plan(demo, demo.initiatives()[0].id)
    drawer = ChartDrawer.start(demo.db.path, "no-such-initiative", DEMO_TODAY)
    assert drawer is not None
    drawer.pictures(plan, DEMO_TODAY, read_at=read_at, progress=Progress())
    assert drawn_here == [plan.initiative.name]
    assert drawer.fingerprints() is None


def test_cancelling_while_waiting_stops_the_child(demo, any_size, drawn_here):
    plan, read_at = read_plan(demo, demo.initiatives()[0].id)
    drawer = _start(demo)
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        drawer.pictures(
            plan, DEMO_TODAY, read_at=read_at, progress=Progress(cancelled=token, what="the export")
        )
    assert not drawer.running
    assert drawn_here == []


def test_small_files_and_unsaved_plans_are_drawn_in_process(demo):
    initiative = demo.initiatives()[0]
    assert ChartDrawer.start(demo.db.path, initiative.id, DEMO_TODAY) is None
    assert ChartDrawer.start(None, initiative.id, DEMO_TODAY) is None


def test_the_planner_program_is_the_child(demo, tmp_path):
    """`planner --excel-child draw-charts ANSWER FILE ID DAY` leaves the pictures, the
    fingerprints and the change counter it read at."""
    initiative = demo.initiatives()[0]
    answer = tmp_path / "answer.pickle"
    command = child_command(
        chart_images.CHILD_ROLE,
        [str(answer), str(demo.db.path), initiative.id, DEMO_TODAY.isoformat()],
    )
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    with answer.open("rb") as handle:
        read_at, pictures, fingerprints = pickle.load(handle)
    assert read_at == change_counter(demo.db.path)
    assert [p.kind for p in pictures] == list(CHART_KINDS)
    assert fingerprints == packed_fingerprints(iter(demo.plan(initiative.id).all_records()))


def test_the_change_counter_moves_with_every_saved_change(demo, tmp_path):
    path = demo.db.path
    first = change_counter(path)
    assert first is not None
    stakeholder = demo.plan(demo.initiatives()[0].id).stakeholders[0]
    demo.update("stakeholder", stakeholder.id, {"name": "Renamed"})
    second = change_counter(path)
    assert second is not None and second != first
    demo.history.undo()
    assert change_counter(path) not in (first, second)
    assert change_counter(tmp_path / "missing.db") is None
    (tmp_path / "text.db").write_text("not a database")
    assert change_counter(tmp_path / "text.db") is None
