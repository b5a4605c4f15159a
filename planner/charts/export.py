"""Writing a chart to PNG, SVG or PDF without ever leaving a half-written file."""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from planner.charts.fonts import quiet_glyphs
from planner.domain.errors import PlannerError

if TYPE_CHECKING:
    from matplotlib.figure import Figure

EXPORT_SUFFIXES = (".png", ".svg", ".pdf")


class ChartError(PlannerError):
    """A chart cannot be drawn or written as asked."""


def check_output(path: str | Path) -> Path:
    """Refuse an output the chart cannot be written to, before any work is done."""
    out = Path(path)
    suffix = out.suffix.lower()
    if suffix not in EXPORT_SUFFIXES:
        shown = suffix or "no suffix"
        raise ChartError(
            f"cannot write a chart to {out.name} ({shown}): name the file .png, .svg or .pdf"
        )
    if out.is_dir():
        raise ChartError(f"cannot write the chart to {out}: it is a folder")
    if not out.parent.is_dir():
        raise ChartError(f"cannot write the chart to {out}: folder {out.parent} does not exist")
    return out


def render(figure: Figure, path: str | Path) -> Path:
    """Write `figure` in the format its suffix names; an existing file is replaced whole."""
    out = check_output(path)
    fmt = out.suffix.lower().lstrip(".")
    temp: Path | None = None
    try:
        handle, temp_name = tempfile.mkstemp(
            prefix=f".{out.stem}-", suffix=out.suffix, dir=out.parent
        )
        os.close(handle)
        temp = Path(temp_name)
        with quiet_glyphs():
            figure.savefig(temp, format=fmt, dpi="figure", metadata=_metadata(fmt))
        os.replace(temp, out)
    except OSError as exc:
        raise ChartError(f"cannot write the chart to {out}: {exc.strerror or exc}") from None
    finally:
        if temp is not None:
            temp.unlink(missing_ok=True)
    return out


def png_bytes(figure: Figure, dpi: float | None = None) -> bytes:
    """The figure as PNG in memory (for a workbook), at `dpi` or the figure's own.

    One drawing pass on an Agg canvas, which lays the figure out as it draws:
    `savefig` draws a second time first, only to lay it out, and that pass costs
    as much again on a chart of many panels. The page is opaque, so RGB.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from PIL import Image

    if dpi is not None:
        figure.set_dpi(dpi)
    canvas = FigureCanvasAgg(figure)
    with quiet_glyphs():
        canvas.draw()
    width, height = canvas.get_width_height(physical=True)
    image = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, format="png")
    return buffer.getvalue()


def _metadata(fmt: str) -> dict[str, str | None]:
    """No creation date or tool version, so the same plan gives the same file."""
    if fmt == "png":
        return {"Software": None}
    if fmt == "pdf":
        return {"Creator": None, "Producer": None, "CreationDate": None}
    return {"Creator": None, "Date": None}
