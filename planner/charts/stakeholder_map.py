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
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PathCollection
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.transforms import offset_copy

from planner.charts.figures import empty_figure, people_date, styled
from planner.charts.map_labels import draw_names
from planner.charts.map_layout import HIGH, LOW, STRIP, Page, draw_name_list, lay_out
from planner.charts.privacy import Names, Privacy, stable_numbers
from planner.charts.style import (
    ENGAGEMENT_COLOURS,
    INK,
    MUTED,
    ChartStyle,
    ink_on,
)
from planner.domain.enums import Engagement
from planner.domain.plan import Plan
from planner.domain.records import Stakeholder

TITLE = "Stakeholder map"
SPLIT = 3.5
MAX_INDIVIDUAL = 60
HIDDEN = "#7A8A99"
"""Every bubble's colour when privacy hides attitudes: one neutral colour, so colour never
says anything the legend does not (it says attitudes are hidden)."""
NAME_LENGTH = 18


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


def build_map(
    plan: Plan,
    *,
    today: date,
    style: ChartStyle,
    privacy: Privacy,
    trails: bool = True,
    names: bool = False,
) -> StakeholderMap:
    """`names` writes each stakeholder's label beside its bubble (where it finds a free
    slot, see `map_labels`) as well as in the list; under privacy codes the bubble's
    number is already its code, so nothing is added."""
    stakeholders = list(plan.stakeholders)
    if not stakeholders:
        figure = empty_figure(
            style,
            TITLE,
            "Add stakeholders with their power and interest to see whom to manage closely.",
        )
        return StakeholderMap(figure, None, None, [], aggregated=False)
    with styled(style):
        figure = Figure(figsize=(style.width, style.height), dpi=style.dpi)
        renderer = FigureCanvasAgg(figure).get_renderer()
        aggregated = len(stakeholders) > MAX_INDIVIDUAL
        hide = privacy.hides_attitudes or plan.attitudes_hidden
        withheld = plan.attitudes_hidden and not privacy.hides_attitudes
        handles = _legend_handles(
            plan, style, hide, trails and bool(plan.snapshots) and not aggregated, aggregated
        )
        page = lay_out(
            style,
            lambda page, columns, wrapped: _legend(
                figure, handles, page, hide, aggregated, columns, wrapped, withheld
            ),
            len(handles),
            renderer,
        )
        axes = figure.add_axes(page.map_box, gid="map")
        _draw_grid(axes, page)
        labels = Names(plan, privacy)
        panel = figure.add_axes(page.panel_box, gid="names")
        panel.set_axis_off()
        if aggregated:
            _draw_aggregate(figure, axes, panel, stakeholders, page, hide)
            result = StakeholderMap(figure, axes, None, [], aggregated=True)
        else:
            ordered = _numbered(stakeholders)
            points = _spread(ordered, labels, page, stable_numbers(plan))
            if trails:
                _draw_trails(axes, plan, points, style)
            bubbles = _draw_bubbles(axes, ordered, points, style, hide)
            if names and privacy is not Privacy.CODES:
                draw_names(axes, points, page, renderer)
            _draw_list(figure, panel, ordered, points, page)
            result = StakeholderMap(figure, axes, bubbles, points, aggregated=False)
        figure.text(
            page.inch_x(0.15),
            1 - page.inch_y(0.15),
            TITLE,
            ha="left",
            va="top",
            color=INK,
            fontsize=style.pt(15),
            fontweight="bold",
        )
        figure.text(
            page.map_box[0],
            page.map_box[1] + page.map_box[3] + page.inch_y(0.12),
            _subtitle(stakeholders, hide),
            ha="left",
            va="bottom",
            color=MUTED,
            fontsize=style.pt(10.5),
        )
    return result


# ------------------------------------------------------------------------ layout
def _draw_grid(axes: Axes, page: Page) -> None:
    """The 5 × 5 grid, with a strip above and below it for the strategies' names, so
    that no bubble can hide them."""
    style = page.style
    longest = max(len(q.name) for q in QUADRANTS)
    label_size = min(style.pt(10), 2 * page.cell_pt * 0.9 / (0.7 * longest))
    edge = (LOW - 0.5, HIGH + 0.5)
    axes.set_xlim(*edge)
    axes.set_ylim(edge[0] - STRIP, edge[1] + STRIP)
    axes.set_aspect("equal")
    for quadrant in QUADRANTS:
        x0, x1 = (SPLIT, edge[1]) if quadrant.high_interest else (edge[0], SPLIT)
        y0, y1 = (SPLIT, edge[1] + STRIP) if quadrant.high_power else (edge[0] - STRIP, SPLIT)
        axes.fill_between([x0, x1], y0, y1, color=quadrant.tint, zorder=0, linewidth=0)
        axes.text(
            x0 + 0.06 if not quadrant.high_interest else x1 - 0.06,
            y1 - STRIP / 2 if quadrant.high_power else y0 + STRIP / 2,
            quadrant.name.upper(),
            ha="left" if not quadrant.high_interest else "right",
            va="center",
            color=MUTED,
            fontsize=label_size,
            fontweight="bold",
            zorder=1,
            gid="quadrant-label",
        )
    for value in range(LOW - 1, HIGH + 1):
        axes.axhline(value + 0.5, color="white", linewidth=style.pt(1.2), zorder=0.5)
    for value in range(LOW, HIGH):
        axes.axvline(value + 0.5, color="white", linewidth=style.pt(1.2), zorder=0.5)
    axes.axhline(SPLIT, color=MUTED, linewidth=style.pt(1.2), zorder=0.6)
    axes.axvline(SPLIT, color=MUTED, linewidth=style.pt(1.2), zorder=0.6)
    ticks = range(LOW, HIGH + 1)
    words = {1: "1\nvery low", 3: "3", 5: "5\nvery high"}
    axes.set_xticks(list(ticks), [words.get(t, str(t)) for t in ticks])
    axes.set_yticks(list(ticks), [words.get(t, str(t)) for t in ticks])
    axes.tick_params(length=0)
    axes.set_xlabel("Interest in the change →")
    axes.set_ylabel("Power over the change →")
    for side in ("top", "right", "left", "bottom"):
        axes.spines[side].set_visible(False)


def _numbered(stakeholders: Sequence[Stakeholder]) -> list[Stakeholder]:
    """Listed quadrant by quadrant, strongest first, so the list reads as an agenda."""
    order = {q.name: n for n, q in enumerate(QUADRANTS)}
    return sorted(
        stakeholders,
        key=lambda s: (
            order[quadrant_of(s.power, s.interest).name],
            -s.power,
            -s.interest,
            -s.headcount,
            s.name.casefold(),
        ),
    )


def _offsets(count: int) -> list[tuple[float, float]]:
    """Spots around a cell's centre: a ring for a few, a sunflower for many."""
    if count == 1:
        return [(0.0, 0.0)]
    if count <= 4:
        start = {2: 0.0, 3: math.pi / 2, 4: math.pi / 4}[count]
        radius = 0.22 if count == 2 else 0.26
        return [
            (
                radius * math.cos(start + 2 * math.pi * i / count),
                radius * math.sin(start + 2 * math.pi * i / count),
            )
            for i in range(count)
        ]
    if count <= 8:
        ring = count - 1
        return [(0.0, 0.0)] + [
            (
                0.29 * math.cos(math.pi / 2 + 2 * math.pi * i / ring),
                0.29 * math.sin(math.pi / 2 + 2 * math.pi * i / ring),
            )
            for i in range(ring)
        ]
    golden = math.pi * (3 - math.sqrt(5))
    return [
        (
            0.4 * math.sqrt((i + 0.5) / count) * math.cos(i * golden),
            0.4 * math.sqrt((i + 0.5) / count) * math.sin(i * golden),
        )
        for i in range(count)
    ]


def _sizes(stakeholders: Sequence[Stakeholder], page: Page, crowded: int) -> dict[str, float]:
    """Marker areas in pt²: area grows with the square root of headcount, within bounds
    that are fractions of a grid cell, so the most crowded cell still shows every bubble."""
    cell = page.cell_pt
    largest = max(s.headcount for s in stakeholders)
    low = max(0.19 * cell, page.style.pt(13))
    high = max(low, cell * (0.4 if crowded <= 4 else 0.3 if crowded <= 8 else 0.18))
    return {
        s.id: (low + (high - low) * math.sqrt(s.headcount / largest)) ** 2 for s in stakeholders
    }


def _spread(
    ordered: list[Stakeholder], names: Names, page: Page, numbers: dict[str, int]
) -> list[MapPoint]:
    """Bubbles spread around their cell's centre, each with its stakeholder's stable number."""
    cells: dict[tuple[int, int], list[Stakeholder]] = defaultdict(list)
    for s in ordered:
        cells[(s.power, s.interest)].append(s)
    crowded = max(len(members) for members in cells.values())
    sizes = _sizes(ordered, page, crowded)
    placed: dict[str, tuple[float, float]] = {}
    for (power, interest), members in cells.items():
        biggest_first = sorted(members, key=lambda s: (-s.headcount, s.name.casefold()))
        for s, (dx, dy) in zip(biggest_first, _offsets(len(members)), strict=True):
            placed[s.id] = (interest + dx, power + dy)
    return [MapPoint(s.id, numbers[s.id], names(s), *placed[s.id], sizes[s.id]) for s in ordered]


# ----------------------------------------------------------------------- drawing
def _colour(s: Stakeholder, hide: bool) -> str:
    return HIDDEN if hide else ENGAGEMENT_COLOURS[s.engagement]


def _draw_bubbles(
    axes: Axes,
    ordered: list[Stakeholder],
    points: list[MapPoint],
    style: ChartStyle,
    hide: bool,
) -> PathCollection:
    colours = [_colour(s, hide) for s in ordered]
    bubbles = axes.scatter(
        [p.x for p in points],
        [p.y for p in points],
        s=[p.size for p in points],
        c=colours,
        edgecolors="white",
        linewidths=style.pt(1.0),
        zorder=3,
        gid="stakeholder-bubbles",
    )
    for point, colour in zip(points, colours, strict=True):
        axes.text(
            point.x,
            point.y,
            str(point.number),
            ha="center",
            va="center",
            color=ink_on(colour),
            fontsize=style.pt(7.5),
            fontweight="bold",
            zorder=4,
            gid="stakeholder-number",
        )
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
        axes.plot(
            xs[:-1],
            ys[:-1],
            color=MUTED,
            linewidth=style.pt(1.1),
            linestyle=(0, (2, 2)),
            zorder=2,
            gid="trail",
        )
        axes.plot(
            xs[0],
            ys[0],
            marker="o",
            markersize=style.pt(5),
            markerfacecolor="white",
            markeredgecolor=MUTED,
            markeredgewidth=style.pt(1),
            zorder=2,
            gid="trail-start",
        )
        axes.annotate(
            "",
            xy=path[-1],
            xytext=path[-2],
            zorder=2,
            arrowprops={
                "arrowstyle": "-|>",
                "color": MUTED,
                "linewidth": style.pt(1.1),
                "linestyle": (0, (2, 2)),
                "shrinkA": 0,
                "shrinkB": math.sqrt(point.size) / 2 + 1,
                "mutation_scale": style.pt(10),
            },
        )


def _draw_list(
    figure: Figure, panel: Axes, ordered: list[Stakeholder], points: list[MapPoint], page: Page
) -> None:
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
        lines.append((point.label, str(point.number)))
    draw_name_list(figure, panel, lines, page)


def _draw_aggregate(
    figure: Figure,
    axes: Axes,
    panel: Axes,
    stakeholders: list[Stakeholder],
    page: Page,
    hide: bool,
) -> None:
    """Too many to show one by one: one bubble per grid cell, the quadrants summed beside."""
    style = page.style
    cells: dict[tuple[int, int], list[Stakeholder]] = defaultdict(list)
    for s in stakeholders:
        cells[(s.power, s.interest)].append(s)
    people = {cell: sum(s.headcount for s in members) for cell, members in cells.items()}
    largest = max(people.values())
    low, high = 0.22 * page.cell_pt, 0.62 * page.cell_pt
    ordered = sorted(cells.items())
    colours = [_mean_colour(members, hide) for _, members in ordered]
    axes.scatter(
        [i for (_, i), _ in ordered],
        [p for (p, _), _ in ordered],
        s=[(low + (high - low) * math.sqrt(people[cell] / largest)) ** 2 for cell, _ in ordered],
        c=colours,
        edgecolors="white",
        linewidths=style.pt(1),
        zorder=3,
        gid="cell-bubbles",
    )
    for ((power, interest), members), colour in zip(ordered, colours, strict=True):
        axes.text(
            interest,
            power,
            f"{len(members):,}",
            ha="center",
            va="center",
            color=ink_on(colour),
            fontsize=style.pt(8.5),
            fontweight="bold",
            zorder=4,
        )
    size = style.pt(10)
    for n, quadrant in enumerate(QUADRANTS):
        members = [s for s in stakeholders if quadrant.holds(s.power, s.interest)]
        head = sum(s.headcount for s in members)
        where = offset_copy(panel.transAxes, figure, y=-n * size * 4.2, units="points")
        panel.text(
            0,
            1,
            quadrant.name,
            transform=where,
            ha="left",
            va="top",
            fontsize=size,
            color=INK,
            fontweight="bold",
            gid="list-heading",
        )
        below = offset_copy(where, figure, y=-size * 1.5, units="points")
        panel.text(
            0,
            1,
            f"{len(members):,} stakeholders · {head:,} people",
            transform=below,
            ha="left",
            va="top",
            fontsize=size,
            color=INK,
        )
    where = offset_copy(panel.transAxes, figure, y=-len(QUADRANTS) * size * 4.2, units="points")
    panel.text(
        0,
        1,
        f"{len(stakeholders):,} stakeholders are too many to show one by one:\n"
        "one bubble per grid cell, its area the people in the cell,\n"
        "its number the stakeholders in the cell.",
        transform=where,
        ha="left",
        va="top",
        fontsize=style.pt(8.5),
        color=MUTED,
        linespacing=1.4,
    )


def _mean_colour(members: list[Stakeholder], hide: bool) -> str:
    """The engagement nearest the headcount-weighted mean of the cell (one neutral colour
    when attitudes are hidden)."""
    if hide:
        return HIDDEN
    total = sum(s.headcount for s in members)
    mean = sum(s.engagement.rank * s.headcount for s in members) / total
    return ENGAGEMENT_COLOURS[list(Engagement)[round(mean)]]


def _legend_handles(
    plan: Plan, style: ChartStyle, hide: bool, with_trails: bool, aggregated: bool
) -> list[Line2D]:
    marker = style.pt(9)

    def dot(colour: str, label: str) -> Line2D:
        return Line2D(
            [],
            [],
            marker="o",
            linestyle="",
            markersize=marker,
            markerfacecolor=colour,
            markeredgecolor="white",
            label=label,
        )

    if hide:
        handles = [dot(HIDDEN, "Stakeholders" if not aggregated else "Stakeholders in a cell")]
    else:
        handles = [dot(colour, level.label) for level, colour in ENGAGEMENT_COLOURS.items()]
    if with_trails:
        first = min(s.taken_on for s in plan.snapshots)
        handles.append(
            Line2D(
                [],
                [],
                color=MUTED,
                linestyle=(0, (2, 2)),
                marker="o",
                markerfacecolor="white",
                markeredgecolor=MUTED,
                markersize=style.pt(5),
                linewidth=style.pt(1.1),
                label=f"Moved since {people_date(first)}",
            )
        )
    return handles


def _legend(
    figure: Figure,
    handles: list[Line2D],
    page: Page,
    hide: bool,
    aggregated: bool,
    columns: int,
    wrapped: bool,
    withheld: bool = False,
) -> Legend:
    title = colour_meaning(hide, aggregated=aggregated, withheld=withheld)
    return figure.legend(
        handles=handles,
        title=title.replace(" · ", "\n") if wrapped else title,
        loc="lower left",
        bbox_to_anchor=page.legend_anchor,
        ncol=columns,
        handletextpad=0.3,
        columnspacing=1.2,
        alignment="left",
    )


def colour_meaning(hide: bool, *, aggregated: bool = False, withheld: bool = False) -> str:
    """The legend's title: what a bubble's colour (and its area) says when attitudes are
    hidden (`hide`) by the privacy setting, or `withheld` from a team plan's viewer."""
    if withheld:
        return "Colour: attitudes hidden (not shown to viewers) · bubble area = headcount"
    if hide:
        return "Colour: attitudes hidden (privacy), one colour for all · bubble area = headcount"
    which = "mean" if aggregated else "current"
    return f"Colour: {which} engagement · bubble area = headcount"


def _subtitle(stakeholders: list[Stakeholder], hide: bool) -> str:
    people = sum(s.headcount for s in stakeholders)
    close = sum(1 for s in stakeholders if QUADRANTS[0].holds(s.power, s.interest))
    parts = [
        f"{len(stakeholders):,} stakeholders, {people:,} people",
        f"{close:,} to manage closely",
    ]
    if not hide:
        against = sum(
            1 for s in stakeholders if s.engagement in (Engagement.RESISTANT, Engagement.UNAWARE)
        )
        parts.append(f"{against:,} resistant or unaware")
    return " · ".join(parts)
