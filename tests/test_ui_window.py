"""Drive the real main window as a user would, on a fresh database, and check the file."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QApplication

from planner.ui.editors import DateField, IntField, ReferenceField, RefsField
from planner.ui.record_view import RecordView
from tests.ui_support import cell, demo_window_fixture, window_fixture  # noqa: F401


def new_initiative(window, qtbot, name="CRM rollout"):
    window.dialogs.texts.append(name)
    window.actions_.new_initiative.trigger()
    assert window.switcher.currentText() == name
    return window.ctx.initiative_id


def add_through_form(view: RecordView, qtbot, **typed):
    """Open the Add dialog, type into its fields, press Add; returns the dialog."""
    dialog = view.add()
    assert dialog is not None and dialog.isVisible()
    for name, value in typed.items():
        editor = dialog.form.editors[name]
        if isinstance(editor, RefsField):
            for title in value:
                editor.set_checked(title)
        elif isinstance(editor, DateField):
            editor.setFocus()
            editor.selectAll()
            qtbot.keyClicks(editor, value.isoformat())
        elif isinstance(editor, IntField):
            editor.lineEdit().selectAll()
            qtbot.keyClicks(editor.lineEdit(), str(value))
            editor.interpretText()  # what leaving the field or pressing Enter does
        else:
            editor.setFocus()
            editor.selectAll()
            qtbot.keyClicks(editor, str(value))
    return dialog


def press_add(dialog, qtbot):
    assert dialog.add_button.isEnabled(), dialog.form.errors
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())


def edit_cell(view: RecordView, qtbot, title: str, column: str, text: str) -> None:
    index = cell(view, title, column)
    view.table.setFocus()
    view.table.setCurrentIndex(index)
    qtbot.keyClick(view.table, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    assert editor is not None
    if hasattr(editor, "selectAll"):
        editor.selectAll()
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.table.state() != QAbstractItemView.State.EditingState)


def test_build_edit_undo_redo_filter_and_delete(window, qtbot, service):
    initiative_id = new_initiative(window, qtbot)
    view = window.show_page("stakeholders")
    dialog = add_through_form(view, qtbot, name="Sales reps", headcount=40, function="Sales")
    press_add(dialog, qtbot)
    press_add(add_through_form(view, qtbot, name="Finance"), qtbot)
    stored = {s.name: s for s in service.list("stakeholder", initiative_id)}
    assert stored["Sales reps"].headcount == 40 and stored["Sales reps"].function == "Sales"

    edit_cell(view, qtbot, "Sales reps", "power", "5")
    assert service.get("stakeholder", stored["Sales reps"].id).power == 5
    assert window.actions_.undo.text() == "&Undo Edit stakeholder ‘Sales reps’ power"
    assert cell(view, "Sales reps", "power").data() == "5"

    window.actions_.undo.trigger()
    assert service.get("stakeholder", stored["Sales reps"].id).power == 3
    assert cell(view, "Sales reps", "power").data() == "3"
    window.actions_.redo.trigger()
    assert service.get("stakeholder", stored["Sales reps"].id).power == 5

    qtbot.keyClicks(view.filter, "fin")
    assert view.proxy.rowCount() == 1
    assert view.count.text() == "1 of 2 stakeholders"
    view.filter.clear()
    assert view.proxy.rowCount() == 2 and view.count.text() == "2 stakeholders"

    view.select(stored["Sales reps"].id)
    window.dialogs.confirmations.append(True)
    window.actions_.delete.trigger()
    assert "Delete stakeholder ‘Sales reps’?" in window.dialogs.asked[-1]
    assert [s.name for s in service.list("stakeholder", initiative_id)] == ["Finance"]
    assert view.model.rowCount() == 1
    window.actions_.undo.trigger()
    restored = service.get("stakeholder", stored["Sales reps"].id)
    assert restored.power == 5 and view.model.rowCount() == 2


def test_delete_says_what_else_goes_and_cancel_keeps_everything(demo_window, demo):
    window = demo_window
    view = window.show_page("training")
    plan = demo.plan(window.ctx.initiative_id)
    attended = {s.course_id for s in plan.sessions if plan.attendance_by_session.get(s.id)}
    course = next(c for c in plan.courses if c.id in attended)
    view.select(course.id)
    window.dialogs.confirmations.append(False)
    view.delete()
    assert "session" in window.dialogs.asked[-1] and "attendance" in window.dialogs.asked[-1]
    assert demo.get("course", course.id) == course


def test_pick_an_audience_for_a_communication(window, qtbot, service):
    initiative_id = new_initiative(window, qtbot)
    reps = service.create("stakeholder", {"initiative_id": initiative_id, "name": "Sales reps"})
    service.create("stakeholder", {"initiative_id": initiative_id, "name": "Finance"})
    view = window.show_page("communications")
    dialog = add_through_form(view, qtbot, name="Kick-off mail", audience_ids=["Sales reps"])
    press_add(dialog, qtbot)
    (mail,) = service.list("communication", initiative_id)
    assert mail.audience_ids == (reps.id,)
    assert cell(view, "Kick-off mail", "audience_ids").data() == "Sales reps"

    picker = view.form.editors["audience_ids"]
    picker.set_checked("Finance")
    assert len(service.get("communication", mail.id).audience_ids) == 2
    window.actions_.undo.trigger()
    assert service.get("communication", mail.id).audience_ids == (reps.id,)
    assert picker.value() == (reps.id,)


def test_add_a_kpi_measurement_under_its_objective(window, qtbot, service):
    initiative_id = new_initiative(window, qtbot)
    page = window.show_page("objectives")
    press_add(add_through_form(page, qtbot, name="Faster sales"), qtbot)
    kpis = page.children_views[0]
    assert kpis.kind == "kpi" and kpis.parent_id is not None
    dialog = add_through_form(
        kpis, qtbot, name="Days to close", unit="days", baseline="46", target="30"
    )
    dialog.form.editors["direction"].set_value(dialog.form.editors["direction"].itemData(1))
    dialog.form.editors["direction"].activated.emit(1)
    press_add(dialog, qtbot)
    measurements = kpis.children_views[0]
    dialog = add_through_form(measurements, qtbot, measured_on=date(2027, 3, 1), value="44,5")
    press_add(dialog, qtbot)
    (objective,) = service.list("objective", initiative_id)
    (kpi,) = service.list("kpi", objective.id)
    (measurement,) = service.list("measurement", kpi.id)
    assert (kpi.baseline, kpi.target, kpi.direction.value) == (46, 30, "decrease")
    assert (measurement.measured_on, measurement.value) == (date(2027, 3, 1), 44.5)
    assert measurements.model.rowCount() == 1


def test_invalid_entries_are_refused_with_the_message_and_nothing_written(
    window, qtbot, service, db_path
):
    initiative_id = new_initiative(window, qtbot)
    rollout = window.show_page("rollout")
    dialog = add_through_form(
        rollout, qtbot, name="Pilot", starts_on=date(2027, 5, 1), ends_on=date(2027, 4, 1)
    )
    assert "before the start" in dialog.form.error_text("ends_on")
    assert not dialog.add_button.isEnabled()
    dialog.reject()
    assert service.list("phase", initiative_id) == []

    sales = service.create("stakeholder", {"initiative_id": initiative_id, "name": "Sales"})
    view = window.show_page("stakeholders")
    before = db_path.read_bytes()
    assert not view.model.setData(cell(view, "Sales", "power"), 7)
    assert view.error.isVisible() and "outside 1–5" in view.error.text()
    assert "outside 1–5" in window.message_label.text()
    assert service.get("stakeholder", sales.id).power == 3
    assert db_path.read_bytes() == before

    view.select(sales.id)
    form = view.form
    form.editors["name"].setFocus()
    form.editors["name"].selectAll()
    qtbot.keyClick(form.editors["name"], Qt.Key.Key_Delete)
    assert "name is required" in form.error_text("name")
    qtbot.keyClick(form.editors["name"], Qt.Key.Key_Tab)
    assert service.get("stakeholder", sales.id).name == "Sales"
    kind = form.editors["kind"]
    kind.setCurrentIndex(kind.findText("Person"))
    kind.activated.emit(kind.currentIndex())
    form.editors["headcount"].setValue(5)
    assert service.get(
        "stakeholder", sales.id
    ).headcount == 1 or "a person has a headcount of 1" in form.error_text("headcount")


def test_form_edits_save_field_by_field_and_undo_across_views(window, qtbot, service):
    initiative_id = new_initiative(window, qtbot)
    reps = service.create("stakeholder", {"initiative_id": initiative_id, "name": "Sales reps"})
    view = window.show_page("stakeholders")
    view.select(reps.id)
    notes = view.form.editors["notes"]
    notes.setFocus()
    qtbot.keyClicks(notes, "Lost commissions last time.")
    view.form.editors["adkar_desire"].setFocus()
    assert service.get("stakeholder", reps.id).notes == "Lost commissions last time."
    view.form.editors["adkar_awareness"].setValue(5)
    view.form.editors["adkar_desire"].setValue(1)
    assert service.get("stakeholder", reps.id).adkar_desire == 1
    assert view.form.barrier.text() == "Desire"

    window.show_page("risks")
    for _ in range(3):
        window.actions_.undo.trigger()
    assert service.get("stakeholder", reps.id).notes is None
    window.show_page("stakeholders")
    assert view.form.editors["notes"].value() == ""


def test_initiatives_create_rename_duplicate_delete(demo_window, demo):
    window = demo_window
    original = window.ctx.initiative_id
    window.dialogs.texts.append("CRM (renamed)")
    window.actions_.rename_initiative.trigger()
    assert demo.get("initiative", original).name == "CRM (renamed)"
    assert window.windowTitle().startswith("CRM (renamed) — plan.db")

    window.dialogs.texts.append("ERP template")
    window.actions_.duplicate_initiative.trigger()
    copy_id = window.ctx.initiative_id
    assert copy_id != original and window.switcher.currentText() == "ERP template"
    assert len(demo.list("stakeholder", copy_id)) == len(demo.list("stakeholder", original))

    window.dialogs.confirmations.append(True)
    window.actions_.delete_initiative.trigger()
    assert [i.name for i in demo.initiatives()] == ["CRM (renamed)"]
    assert window.ctx.initiative_id == original
    window.actions_.undo.trigger()
    assert len(demo.initiatives()) == 2


def test_jump_to_a_record_selects_it_in_its_view(demo_window, demo, qtbot):
    window = demo_window
    plan = demo.plan(window.ctx.initiative_id)
    measurement = plan.measurements[-1]
    assert window.show_record("measurement", measurement.id)
    assert window.current_page_key() == "objectives"
    page = window.pages["objectives"]
    kpis = page.children_views[0]
    assert page.current_record().id == demo.get("kpi", measurement.kpi_id).objective_id
    assert kpis.current_record().id == measurement.kpi_id
    assert kpis.children_views[0].current_record().id == measurement.id

    risk = plan.risks[0]
    window.ctx.show_record("risk", risk.id, "mitigation")
    assert window.current_page_key() == "risks"
    view = window.pages["risks"]
    assert view.current_record().id == risk.id
    qtbot.waitUntil(lambda: QApplication.focusWidget() is view.form.editors["mitigation"])


def test_keyboard_pages_and_shortcuts(demo_window, qtbot):
    window = demo_window
    shortcuts = {a.shortcut().toString() for a in window.actions()}
    for key in (
        "Ctrl+Z",
        "Ctrl+Shift+Z",
        "Ctrl+N",
        "Ctrl+O",
        "Ctrl+F",
        "Ctrl+D",
        "Del",
        "Ctrl+1",
        "Ctrl+8",
    ):
        assert key in shortcuts, key
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    assert window.current_page_key() == "communications"
    window.actions_.find.trigger()
    assert QApplication.focusWidget() is window.pages["communications"].filter
    # The View menu lists every page under its own title, numbered in order.
    entries = [
        a
        for a in window.menu("view").actions()
        if a.text().replace("&&", "&")
        in {window.nav.item(row).text() for row in range(window.nav.count())}
    ]
    assert [a.text().replace("&&", "&") for a in entries] == [
        window.nav.item(row).text() for row in range(window.nav.count())
    ]
    assert "Objectives & KPIs" in [window.nav.item(row).text() for row in range(window.nav.count())]
    assert all(QKeySequence.mnemonic(a.text()).isEmpty() for a in entries), "no stray mnemonic"
    assert [a.shortcut().toString() for a in entries[:9]] == [f"Ctrl+{n}" for n in range(1, 10)]


def test_a_whole_record_added_with_the_keyboard_only(window, qtbot, service):
    initiative_id = new_initiative(window, qtbot)
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    view = window.pages["stakeholders"]
    assert QApplication.focusWidget() is view.table
    qtbot.keyClick(view.table, Qt.Key.Key_Insert)
    dialog = view.last_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.form.editors["name"])
    qtbot.keyClicks(dialog.form.editors["name"], "Works council")
    qtbot.keyClick(dialog.form.editors["name"], Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert [s.name for s in service.list("stakeholder", initiative_id)] == ["Works council"]
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert service.list("stakeholder", initiative_id) == []


def test_a_read_only_file_offers_no_editing(qtbot, demo, db_path, tmp_path):
    from planner.persistence.database import open_database
    from planner.services.planning import PlanService
    from tests.ui_support import make_window

    demo.db.close()
    service = PlanService(open_database(db_path, read_only=True))
    window = make_window(qtbot, service, tmp_path)
    view = window.show_page("stakeholders")
    assert not view.add_button.isEnabled() and not view.delete_button.isEnabled()
    assert not window.actions_.new_initiative.isEnabled()
    index = cell(view, "Works council", "power")
    assert not view.model.flags(index) & Qt.ItemFlag.ItemIsEditable
    assert not view.form.isEnabled()
    assert window.windowTitle().endswith("(read-only)")
    service.db.close()


def test_several_rows_duplicated_and_deleted_at_once(demo_window, demo):
    window = demo_window
    view = window.show_page("risks")
    before = len(demo.list("risk", window.ctx.initiative_id))
    view.table.selectAll()
    assert len(view.selected_ids()) == before
    window.actions_.duplicate.trigger()
    assert len(demo.list("risk", window.ctx.initiative_id)) == 2 * before
    assert window.actions_.undo.text() == f"&Undo Duplicate {before} risks"
    window.actions_.undo.trigger()
    view.table.selectAll()
    window.dialogs.confirmations.append(True)
    window.actions_.delete.trigger()
    assert f"Delete {before} risks?" in window.dialogs.asked[-1]
    assert demo.list("risk", window.ctx.initiative_id) == [] and view.model.rowCount() == 0
    window.actions_.undo.trigger()
    assert view.model.rowCount() == before


def test_snapshot_of_the_stakeholders_shows_under_each(demo_window, demo):
    window = demo_window
    view = window.show_page("stakeholders")
    window.actions_.take_snapshot.trigger()
    snapshots = view.children_views[0]
    assert snapshots.model.rowCount() == 1
    assert snapshots.model.record(0).power == view.current_record().power
    assert "Snapshot taken of" in window.message_label.text()


def test_a_duplicate_the_database_refuses_is_reported_not_raised(demo_window, demo):
    window = demo_window
    page = window.show_page("training")
    plan = demo.plan(window.ctx.initiative_id)
    attendance = plan.attendance[0]
    assert window.show_record("attendance", attendance.id)
    view = page.children_views[0].children_views[0]
    assert view.current_record().id == attendance.id
    window.actions_.duplicate.trigger()
    assert "already recorded for this session" in view.error.text()
    assert len(demo.plan(window.ctx.initiative_id).attendance) == len(plan.attendance)


def test_text_being_typed_is_saved_when_the_window_closes(window, qtbot, service):
    initiative_id = new_initiative(window, qtbot)
    reps = service.create("stakeholder", {"initiative_id": initiative_id, "name": "Sales reps"})
    view = window.show_page("stakeholders")
    view.select(reps.id)
    notes = view.form.editors["notes"]
    notes.setFocus()
    qtbot.waitUntil(notes.hasFocus)
    qtbot.keyClicks(notes, "Half-way through a thought")
    window.close()
    assert service.get("stakeholder", reps.id).notes == "Half-way through a thought"


def test_painting_and_sorting_a_table_runs_no_database_queries(demo_window, demo):
    from sqlalchemy import event

    window = demo_window
    view = window.show_page("communications")
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(demo.db.engine, "before_cursor_execute", count)
    try:
        view.table.grab()
        view.table.sortByColumn(
            view.model.columns.index("audience_ids"), Qt.SortOrder.DescendingOrder
        )
        view.table.grab()
        view.filter.setText("wave")
    finally:
        event.remove(demo.db.engine, "before_cursor_execute", count)
    assert statements == []
    assert 0 < view.proxy.rowCount() < view.model.rowCount()


def test_adding_attendance_needs_a_stakeholder_to_pick(window, qtbot, service):
    initiative_id = new_initiative(window, qtbot)
    course = service.create("course", {"initiative_id": initiative_id, "name": "CRM basics"})
    service.create("session", {"course_id": course.id, "name": "A", "held_on": date(2027, 4, 2)})
    page = window.show_page("training")
    attendance = page.children_views[0].children_views[0]
    dialog = attendance.add()
    assert "stakeholder is required" in dialog.form.error_text("stakeholder_id")
    assert not dialog.add_button.isEnabled()
    dialog.reject()


def test_a_reference_cell_shows_its_record_and_lists_the_others_when_opened(
    demo_window, demo, qtbot
):
    """Who attended, edited in the table: the cell's combo holds just that stakeholder until
    its list is opened; then every stakeholder is offered, and a pick is saved."""
    window = demo_window
    page = window.show_page("training")
    plan = demo.plan(window.ctx.initiative_id)
    record = plan.attendance[0]
    assert window.show_record("attendance", record.id)
    view = page.children_views[0].children_views[0]
    index = view.proxy.index(
        view.table.currentIndex().row(), view.model.columns.index("stakeholder_id")
    )
    view.table.edit(index)
    editor = QApplication.focusWidget()
    assert isinstance(editor, ReferenceField)
    attendee = plan.by_id[record.stakeholder_id].title
    assert [editor.itemText(i) for i in range(editor.count())] == [attendee]
    names = sorted((s.title for s in plan.stakeholders), key=str.casefold)
    qtbot.mouseClick(editor, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(editor.view().isVisible)
    assert [editor.itemText(i) for i in range(editor.count())] == names
    other = next(
        s
        for s in plan.stakeholders
        if s.id != record.stakeholder_id
        and not any(
            a.session_id == record.session_id and a.stakeholder_id == s.id for a in plan.attendance
        )
    )
    popup = editor.view()
    popup.setCurrentIndex(editor.model().index(editor.findText(other.title), 0))
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: demo.get("attendance", record.id).stakeholder_id == other.id)


def test_a_new_record_with_a_required_reference_starts_at_the_first_choice(window, qtbot, service):
    initiative_id = new_initiative(window, qtbot)
    for name in ("Works council", "Billing team"):
        service.create("stakeholder", {"initiative_id": initiative_id, "name": name})
    course = service.create("course", {"initiative_id": initiative_id, "name": "CRM basics"})
    service.create("session", {"course_id": course.id, "name": "A", "held_on": date(2027, 4, 2)})
    page = window.show_page("training")
    dialog = page.children_views[0].children_views[0].add()
    picked = dialog.form.editors["stakeholder_id"]
    assert picked.currentText() == "Billing team" and picked.count() == 2
    assert dialog.add_button.isEnabled()
    dialog.reject()


def test_an_audience_shows_the_chosen_ones_until_the_user_goes_to_it(demo_window, demo, qtbot):
    """A message's audience lists only whom it reaches until the field is used; then every
    stakeholder of the initiative is offered with those ticked, and nothing is changed."""
    window = demo_window
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    plan = demo.plan(window.ctx.initiative_id)
    message = next(c for c in plan.communications if len(c.audience_ids) >= 2)
    assert window.show_record("communication", message.id)
    view = window.active_view()
    audience = view.form.editors["audience_ids"]
    assert isinstance(audience, RefsField)
    chosen = sorted((plan.by_id[i].title for i in message.audience_ids), key=str.casefold)
    shown = [audience.items.item(row).text() for row in range(audience.items.rowCount())]
    assert shown == chosen
    assert set(audience.value()) == set(message.audience_ids)
    audience.list.setFocus()
    qtbot.waitUntil(lambda: audience.items.rowCount() == len(plan.stakeholders))
    names = sorted((s.title for s in plan.stakeholders), key=str.casefold)
    assert [audience.items.item(row).text() for row in range(len(names))] == names
    assert set(audience.value()) == set(message.audience_ids)
    assert demo.get("communication", message.id).audience_ids == message.audience_ids
