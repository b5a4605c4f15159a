"""The table models on their own: Qt's model tester on every kind, sorting and filtering."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from planner.domain.errors import DomainError
from planner.domain.records import RECORD_TYPES
from planner.ui.models import RecordFilterProxy, RecordTableModel
from planner.ui.record_form import form_fields
from tests.factories import full_plan

KINDS = sorted(k for k in RECORD_TYPES)


def _model(service, kind):
    made = full_plan(service)
    record = made[kind]
    records = service.list(kind, record.parent_id())
    titles = {
        "stakeholder": {s.id: s.title for s in service.list("stakeholder", made["initiative"].id)}
    }
    edits: list[dict] = []
    model = RecordTableModel(
        kind,
        form_fields(kind),
        commit=lambda rec, changes: edits.append(changes),
        titles=lambda ref: titles.get(ref, {}),
    )
    model.set_records(records)
    return model, records


@pytest.mark.parametrize("kind", KINDS)
def test_every_record_model_passes_the_model_tester(qtmodeltester, service, kind):
    model, records = _model(service, kind)
    qtmodeltester.check(model, force_py=True)
    assert model.rowCount() == len(records) >= 1
    model.sort(1, Qt.SortOrder.DescendingOrder)
    model.set_records(records)
    model.set_records([])
    assert model.rowCount() == 0


@pytest.mark.parametrize("kind", ["stakeholder", "communication", "score", "gate_criterion"])
def test_sorting_filtering_proxy_passes_the_model_tester(qtmodeltester, service, kind):
    model, records = _model(service, kind)
    proxy = RecordFilterProxy()
    proxy.setSourceModel(model)
    qtmodeltester.check(proxy, force_py=True)
    proxy.sort(0)
    proxy.setFilterFixedString("zzz-nothing")
    assert proxy.rowCount() == 0
    proxy.setFilterFixedString("")
    model.set_records(records)
    assert proxy.rowCount() == len(records)


def test_cells_show_labels_dates_and_names(service):
    made = full_plan(service)
    comms = service.list("communication", made["initiative"].id)
    names = {s.id: s.name for s in service.list("stakeholder", made["initiative"].id)}
    columns = ["name", "channel", "audience_ids", "scheduled_on", "covers_goals", "message"]
    model = RecordTableModel("communication", columns, titles=lambda _k: names)
    model.set_records(comms)
    shown = [model.index(0, c).data() for c in range(len(columns))]
    assert shown == [
        "Kick-off mail",
        "Email",
        "CFO, Sales reps",
        "1 Feb 2027",
        None,
        "Why we change",
    ]
    assert model.index(0, 4).data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    assert model.headerData(2, Qt.Orientation.Horizontal) == "Audience"
    assert not model.flags(model.index(0, 2)) & Qt.ItemFlag.ItemIsEditable


def test_sorting_is_by_value_not_text_and_filter_matches_any_column(service):
    made = full_plan(service)
    ini = made["initiative"].id
    for name, headcount, side in [("Zeta", 9, "it"), ("Alpha", 100, "external")]:
        service.create(
            "stakeholder",
            {"initiative_id": ini, "name": name, "headcount": headcount, "side": side},
        )
    model = RecordTableModel("stakeholder", ["name", "headcount", "side"])
    model.set_records(service.list("stakeholder", ini))
    proxy = RecordFilterProxy()
    proxy.setSourceModel(model)
    proxy.sort(1, Qt.SortOrder.AscendingOrder)
    assert [proxy.index(r, 1).data() for r in range(proxy.rowCount())] == ["1", "9", "40", "100"]
    proxy.sort(2, Qt.SortOrder.AscendingOrder)
    assert [proxy.index(r, 2).data() for r in range(proxy.rowCount())] == [
        "Business",
        "IT",
        "Executive",
        "External",
    ]
    proxy.setFilterFixedString("exter")
    assert [proxy.index(r, 0).data() for r in range(proxy.rowCount())] == ["Alpha"]


def test_a_refused_cell_edit_reports_its_message_and_changes_nothing(service, qtbot):
    made = full_plan(service)
    refused: list[str] = []

    def commit(record, changes):
        service.update("stakeholder", record.id, changes)

    model = RecordTableModel("stakeholder", ["name", "power"], commit=commit)
    model.edit_refused.connect(refused.append)
    model.set_records([made["stakeholder"]])
    assert not model.setData(model.index(0, 1), 9)
    assert refused == ["Stakeholder power: 9 is outside 1–5"]
    assert service.get("stakeholder", made["stakeholder"].id).power == 2
    with pytest.raises(DomainError):
        service.update("stakeholder", made["stakeholder"].id, {"power": 9})


def test_an_empty_date_opens_its_calendar_on_this_month(qtbot):
    from datetime import date

    from planner.ui.editors import DateField

    field = DateField(optional=True)
    qtbot.addWidget(field)
    field.show()
    assert field.value() is None
    field.setFocus()
    qtbot.keyClick(field, Qt.Key.Key_F4)
    calendar = field.calendar()
    qtbot.waitUntil(calendar.isVisible)
    today = date.today()
    assert (calendar.yearShown(), calendar.monthShown()) == (today.year, today.month)
    qtbot.keyClick(calendar, Qt.Key.Key_Escape)
