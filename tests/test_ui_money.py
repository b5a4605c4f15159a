"""Money in the initiative's currency: the Options table and form show the same amount,
the form reads it typed the user's way and refuses what could be read two ways, and the
currency travels through Excel, the report pack and the option scorecard chart."""

from __future__ import annotations

from datetime import date

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QEvent, QLocale, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from planner.charts import build_chart
from planner.domain.errors import DomainError
from planner.domain.money import ENGLISH, MoneyStyle, format_money, parse_money
from planner.services.excel.importer import apply_import, preview_import
from planner.services.readiness import check
from planner.services.report.content import build_pack
from tests.excel_support import edit, export, header_index
from tests.test_charts import texts
from tests.ui_support import window_fixture  # noqa: F401

FRENCH = QLocale(QLocale.Language.French, QLocale.Country.France)
GERMAN_STYLE = MoneyStyle(decimal=",", group=".", symbol_first=False, spaced=True)


def _plain(text: str) -> str:
    """Text with every kind of space as a plain one ("62 000 €")."""
    for space in ("\u00a0", "\u202f"):
        text = text.replace(space, " ")
    return text


@pytest.fixture
def options(service):
    initiative = service.create("initiative", {"name": "CRM", "currency": "EUR"})
    option = service.create(
        "option", {"initiative_id": initiative.id, "name": "Helix", "annual_cost": 62000}
    )
    return initiative, option


@pytest.fixture
def french():
    QLocale.setDefault(FRENCH)
    yield
    QLocale.setDefault(QLocale(QLocale.Language.C))


def _type(qtbot, field, text: str) -> None:
    """Type into a field key by key; a key QTest has no name for (€) as its text."""
    for ch in text:
        if ch.isascii():
            qtbot.keyClicks(field, ch)
        else:
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                event = QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, ch)
                QApplication.sendEvent(field, event)


def _options_view(window, initiative):
    window.initiatives.reload(initiative.id)
    page = window.show_page("options")
    view = page.views[0]
    view.table.selectRow(0)
    return view


def _cost_cell(view) -> str:
    column = view.model.columns.index("annual_cost")
    return view.proxy.index(0, column).data(Qt.ItemDataRole.DisplayRole)


def test_the_table_and_the_form_show_the_same_amount_with_its_currency(
    qtbot, window, service, options
):
    view = _options_view(window, options[0])
    assert _cost_cell(view) == "€62,000"
    assert view.form.editors["annual_cost"].text() == "€62,000"


def test_in_french_the_amount_is_written_the_french_way(qtbot, french, window, service, options):
    view = _options_view(window, options[0])
    assert _plain(_cost_cell(view)) == "62 000 €"
    assert _plain(view.form.editors["annual_cost"].text()) == "62 000 €"


@pytest.mark.parametrize("typed", ["62,500", "62500", "62 500 €", "€62,500.00", "EUR 62500"])
def test_the_form_takes_an_amount_typed_any_unambiguous_way(qtbot, window, service, options, typed):
    view = _options_view(window, options[0])
    field = view.form.editors["annual_cost"]
    field.setFocus()
    field.selectAll()
    _type(qtbot, field, typed)
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert service.get("option", options[1].id).annual_cost == 62500
    assert view.form.error_text("annual_cost") == ""
    assert _cost_cell(view) == "€62,500"


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("62.500", "could mean 62500 or 62.5"),
        ("$62,500", "is in USD, but this initiative counts in EUR"),
        ("6,25,00", "groups its digits oddly"),
    ],
)
def test_an_ambiguous_amount_is_refused_with_the_reason_next_to_the_field(
    qtbot, window, service, options, typed, reason
):
    view = _options_view(window, options[0])
    field = view.form.editors["annual_cost"]
    field.setFocus()
    field.selectAll()
    _type(qtbot, field, typed)
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert reason in view.form.error_text("annual_cost")
    assert view.form.errors["annual_cost"].isVisible()
    assert service.get("option", options[1].id).annual_cost == 62000


def test_in_french_a_comma_followed_by_three_digits_is_refused(
    qtbot, french, window, service, options
):
    view = _options_view(window, options[0])
    field = view.form.editors["annual_cost"]
    field.setFocus()
    field.selectAll()
    qtbot.keyClicks(field, "62,500")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert "could mean 62500 or 62,5; write one of those" in view.form.error_text("annual_cost")
    assert service.get("option", options[1].id).annual_cost == 62000


def test_changing_the_initiative_currency_repaints_the_options(qtbot, window, service, options):
    view = _options_view(window, options[0])
    window.show_page("initiative")
    page = window.pages["initiative"]
    field = page.form.editors["currency"]
    field.setFocus()
    field.selectAll()
    qtbot.keyClicks(field, "gbp")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert service.get("initiative", options[0].id).currency == "GBP"
    window.show_page("options")
    assert _cost_cell(view) == "£62,000"
    field.setFocus()
    field.selectAll()
    qtbot.keyClicks(field, "Euros")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert "not a currency code" in page.form.error_text("currency")
    assert service.get("initiative", options[0].id).currency == "GBP"


def test_a_new_initiative_takes_the_locale_currency(qtbot, window, service):
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom))
    try:
        window.dialogs.texts.append("Payroll")
        window.initiatives.new()
    finally:
        QLocale.setDefault(QLocale(QLocale.Language.C))
    assert service.find_initiative("Payroll").currency == "GBP"


def test_money_formatting_and_reading_without_qt():
    assert format_money(62000, "EUR") == "€62,000"
    assert format_money(1250.5, "USD") == "$1,250.50"
    assert format_money(500, "SEK") == "SEK\u00a0500"
    assert format_money(62000, "EUR", GERMAN_STYLE) == "62.000\u00a0€"
    assert parse_money("62.000 €", "EUR", GERMAN_STYLE) == 62000
    assert parse_money("62,5", "EUR", GERMAN_STYLE) == 62.5
    with pytest.raises(DomainError, match="could mean 62000 or 62"):
        parse_money("62,000", "EUR", GERMAN_STYLE)
    with pytest.raises(DomainError, match="could mean 62000 or 62"):
        parse_money("62.000", "EUR", ENGLISH)
    assert parse_money("", "EUR") is None


def test_excel_carries_the_currency_both_ways(service, options, tmp_path):
    path = export(service, tmp_path / "plan.xlsx", "CRM")
    wb = load_workbook(path)
    sheet = wb["Initiative"]
    assert sheet.cell(2, header_index(sheet, "Currency")).value == "EUR"
    costs = wb["Options"]
    cost = costs.cell(2, header_index(costs, "Annual cost"))
    assert cost.value == 62000 and "€" in cost.number_format

    def to_dollars(book) -> None:
        ws = book["Initiative"]
        ws.cell(2, header_index(ws, "Currency")).value = "usd"

    changed = edit(path, tmp_path / "dollars.xlsx", to_dollars)
    result = preview_import(service, changed)
    assert result.errors == [], [str(p) for p in result.problems]
    apply_import(service, result)
    assert service.get("initiative", options[0].id).currency == "USD"


def test_the_report_pack_and_the_scorecard_show_the_currency(service, options):
    initiative, option = options
    criterion = service.create("criterion", {"initiative_id": initiative.id, "name": "Fit"})
    service.create("score", {"option_id": option.id, "criterion_id": criterion.id, "score": 7})
    service.update("initiative", initiative.id, {"currency": "GBP"})
    plan = service.plan(initiative.id)
    pack = build_pack(plan, check(plan, date(2026, 12, 2)))
    [section] = [s for s in pack.sections if s.key == "options"]
    assert section.tables[0].rows[0][-1] == "£62,000"
    figure = build_chart("option-scorecard", plan, today=date(2026, 12, 2))
    assert any("£62,000 a year" in text for text in texts(figure))
