"""The pack as PowerPoint: python-pptx, one 16:9 slide per section.

Text and tables are real PowerPoint text, so a change manager can edit a slide
before the meeting; charts are pictures drawn at the size they fill. A section
keeps to one slide: a long table shows its first rows and says how many more
the PDF and the plan hold.
"""

from __future__ import annotations

import io
from typing import Any

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.util import Emu, Inches, Pt

from planner.charts import CHART_KINDS, NORMAL, png_bytes
from planner.domain.plan import Plan
from planner.services.report.content import Pack, Section, Table

SLIDE_WIDTH = Inches(13.333)
SLIDE_HEIGHT = Inches(7.5)
MARGIN = Inches(0.5)
MAX_ROWS = 8
"""Rows of a table that stay readable on a projected slide at 12 pt."""

INK = RGBColor(0x1F, 0x29, 0x33)
MUTED = RGBColor(0x52, 0x60, 0x6D)
HEADER = RGBColor(0xE4, 0xE7, 0xEB)
WHITE = RGBColor(0xFF, 0xFF, 0xFF)
TONES = {
    "red": RGBColor(0xF9, 0xD6, 0xCF),
    "critical": RGBColor(0xF9, 0xD6, 0xCF),
    "amber": RGBColor(0xFD, 0xE7, 0xC2),
    "warning": RGBColor(0xFD, 0xE7, 0xC2),
    "green": RGBColor(0xD3, 0xEC, 0xDF),
    "info": RGBColor(0xDD, 0xE8, 0xF3),
}


def pptx_bytes(pack: Pack, plan: Plan) -> bytes:
    deck = Presentation()
    deck.slide_width, deck.slide_height = SLIDE_WIDTH, SLIDE_HEIGHT
    deck.core_properties.title = f"{pack.initiative}: steering committee pack"
    deck.core_properties.author = "Change Readiness Planner"
    blank = deck.slide_layouts[6]
    _cover(deck.slides.add_slide(blank), pack, plan)
    for section in pack.sections:
        _section(deck.slides.add_slide(blank), section, pack, plan)
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


def _text(slide: Any, left: int, top: int, width: int, height: int) -> Any:
    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    return frame


def _line(frame: Any, text: str, size: float, *, bold: bool = False, colour: Any = INK) -> None:
    paragraph = frame.paragraphs[0] if not frame.paragraphs[0].text else frame.add_paragraph()
    run = paragraph.add_run()
    run.text = text
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.color.rgb = colour


def _title(slide: Any, title: str, lead: str) -> int:
    """Title and lead across the top; returns where the body starts."""
    width = SLIDE_WIDTH - 2 * MARGIN
    frame = _text(slide, MARGIN, Inches(0.35), width, Inches(0.7))
    _line(frame, title, 28, bold=True)
    frame = _text(slide, MARGIN, Inches(1.05), width, Inches(0.6))
    _line(frame, lead, 14, colour=MUTED)
    return int(Inches(1.75))


def _cover(slide: Any, pack: Pack, plan: Plan) -> None:
    width = int(SLIDE_WIDTH - 2 * MARGIN)
    frame = _text(slide, MARGIN, Inches(0.35), width, Inches(0.9))
    _line(frame, pack.initiative, 34, bold=True)
    _line(frame, pack.subtitle, 16, colour=MUTED)
    frame = _text(slide, MARGIN, Inches(1.45), width, Inches(0.9))
    _line(frame, f"{pack.score}/100 overall readiness. {pack.summary}", 16, bold=True)
    facts = f"Sponsor: {pack.sponsor} · Status: {pack.status}"
    if pack.privacy.value != "off":
        facts += f" · Privacy: {pack.privacy.value} (names and attitudes withheld)"
    _line(frame, facts, 14, colour=MUTED)
    top = int(Inches(2.4))
    _picture(slide, plan, pack, "readiness", MARGIN, top, width, int(SLIDE_HEIGHT - top - MARGIN))


def _section(slide: Any, section: Section, pack: Pack, plan: Plan) -> None:
    """Charts when the section has them (they show what its table lists), else its table."""
    top = _title(slide, section.title, section.lead)
    width = int(SLIDE_WIDTH - 2 * MARGIN)
    height = int(SLIDE_HEIGHT - top - Inches(0.55))
    table = _merged(section.tables)
    if section.charts:
        gap = int(Inches(0.3))
        count = len(section.charts)
        each = (width - gap * (count - 1)) // count
        for n, kind in enumerate(section.charts):
            _picture(slide, plan, pack, kind, MARGIN + n * (each + gap), top, each, height)
    elif table is not None:
        _table(slide, table, MARGIN, top, width)
    notes = list(section.notes)
    if table is not None and not section.charts and len(table.rows) > MAX_ROWS:
        notes.insert(0, f"Showing {MAX_ROWS} of {len(table.rows)} rows; the PDF pack lists all.")
    if notes:
        frame = _text(slide, MARGIN, int(SLIDE_HEIGHT - Inches(0.5)), width, Inches(0.35))
        _line(frame, " ".join(notes), 11, colour=MUTED)


def _merged(tables: tuple[Table, ...]) -> Table | None:
    """A section's tables as one (the gates' per-phase tables gain a Phase column)."""
    if not tables:
        return None
    if len(tables) == 1:
        return tables[0]
    rows: list[tuple[str, ...]] = []
    tones: list[str | None] = []
    for table in tables:
        for n, row in enumerate(table.rows):
            rows.append((table.group, *row))
            tones.append(table.tones[n] if n < len(table.tones) else None)
    first = tables[0]
    return Table(
        header=("Phase", *first.header),
        rows=tuple(rows),
        widths=(1.6, *first.widths),
        tones=tuple(tones),
    )


def _table(slide: Any, table: Table, left: int, top: int, width: int) -> None:
    rows = table.rows[:MAX_ROWS]
    shape = slide.shapes.add_table(
        len(rows) + 1, len(table.header), left, top, width, Inches(0.4) * (len(rows) + 1)
    )
    grid = shape.table
    total = sum(table.widths)
    for n, share in enumerate(table.widths):
        grid.columns[n].width = Emu(int(width * share / total))
    for column, heading in enumerate(table.header):
        _cell(grid.cell(0, column), heading, bold=True, fill=HEADER)
    for r, row in enumerate(rows, start=1):
        tone = table.tones[r - 1] if r - 1 < len(table.tones) else None
        for column, value in enumerate(row):
            tinted = tone is not None and column == 0
            _cell(grid.cell(r, column), value, fill=TONES[tone] if tinted and tone else WHITE)


def _cell(cell: Any, text: str, *, bold: bool = False, fill: Any = WHITE) -> None:
    cell.fill.solid()
    cell.fill.fore_color.rgb = fill
    frame = cell.text_frame
    frame.word_wrap = True
    frame.paragraphs[0].text = ""
    run = frame.paragraphs[0].add_run()
    run.text = text
    run.font.size = Pt(11)
    run.font.bold = bold
    run.font.color.rgb = INK


def _picture(
    slide: Any, plan: Plan, pack: Pack, kind: str, left: int, top: int, width: int, height: int
) -> None:
    inches_w, inches_h = width / Inches(1), height / Inches(1)
    style = NORMAL.resized(inches_w, inches_h, dpi=150)
    figure = CHART_KINDS[kind].build(plan, today=pack.today, style=style, privacy=pack.privacy)
    figure.set_size_inches(inches_w, inches_h)
    image = io.BytesIO(png_bytes(figure, dpi=150))
    slide.shapes.add_picture(image, left, top, width, height)
