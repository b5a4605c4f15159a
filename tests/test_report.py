"""The steering-committee pack: `planner report` to PDF and PowerPoint, read back as a reader would."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from pptx import Presentation
from pypdf import PdfReader

from planner.charts.privacy import Privacy
from planner.services.planning import PlanService
from planner.services.readiness import DIMENSIONS, check
from planner.services.report import write_report
from planner.services.report.content import build_pack
from tests.conftest import run_cli
from tests.office_support import absent

TODAY = date(2026, 12, 2)


def _pdf_text(path: Path) -> str:
    text = "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)
    return " ".join(text.split())


def _pptx_text(path: Path) -> list[str]:
    """The text of each slide: text boxes and every table cell."""
    slides = []
    for slide in Presentation(str(path)).slides:
        parts = []
        for shape in slide.shapes:
            if shape.has_text_frame:
                parts.append(shape.text_frame.text)
            if shape.has_table:
                parts += [cell.text for row in shape.table.rows for cell in row.cells]
        slides.append(" ".join(" ".join(parts).split()))
    return slides


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def demo_file(demo: PlanService) -> Path:
    assert demo.db.path is not None
    path = demo.db.path
    demo.db.close()
    return path


def test_pdf_holds_initiative_dimensions_gates_and_findings(demo_file, tmp_path):
    out = tmp_path / "pack.pdf"
    done = run_cli("report", "--db", str(demo_file), "--today", TODAY.isoformat(), str(out))
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert "Helix CRM rollout" in done.stdout and str(out) in done.stdout

    reader = PdfReader(out)
    assert 6 <= len(reader.pages) <= 16
    text = _pdf_text(out)
    assert "Helix CRM rollout" in text
    for _key, label in DIMENSIONS:
        assert label in text
    from planner.persistence import open_database

    db = open_database(demo_file, read_only=True)
    try:
        plan = PlanService(db).plan(PlanService(db).initiatives()[0].id)
    finally:
        db.close()
    report = check(plan, TODAY)
    for gate in report.gates:
        assert _flat(gate.phase) in text
    pack = build_pack(plan, report)
    findings = next(s for s in pack.sections if s.key == "findings")
    for row in findings.tables[0].rows:
        # A table cell wraps, so compare the words, not the line breaks.
        assert _flat(row[1])[:40] in text
    for row in findings.tables[0].rows:
        assert row[2], f"a finding without an action: {row[1]}"
        assert _flat(row[2])[:40] in text
    # Page numbers and a table of contents naming every section.
    assert "Page 1" in text and "Contents" in text
    for section in pack.sections:
        assert section.title in text


def test_letter_paper_and_a4_differ_in_page_size(demo_file, tmp_path):
    sizes = {}
    for paper in ("a4", "letter"):
        out = tmp_path / f"{paper}.pdf"
        done = run_cli(
            "report", "--db", str(demo_file), "--paper", paper, "--today", "2026-12-02", str(out)
        )
        assert done.returncode == 0, done.stderr
        box = PdfReader(out).pages[0].mediabox
        sizes[paper] = (round(float(box.width)), round(float(box.height)))
    assert sizes["a4"] == (842, 595)
    assert sizes["letter"] == (792, 612)


def test_charts_are_vector_graphics_not_pictures(demo, tmp_path):
    plan = demo.plan(demo.initiatives()[0].id)
    out = write_report(plan, tmp_path / "pack.pdf", today=TODAY)
    reader = PdfReader(out)
    # Only the two heatmaps' cell grids are images (one pixel a cell, drawn without
    # smoothing); every line, bar, bubble and label is vector.
    images = sum(len(page.images) for page in reader.pages)
    assert images == 2
    # The stakeholder map's own labels are text in the PDF (matplotlib's vector output).
    assert "Power over the change" in _pdf_text(out) or "Interest in the change" in _pdf_text(out)


def test_pptx_has_a_slide_per_section_with_editable_text(demo, tmp_path):
    plan = demo.plan(demo.initiatives()[0].id)
    out = write_report(plan, tmp_path / "pack.pptx", today=TODAY)
    pack = build_pack(plan, check(plan, TODAY))
    slides = _pptx_text(out)
    assert len(slides) == 1 + len(pack.sections)
    assert "Helix CRM rollout" in slides[0] and f"{pack.score}/100" in slides[0]
    for section, text in zip(pack.sections, slides[1:], strict=True):
        assert text.startswith(section.title)
    gates = slides[1 + [s.key for s in pack.sections].index("gates")]
    for gate in check(plan, TODAY).gates:
        assert gate.phase in gates
    deck = Presentation(str(out))
    pictures = [s for slide in deck.slides for s in slide.shapes if s.shape_type == 13]
    assert len(pictures) == 1 + sum(len(s.charts) for s in pack.sections)


def test_pptx_opens_in_libreoffice_impress(demo, tmp_path):
    if shutil.which("soffice") is None:
        absent("LibreOffice (Impress) is not installed")
    plan = demo.plan(demo.initiatives()[0].id)
    out = write_report(plan, tmp_path / "pack.pptx", today=TODAY)
    profile = tmp_path / "lo-profile"
    done = subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path / "converted"),
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    converted = tmp_path / "converted" / "pack.pdf"
    assert converted.is_file(), done.stdout + done.stderr
    assert len(PdfReader(converted).pages) == len(Presentation(str(out)).slides)


def _private_words(plan) -> list[str]:
    words = [s.name for s in plan.stakeholders]
    words += [s.notes for s in plan.stakeholders if s.notes]
    return words


def _without_other_titles(plan, text: str) -> str:
    """The text less the names of courses, sessions, KPIs and the like.

    A course may be named after its audience ("Sales operations admin"): that is
    the course's name, which the pack shows, not a stakeholder's.
    """
    titles = sorted(
        {_flat(r.title) for r in plan.all_records() if r.KIND != "stakeholder"},
        key=len,
        reverse=True,
    )
    for title in titles:
        text = text.replace(title, " ")
    return text


def test_codes_privacy_leaves_no_name_or_note_in_either_format(demo, tmp_path):
    plan = demo.plan(demo.initiatives()[0].id)
    assert any(s.notes for s in plan.stakeholders)
    pdf = write_report(plan, tmp_path / "pack.pdf", today=TODAY, privacy=Privacy.CODES)
    pptx = write_report(plan, tmp_path / "pack.pptx", today=TODAY, privacy=Privacy.CODES)
    pdf_text = _without_other_titles(plan, _pdf_text(pdf))
    slide_text = _without_other_titles(plan, " ".join(_pptx_text(pptx)))
    for word in _private_words(plan):
        flat = _flat(word)
        assert flat not in pdf_text, flat
        assert flat not in slide_text, flat
    assert re.search(r"\bS\d\d\b", pdf_text)
    assert "privacy" in pdf_text.casefold()


def test_notes_never_reach_a_pack_even_without_privacy(demo, tmp_path):
    plan = demo.plan(demo.initiatives()[0].id)
    pdf_text = _pdf_text(write_report(plan, tmp_path / "pack.pdf", today=TODAY))
    notes = [_flat(s.notes) for s in plan.stakeholders if s.notes]
    assert notes
    for note in notes:
        assert note[:30] not in pdf_text


def test_a_cjk_name_is_drawn_with_a_font_that_has_it(demo, tmp_path):
    from planner.services.report import fonts

    initiative = demo.initiatives()[0]
    demo.create("stakeholder", {"initiative_id": initiative.id, "name": "東京営業チーム"})
    plan = demo.plan(initiative.id)
    out = write_report(plan, tmp_path / "pack.pdf", today=TODAY, privacy=Privacy.OFF)
    assert fonts.register(), "no CJK font installed: the README's setup installs one"
    used = set()
    for page in PdfReader(out).pages:
        resources = page.get("/Resources") or {}
        for font in (resources.get("/Font") or {}).values():
            used.add(str(font.get_object().get("/BaseFont")))
    # The fallback is embedded under its own name (WenQuanYi Zen Hei on Debian).
    assert any("DejaVu" not in name for name in used), used
    assert "PlannerCJK" in fonts.markup("Team 東京")


def test_a_near_empty_plan_still_gives_a_readable_pack(service, tmp_path):
    initiative = service.create("initiative", {"name": "Expense tool"})
    plan = service.plan(initiative.id)
    out = write_report(plan, tmp_path / "empty.pdf", today=TODAY)
    text = _pdf_text(out)
    assert "Expense tool" in text
    assert "no rollout phases" in text.casefold()
    assert len(PdfReader(out).pages) <= 12


@pytest.mark.slow
def test_large_plan_pack_has_a_bounded_page_count(tmp_path):
    from planner.bench.generator import build_large, write_records

    path = tmp_path / "large.db"
    write_records(path, build_large(scale=0.2))
    out = tmp_path / "large.pdf"
    done = run_cli("report", "--db", str(path), "--today", "2026-12-02", str(out), timeout=600)
    assert done.returncode == 0, done.stderr
    pages = len(PdfReader(out).pages)
    assert pages <= 30, pages


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["out.docx"], "name it .pdf or .pptx"),
        (["--paper", "a3", "out.pdf"], "invalid choice"),
        (["--privacy", "names", "out.pdf"], "invalid choice"),
        (["--today", "someday", "out.pdf"], "is not a date"),
        (["--initiative", "Nope", "out.pdf"], "Nope"),
        (["missing-folder/out.pdf"], "does not exist"),
    ],
)
def test_mistakes_give_one_line_and_write_nothing(demo_file, tmp_path, args, message):
    before = demo_file.read_bytes()
    *options, target = args
    done = run_cli("report", "--db", str(demo_file), *options, str(tmp_path / target), timeout=120)
    assert done.returncode != 0
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / target).exists()
    assert demo_file.read_bytes() == before


def test_the_window_writes_a_pack_off_the_ui_thread(qtbot, demo, tmp_path):
    from tests.ui_support import make_window

    window = make_window(qtbot, demo, tmp_path)
    out = tmp_path / "from-window"
    window.dialogs.paths.append(out)
    window.dialogs.choices.append("Codes for every stakeholder, attitudes hidden")
    action = window.pack.report_action
    assert action in window.menus["file"].actions()
    action.trigger()
    qtbot.waitUntil(lambda: not window.ctx.tasks.running, timeout=120000)
    written = out.with_suffix(".pdf")
    assert written.is_file()
    text = _pdf_text(written)
    assert "Helix CRM rollout" in text
    plan = demo.plan(demo.initiatives()[0].id)
    shown = _without_other_titles(plan, text)
    assert [s.name for s in plan.stakeholders if _flat(s.name) in shown] == []
    assert window.message_label.text() == f"Wrote the steering pack to {written}"


def test_the_window_cancelled_privacy_question_writes_nothing(qtbot, demo, tmp_path):
    from tests.ui_support import make_window

    window = make_window(qtbot, demo, tmp_path)
    window.dialogs.paths.append(tmp_path / "never.pdf")
    window.dialogs.choices.append(None)
    window.pack.report_action.trigger()
    assert not window.ctx.tasks.running
    assert not (tmp_path / "never.pdf").exists()


def test_pack_bytes_do_not_depend_on_the_write(demo, tmp_path):
    """Same plan, same day: the PDF says the same (text is compared; ids of objects may vary)."""
    plan = demo.plan(demo.initiatives()[0].id)
    first = _pdf_text(write_report(plan, tmp_path / "a.pdf", today=TODAY))
    second = _pdf_text(write_report(plan, tmp_path / "b.pdf", today=TODAY))
    assert first == second
    assert io.BytesIO((tmp_path / "a.pdf").read_bytes()).read(5) == b"%PDF-"


def test_hostile_text_is_printed_as_text_and_long_text_is_clipped(service, tmp_path):
    initiative = service.create("initiative", {"name": "Odd & <b>bold</b> plan"})
    service.create(
        "stakeholder",
        {"initiative_id": initiative.id, "name": 'R&D <team> "quoted"', "power": 5},
    )
    service.create(
        "risk",
        {
            "initiative_id": initiative.id,
            "name": "A risk with a page-long mitigation",
            "mitigation": "word " * 5000,
            "likelihood": 5,
            "impact": 5,
        },
    )
    plan = service.plan(initiative.id)
    for suffix in (".pdf", ".pptx"):
        out = write_report(plan, tmp_path / f"odd{suffix}", today=TODAY)
        text = _pdf_text(out) if suffix == ".pdf" else " ".join(_pptx_text(out))
        assert "Odd & <b>bold</b> plan" in text
        assert "word word …" in text
        assert text.count("word") < 500
