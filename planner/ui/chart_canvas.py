"""A widget that shows one matplotlib figure, importing matplotlib's Qt canvas only when first used.

Importing this module costs nothing: the window can create a chart pane at
start-up, and matplotlib is loaded the first time a figure is actually shown.
"""

from __future__ import annotations

import dataclasses
import warnings
from functools import cache
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QSizePolicy, QVBoxLayout, QWidget

from planner.charts import ChartStyle
from planner.charts.fonts import quiet_glyphs

if TYPE_CHECKING:
    from matplotlib.figure import Figure

PALE = 0.8
"""A tint this light (HLS lightness) glares on a dark window; `on_dark` dims it."""
DIM = 0.6
"""How far `on_dark` moves a pale tint towards the dark paper."""
MIN_DPI = 40.0
MAX_DPI = 160.0


def screen_style(
    style: ChartStyle, size: tuple[int, int], *, dpi: float | None = None, scale: float = 1.0
) -> ChartStyle:
    """`style` laid out for a canvas of `size` pixels, type scaled by `scale` (a zoom).

    Without a dpi, the page keeps the style's width in inches, so a projected
    slide keeps the proportions of its design whatever the screen; the height
    follows the canvas, and the chart lays itself out for that shape.
    """
    width, height = size
    chosen = dpi or min(MAX_DPI, max(MIN_DPI, width / style.width))
    page = style.resized(width / chosen, height / chosen, round(chosen))
    return dataclasses.replace(page, scale=style.scale * scale)


@cache
def _canvas_class() -> Any:
    from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg

    class ChartCanvas(FigureCanvasQTAgg):
        """Qt lays a window out in steps; a figure drawn at a passing, too small size says
        its layout collapsed, and the next resize draws it properly. That warning is noise."""

        def draw(self) -> None:
            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", "constrained_layout not applied", UserWarning)
                with quiet_glyphs():
                    super().draw()  # type: ignore[no-untyped-call]  # matplotlib leaves it unannotated

    return ChartCanvas


def new_canvas(figure: Figure) -> Any:
    return _canvas_class()(figure)


class ChartPane(QWidget):
    """Shows one figure at a time; a new figure gets a new canvas (cheap, and no stale handlers)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.canvas: Any = None
        self.figure: Figure | None = None
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def show_figure(self, figure: Figure) -> Any:
        """Replace what is shown by `figure`; returns the canvas for event wiring."""
        old = self.canvas
        self.figure = figure
        self.canvas = new_canvas(figure)
        self.canvas.setParent(self)
        self.canvas.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._layout.addWidget(self.canvas)
        if old is not None:
            self._layout.removeWidget(old)
            old.hide()
            old.deleteLater()
        return self.canvas

    def size_for_charts(self) -> tuple[int, int]:
        """The size a figure will get; before the pane is laid out, a sensible guess."""
        if self.width() >= 200 and self.height() >= 150:
            return self.width(), self.height()
        return 1000, 640


def on_dark(figure: Figure, background: str, ink: str, muted: str) -> Figure:
    """`figure` recoloured for a dark window: its paper `background`, dark type in `ink`
    (grey type in `muted`), and what was white (empty heatmap cells, cell borders,
    legend frames) in the background, so nothing glares. Colours a chart gives meaning
    to (load, severity, markers) are kept, pale tints dimmed towards the paper so the
    least load stays the quietest; type drawn white on a cell stays white."""
    import colorsys

    from matplotlib.colors import ListedColormap, to_hex, to_rgb
    from matplotlib.legend import Legend
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch
    from matplotlib.text import Text

    def is_white(colour: Any) -> bool:
        return bool(to_hex(colour) == "#ffffff")

    paper = to_rgb(background)

    def on_paper(colour: Any) -> Any:
        if is_white(colour):
            return background
        rgb = to_rgb(colour)
        if colorsys.rgb_to_hls(*rgb)[1] > PALE:
            red, green, blue = (DIM * p + (1 - DIM) * c for c, p in zip(rgb, paper, strict=True))
            return to_hex((red, green, blue))
        return colour

    figure.set_facecolor(background)
    for text in figure.findobj(Text):
        rgb = text.get_color()
        if not is_white(rgb):
            grey = to_hex(rgb) in {"#5f5f5f", "#8c8c8c", "#777777"}
            text.set_color(muted if grey else ink)
    for axes in figure.axes:
        axes.set_facecolor(background)
        for image in axes.images:
            cmap = image.get_cmap()
            if isinstance(cmap, ListedColormap):
                colours = [on_paper(c) for c in list(cmap.colors)]  # type: ignore[arg-type]
                image.set_cmap(ListedColormap(colours))
        for tick in [*axes.xaxis.get_minor_ticks(), *axes.yaxis.get_minor_ticks()]:
            if is_white(tick.gridline.get_color()):
                tick.gridline.set_color(background)
    for legend in figure.findobj(Legend):
        legend.get_frame().set_facecolor(background)
        legend.get_frame().set_edgecolor(muted)
        for handle in legend.legend_handles:
            if isinstance(handle, Patch):
                handle.set_facecolor(on_paper(handle.get_facecolor()))
            if isinstance(handle, Line2D) and to_hex(handle.get_color()) == "#222222":
                handle.set_color(ink)
    return figure
