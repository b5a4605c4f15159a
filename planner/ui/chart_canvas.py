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
