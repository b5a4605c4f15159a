"""Starting from nothing: the Initiative page says what to add next, from the readiness
findings, and each button opens the page where it is added with the Add form started."""

from __future__ import annotations

from PySide6.QtTest import QTest

from planner.domain.enums import PhaseKind, Side
from planner.ui.record_form import RecordDialog
from tests.ui_support import window_fixture  # noqa: F401


def _panel(qtbot, window, initiative_id):
    window.initiatives.reload(initiative_id)
    window.show_page("initiative")
    panel = window.pages["initiative"].next_steps
    qtbot.waitUntil(lambda: bool(panel.buttons))
    return panel


def _button(panel, key):
    found = [b for b in panel.buttons if b.objectName() == f"next_{key}"]
    assert found, [b.objectName() for b in panel.buttons]
    return found[0]


def _dialog(window, kind) -> RecordDialog:
    dialogs = [
        d for d in window.findChildren(RecordDialog) if d.isVisible() and d.form.kind == kind
    ]
    assert len(dialogs) == 1, [d.form.kind for d in window.findChildren(RecordDialog)]
    return dialogs[0]


def test_an_empty_initiative_lists_what_to_add_next(qtbot, window, service):
    initiative = service.create("initiative", {"name": "Intranet"})
    panel = _panel(qtbot, window, initiative.id)
    keys = [b.objectName() for b in panel.buttons]
    assert keys[:5] == [
        "next_no-sponsor",
        "next_no-business-power",
        "next_no-objectives",
        "next_no-options",
        "next_no-phases",
    ]
    assert "next_first-stakeholder" in keys
    assert [b.text() for b in panel.buttons][:3] == [
        "Add the sponsor",
        "Add a business leader",
        "Add an objective",
    ]
    assert all(b.isVisible() for b in panel.buttons)


def test_a_button_opens_the_page_and_starts_the_record_there(qtbot, window, service):
    initiative = service.create("initiative", {"name": "Intranet"})
    panel = _panel(qtbot, window, initiative.id)
    _button(panel, "no-objectives").click()
    assert window.current_page_key() == "objectives"
    dialog = _dialog(window, "objective")
    QTest.keyClicks(dialog.form.editors["name"], "Fewer support calls")
    dialog.add_button.click()
    [objective] = service.list("objective", initiative.id)
    assert objective.name == "Fewer support calls"

    # Back on the Initiative page, the next thing is the objective's first KPI.
    window.show_page("initiative")
    qtbot.waitUntil(lambda: "next_no-objectives" not in [b.objectName() for b in panel.buttons])
    _button(panel, "objective-without-kpi").click()
    dialog = _dialog(window, "kpi")
    assert dialog.form.base_values["objective_id"] == objective.id
    QTest.keyClicks(dialog.form.editors["name"], "Calls a week")
    dialog.add_button.click()
    assert [k.name for k in service.list("kpi", objective.id)] == ["Calls a week"]


def test_buttons_start_with_what_the_finding_asks_for(qtbot, window, service):
    initiative = service.create("initiative", {"name": "Intranet"})
    panel = _panel(qtbot, window, initiative.id)
    _button(panel, "no-business-power").click()
    assert window.current_page_key() == "stakeholders"
    dialog = _dialog(window, "stakeholder")
    assert dialog.form.editors["side"].value() == Side.BUSINESS
    assert dialog.form.editors["power"].value() == 4
    dialog.reject()
    qtbot.waitUntil(lambda: not dialog.isVisible())

    window.show_page("initiative")
    _button(panel, "no-phases").click()
    assert window.current_page_key() == "rollout"
    dialog = _dialog(window, "phase")
    assert dialog.form.editors["kind"].value() == PhaseKind.PILOT
    dialog.reject()


def test_the_sponsor_button_picks_from_the_stakeholders_once_there_are_some(qtbot, window, service):
    initiative = service.create("initiative", {"name": "Intranet"})
    service.create("stakeholder", {"initiative_id": initiative.id, "name": "Ada Stone"})
    panel = _panel(qtbot, window, initiative.id)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    button = _button(panel, "no-sponsor")
    assert button.text() == "Pick the sponsor"
    button.click()
    form = window.pages["initiative"].form
    assert form.editors["sponsor_id"].hasFocus()


def test_a_finding_about_an_empty_field_opens_the_record_at_that_field(qtbot, window, service):
    initiative = service.create("initiative", {"name": "Intranet"})
    objective = service.create("objective", {"initiative_id": initiative.id, "name": "Calls"})
    kpi = service.create("kpi", {"objective_id": objective.id, "name": "Calls a week"})
    panel = _panel(qtbot, window, initiative.id)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    button = _button(panel, "kpi-without-baseline-or-target")
    assert button.text() == "Open KPI"
    button.click()
    assert window.current_page_key() == "objectives"
    objectives = window.pages["objectives"]
    kpis = next(v for v in objectives.children_views if v.kind == "kpi")
    assert kpis.current_record().id == kpi.id
    assert kpis.form.editors["baseline"].hasFocus()


def test_the_panel_checks_on_a_worker_once_per_change_and_shares_the_report(qtbot, window, service):
    """The panel asks for the plan's readiness and shows it when a worker has checked it; an
    edit drops the report, and the Readiness page then shows the one the panel was given."""
    initiative = service.create("initiative", {"name": "Intranet"})
    panel = _panel(qtbot, window, initiative.id)
    ctx = window.ctx
    first = ctx.readiness(panel.today)
    assert first is not None
    assert "next_no-objectives" in [b.objectName() for b in panel.buttons]
    service.create("objective", {"initiative_id": initiative.id, "name": "Fewer calls"})
    assert ctx.readiness(panel.today) is None  # the change dropped it
    panel.update_now()
    assert ctx.readiness(panel.today) is None  # not checked on the UI thread meanwhile
    qtbot.waitUntil(lambda: "next_no-objectives" not in [b.objectName() for b in panel.buttons])
    second = ctx.readiness(panel.today)
    assert second is not None and second is not first
    assert not second.report.findings_for(rule="no-objectives")
    page = window.show_page("readiness")
    assert page.view.report is second.report  # the same report, not checked again
