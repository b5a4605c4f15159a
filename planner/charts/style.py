"""How a chart looks on a desk and on a projector, and the colour-blind-safe palette.

Kept free of matplotlib so the UI can name styles and colours without paying
for the import; `ChartStyle.rc()` hands matplotlib its settings when a chart is
actually drawn.
"""

from __future__ import annotations

import colorsys
from dataclasses import dataclass, replace
from typing import Any

from planner.domain.enums import Engagement

# Okabe & Ito (2008), "Color Universal Design": distinguishable with every common
# form of colour blindness, and in greyscale print by lightness.
ORANGE = "#E69F00"
SKY_BLUE = "#56B4E9"
GREEN = "#009E73"
YELLOW = "#F0E442"
BLUE = "#0072B2"
VERMILLION = "#D55E00"
PURPLE = "#CC79A7"
BLACK = "#000000"
GREY = "#8C8C8C"
LIGHT_GREY = "#D9D9D9"
INK = "#222222"
MUTED = "#5F5F5F"
ON_LIGHT_FILL = "#1E1E1E"
ON_DARK_FILL = "#FDFDFD"
"""Text on a data colour (a bubble's number, a heatmap cell's count): the dark style keeps
these as they are, where it turns the paper's ink light (see `planner.charts.dark`)."""

CYCLE = (BLUE, ORANGE, GREEN, VERMILLION, SKY_BLUE, PURPLE, YELLOW, GREY)

ENGAGEMENT_COLOURS: dict[Engagement, str] = {
    Engagement.UNAWARE: "#BDBDBD",
    Engagement.RESISTANT: VERMILLION,
    Engagement.NEUTRAL: ORANGE,
    Engagement.SUPPORTIVE: SKY_BLUE,
    Engagement.LEADING: BLUE,
}

GATE_COLOURS = {"green": GREEN, "amber": ORANGE, "red": VERMILLION}


@dataclass(frozen=True)
class ChartStyle:
    """`scale` multiplies type, lines and markers; the size is the exported page."""

    name: str
    scale: float
    width: float
    height: float
    dpi: int
    dark: bool = False

    def pt(self, points: float) -> float:
        return points * self.scale

    def resized(self, width: float, height: float, dpi: int | None = None) -> ChartStyle:
        """The same look on a page of another size, e.g. a window's canvas (inches)."""
        return replace(self, width=max(width, 4.0), height=max(height, 3.0), dpi=dpi or self.dpi)

    def on_dark(self) -> ChartStyle:
        """The same look for a dark window: dark paper, light ink, the data colours kept.

        Exports keep the light style unless a dark one is asked for."""
        return replace(self, name=f"{self.name}-dark", dark=True)

    def rc(self) -> dict[str, Any]:
        s = self.scale
        return {
            "font.family": "DejaVu Sans",
            "font.size": 10 * s,
            "axes.titlesize": 12 * s,
            "axes.titleweight": "bold",
            "axes.labelsize": 10.5 * s,
            "axes.labelcolor": INK,
            "axes.edgecolor": MUTED,
            "axes.linewidth": 0.8 * s,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.prop_cycle": _cycler(),
            "xtick.labelsize": 9.5 * s,
            "ytick.labelsize": 9.5 * s,
            "xtick.color": INK,
            "ytick.color": INK,
            "xtick.major.width": 0.8 * s,
            "ytick.major.width": 0.8 * s,
            "legend.fontsize": 9 * s,
            "legend.title_fontsize": 9.5 * s,
            "legend.frameon": False,
            "figure.titlesize": 15 * s,
            "figure.titleweight": "bold",
            "lines.linewidth": 2 * s,
            "lines.markersize": 6 * s,
            "hatch.linewidth": 0.8 * s,
            "figure.facecolor": "white",
            "savefig.facecolor": "white",
            "svg.fonttype": "none",
            "pdf.fonttype": 42,
        }


def _cycler() -> Any:
    from cycler import cycler

    return cycler(color=list(CYCLE))


NORMAL = ChartStyle("normal", scale=1.0, width=13.33, height=7.5, dpi=150)
PRESENTATION = ChartStyle("presentation", scale=1.45, width=16.0, height=9.0, dpi=120)
STYLES: dict[str, ChartStyle] = {style.name: style for style in (NORMAL, PRESENTATION)}


def ink_on(colour: str) -> str:
    """Text colour that stays readable on a `#RRGGBB` fill."""
    red, green, blue = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return ON_DARK_FILL if 0.299 * red + 0.587 * green + 0.114 * blue < 0.55 else ON_LIGHT_FILL


PAPER_LIGHTNESS = 0.125
INK_LIGHTNESS = 0.92
RGBA = tuple[float, float, float, float]


def turned_over(rgba: RGBA) -> RGBA:
    """`rgba` on the dark style's paper: paper and ink (near-white and near-black greys)
    and faint tints have their lightness turned over; data colours are kept.

    `planner.charts.dark` applies it to a finished figure; the window's own drawings
    (the Portfolio page's heatmap) use it through `dark_hex`, so both read the same."""
    red, green, blue, alpha = rgba
    hue, lightness, saturation = colorsys.rgb_to_hls(red, green, blue)
    chroma = max(red, green, blue) - min(red, green, blue)
    paper_or_ink = chroma < 0.1 and not 0.42 <= lightness <= 0.82
    tint = chroma < 0.2 and lightness > 0.88  # a faint wash of colour behind data
    if not (paper_or_ink or tint):
        return rgba
    span = (INK_LIGHTNESS - PAPER_LIGHTNESS) / (1 - 0.13)
    turned = min(0.95, PAPER_LIGHTNESS + (1 - lightness) * span)
    # near white, a trace of colour has a high saturation; on dark paper it would glare
    muted = saturation * (0.4 if tint else 1.0)
    return (*colorsys.hls_to_rgb(hue, turned, muted), alpha)


def dark_hex(colour: str) -> str:
    """A `#RRGGBB` colour as `turned_over` gives it (text on a data fill is kept)."""
    if colour.lower() in (ON_DARK_FILL.lower(), ON_LIGHT_FILL.lower()):
        return colour
    red, green, blue = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    turned = turned_over((red, green, blue, 1.0))
    return "#" + "".join(f"{round(c * 255):02X}" for c in turned[:3])
