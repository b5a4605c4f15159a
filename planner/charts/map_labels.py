"""Names beside the map's bubbles, each in the first free slot around its own bubble.

Bubbles sharing a grid cell sit close together, so a name always written under
its bubble covers its neighbours' names. Each name instead tries slots around
its bubble, right, left, above, below, then the diagonals (see `SLOTS`), and
takes the first where its text, measured by the renderer that draws it, covers
no other name, no other bubble and no quadrant's name, stays on the map, and
sits nearer its own bubble than any other. Crowded bubbles choose first; a name
still without a slot may take one from a single neighbour's name that can move.
A name with no free slot is left off the map: the bubble's stable number, spelt
out in the list beside the map, stands for it.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal, NamedTuple

from matplotlib.axes import Axes
from matplotlib.backend_bases import RendererBase
from matplotlib.text import Annotation, Text

from planner.charts.map_layout import Page
from planner.charts.rows import shorten
from planner.charts.style import INK

if TYPE_CHECKING:
    from planner.charts.stakeholder_map import MapPoint

NAME_POINTS = 7.0
HALO = 0.1
"""The white halo's padding around a name, as a fraction of its font size."""
_DIAGONAL = math.sqrt(0.5)


class Slot(NamedTuple):
    """A place for a name: which way from the bubble's centre, and how the text aligns there."""

    name: str
    dx: float
    dy: float
    ha: Literal["left", "center", "right"]
    va: Literal["bottom", "center", "top"]


SLOTS = (
    Slot("right", 1, 0, "left", "center"),
    Slot("left", -1, 0, "right", "center"),
    Slot("above", 0, 1, "center", "bottom"),
    Slot("below", 0, -1, "center", "top"),
    Slot("above right", _DIAGONAL, _DIAGONAL, "left", "bottom"),
    Slot("above left", -_DIAGONAL, _DIAGONAL, "right", "bottom"),
    Slot("below right", _DIAGONAL, -_DIAGONAL, "left", "top"),
    Slot("below left", -_DIAGONAL, -_DIAGONAL, "right", "top"),
    Slot("right, hanging", 1, 0, "left", "top"),
    Slot("right, standing", 1, 0, "left", "bottom"),
    Slot("left, hanging", -1, 0, "right", "top"),
    Slot("left, standing", -1, 0, "right", "bottom"),
    Slot("above, leaning right", 0, 1, "left", "bottom"),
    Slot("above, leaning left", 0, 1, "right", "bottom"),
    Slot("below, leaning right", 0, -1, "left", "top"),
    Slot("below, leaning left", 0, -1, "right", "top"),
)
"""In order of preference: the plain four sides, the diagonals, then each side with the name
pushed along it, for a bubble hemmed in by its neighbours or the map's edge."""


class Box(NamedTuple):
    """A rectangle in display pixels."""

    x0: float
    y0: float
    x1: float
    y1: float

    def overlaps(self, other: Box) -> bool:
        return (
            self.x0 < other.x1 and other.x0 < self.x1 and self.y0 < other.y1 and other.y0 < self.y1
        )

    def within(self, other: Box) -> bool:
        return (
            self.x0 >= other.x0
            and self.y0 >= other.y0
            and self.x1 <= other.x1
            and self.y1 <= other.y1
        )

    def grown(self, by: float) -> Box:
        return Box(self.x0 - by, self.y0 - by, self.x1 + by, self.y1 + by)

    def meets_circle(self, x: float, y: float, radius: float) -> bool:
        nearest_x = min(max(x, self.x0), self.x1)
        nearest_y = min(max(y, self.y0), self.y1)
        return math.hypot(nearest_x - x, nearest_y - y) < radius


class Measured(NamedTuple):
    text: str
    width: float
    height: float


class Circle(NamedTuple):
    x: float
    y: float
    radius: float


class Placed(NamedTuple):
    """A name that found a slot: its text, the slot, how far out, and the box it covers."""

    text: str
    slot: Slot
    reach: float
    box: Box


def draw_names(
    axes: Axes, points: Sequence[MapPoint], page: Page, renderer: RendererBase
) -> list[Annotation]:
    """Write each point's label in a free slot around its bubble; returns the names drawn."""
    style = page.style
    size = style.pt(NAME_POINTS)
    pixels = style.dpi / 72  # the figure's, which the renderer draws at
    edge = style.pt(1.0) / 2
    centres = axes.transData.transform([(p.x, p.y) for p in points])
    bubbles = [
        Circle(float(x), float(y), (math.sqrt(p.size) / 2 + edge) * pixels)
        for p, (x, y) in zip(points, centres, strict=True)
    ]
    frame = axes.get_window_extent(renderer)
    gap = style.pt(1.5) * pixels
    characters = max(8, int(page.cell_pt * 1.1 / (size * 0.58)))
    room = Room(
        bubbles,
        [_box_of(t, renderer) for t in axes.texts if t.get_gid() == "quadrant-label"],
        Box(frame.x0, frame.y0, frame.x1, frame.y1),
        (HALO * size + 0.5) * pixels,
        (gap, gap + size * pixels * 1.2),
    )
    forms = [_measured(axes, _forms(p.label, characters), size, renderer) for p in points]
    order = _crowded_first(bubbles, page.cell_pt * pixels)
    for n in order:
        room.place(n, forms[n])
    for n in order:
        if n not in room.names:
            room.make_way(n, forms)
    drawn = []
    for n, placed in sorted(room.names.items()):
        label = _label(axes, points[n], placed.text, size)
        label.set_position(
            (placed.slot.dx * placed.reach / pixels, placed.slot.dy * placed.reach / pixels)
        )
        label.set_horizontalalignment(placed.slot.ha)
        label.set_verticalalignment(placed.slot.va)
        drawn.append(label)
    return drawn


class Room:
    """Where names may go, in display pixels, and the names placed so far."""

    def __init__(
        self,
        bubbles: list[Circle],
        fixed: list[Box],
        bounds: Box,
        margin: float,
        gaps: tuple[float, ...],
    ) -> None:
        self.bubbles = bubbles
        self.fixed = fixed
        self.bounds = bounds
        self.margin = margin
        self.gaps = gaps
        self.names: dict[int, Placed] = {}

    def place(self, n: int, forms: list[Measured]) -> bool:
        """Give bubble `n` the first free slot for the first of its forms that has one."""
        found = next((p for p in (self._first_free(n, f) for f in forms) if p), None)
        if found is not None:
            self.names[n] = found
        return found is not None

    def make_way(self, n: int, forms: list[list[Measured]]) -> None:
        """For a name with no free slot: a slot blocked by one other name only, whose name
        can move to a free slot of its own."""
        for form in forms[n]:
            for candidate in self._candidates(n, form):
                if not self._clear_of_all_but_names(n, candidate.box):
                    continue
                halo = self._halo(candidate.box)
                blocking = [m for m, p in self.names.items() if self._halo(p.box).overlaps(halo)]
                if len(blocking) != 1:
                    continue
                other = blocking[0]
                moved = self.names.pop(other)
                self.names[n] = candidate
                if self.place(other, forms[other]):
                    return
                del self.names[n]
                self.names[other] = moved

    def _candidates(self, n: int, form: Measured) -> list[Placed]:
        own = self.bubbles[n]
        return [
            Placed(form.text, slot, reach, _slot_box(own, slot, reach, form.width, form.height))
            for reach in (own.radius + gap for gap in self.gaps)
            for slot in SLOTS
        ]

    def _first_free(self, n: int, form: Measured) -> Placed | None:
        return next(
            (
                c
                for c in self._candidates(n, form)
                if self._clear_of_all_but_names(n, c.box)
                and not any(
                    self._halo(p.box).overlaps(self._halo(c.box)) for p in self.names.values()
                )
            ),
            None,
        )

    def _halo(self, box: Box) -> Box:
        return box.grown(self.margin)

    def _clear_of_all_but_names(self, n: int, box: Box) -> bool:
        halo = self._halo(box)
        others = [b for m, b in enumerate(self.bubbles) if m != n]
        return (
            halo.within(self.bounds)
            and not any(halo.overlaps(t) for t in self.fixed)
            and not any(halo.meets_circle(*b) for b in others)
            and _nearest_is(self.bubbles[n], box, others)
        )


def _forms(label: str, characters: int) -> list[str]:
    """The label on up to two lines of `characters`, then cut to one line."""
    lines = textwrap.wrap(label, characters, break_long_words=False) or [label]
    kept = [lines[0], " ".join(lines[1:])] if len(lines) > 1 else lines
    two = "\n".join(shorten(line, characters) for line in kept)
    one = shorten(label, characters)
    return [two] if one == two else [two, one]


def _nearest_is(own: Circle, box: Box, others: list[Circle]) -> bool:
    """Whether the bubble whose edge is nearest the middle of `box` is `own`: a name pushed
    towards a neighbour would read as the neighbour's."""
    x, y = (box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2

    def reach(bubble: Circle) -> float:
        return math.hypot(bubble.x - x, bubble.y - y) - bubble.radius

    mine = reach(own)
    return all(reach(other) > mine for other in others)


def _measured(axes: Axes, texts: list[str], size: float, renderer: RendererBase) -> list[Measured]:
    """Each text with its width and height in pixels, as the renderer draws it."""
    probe = axes.text(0, 0, "", fontsize=size, linespacing=1.0)
    out = []
    for text in texts:
        probe.set_text(text)
        extent = probe.get_window_extent(renderer)
        out.append(Measured(text, extent.width, extent.height))
    probe.remove()
    return out


def _crowded_first(bubbles: list[Circle], cell: float) -> list[int]:
    """Bubbles with the most neighbours within a cell have the fewest free slots: they choose
    first, and the ones with room to spare take what is left."""

    def neighbours(n: int) -> int:
        me = bubbles[n]
        return sum(
            1 for m, b in enumerate(bubbles) if m != n and math.hypot(b.x - me.x, b.y - me.y) < cell
        )

    return sorted(range(len(bubbles)), key=lambda n: (-neighbours(n), n))


def _slot_box(bubble: Circle, slot: Slot, reach: float, width: float, height: float) -> Box:
    """The rectangle a text of `width` × `height` pixels covers in `slot`, `reach` pixels
    from the bubble's centre."""
    x, y = bubble.x + slot.dx * reach, bubble.y + slot.dy * reach
    x0 = {"left": x, "right": x - width, "center": x - width / 2}[slot.ha]
    y0 = {"bottom": y, "top": y - height, "center": y - height / 2}[slot.va]
    return Box(x0, y0, x0 + width, y0 + height)


def _box_of(text: Text, renderer: RendererBase) -> Box:
    extent = text.get_window_extent(renderer)
    return Box(extent.x0, extent.y0, extent.x1, extent.y1)


def _label(axes: Axes, point: MapPoint, text: str, size: float) -> Annotation:
    return axes.annotate(
        text,
        xy=(point.x, point.y),
        xytext=(0, 0),
        textcoords="offset points",
        ha="left",
        va="bottom",
        fontsize=size,
        linespacing=1.0,
        color=INK,
        zorder=2.5,  # under the bubbles, over the grid and the trails
        gid="bubble-name",
        bbox={
            "boxstyle": f"round,pad={HALO}",
            "facecolor": "white",
            "edgecolor": "none",
            "alpha": 0.75,
        },
    )
