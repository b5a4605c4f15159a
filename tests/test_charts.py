"""Every chart of the demo plan and of an empty initiative: what each figure holds."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import date

import pytest
from matplotlib.collections import PathCollection
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.text import Text

from planner.charts import CHART_KINDS, NORMAL, PRESENTATION, Privacy, build_chart
from planner.charts.figures import EMPTY_HEADLINE
from planner.charts.stakeholder_map import QUADRANTS, build_map
from planner.domain.plan import Plan
from planner.domain.records import Stakeholder
from planner.services.planning import PlanService
from tests.conftest import DEMO_TODAY, REPO


def texts(figure: Figure) -> list[str]:
    return [t.get_text() for t in figure.findobj(Text) if t.get_text()]


def joined(figure: Figure) -> str:
    return "\n".join(texts(figure))


def by_gid(figure: Figure, gid: str) -> list[object]:
    return [a for a in figure.findobj() if getattr(a, "get_gid", lambda: None)() == gid]


@pytest.fixture
def plan(demo: PlanService) -> Plan:
    return demo.plan(demo.find_initiative(None).id)


@pytest.fixture
def empty(service: PlanService) -> Plan:
    initiative = service.create("initiative", {"name": "Nothing yet"})
    return service.plan(initiative.id)


def test_importing_the_charts_package_does_not_import_matplotlib():
    code = (
        "import sys, planner.charts\n"
        "print(sorted(m for m in sys.modules if m.startswith('matplotlib')))\n"
        "sys.exit(1 if 'matplotlib' in sys.modules else 0)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("kind", list(CHART_KINDS))
def test_every_chart_of_the_demo_has_a_title_and_no_empty_message(kind, plan):
    figure = build_chart(kind, plan, today=DEMO_TODAY)
    assert isinstance(figure, Figure)
    assert figure.axes
    assert CHART_KINDS[kind].title.split()[0] in joined(figure)
    assert EMPTY_HEADLINE not in joined(figure)


@pytest.mark.parametrize("kind", list(CHART_KINDS))
def test_every_chart_of_an_empty_initiative_says_nothing_to_show_yet(kind, empty):
    figure = build_chart(kind, empty, today=DEMO_TODAY)
    assert EMPTY_HEADLINE in texts(figure)
    assert any(t.startswith(CHART_KINDS[kind].title.split()[0]) for t in texts(figure))


def test_unknown_kind_is_refused_with_the_list_of_kinds(plan):
    from planner.charts import ChartError

    with pytest.raises(ChartError, match=r"unknown chart kind 'pie'.*stakeholder-map"):
        build_chart("pie", plan)


# -------------------------------------------------------------------- stakeholder map
def test_stakeholder_map_has_one_bubble_per_stakeholder_and_the_four_strategies(plan):
    chart = build_map(plan, today=DEMO_TODAY, style=NORMAL, privacy=Privacy.OFF)
    assert chart.bubbles is not None
    assert len(chart.bubbles.get_offsets()) == len(plan.stakeholders) == 30
    assert {p.stakeholder_id for p in chart.points} == {s.id for s in plan.stakeholders}
    quadrant_labels = {t.get_text() for t in by_gid(chart.figure, "quadrant-label")}
    assert quadrant_labels == {q.name.upper() for q in QUADRANTS}
    numbers = sorted(int(t.get_text()) for t in by_gid(chart.figure, "stakeholder-number"))
    assert numbers == list(range(1, 31))
    names = {t.get_text() for t in by_gid(chart.figure, "list-name")}
    assert "Works council" in names and "Dana Whitfield (CEO)" in names
    headings = [t.get_text() for t in by_gid(chart.figure, "list-heading")]
    assert headings == [q.name for q in QUADRANTS]


def test_each_bubble_sits_in_its_stakeholders_grid_cell(plan):
    chart = build_map(plan, today=DEMO_TODAY, style=NORMAL, privacy=Privacy.OFF)
    people = {s.id: s for s in plan.stakeholders}
    for point in chart.points:
        s = people[point.stakeholder_id]
        assert chart.grid_position(point.x, point.y) == (s.power, s.interest)
    # Numbers follow the order stakeholders joined the plan, so a move never renumbers.
    added = sorted(plan.stakeholders, key=lambda s: (s.created_at, s.id))
    assert {p.stakeholder_id: p.number for p in chart.points} == {
        s.id: n for n, s in enumerate(added, start=1)
    }


def test_bubbles_sharing_a_cell_do_not_sit_on_top_of_each_other(plan):
    chart = build_map(plan, today=DEMO_TODAY, style=NORMAL, privacy=Privacy.OFF)
    spots = [(round(p.x, 3), round(p.y, 3)) for p in chart.points]
    assert len(set(spots)) == len(spots)


def test_a_click_finds_the_stakeholder_and_a_drop_gives_power_and_interest(plan):
    chart = build_map(plan, today=DEMO_TODAY, style=NORMAL, privacy=Privacy.OFF)
    chart.figure.canvas.draw()
    works_council = next(s for s in plan.stakeholders if s.name == "Works council")
    point = chart.point_of(works_council.id)
    assert point is not None
    x, y = chart.axes.transData.transform((point.x, point.y))
    assert chart.stakeholder_at(x, y) == works_council.id
    corner_x, corner_y = chart.axes.transAxes.transform((0.001, 0.001))
    assert chart.stakeholder_at(corner_x, corner_y) is None
    assert chart.grid_position(4.6, 1.2) == (1, 5)
    assert chart.grid_position(-3, 9) == (5, 1)


def test_trails_show_every_stakeholder_who_moved_since_the_first_snapshot(plan):
    moved = 0
    for sid, snapshots in plan.snapshots_by_stakeholder.items():
        current = plan.by_id[sid]
        assert isinstance(current, Stakeholder)
        if (snapshots[0].power, snapshots[0].interest) != (current.power, current.interest):
            moved += 1
    assert moved > 0
    with_trails = build_map(plan, today=DEMO_TODAY, style=NORMAL, privacy=Privacy.OFF)
    assert len(by_gid(with_trails.figure, "trail-start")) == moved
    assert any(t.startswith("Moved since") for t in texts(with_trails.figure))
    without = build_map(plan, today=DEMO_TODAY, style=NORMAL, privacy=Privacy.OFF, trails=False)
    assert by_gid(without.figure, "trail-start") == []


def test_initials_hide_peoples_names_and_attitudes_but_keep_group_names(plan):
    figure = build_chart("stakeholder-map", plan, today=DEMO_TODAY, privacy=Privacy.INITIALS)
    shown = joined(figure)
    assert "Dana Whitfield" not in shown and "D.W." in shown
    assert "Works council" in shown
    assert "Resistant" not in shown and "resistant" not in shown
    assert "attitudes hidden" in shown  # colour says nothing: the legend says why


@pytest.mark.parametrize(
    "kind", ["stakeholder-map", "communication-heatmap", "training-coverage", "adkar-heatmap"]
)
def test_codes_hide_every_stakeholder_name(kind, plan):
    figure = build_chart(kind, plan, today=DEMO_TODAY, privacy=Privacy.CODES)
    shown = joined(figure)
    assert not [s.name for s in plan.stakeholders if s.name in shown]
    # Codes, not names (which code shows depends on who a chart leaves out).
    assert re.search(r"\bS\d{2}\b", shown) or kind == "training-coverage"


def test_a_large_plan_is_mapped_one_bubble_per_grid_cell(plan):
    many = tuple(
        Stakeholder(
            initiative_id=plan.initiative.id,
            name=f"Team {n}",
            headcount=1 + n % 40,
            power=1 + n % 5,
            interest=1 + (n // 5) % 3,
        )
        for n in range(400)
    )
    big = Plan(plan.initiative, stakeholders=many)
    chart = build_map(big, today=DEMO_TODAY, style=NORMAL, privacy=Privacy.OFF)
    assert chart.aggregated and chart.points == []
    cells = [c for c in chart.figure.findobj(PathCollection) if c.get_gid() == "cell-bubbles"]
    assert len(cells) == 1 and len(cells[0].get_offsets()) == 15
    assert "400 stakeholders are too many to show one by one" in joined(chart.figure)


# ----------------------------------------------------------------------- other charts
def test_communication_heatmap_rows_and_never_addressed_audiences(plan):
    figure = build_chart("communication-heatmap", plan, today=DEMO_TODAY)
    heat = next(a for a in figure.axes if by_gid_in(a, "heat"))
    labels = heat.get_yticklabels()
    assert len(labels) == len(plan.stakeholders)
    addressed = {sid for c in plan.communications for sid in c.audience_ids}
    never = {s.name for s in plan.stakeholders if s.id not in addressed}
    flagged = {t.get_text() for t in labels if t.get_color() == "#D55E00"}
    assert "Field service engineers" in never
    assert flagged == never
    assert f"{len(never)} never addressed" in joined(figure)
    assert "quiet 4+ weeks" in texts(figure)


def by_gid_in(axes, gid: str) -> bool:
    return any(getattr(a, "get_gid", lambda: None)() == gid for a in axes.get_children())


def test_training_coverage_names_groups_with_no_course(plan):
    figure = build_chart("training-coverage", plan, today=DEMO_TODAY)
    shown = texts(figure)
    assert "no course planned (25 people)" in shown
    assert any(t.startswith("12 of 60 trained") for t in shown)
    assert len(by_gid(figure, "trained")) == len(figure.axes[0].get_yticklabels())


def test_kpi_progress_has_a_panel_per_kpi_with_its_status(plan):
    figure = build_chart("kpi-progress", plan, today=DEMO_TODAY)
    assert len(figure.axes) == len(plan.kpis) == 8
    statuses = [t.get_text() for t in by_gid(figure, "kpi-status")]
    assert "cannot be judged · no baseline set" in statuses
    assert len(by_gid(figure, "no-actuals")) == 1
    assert len(by_gid(figure, "actuals")) == 7
    assert any(t.startswith("target 95") for t in texts(figure))


def test_adkar_heatmap_outlines_each_barrier_point(plan):
    figure = build_chart("adkar-heatmap", plan, today=DEMO_TODAY)
    barriers = [p for p in figure.findobj(Rectangle) if p.get_gid() == "barrier"]
    assert len(barriers) == sum(1 for s in plan.stakeholders if s.adkar_barrier is not None)
    header = [t.get_text() for t in figure.axes[0].get_xticklabels()]
    assert header == ["Awareness", "Desire", "Knowledge", "Ability", "Reinforcement"]


def test_option_scorecard_marks_the_chosen_option_and_missing_scores(plan):
    figure = build_chart("option-scorecard", plan, today=DEMO_TODAY)
    assert len([p for p in figure.findobj(Rectangle) if p.get_gid() == "chosen"]) == 1
    assert len(by_gid(figure, "score-segment")) == len(plan.options) * len(plan.criteria)
    assert "not scored on Scalability to 1,000 users" in texts(figure)
    labels = [t.get_text() for t in figure.axes[0].get_yticklabels()]
    assert labels[0] == "✓ Helix CRM\nchosen"


def test_roadmap_draws_every_phase_with_its_gate_and_a_today_line(plan):
    figure = build_chart("roadmap", plan, today=DEMO_TODAY)
    assert len(by_gid(figure, "phase-bar")) == len(plan.phases) == 3
    assert len(by_gid(figure, "gate")) == 3
    assert len(by_gid(figure, "today")) == 3
    assert f"Today {DEMO_TODAY.day} {DEMO_TODAY:%b %Y}" in texts(figure)
    assert any(t.startswith("Gate: ") for t in texts(figure))


def test_readiness_radar_draws_the_six_dimensions_with_their_scores():
    from planner.charts.readiness_radar import Axis, radar_figure

    dimensions = [
        Axis("Stakeholder involvement", 72, 3, 1),
        Axis("Objectives", 55, 4),
        Axis("Change management", 38, 9, 3),
        Axis("Communication", 45, 5),
        Axis("Technology fit", 80, 2),
        Axis("Phased rollout", 60, 3, 1),
    ]
    figure = radar_figure(58, dimensions, NORMAL, today=date(2026, 11, 2))
    labels = [t.get_text() for t in by_gid(figure, "dimension-label")]
    assert labels[2] == "Change management\n38"
    assert "Readiness: 58/100 · weakest: Change management (38)" in texts(figure)
    assert "9 findings (3 critical)" in texts(figure)


def test_presentation_style_uses_larger_type_than_normal(plan):
    normal = build_chart("option-scorecard", plan, today=DEMO_TODAY, style=NORMAL)
    big = build_chart("option-scorecard", plan, today=DEMO_TODAY, style=PRESENTATION)

    def title_size(figure: Figure) -> float:
        return max(
            t.get_fontsize() for t in figure.findobj(Text) if t.get_text() == "Option scorecard"
        )

    assert title_size(big) > title_size(normal) * 1.3


def test_adkar_heatmap_leaves_individuals_out_when_attitudes_are_hidden(plan):
    figure = build_chart("adkar-heatmap", plan, today=DEMO_TODAY, privacy=Privacy.INITIALS)
    people = [s for s in plan.stakeholders if s.kind.value == "person"]
    rows = figure.axes[0].get_yticklabels()
    assert len(rows) == len(plan.stakeholders) - len(people)
    assert f"{len(people)} individuals left out" in joined(figure)


def test_a_chart_built_for_a_canvas_takes_the_canvas_size(plan):
    style = PRESENTATION.resized(19.2, 10.8, dpi=100)
    chart = build_map(plan, today=DEMO_TODAY, style=style, privacy=Privacy.OFF)
    assert tuple(chart.figure.get_size_inches()) == (19.2, 10.8)
    assert chart.figure.dpi == 100
    assert style.scale == PRESENTATION.scale


def test_quiet_spells_start_after_first_contact_and_last_four_weeks_or_more():
    import numpy as np

    from planner.charts.communication_heatmap import NONE, ONE, QUIET, _categories

    counts = np.array([[0, 1, 0, 0, 0, 0, 1, 0, 0, 1], [0, 0, 0, 0, 0, 0, 0, 0, 0, 0]])
    cells = _categories(counts, end=9, bins=(2, 3))
    assert list(cells[0]) == [NONE, ONE, QUIET, QUIET, QUIET, QUIET, ONE, NONE, NONE, ONE]
    assert set(cells[1]) == {QUIET}


def test_many_stakeholders_are_grouped_by_function_in_the_heatmaps(plan):
    from dataclasses import replace

    extra = tuple(
        Stakeholder(
            initiative_id=plan.initiative.id,
            name=f"Branch {n}",
            function=f"Region {n % 6}",
            headcount=5,
        )
        for n in range(80)
    )
    audience = tuple(s.id for s in extra[:30])
    first = replace(plan.communications[0], audience_ids=audience)
    big = replace(
        plan,
        stakeholders=plan.stakeholders + extra,
        communications=(first, *plan.communications[1:]),
    )
    figure = build_chart("communication-heatmap", big, today=DEMO_TODAY)
    heat = next(a for a in figure.axes if by_gid_in(a, "heat"))
    labels = [t.get_text() for t in heat.get_yticklabels()]
    assert len(labels) <= 40
    assert any(label.startswith("Region 0 (") for label in labels)
    assert "110 stakeholders grouped by function" in joined(figure)
    adkar = build_chart("adkar-heatmap", big, today=DEMO_TODAY)
    assert "headcount-weighted means" in joined(adkar)


@pytest.mark.parametrize("kind", list(CHART_KINDS))
def test_a_dark_style_turns_paper_and_ink_over_and_keeps_the_data(kind, plan):
    from matplotlib.colors import to_hex

    from planner.charts.style import ENGAGEMENT_COLOURS, INK, ON_DARK_FILL, ON_LIGHT_FILL

    light = build_chart(kind, plan, today=DEMO_TODAY, style=NORMAL)
    dark = build_chart(kind, plan, today=DEMO_TODAY, style=NORMAL.on_dark())
    assert to_hex(light.get_facecolor()) == "#ffffff"
    paper = dark.get_facecolor()
    assert 0.299 * paper[0] + 0.587 * paper[1] + 0.114 * paper[2] < 0.2
    pairs = list(zip(light.findobj(Text), dark.findobj(Text), strict=True))
    inked = [d for lt, d in pairs if lt.get_text() and to_hex(lt.get_color()) == INK.lower()]
    assert inked and all(sum(d.get_color()[:3]) / 3 > 0.8 for d in inked)
    if kind == "stakeholder-map":
        bubbles = by_gid(dark, "stakeholder-bubbles")[0]
        faces = {to_hex(c) for c in bubbles.get_facecolor()}
        assert faces <= {c.lower() for c in ENGAGEMENT_COLOURS.values()}
        numbers = {to_hex(t.get_color()) for t in by_gid(dark, "stakeholder-number")}
        assert numbers <= {ON_LIGHT_FILL.lower(), ON_DARK_FILL.lower()}
        heading = next(t for t in dark.findobj(Text) if t.get_text() == "Stakeholder map")
        assert sum(heading.get_color()[:3]) / 3 > 0.8
