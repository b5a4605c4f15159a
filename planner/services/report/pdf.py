"""The pack as a PDF: reportlab lays out the text and tables, matplotlib draws the charts.

Why these two: reportlab's platypus is a layout engine made for reports (text
that flows over pages, tables that split with their header repeated, a table of
contents with page numbers, page templates for footers), and matplotlib already
draws every chart of the planner. Charts stay vector graphics with real text:
the layout leaves a slot of the chart's size, each chart is drawn by
matplotlib's own PDF backend at exactly that size, and pypdf lays those pages
over the slots afterwards. Nothing is rasterised.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from pypdf import PdfReader, PdfWriter, Transformation
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, LETTER, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
)
from reportlab.platypus import Table as RLTable
from reportlab.platypus.tableofcontents import TableOfContents

from planner.charts import CHART_KINDS, NORMAL
from planner.domain.plan import Plan
from planner.services.report import fonts
from planner.services.report.content import Pack, Section, Table

PAPERS = ("a4", "letter")

INK = "#1f2933"
MUTED = "#52606d"
RULE = "#cbd2d9"
HEADER_FILL = "#e4e7eb"
TONE_FILLS = {
    "red": "#f9d6cf",
    "critical": "#f9d6cf",
    "amber": "#fde7c2",
    "warning": "#fde7c2",
    "green": "#d3ecdf",
    "info": "#dde8f3",
}


class _Document(BaseDocTemplate):
    def afterFlowable(self, flowable: Any) -> None:
        entry = getattr(flowable, "toc_entry", None)
        if entry is not None:
            self.notify("TOCEntry", (0, entry, self.page))


SHRINK_LIMIT = 0.75
"""A chart may shrink to 75 % of its height to share a page; smaller, it gets its own."""


@dataclass
class _Placement:
    page: int
    x: float
    y: float
    width: float
    height: float
    kind: str


def pdf_bytes(pack: Pack, plan: Plan, paper: str = "a4") -> bytes:
    """The whole pack as one PDF document."""

    fonts.register()
    page_size = landscape(A4 if paper == "a4" else LETTER)
    margin = 36.0
    placements: dict[int, _Placement] = {}

    buffer = io.BytesIO()
    doc = _Document(
        buffer,
        pagesize=page_size,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin,
        bottomMargin=margin + 14,
        title=f"{pack.initiative}: steering committee pack",
        author="Change Readiness Planner",
        subject=pack.subtitle,
        creator="Change Readiness Planner",
    )
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body")
    footer = _footer(pack, page_size, margin)
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=footer)])
    story = _story(pack, doc.width, doc.height, placements)
    doc.multiBuild(story)
    return _overlay_charts(buffer.getvalue(), placements.values(), plan, pack)


def _footer(pack: Pack, page_size: tuple[float, float], margin: float) -> Any:
    def draw(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(fonts.BODY, 8)
        canvas.setFillColor(MUTED)
        canvas.drawString(margin, margin - 4, f"{pack.initiative} · {pack.subtitle}")
        canvas.drawRightString(page_size[0] - margin, margin - 4, f"Page {doc.page}")
        canvas.restoreState()

    return draw


def _styles() -> dict[str, Any]:

    base = ParagraphStyle(
        "body", fontName=fonts.BODY, fontSize=10, leading=13.5, textColor=HexColor(INK)
    )
    return {
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8.5, leading=11),
        "cell": ParagraphStyle("cell", parent=base, fontSize=8.5, leading=10.5),
        "head": ParagraphStyle(
            "head", parent=base, fontName=fonts.BOLD, fontSize=8.5, leading=10.5
        ),
        "title": ParagraphStyle(
            "title", parent=base, fontName=fonts.BOLD, fontSize=26, leading=31, spaceAfter=6
        ),
        "subtitle": ParagraphStyle(
            "subtitle",
            parent=base,
            fontSize=13,
            leading=17,
            textColor=HexColor(MUTED),
            spaceAfter=14,
        ),
        "h1": ParagraphStyle(
            "h1", parent=base, fontName=fonts.BOLD, fontSize=17, leading=21, spaceAfter=6
        ),
        "score": ParagraphStyle("score", parent=base, fontName=fonts.BOLD, fontSize=22, leading=27),
        "toc": ParagraphStyle("toc", parent=base, fontSize=12, leading=20),
    }


def _story(pack: Pack, width: float, height: float, placements: dict[int, _Placement]) -> list[Any]:

    st = _styles()
    story: list[Any] = _cover(pack, width, height, st, placements)
    story.append(PageBreak())
    story.append(Paragraph("Contents", st["h1"]))
    toc = TableOfContents()
    toc.levelStyles = [st["toc"]]
    toc.dotsMinLevel = 0
    story.append(toc)
    for section in pack.sections:
        story.append(PageBreak())
        story += _section(section, width, height, st, placements)
    story.append(Spacer(1, 1))
    return story


def _p(text: str, style: Any) -> Any:

    return Paragraph(fonts.markup(text), style)


def _cover(
    pack: Pack, width: float, height: float, st: dict[str, Any], placements: dict[int, _Placement]
) -> list[Any]:
    facts = [
        ("Sponsor", pack.sponsor),
        ("Status", pack.status),
        ("Readiness as of", f"{pack.today.day} {pack.today:%b %Y}"),
    ]
    if pack.privacy.value != "off":
        facts.append(("Privacy", f"{pack.privacy.value}: people's names and attitudes withheld"))
    fact_rows = [[_p(k, st["head"]), _p(v, st["body"])] for k, v in facts]
    dimension_rows = [
        [_p(label, st["body"]), _p(f"{score}/100", st["head"])] for label, score in pack.dimensions
    ]
    half = width / 2
    left = [
        _p(pack.initiative, st["title"]),
        _p(pack.subtitle, st["subtitle"]),
        _p(pack.summary, st["body"]),
        Spacer(1, 8),
        _grid(fact_rows, [half * 0.3, half * 0.62]),
    ]
    right = [
        _p(f"{pack.score}/100 overall readiness", st["score"]),
        Spacer(1, 6),
        _grid(
            dimension_rows,
            [half * 0.6, half * 0.3],
            tones=[_tone(score) for _, score in pack.dimensions],
        ),
    ]
    band = RLTable([[left, right]], colWidths=[half, half])
    band.setStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)])
    _, band_height = band.wrap(width, height)
    chart_height = height - band_height - 40
    return [band, Spacer(1, 8), _ChartSlot("readiness", width, chart_height, placements)]


def _tone(score: int) -> str:
    return "green" if score >= 75 else ("amber" if score >= 50 else "red")


def _grid(rows: list[list[Any]], widths: list[float], tones: list[str] | None = None) -> Any:

    table = RLTable(rows, colWidths=widths)
    style: list[tuple[Any, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    for row, tone in enumerate(tones or []):
        style.append(("BACKGROUND", (-1, row), (-1, row), TONE_FILLS[tone]))
    table.setStyle(style)
    return table


def _section(
    section: Section,
    width: float,
    height: float,
    st: dict[str, Any],
    placements: dict[int, _Placement],
) -> list[Any]:

    heading = _p(section.title, st["h1"])
    heading.toc_entry = section.title
    out: list[Any] = [heading, _p(section.lead, st["body"]), Spacer(1, 8)]
    for table in section.tables:
        if table.caption:
            out.append(_p(table.caption, st["head"]))
            out.append(Spacer(1, 3))
        out += [_table(table, width, st), Spacer(1, 10)]
    for note in section.notes:
        out.append(_p(note, st["small"]))
    chart_height = min(height - 30, width * 9 / 16)
    for kind in section.charts:
        out.append(Spacer(1, 6))
        out.append(_ChartSlot(kind, width, chart_height, placements))
    return out


def _table(table: Table, width: float, st: dict[str, Any]) -> Any:

    total = sum(table.widths)
    widths = [width * w / total for w in table.widths]
    rows = [[_p(h, st["head"]) for h in table.header]]
    rows += [[_p(cell, st["cell"]) for cell in row] for row in table.rows]
    out = RLTable(rows, colWidths=widths, repeatRows=1)
    style: list[tuple[Any, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    for row, tone in enumerate(table.tones, start=1):
        if tone is not None and row < len(rows):
            style.append(("BACKGROUND", (0, row), (0, row), TONE_FILLS[tone]))
    out.setStyle(style)
    return out


class _ChartSlot(Flowable):
    """Space for one chart; notes where it landed so the chart can be laid over it."""

    def __init__(
        self, kind: str, width: float, height: float, placements: dict[int, _Placement]
    ) -> None:
        super().__init__()
        self.kind, self.width, self.height = kind, width, height
        self._full_height = height
        self._placements = placements

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        """Fill what is left of the page if that is most of a chart; else a page of its own."""
        fits = avail_height >= self._full_height * SHRINK_LIMIT
        self.height = min(self._full_height, avail_height) if fits else self._full_height
        return self.width, self.height

    def draw(self) -> None:
        x, y = self.canv.absolutePosition(0, 0)
        page = self.canv.getPageNumber() - 1
        self._placements[id(self)] = _Placement(page, x, y, self.width, self.height, self.kind)


def _overlay_charts(document: bytes, placements: Any, plan: Plan, pack: Pack) -> bytes:

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(document)))
    for place in sorted(placements, key=lambda p: p.page):
        chart = PdfReader(io.BytesIO(_chart_pdf(plan, pack, place))).pages[0]
        writer.pages[place.page].merge_transformed_page(
            chart, Transformation().translate(place.x, place.y)
        )
    writer.add_metadata({"/Title": f"{pack.initiative}: steering committee pack"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _chart_pdf(plan: Plan, pack: Pack, place: _Placement) -> bytes:
    style = NORMAL.resized(place.width / 72, place.height / 72)
    figure = CHART_KINDS[place.kind].build(
        plan, today=pack.today, style=style, privacy=pack.privacy
    )
    figure.set_size_inches(place.width / 72, place.height / 72)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="pdf", metadata={"Creator": None, "Producer": None})
    return buffer.getvalue()
