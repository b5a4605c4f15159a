"""Which fonts a chart draws text with, so that any name a person can type shows.

DejaVu Sans covers Latin, Greek, Cyrillic, Hebrew and more; a stakeholder
called 田中 or 김민준 needs a CJK font after it. matplotlib (3.6 and later) takes
a list of families and picks, glyph by glyph, the first that has the glyph.
Only installed families are listed: a family that is not installed makes
matplotlib log "findfont: Font family ... not found" on every chart.
`packaging/bootstrap.sh` installs fonts-noto-cjk on Debian.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

PRIMARY = "DejaVu Sans"
# Tried in order after the primary; the first few are Debian's fonts-noto-cjk, the rest
# what other systems ship for the same scripts.
FALLBACKS = (
    "Noto Sans CJK JP",
    "Noto Sans CJK SC",
    "Noto Sans CJK TC",
    "Noto Sans CJK KR",
    "Source Han Sans",
    "WenQuanYi Zen Hei",
    "Droid Sans Fallback",
    "Noto Sans",
    "Noto Sans Symbols2",
)


def _not_a_weight_substitution(record: logging.LogRecord) -> bool:
    """False for matplotlib's note that a family lacks the weight asked for.

    Some fallbacks come in one weight only (WenQuanYi Zen Hei is Medium), and
    matplotlib 3.11 logs, for every chart, that it drew a glyph with that weight;
    the text is right and the user cannot act on it.
    """
    return not record.getMessage().startswith("findfont: Failed to find font weight")


@cache
def font_families() -> tuple[str, ...]:
    """The primary family and every installed fallback (looked up once per process)."""
    from matplotlib import font_manager

    logging.getLogger(font_manager.__name__).addFilter(_not_a_weight_substitution)
    installed = {entry.name for entry in font_manager.fontManager.ttflist}
    return (PRIMARY, *(name for name in FALLBACKS if name in installed))


@contextmanager
def quiet_glyphs() -> Iterator[None]:
    """Draw without matplotlib's missing-glyph warnings reaching a user's terminal.

    A character no installed font has (an emoji on a machine without an emoji
    font) is drawn as a box whatever we do; the warning only repeats that, once
    per glyph and chart, on the terminal of someone who cannot act on it.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", r"Glyph \d+ .*missing from", UserWarning)
        yield
