"""The stakeholder map's page and its names on the bubbles, drawn by Agg and measured.

The map takes the page's height, the list and the legend go beside it (under it
on a tall, narrow page; the legend across the page in large type) and stay on
the page; names on the bubbles never cover
each other or another bubble, and a name with no free slot is left to the
bubble's number.
"""

from __future__ import annotations

import dataclasses
import math

import pytest
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.transforms import Bbox

from planner.charts import NORMAL, PRESENTATION, Privacy
from planner.charts.stakeholder_map import StakeholderMap, build_map
from planner.domain.plan import Plan
from planner.services.planning import PlanService
from tests.conftest import DEMO_TODAY


@pytest.fixture
def plan(demo: PlanService) -> Plan:
    return demo.plan(demo.find_initiative(None).id)


def _drawn(chart: StakeholderMap) -> Figure:
    figure = chart.figure
    figure.canvas.draw()
    return figure


def _texts(figure: Figure, gid: str) -> list[Text]:
    return [t for t in figure.findobj(Text) if t.get_gid() == gid and t.get_text()]


def _extent(artist) -> Bbox:
    return artist.get_window_extent(artist.get_figure(root=True).canvas.get_renderer())


def _names_keep_clear(chart: StakeholderMap) -> list[Text]:
    """The names drawn on the bubbles, checked against each other and the other bubbles."""
    figure = _drawn(chart)
    names = _texts(figure, "bubble-name")
    centres = chart.axes.transData.transform([(p.x, p.y) for p in chart.points])
    radii = [math.sqrt(p.size) / 2 * figure.dpi / 72 for p in chart.points]
    frame = _extent(chart.axes)
    for n, name in enumerate(names):
        box = _extent(name)
        assert frame.contains(box.x0, box.y0) and frame.contains(box.x1, box.y1), name
        for other in names[n + 1 :]:
            assert not box.overlaps(_extent(other)), (name.get_text(), other.get_text())
        for point, (x, y), radius in zip(chart.points, centres, radii, strict=True):
            if (point.x, point.y) == name.xy:
                continue
            nearest = (min(max(x, box.x0), box.x1), min(max(y, box.y0), box.y1))
            assert math.dist(nearest, (x, y)) >= radius, (name.get_text(), point.number)
    return names


@pytest.mark.parametrize(
    ("size", "privacy"),
    [
        ((16, 8.4), Privacy.OFF),
        ((16, 9), Privacy.INITIALS),  # the longest legend title
        ((13.33, 7.5), Privacy.CODES),
        ((16, 11), Privacy.OFF),
    ],
)
def test_the_map_takes_the_height_and_the_list_and_legend_stay_on_the_page(plan, size, privacy):
    style = PRESENTATION.resized(*size, dpi=80)
    figure = _drawn(build_map(plan, today=DEMO_TODAY, style=style, privacy=privacy))
    page = figure.bbox
    grid = _extent(next(a for a in figure.axes if a.get_gid() == "map"))
    assert grid.height >= 0.7 * page.height
    legend = _extent(figure.legends[0])
    assert legend.x0 >= 0 and legend.x1 <= page.width and legend.y0 >= 0
    listed = [_extent(t) for t in _texts(figure, "list-name") + _texts(figure, "list-heading")]
    assert listed
    for line in listed:
        assert line.x0 >= grid.x1 and line.x1 <= page.width, "the list goes beside the map"
        assert line.y0 >= legend.y1 and line.y1 <= page.height, "and above the legend"


def test_on_a_tall_narrow_page_the_list_goes_under_the_map(plan):
    style = NORMAL.resized(6, 11, dpi=80)
    figure = _drawn(build_map(plan, today=DEMO_TODAY, style=style, privacy=Privacy.OFF))
    grid = _extent(next(a for a in figure.axes if a.get_gid() == "map"))
    legend = _extent(figure.legends[0])
    assert grid.width >= 0.6 * figure.bbox.width
    for line in _texts(figure, "list-name"):
        box = _extent(line)
        assert box.y1 <= grid.y0 and box.y0 >= legend.y1
        assert box.x1 <= figure.bbox.width


def test_names_on_the_demo_map_never_cover_each_other_or_another_bubble(plan):
    style = PRESENTATION.resized(16, 16 * 715 / 1366, dpi=85)
    chart = build_map(plan, today=DEMO_TODAY, style=style, privacy=Privacy.OFF, names=True)
    names = _names_keep_clear(chart)
    assert len(names) >= 0.6 * len(plan.stakeholders)
    assert any(n.get_text().replace("\n", " ").startswith("Dana Whitfield") for n in names)


def test_a_crowded_cell_leaves_names_without_room_to_the_bubbles_numbers(plan):
    crowd = tuple(
        dataclasses.replace(s, power=5, interest=5, name=f"Regional operations board {n}")
        for n, s in enumerate(plan.stakeholders[:12])
    )
    crowded = dataclasses.replace(plan, stakeholders=crowd + plan.stakeholders[12:])
    style = PRESENTATION.resized(16, 8.4, dpi=85)
    chart = build_map(crowded, today=DEMO_TODAY, style=style, privacy=Privacy.OFF, names=True)
    names = _names_keep_clear(chart)
    in_the_cell = [p for p in chart.points if round(p.x) == 5 and round(p.y) == 5]
    named = {n.xy for n in names}
    unnamed = [p for p in in_the_cell if (p.x, p.y) not in named]
    assert unnamed, "twelve long names cannot all fit around one corner cell"
    numbers = {t.get_text() for t in _texts(chart.figure, "stakeholder-number")}
    assert {str(p.number) for p in unnamed} <= numbers
    listed = " ".join(t.get_text() for t in _texts(chart.figure, "list-name"))
    assert all(p.label[:20] in listed for p in unnamed)


def test_in_large_type_the_legend_goes_across_the_page_under_the_map_and_the_list(plan):
    style = dataclasses.replace(PRESENTATION.resized(16, 8.4, dpi=80), scale=2 * PRESENTATION.scale)
    figure = _drawn(build_map(plan, today=DEMO_TODAY, style=style, privacy=Privacy.OFF))
    grid = _extent(next(a for a in figure.axes if a.get_gid() == "map"))
    legend = _extent(figure.legends[0])
    assert legend.x0 < grid.x1, "the legend starts under the map"
    assert legend.x1 <= figure.bbox.width and legend.y0 >= 0
    assert legend.y1 < grid.y0
    for line in _texts(figure, "list-name"):
        box = _extent(line)
        assert box.y0 >= legend.y1 and box.x0 >= grid.x1
