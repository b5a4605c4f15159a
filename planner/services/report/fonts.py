"""Fonts for the PDF pack: DejaVu Sans for Latin, Greek and Cyrillic, a CJK font behind it.

reportlab draws each run of text in one font and has no fallback of its own, so
a stakeholder named in Chinese or Japanese would print as empty boxes. `markup`
splits text into runs by which font holds each character's glyph and names the
fallback font for the runs DejaVu cannot draw. The fallback is the first font
found on the system from `CJK_CANDIDATES` (Debian: fonts-wqy-zenhei, installed
by the README's setup); without one, such text still prints, as boxes.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

BODY = "PlannerSans"
BOLD = "PlannerSans-Bold"
FALLBACK = "PlannerCJK"

CJK_CANDIDATES = (
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
    Path("/usr/share/fonts/truetype/arphic/uming.ttc"),
)
"""TrueType-outline CJK fonts: reportlab cannot embed CFF (OpenType/PostScript) outlines."""


@cache
def register() -> bool:
    """Register the pack's fonts once per process; True when a CJK fallback is available."""
    import matplotlib
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    ttf = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    pdfmetrics.registerFont(TTFont(BODY, str(ttf / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD, str(ttf / "DejaVuSans-Bold.ttf")))
    addMapping(BODY, 0, 0, BODY)
    addMapping(BODY, 1, 0, BOLD)
    addMapping(BODY, 0, 1, BODY)
    addMapping(BODY, 1, 1, BOLD)
    for candidate in CJK_CANDIDATES:
        if candidate.is_file():
            pdfmetrics.registerFont(TTFont(FALLBACK, str(candidate), subfontIndex=0))
            return True
    return False


@cache
def _covered() -> frozenset[int]:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    font = pdfmetrics.getFont(BODY)
    assert isinstance(font, TTFont)
    return frozenset(font.face.charToGlyph)


def markup(text: str) -> str:
    """`text` as reportlab paragraph markup, escaped, with uncovered runs in the fallback font."""
    has_fallback = register()
    covered = _covered()
    out: list[str] = []
    run: list[str] = []
    in_fallback = False
    for char in text:
        needs = has_fallback and ord(char) not in covered and not char.isspace()
        if needs != in_fallback and run:
            out.append(_run("".join(run), in_fallback))
            run = []
        in_fallback = needs
        run.append(char)
    if run:
        out.append(_run("".join(run), in_fallback))
    return "".join(out).replace("\n", "<br/>")


def _run(text: str, fallback: bool) -> str:
    escaped = escape(text)
    return f'<font name="{FALLBACK}">{escaped}</font>' if fallback else escaped
