"""The Readiness view: scores, findings filtered by dimension and severity, jumps, gates, live updates."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from planner.services.readiness import DIMENSIONS, check
from planner.ui.findings_model import RECORD_ROLE, FindingsFilter, FindingsModel
from planner.ui.formatting import NONE_TEXT, people_dates
from planner.ui.readiness_view import ReadinessView
from tests.conftest import DEMO_TODAY


@pytest.fixture
def initiative_id(demo):
    return demo.initiatives()[0].id


@pytest.fixture
def view(qtbot, demo, initiative_id):
    widget = ReadinessView(demo, initiative_id, today=DEMO_TODAY)
    qtbot.addWidget(widget)
    widget.resize(1200, 800)
    widget.show()
    return widget


def _stakeholder(service, initiative_id, name):
    return next(s for s in service.list("stakeholder", initiative_id) if s.name == name)


def test_findings_model_and_filter_pass_the_model_tester(qtmodeltester, demo, initiative_id):
    report = check(demo.plan(initiative_id), DEMO_TODAY)
    model = FindingsModel()
    model.set_findings(report.findings)
    qtmodeltester.check(model)
    proxy = FindingsFilter()
    proxy.setSourceModel(model)
    proxy.set_dimension("change_management")
    proxy.set_severity("critical")
    qtmodeltester.check(proxy)
    assert model.rowCount() == len(report.findings)


def test_view_shows_the_scores_of_the_check(view, demo, initiative_id):
    report = check(demo.plan(initiative_id), DEMO_TODAY)
    assert view.score_label.text() == str(report.score)
    for dimension in report.dimensions:
        assert view.dimension_bars[dimension.key].value() == dimension.score
    assert view.model.rowCount() == len(report.findings) > 0
    assert [card.gate.phase for card in view.gates.cards] == [g.phase for g in report.gates]


def test_view_says_what_to_do_and_each_dimensions_status(view, demo, initiative_id):
    report = check(demo.plan(initiative_id), DEMO_TODAY)
    header = [view.proxy.headerData(c, Qt.Orientation.Horizontal) for c in range(6)]
    assert header[2:4] == ["Finding", "What to do"]
    shown = {
        (view.proxy.index(r, 2).data(), view.proxy.index(r, 3).data())
        for r in range(view.proxy.rowCount())
    }
    # The messages' dates are written as the tables write them ("18 Jan 2027").
    assert shown == {(people_dates(f.message), f.action) for f in report.findings}
    assert any(a.startswith("Schedule a session for ") for _m, a in shown)
    for dimension in report.dimensions:
        text = view.dimension_counts[dimension.key].text()
        assert text.startswith(dimension.status_label + " · ")
    assert view.dimension_counts["change_management"].text().startswith("red")


def test_filters_by_dimension_and_severity(view):
    report = view.report
    view.dimension_filter.setCurrentIndex(view.dimension_filter.findData("change_management"))
    expected = [f for f in report.findings if f.dimension == "change_management"]
    assert view.proxy.rowCount() == len(expected) > 0
    view.severity_filter.setCurrentIndex(view.severity_filter.findData("warning"))
    expected = [f for f in expected if f.severity == "warning"]
    assert view.proxy.rowCount() == len(expected) > 0
    assert view.count_label.text() == f"{len(expected)} of {len(report.findings)} shown"
    for row in range(view.proxy.rowCount()):
        assert view.proxy.index(row, 0).data() == "Warning"
        assert view.proxy.index(row, 1).data() == dict(DIMENSIONS)["change_management"]
    view.dimension_filter.setCurrentIndex(0)
    view.severity_filter.setCurrentIndex(0)
    assert view.proxy.rowCount() == len(report.findings)


def test_double_click_on_a_finding_asks_for_its_record(qtbot, view):
    view.dimension_filter.setCurrentIndex(view.dimension_filter.findData("objectives"))
    index = view.proxy.index(0, 2)
    expected = view.proxy.data(index, RECORD_ROLE)
    assert expected is not None
    centre = view.table.visualRect(index).center()
    qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    with qtbot.waitSignal(view.record_requested) as signal:
        qtbot.mouseDClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    assert tuple(signal.args) == expected


def test_view_follows_edits_undo_and_redo(view, demo, initiative_id):
    council = _stakeholder(demo, initiative_id, "Works council")

    def owner_findings():
        return [
            f
            for f in view.report.findings
            if f.rule == "no-relationship-owner" and f.record and f.record.id == council.id
        ]

    assert owner_findings()
    before = view.model.rowCount()
    demo.update("stakeholder", council.id, {"owner": "Priya Natarajan"})
    assert owner_findings() == []
    assert view.model.rowCount() == before - 1
    demo.history.undo()
    assert owner_findings()
    assert view.model.rowCount() == before


def test_gate_cards_show_each_criterion_and_follow_edits(view, demo, initiative_id):
    plan = demo.plan(initiative_id)
    wave2 = next(p for p in plan.phases if p.name.startswith("Wave 2"))
    card = next(c for c in view.gates.cards if c.gate.phase_id == wave2.id)
    assert card.gate.criteria == []
    demo.create(
        "gate_criterion",
        {"phase_id": wave2.id, "name": "Billing runs clean", "kind": "manual", "met": True},
    )
    card = next(c for c in view.gates.cards if c.gate.phase_id == wave2.id)
    assert [c.description for c in card.gate.criteria] == ["Billing runs clean"]


def test_view_without_initiative_says_so(qtbot, demo):
    widget = ReadinessView(demo, None)
    qtbot.addWidget(widget)
    assert widget.model.rowCount() == 0
    assert widget.score_caption.text() == "No initiative selected."


def test_the_sponsor_is_picked_by_keyboard_without_opening_its_list(
    qtbot, demo, initiative_id, tmp_path
):
    """Arrow keys on the closed combo move through every stakeholder (the list is read at the
    first key) and each step is saved; a stakeholder renamed since shows its new name."""
    from tests.ui_support import make_window

    window = make_window(qtbot, demo, tmp_path)
    assert window.show_page("initiative") is not None
    sponsor = window.pages["initiative"].form.editors["sponsor_id"]
    names = sorted((s.name for s in demo.list("stakeholder", initiative_id)), key=str.casefold)
    following = names[names.index("Dana Whitfield (CEO)") + 1]
    sponsor.setFocus()
    qtbot.keyClick(sponsor, Qt.Key.Key_Down)
    assert sponsor.count() == len(names) + 1 and sponsor.currentText() == following

    def saved() -> str:
        plan = demo.plan(initiative_id)
        return plan.by_id[plan.initiative.sponsor_id].title

    qtbot.waitUntil(lambda: saved() == following)
    window.pages["initiative"].form.editors["name"].setFocus()  # the user goes on elsewhere
    dana = _stakeholder(demo, initiative_id, "Dana Whitfield (CEO)")
    demo.update("initiative", initiative_id, {"sponsor_id": dana.id})
    demo.update("stakeholder", dana.id, {"name": "Dana Whitfield (Chair)"})
    qtbot.waitUntil(lambda: sponsor.currentText() == "Dana Whitfield (Chair)")


def test_rules_dialog_shows_every_rule(qtbot):
    from planner.services.readiness import RULES
    from planner.ui.rules_dialog import RulesDialog

    dialog = RulesDialog()
    qtbot.addWidget(dialog)
    text = dialog.browser.toPlainText()
    assert all(rule.title in text for rule in RULES)


def test_the_initiative_page_picks_the_sponsor_among_stakeholders_and_edits_thresholds(
    qtbot, demo, initiative_id, tmp_path
):
    from tests.ui_support import make_window

    window = make_window(qtbot, demo, tmp_path)
    page = window.pages["initiative"]
    sponsor = page.form.editors["sponsor_id"]
    # Before its list is opened, the combo shows the sponsor and holds nothing else: opening
    # the page read that one stakeholder, not all of them.
    assert sponsor.currentText() == "Dana Whitfield (CEO)"
    assert [sponsor.itemText(i) for i in range(sponsor.count())] == [
        NONE_TEXT,
        "Dana Whitfield (CEO)",
    ]
    qtbot.mouseClick(sponsor, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(sponsor.view().isVisible)
    offered = [sponsor.itemText(i) for i in range(sponsor.count())]
    names = sorted((s.name for s in demo.list("stakeholder", initiative_id)), key=str.casefold)
    assert offered == [NONE_TEXT, *names]
    assert sponsor.currentText() == "Dana Whitfield (CEO)"
    # A pick in the open list (as a click or Enter there does) saves it.
    popup = sponsor.view()
    popup.setCurrentIndex(sponsor.model().index(sponsor.findText("Sofia Romero (VP Sales)"), 0))
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: (
            demo.plan(initiative_id).by_id[demo.plan(initiative_id).initiative.sponsor_id].title
            == "Sofia Romero (VP Sales)"
        )
    )
    assert "readiness_thresholds" in page.form.editors
