"""Charts draw any name a person types, and no library remark reaches the terminal."""

from __future__ import annotations

from pathlib import Path

from matplotlib.backends.backend_agg import FigureCanvasAgg

from planner.charts import CHART_KINDS
from planner.charts.fonts import FALLBACKS, font_families
from planner.persistence import open_database
from planner.services.demo import create_demo
from planner.services.planning import PlanService
from tests.conftest import DEMO_TODAY, run_cli
from tests.office_support import absent

CJK_NAME = "田中 営業チーム 김민준"


def _demo_with_name(path: Path, name: str) -> None:
    db = open_database(path)
    try:
        service = PlanService(db)
        create_demo(service, today=DEMO_TODAY)
        initiative = service.initiatives()[0]
        first = service.plan(initiative.id).stakeholders[0]
        service.update("stakeholder", first.id, {"name": name})
    finally:
        db.close()


def test_a_cjk_stakeholder_name_is_drawn_in_every_chart(tmp_path):
    """Drawn straight on an Agg canvas, so a missing glyph would be an error here
    (filterwarnings = error) rather than the quiet box a user would see."""
    if not any(name in font_families() for name in FALLBACKS[:4]):
        absent("no CJK font is installed (Debian: fonts-noto-cjk)")
    _demo_with_name(tmp_path / "plan.db", CJK_NAME)
    db = open_database(tmp_path / "plan.db", read_only=True)
    try:
        service = PlanService(db)
        plan = service.plan(service.initiatives()[0].id)
    finally:
        db.close()
    assert CJK_NAME in {s.name for s in plan.stakeholders}
    for spec in CHART_KINDS.values():
        figure = spec.build(plan, today=DEMO_TODAY)
        FigureCanvasAgg(figure).draw()
        texts = [t.get_text() for t in figure.findobj(lambda a: hasattr(a, "get_text"))]
        if spec.kind == "stakeholder-map":
            assert any("田中" in text for text in texts), spec.kind


def test_the_export_prints_no_library_warning_for_a_name_no_font_has(tmp_path):
    """An emoji is in none of the installed fonts: drawn as a box, but never a warning
    on the terminal of the person exporting."""
    _demo_with_name(tmp_path / "plan.db", "Launch crew 🚀")
    result = run_cli("export", "--db", str(tmp_path / "plan.db"), str(tmp_path / "plan.xlsx"))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout.startswith("Exported ")
