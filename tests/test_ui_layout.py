"""Layout and theme in the real window: a dark desktop gets dark gate cards with light text,
Present stays light for the projector, audience rows fit their check boxes, and the
developer-facing rule id stays out of the findings table."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QLabel

from planner.ui.findings_model import COLUMNS
from planner.ui.gate_cards import GateCard
from planner.ui.theme import dark_palette
from tests.conftest import DEMO_TODAY
from tests.ui_support import demo_window_fixture  # noqa: F401


def _background(card: GateCard) -> QColor:
    image = card.grab().toImage()
    return image.pixelColor(image.width() - 12, 5)


def test_gate_cards_follow_a_dark_palette_and_present_stays_light(qtbot, demo_window):
    demo_window.setPalette(dark_palette())
    page = demo_window.show_page("readiness")
    cards = page.view.findChildren(GateCard)
    assert cards
    for card in cards:
        assert _background(card).lightness() < 90, card.gate.phase
        texts = [label for label in card.findChildren(QLabel) if label.text()]
        inked = [label.grab().toImage() for label in texts]
        assert all(image.width() > 0 for image in inked)
        title = texts[0]
        assert QColor(title.styleSheet().split("color: ")[1].split(";")[0]).lightness() > 180

    from planner.ui.present.window import PresentWindow

    present = PresentWindow(
        demo_window.service, demo_window.ctx.initiative_id, today=DEMO_TODAY, parent=demo_window
    )
    qtbot.addWidget(present)
    present.show()
    present.show_slide(next(i for i, s in enumerate(present.slides) if s.key == "gates"))
    QApplication.processEvents()
    slide_cards = present.current_slide().findChildren(GateCard)
    assert slide_cards
    assert all(_background(card).lightness() > 200 for card in slide_cards)
    assert present.palette().color(QPalette.ColorRole.Text).lightness() < 80
    present.close()


def test_audience_rows_are_tall_enough_for_their_check_boxes(qtbot, demo_window):
    demo_window.show_page("communications")
    view = demo_window.active_view()
    dialog = view.add()
    audience = dialog.form.editors["audience_ids"]
    audience.list_candidates()  # what going to the field does
    rows = audience.list
    height = rows.visualRect(rows.model().index(0, 0)).height()
    box = rows.style().pixelMetric(rows.style().PixelMetric.PM_IndicatorHeight)
    assert height >= box + 6
    dialog.reject()


def test_the_findings_table_hides_the_rule_id_but_keeps_it_in_the_model(demo_window):
    view = demo_window.show_page("readiness").view
    rule = COLUMNS.index("Rule")
    assert view.table.isColumnHidden(rule)
    assert "-" in str(view.model.index(0, rule).data())
