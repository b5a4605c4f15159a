"""Writing charts to files, and `planner chart` on the command line."""

from __future__ import annotations

from pathlib import Path

import pytest
from matplotlib.figure import Figure

from planner.charts import ChartError, render
from planner.persistence import open_database
from planner.services.demo import create_demo
from planner.services.planning import PlanService
from tests.conftest import DEMO_TODAY, run_cli

MAGIC = {".png": b"\x89PNG", ".svg": b"<?xml", ".pdf": b"%PDF"}


def small_figure() -> Figure:
    figure = Figure(figsize=(2, 1))
    figure.add_subplot().plot([0, 1], [1, 0])
    return figure


@pytest.mark.parametrize("suffix", [".png", ".svg", ".pdf", ".PNG"])
def test_render_writes_the_format_the_suffix_names(tmp_path, suffix):
    out = render(small_figure(), tmp_path / f"chart{suffix}")
    assert out.read_bytes().startswith(MAGIC[suffix.lower()])
    assert [p.name for p in tmp_path.iterdir()] == [f"chart{suffix}"]


@pytest.mark.parametrize("name", ["chart.jpg", "chart", "chart.png.txt"])
def test_render_refuses_other_suffixes_in_one_line_and_writes_nothing(tmp_path, name):
    with pytest.raises(ChartError, match=r"\.png, \.svg or \.pdf") as caught:
        render(small_figure(), tmp_path / name)
    assert "\n" not in str(caught.value)
    assert list(tmp_path.iterdir()) == []


def test_render_names_a_missing_folder(tmp_path):
    with pytest.raises(ChartError, match="does not exist"):
        render(small_figure(), tmp_path / "nowhere" / "chart.png")


def test_render_replaces_an_existing_file_whole(tmp_path):
    out = tmp_path / "chart.svg"
    out.write_text("old")
    render(small_figure(), out)
    assert out.read_bytes().startswith(b"<?xml")


@pytest.fixture
def demo_file(tmp_path: Path) -> Path:
    path = tmp_path / "demo.db"
    db = open_database(path)
    try:
        create_demo(PlanService(db), today=DEMO_TODAY)
    finally:
        db.close()
    return path


@pytest.mark.parametrize(
    ("kind", "suffix"),
    [("stakeholder-map", ".png"), ("option-scorecard", ".pdf"), ("adkar-heatmap", ".svg")],
)
def test_planner_chart_writes_the_file(demo_file, tmp_path, kind, suffix):
    out = tmp_path / f"{kind}{suffix}"
    result = run_cli("chart", "--db", str(demo_file), "--kind", kind, str(out))
    assert result.returncode == 0, result.stderr
    assert out.read_bytes().startswith(MAGIC[suffix])
    assert "Helix CRM rollout" in result.stdout


def test_planner_chart_names_the_initiative_when_asked(demo_file, tmp_path):
    out = tmp_path / "map.png"
    result = run_cli(
        "chart",
        "--db",
        str(demo_file),
        "--initiative",
        "helix crm rollout",
        "--kind",
        "stakeholder-map",
        "--style",
        "presentation",
        "--privacy",
        "initials",
        str(out),
    )
    assert result.returncode == 0, result.stderr
    assert out.exists()


def test_planner_chart_refuses_a_bad_suffix_before_touching_anything(demo_file, tmp_path):
    before = demo_file.read_bytes()
    result = run_cli(
        "chart", "--db", str(demo_file), "--kind", "roadmap", str(tmp_path / "roadmap.gif")
    )
    assert result.returncode == 1
    assert result.stderr.startswith("planner: error: cannot write a chart to roadmap.gif")
    assert result.stderr.count("\n") == 1
    assert demo_file.read_bytes() == before
    assert not (tmp_path / "roadmap.gif").exists()


def test_planner_chart_refuses_an_unknown_kind_and_lists_the_kinds(demo_file, tmp_path):
    result = run_cli("chart", "--db", str(demo_file), "--kind", "pie", str(tmp_path / "pie.png"))
    assert result.returncode == 2
    assert "stakeholder-map" in result.stderr and "Traceback" not in result.stderr


def test_planner_chart_refuses_an_unknown_initiative(demo_file, tmp_path):
    result = run_cli(
        "chart",
        "--db",
        str(demo_file),
        "--initiative",
        "ERP",
        "--kind",
        "roadmap",
        str(tmp_path / "r.png"),
    )
    assert result.returncode == 1
    assert "no initiative named 'ERP'" in result.stderr
    assert result.stderr.count("\n") == 1


def test_planner_chart_as_of_a_date_draws_the_same_file_twice(demo_file, tmp_path):
    first, second = tmp_path / "a.png", tmp_path / "b.png"
    for out in (first, second):
        result = run_cli(
            "chart",
            "--db",
            str(demo_file),
            "--kind",
            "roadmap",
            "--today",
            DEMO_TODAY.isoformat(),
            str(out),
        )
        assert result.returncode == 0, result.stderr
    assert first.read_bytes() == second.read_bytes()


def test_planner_chart_refuses_a_date_it_cannot_read(demo_file, tmp_path):
    result = run_cli(
        "chart",
        "--db",
        str(demo_file),
        "--kind",
        "roadmap",
        "--today",
        "02/11/2026",
        str(tmp_path / "r.png"),
    )
    assert result.returncode == 2
    assert "'02/11/2026' is not a date (use YYYY-MM-DD)" in result.stderr
