"""A chart drawn in the light style, recoloured for a dark window.

Every chart draws on white paper with dark greys for ink. Rather than thread a
second set of colours through each chart, the finished figure goes through
`darken`: colours that are paper or ink (near-white and near-black greys, and
faint tints such as those behind the map's quadrants or a "quiet spell" cell)
have their lightness turned over,
so white paper becomes the window's dark grey and ink becomes light. The data
colours (the colour-blind-safe palette, mid greys) are kept, and so is text
drawn on a data colour (`ink_on`'s `ON_LIGHT_FILL` / `ON_DARK_FILL`), since the
fill under it is kept too.
"""

from __future__ import annotations

from typing import Any

from matplotlib.artist import Artist
from matplotlib.collections import Collection
from matplotlib.colors import ListedColormap, to_hex, to_rgba
from matplotlib.figure import Figure
from matplotlib.image import AxesImage
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.text import Annotation, Text

from planner.charts.style import ON_DARK_FILL, ON_LIGHT_FILL, RGBA, turned_over

_KEPT = {ON_DARK_FILL.lower(), ON_LIGHT_FILL.lower()}


def dark_colour(colour: Any) -> RGBA:
    """`colour` as it reads on the dark style's paper (unchanged if it is data)."""
    rgba = to_rgba(colour)
    if rgba[3] == 0 or to_hex(rgba).lower() in _KEPT:
        return rgba
    return turned_over(rgba)


def darken(figure: Figure) -> Figure:
    """Recolour a finished figure for a dark window, in place; returns it for chaining."""
    for artist in figure.findobj(include_self=True):
        _recolour(artist)
    return figure


def _recolour(artist: Artist) -> None:
    if isinstance(artist, Text):
        artist.set_color(dark_colour(artist.get_color()))
        box = artist.get_bbox_patch()
        if box is not None:
            _recolour(box)
        if isinstance(artist, Annotation) and artist.arrow_patch is not None:
            _recolour(artist.arrow_patch)
    elif isinstance(artist, Patch):
        artist.set_facecolor(dark_colour(artist.get_facecolor()))
        artist.set_edgecolor(dark_colour(artist.get_edgecolor()))
    elif isinstance(artist, Line2D):
        artist.set_color(dark_colour(artist.get_color()))
        artist.set_markerfacecolor(dark_colour(artist.get_markerfacecolor()))
        artist.set_markeredgecolor(dark_colour(artist.get_markeredgecolor()))
    elif isinstance(artist, Collection):
        faces: Any = artist.get_facecolor()
        edges: Any = artist.get_edgecolor()
        if len(faces):
            artist.set_facecolor([dark_colour(tuple(c)) for c in faces])
        if len(edges):
            artist.set_edgecolor([dark_colour(tuple(c)) for c in edges])
    elif isinstance(artist, AxesImage):
        colours = artist.get_cmap()
        if isinstance(colours, ListedColormap):
            listed: Any = colours.colors
            artist.set_cmap(ListedColormap([dark_colour(c) for c in listed]))
