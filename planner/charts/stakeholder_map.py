"""The Mendelow power × interest map, ready to be dragged on in a workshop.

Interest runs along x and power up y, both 1–5; 4 and 5 count as high, as in
the readiness rules, so the quadrant lines sit at 3.5. Stakeholders sharing a
grid cell are spread around its centre and numbered, with the names in a list
beside the map, so thirty long names never collide. `build_map` returns the
figure together with where each stakeholder was drawn, for hit-testing a click
and turning a drop back into power and interest.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from matplotlib.axes import Axes
from matplotlib.collections import PathCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.transforms import offset_copy

from planner.charts.figures import empty_figure, heading, new_figure, note, people_date, styled
from planner.charts.privacy import Names, Privacy
from planner.charts.rows import shorten
from planner.charts.style import (
    ENGAGEMENT_COLOURS,
    INK,
    MUTED,
    SIDE_COLOURS,
    ChartStyle,
)
from planner.domain.enums import Engagement, Side
from planner.domain.plan import Plan
from planner.domain.records import Stakeholder

TITLE = "Stakeholder map"
LOW, HIGH = 1, 5
SPLIT = 3.5
MAX_INDIVIDUAL = 60
NAME_LENGTH = 34


@dataclass(frozen=True)
class Quadrant:
    name: str
    high_power: bool
    high_interest: bool
    tint: str

    def holds(self, power: float, interest: float) -> bool:
        return (power > SPLIT) == self.high_power and (interest > SPLIT) == self.high_interest


QUADRANTS = (
    Quadrant("Manage closely", True, True, "#E8F1F8"),
    Quadrant("Keep satisfied", True, False, "#F4F4F4"),
    Quadrant("Keep informed", False, True, "#F4F4F4"),
    Quadrant("Monitor", False, False, "#FBFBFB"),
)


def quadrant_of(power: float, interest: float) -> Quadrant:
    return next(q for q in QUADRANTS if q.holds(power, interest))


@dataclass(frozen=True)
class MapPoint:
    """Where one stakeholder was drawn: x is interest, y is power, each 1–5 plus a spread."""

    stakeholder_id: str
    number: int
    label: str
    x: float
    y: float
    size: float


@dataclass
class StakeholderMap:
    figure: Figure
    axes: Axes | None
    bubbles: PathCollection | None
    points: list[MapPoint]
    aggregated: bool

    def stakeholder_at(self, x_pixels: float, y_pixels: float) -> str | None:
        """The stakeholder whose bubble covers a point in display pixels (topmost first)."""
        if self.axes is None or self.aggregated or not self.points:
            return None
        to_pixels = self.axes.transData
        scale = self.figure.dpi / 72
        for point in reversed(self.points):
            px, py = to_pixels.transform((point.x, point.y))
            radius = max(math.sqrt(point.size) / 2 * scale, 4.0)
            if math.hypot(px - x_pixels, py - y_pixels) <= radius:
                return point.stakeholder_id
        return None

    def point_of(self, stakeholder_id: str) -> MapPoint | None:
        return next((p for p in self.points if p.stakeholder_id == stakeholder_id), None)

    @staticmethod
    def grid_position(x_data: float, y_data: float) -> tuple[int, int]:
        """(power, interest) for a drop at data coordinates, clamped to the 1–5 grid."""
        def clamp(value: float) -> int:
            return int(min(HIGH, max(LOW, math.floor(value + 0.5))))

        return clamp(y_data), clamp(x_data)


def build(plan: Plan, *, today: date, style: ChartStyle, privacy: Privacy) -> Figure:
    return build_map(plan, today=today, style=style, privacy=privacy).figure


def build_map(plan: Plan, *, today: date, style: ChartStyle, privacy: Privacy,
              trails: bool = True) -> StakeholderMap:
    stakeholders = list(plan.stakeholders)
    if not stakeholders:
        figure = empty_figure(style, TITLE, "Add stakeholders with their power and interest "
                                            "to see whom to manage closely.")
        return StakeholderMap(figure, None, None, [], aggregated=False)
    with styled(style):
        figure = new_figure(style)
        grid = figure.add_gridspec(1, 2, width_ratios=_panel_ratio(len(stakeholders), style))
        axes = figure.add_subplot(grid[0, 0])
        panel = figure.add_subplot(grid[0, 1])
        panel.set_axis_off()
        _draw_grid(axes, style)
        names = Names(plan, privacy)
        if len(stakeholders) > MAX_INDIVIDUAL:
            _draw_aggregate(axes, panel, stakeholders, style, privacy)
            result = StakeholderMap(figure, axes, None, [], aggregated=True)
            note(figure, f"{len(stakeholders):,} stakeholders: one bubble per grid cell, "
                       "size = people in the cell, number = stakeholders in the cell", style)
        else:
            ordered = _numbered(stakeholders)
            points = _spread(ordered, names, style)
            if trails:
                _draw_trails(axes, plan, points, style)
            bubbles = _draw_bubbles(axes, ordered, points, style, privacy)
            _draw_list(panel, ordered, points, style)
            result = StakeholderMap(figure, axes, bubbles, points, aggregated=False)
        _legend(axes, plan, stakeholders, style, privacy, trails and bool(plan.snapshots))
        heading(figure, TITLE, _subtitle(stakeholders, privacy), axes)
    return result


# ------------------------------------------------------------------------ layout
def _panel_ratio(count: int, style: ChartStyle) -> tuple[float, float]:
    return (1.25, 1.0) if count <= MAX_INDIVIDUAL else (1.6, 1.0)


def _draw_grid(axes: Axes, style: ChartStyle) -> None:
    edge = (LOW - 0.5, HIGH + 0.5)
    axes.set_xlim(*edge)
    axes.set_ylim(*edge)
    axes.set_aspect("equal")
    for quadrant in QUADRANTS:
        x0, x1 = (SPLIT, edge[1]) if quadrant.high_interest else (edge[0], SPLIT)
        y0, y1 = (SPLIT, edge[1]) if quadrant.high_power else (edge[0], SPLIT)
        axes.fill_between([x0, x1], y0, y1, color=quadrant.tint, zorder=0, linewidth=0)
        axes.text(x0 + 0.06 if not quadrant.high_interest else x1 - 0.06,
                  y1 - 0.06 if quadrant.high_power else y0 + 0.06,
                  quadrant.name.upper(), ha="left" if not quadrant.high_interest else "right",
                  va="top" if quadrant.high_power else "bottom", color=MUTED,
                  fontsize=style.pt(10), fontweight="bold", zorder=1, gid="quadrant-label")
    for value in range(LOW, HIGH):
        axes.axhline(value + 0.5, color="white", linewidth=style.pt(1.2), zorder=0.5)
        axes.axvline(value + 0.5, color="white", linewidth=style.pt(1.2), zorder=0.5)
    axes.axhline(SPLIT, color=MUTED, linewidth=style.pt(1.2), zorder=0.6)
    axes.axvline(SPLIT, color=MUTED, linewidth=style.pt(1.2), zorder=0.6)
    ticks = range(LOW, HIGH + 1)
    words = {1: "1\nvery low", 3: "3", 5: "5\nvery high"}
    axes.set_xticks(list(ticks), [words.get(t, str(t)) for t in ticks])
    axes.set_yticks(list(ticks), [words.get(t, str(t)).replace("\n", " ") for t in ticks])
    axes.tick_params(length=0)
    axes.set_xlabel("Interest in the change →")
    axes.set_ylabel("Power over the change →")
    for side in ("top", "right", "left", "bottom"):
        axes.spines[side].set_visible(False)


def _numbered(stakeholders: Sequence[Stakeholder]) -> list[Stakeholder]:
    """Numbered quadrant by quadrant, strongest first, so the list reads as an agenda."""
    order = {q.name: n for n, q in enumerate(QUADRANTS)}
    return sorted(stakeholders, key=lambda s: (order[quadrant_of(s.power, s.interest).name],
                                               -s.power, -s.interest, -s.headcount,
                                               s.name.casefold()))


def _offsets(count: int) -> list[tuple[float, float]]:
    """Spots around a cell's centre: a ring for a few, a sunflower for many."""
    if count == 1:
        return [(0.0, 0.0)]
    if count <= 4:
        start = {2: 0.0, 3: math.pi / 2, 4: math.pi / 4}[count]
        radius = 0.22 if count == 2 else 0.26
        return [(radius * math.cos(start + 2 * math.pi * i / count),
                 radius * math.sin(start + 2 * math.pi * i / count)) for i in range(count)]
    if count <= 8:
        ring = count - 1
        return [(0.0, 0.0)] + [(0.29 * math.cos(math.pi / 2 + 2 * math.pi * i / ring),
                                0.29 * math.sin(math.pi / 2 + 2 * math.pi * i / ring))
                               for i in range(ring)]
    golden = math.pi * (3 - math.sqrt(5))
    return [(0.4 * math.sqrt((i + 0.5) / count) * math.cos(i * golden),
             0.4 * math.sqrt((i + 0.5) / count) * math.sin(i * golden)) for i in range(count)]


def _sizes(stakeholders: Sequence[Stakeholder], style: ChartStyle,
           crowded: int) -> dict[str, float]:
    """Marker areas in pt²: area grows with the square root of headcount, within bounds.

    Bounds are fractions of a grid cell (estimated from the page size), so that
    the most crowded cell still shows every bubble apart.
    """
    cell = (style.height - 2.0 * style.scale) * 72 / (HIGH - LOW + 1)
    largest = max(s.headcount for s in stakeholders)
    low = max(0.19 * cell, style.pt(14))
    high = max(low, cell * (0.4 if crowded <= 4 else 0.3 if crowded <= 8 else 0.18))
    return {s.id: (low + (high - low) * math.sqrt(s.headcount / largest)) ** 2
            for s in stakeholders}


def _spread(ordered: list[Stakeholder], names: Names, style: ChartStyle) -> list[MapPoint]:
    cells: dict[tuple[int, int], list[Stakeholder]] = defaultdict(list)
    for s in ordered:
        cells[(s.power, s.interest)].append(s)
    crowded = max(len(members) for members in cells.values())
    sizes = _sizes(ordered, style, crowded)
    placed: dict[str, tuple[float, float]] = {}
    for (power, interest), members in cells.items():
        biggest_first = sorted(members, key=lambda s: (-s.headcount, s.name.casefold()))
        for s, (dx, dy) in zip(biggest_first, _offsets(len(members)), strict=True):
            placed[s.id] = (interest + dx, power + dy)
    return [MapPoint(s.id, number, names(s), *placed[s.id], sizes[s.id])
            for number, s in enumerate(ordered, start=1)]


# ----------------------------------------------------------------------- drawing
def _colour(s: Stakeholder, privacy: Privacy) -> str:
    return SIDE_COLOURS[s.side] if privacy.hides_attitudes else ENGAGEMENT_COLOURS[s.engagement]


def _ink_on(colour: str) -> str:
    red, green, blue = (int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
    return "white" if 0.299 * red + 0.587 * green + 0.114 * blue < 0.55 else INK


def _draw_bubbles(axes: Axes, ordered: list[Stakeholder], points: list[MapPoint],
                  style: ChartStyle, privacy: Privacy) -> PathCollection:
    colours = [_colour(s, privacy) for s in ordered]
    bubbles = axes.scatter([p.x for p in points], [p.y for p in points],
                           s=[p.size for p in points], c=colours, edgecolors="white",
                           linewidths=style.pt(1.0), zorder=3, gid="stakeholder-bubbles")
    for point, colour in zip(points, colours, strict=True):
        axes.text(point.x, point.y, str(point.number), ha="center", va="center",
                  color=_ink_on(colour), fontsize=style.pt(7.5), fontweight="bold", zorder=4,
                  gid="stakeholder-number")
    return bubbles


def _draw_trails(axes: Axes, plan: Plan, points: list[MapPoint], style: ChartStyle) -> None:
    """From the first snapshot through later ones to where the stakeholder is now."""
    by_id = {p.stakeholder_id: p for p in points}
    for stakeholder_id, snapshots in plan.snapshots_by_stakeholder.items():
        point = by_id.get(stakeholder_id)
        if point is None or not snapshots:
            continue
        current = plan.by_id[stakeholder_id]
        assert isinstance(current, Stakeholder)
        dx, dy = point.x - current.interest, point.y - current.power
        path = [(s.interest + dx, s.power + dy) for s in snapshots] + [(point.x, point.y)]
        path = [xy for n, xy in enumerate(path) if n == 0 or xy != path[n - 1]]
        if len(path) < 2:
            continue
        xs, ys = zip(*path, strict=True)
        axes.plot(xs[:-1], ys[:-1], color=MUTED, linewidth=style.pt(1.1), linestyle=(0, (2, 2)),
                  zorder=2, gid="trail")
        axes.plot(xs[0], ys[0], marker="o", markersize=style.pt(5), markerfacecolor="white",
                  markeredgecolor=MUTED, markeredgewidth=style.pt(1), zorder=2, gid="trail-start")
        axes.annotate("", xy=path[-1], xytext=path[-2], zorder=2,
                      arrowprops={"arrowstyle": "-|>", "color": MUTED,
                                  "linewidth": style.pt(1.1), "linestyle": (0, (2, 2)),
                                  "shrinkA": 0, "shrinkB": math.sqrt(point.size) / 2 + 1,
                                  "mutation_scale": style.pt(10)})


def _draw_list(panel: Axes, ordered: list[Stakeholder], points: list[MapPoint],
               style: ChartStyle) -> None:
    """The numbered names beside the map, under their quadrant's strategy."""
    lines: list[tuple[str, str | None]] = []
    current = None
    for s, point in zip(ordered, points, strict=True):
        quadrant = quadrant_of(s.power, s.interest).name
        if quadrant != current:
            if current is not None:
                lines.append(("", None))
            lines.append((quadrant, None))
            current = quadrant
        lines.append((shorten(point.label, NAME_LENGTH), str(point.number)))
    size = style.pt(8.5)
    step = size * 1.55
    available = (style.height - 1.5) * 72
    columns = 1 if len(lines) * step <= available else 2
    per_column = math.ceil(len(lines) / columns)
    if columns == 2 and lines[per_column - 1][1] is None:
        per_column -= 1
    width = size * 0.62 * (NAME_LENGTH + 5)
    figure = panel.figure
    for n, (text, number) in enumerate(lines):
        column, row = divmod(n, per_column)
        where = offset_copy(panel.transAxes, figure, x=column * width, y=-row * step,
                            units="points")
        if number is None:
            panel.text(0, 1, text, transform=where, ha="left", va="top", fontsize=size,
                       fontweight="bold", color=INK, gid="list-heading")
        else:
            panel.text(0, 1, f"{number:>2}", transform=where, ha="left", va="top",
                       fontsize=size, fontweight="bold", color=MUTED, family="DejaVu Sans Mono")
            shifted = offset_copy(where, figure, x=size * 1.9, units="points")
            panel.text(0, 1, text, transform=shifted, ha="left", va="top", fontsize=size,
                       color=INK, gid="list-name")


def _draw_aggregate(axes: Axes, panel: Axes, stakeholders: list[Stakeholder],
                    style: ChartStyle, privacy: Privacy) -> None:
    cells: dict[tuple[int, int], list[Stakeholder]] = defaultdict(list)
    for s in stakeholders:
        cells[(s.power, s.interest)].append(s)
    people = {cell: sum(s.headcount for s in members) for cell, members in cells.items()}
    largest = max(people.values())
    xs, ys, sizes, colours = [], [], [], []
    for (power, interest), members in sorted(cells.items()):
        xs.append(interest)
        ys.append(power)
        sizes.append((style.pt(18) + style.pt(52) * math.sqrt(people[(power, interest)]
                                                             / largest)) ** 2)
        colours.append(_mean_colour(members, privacy))
    axes.scatter(xs, ys, s=sizes, c=colours, edgecolors="white", linewidths=style.pt(1),
                 zorder=3, gid="cell-bubbles")
    for x, y, colour, members in zip(xs, ys, colours,
                                     (cells[(p, i)] for p, i in zip(ys, xs, strict=True)),
                                     strict=True):
        axes.text(x, y, f"{len(members):,}", ha="center", va="center", color=_ink_on(colour),
                  fontsize=style.pt(8.5), fontweight="bold", zorder=4)
    size = style.pt(10)
    for n, quadrant in enumerate(QUADRANTS):
        members = [s for s in stakeholders if quadrant.holds(s.power, s.interest)]
        head = sum(s.headcount for s in members)
        where = offset_copy(panel.transAxes, panel.figure, y=-n * size * 4.2, units="points")
        panel.text(0, 1, f"{quadrant.name}\n{len(members):,} stakeholders · {head:,} people",
                   transform=where, ha="left", va="top", fontsize=size, color=INK,
                   linespacing=1.5, gid="list-heading")


def _mean_colour(members: list[Stakeholder], privacy: Privacy) -> str:
    """The engagement nearest the headcount-weighted mean of the cell."""
    if privacy.hides_attitudes:
        return SIDE_COLOURS[Side.BUSINESS]
    total = sum(s.headcount for s in members)
    mean = sum(s.engagement.rank * s.headcount for s in members) / total
    return ENGAGEMENT_COLOURS[list(Engagement)[round(mean)]]


def _legend(axes: Axes, plan: Plan, stakeholders: list[Stakeholder], style: ChartStyle,
            privacy: Privacy, with_trails: bool) -> None:
    marker = style.pt(9)
    if privacy.hides_attitudes:
        shown = [side for side in Side if any(s.side is side for s in stakeholders)]
        handles = [Line2D([], [], marker="o", linestyle="", markersize=marker,
                          markerfacecolor=SIDE_COLOURS[side], markeredgecolor="white",
                          label=side.label) for side in shown]
        title = "Side"
    else:
        handles = [Line2D([], [], marker="o", linestyle="", markersize=marker,
                          markerfacecolor=colour, markeredgecolor="white", label=level.label)
                   for level, colour in ENGAGEMENT_COLOURS.items()]
        title = "Current engagement"
    if with_trails:
        first = min(s.taken_on for s in plan.snapshots)
        handles.append(Line2D([], [], color=MUTED, linestyle=(0, (2, 2)), marker="o",
                              markerfacecolor="white", markeredgecolor=MUTED,
                              markersize=style.pt(5), linewidth=style.pt(1.1),
                              label=f"Moved since {people_date(first)}"))
    axes.legend(handles=handles, title=title + " · bubble area = headcount", loc="upper center",
                bbox_to_anchor=(0.5, -0.13), ncol=min(len(handles), 6), handletextpad=0.3,
                columnspacing=1.2, alignment="left")


def _subtitle(stakeholders: list[Stakeholder], privacy: Privacy) -> str:
    people = sum(s.headcount for s in stakeholders)
    close = sum(1 for s in stakeholders if QUADRANTS[0].holds(s.power, s.interest))
    parts = [f"{len(stakeholders):,} stakeholders, {people:,} people",
             f"{close:,} to manage closely"]
    if not privacy.hides_attitudes:
        against = sum(1 for s in stakeholders
                      if s.engagement in (Engagement.RESISTANT, Engagement.UNAWARE))
        parts.append(f"{against:,} resistant or unaware")
    return " · ".join(parts)
