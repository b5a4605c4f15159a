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

if TYPE_CHECKING:
    from matplotlib.figure import Figure

MIN_DPI = 40.0
MAX_DPI = 160.0


def screen_style(style: ChartStyle, width_pixels: int, *, scale: float = 1.0) -> ChartStyle:
    """`style` drawn so that its page width fills `width_pixels`, type scaled by `scale`.

    A chart is designed for a page `style.width` inches wide; choosing the dpi
    from the space on screen keeps its proportions whatever the window size,
    and `scale` (a zoom) then enlarges type and lines on top of that.
    """
    dpi = min(MAX_DPI, max(MIN_DPI, width_pixels / style.width))
    return dataclasses.replace(style, dpi=round(dpi), scale=style.scale * scale)


@cache
def _canvas_class() -> Any:
    from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg

    class ChartCanvas(FigureCanvasQTAgg):  # type: ignore[misc]
        """Qt lays a window out in steps; a figure drawn at a passing, too small size says
        its layout collapsed, and the next resize draws it properly. That warning is noise."""

        def draw(self) -> None:
            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", "constrained_layout not applied",
                                        UserWarning)
                super().draw()

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

    def width_for_charts(self) -> int:
        """The width a figure will get; before the first show, the window's or a sensible guess."""
        width = self.width()
        if width < 200:
            window = self.window()
            width = window.width() if window is not None else 0
        return max(width, 800)
