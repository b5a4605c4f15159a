"""The Stakeholder map page: Present's draggable map in the window, with a history slider.

The slider's last stop is now (drag a stakeholder to move them, one undoable
edit); each earlier stop shows every stakeholder where the snapshot taken on
that day (or the latest before it) placed them, so sliding replays how people
moved. The map is read-only while it shows the past.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSlider, QVBoxLayout, QWidget

from planner.charts.privacy import Privacy
from planner.domain.errors import PlannerError
from planner.domain.plan import Plan
from planner.domain.records import Snapshot, Stakeholder
from planner.ui.context import PlanContext
from planner.ui.formatting import format_date
from planner.ui.pages import PageSpec

if TYPE_CHECKING:
    from planner.services.readiness.model import ReadinessReport
    from planner.ui.main_window import MainWindow

PAGE_ZOOM = 0.9
"""Present's type scaled for a page of the window, not a projector."""


def as_of(plan: Plan, day: date) -> Plan:
    """The plan with every stakeholder where their latest snapshot up to `day` put them."""
    latest: dict[str, Snapshot] = {}
    for snap in sorted(plan.snapshots, key=lambda s: s.taken_on):
        if isinstance(snap, Snapshot) and snap.taken_on <= day:
            latest[snap.stakeholder_id] = snap
    stakeholders = []
    for person in plan.stakeholders:
        then = latest.get(person.id)
        if isinstance(person, Stakeholder) and then is not None:
            person = dataclasses.replace(
                person, power=then.power, interest=then.interest, engagement=then.engagement
            )
        stakeholders.append(person)
    earlier = tuple(s for s in plan.snapshots if s.taken_on <= day)
    return dataclasses.replace(plan, stakeholders=tuple(stakeholders), snapshots=earlier)


class StakeholderMapPage(QWidget):
    def __init__(self, ctx: PlanContext) -> None:
        super().__init__()
        self.ctx = ctx
        from planner.ui.present.map_slide import MapSlide  # matplotlib loads when first shown

        self.map = MapSlide(self._drop, self)
        self.slider = QSlider(Qt.Orientation.Horizontal, self)
        self.slider.setObjectName("snapshot_slider")
        self.slider.setPageStep(1)
        self.slider.setTickPosition(QSlider.TickPosition.TicksBelow)
        self.slider.setTickInterval(1)
        self.slider.setRange(0, 0)  # until refreshed: now, and nothing before it
        self.slider.setAccessibleName("Snapshot history")
        self.slider.valueChanged.connect(lambda _v: self._draw())
        self.when = QLabel("", self)
        self.when.setMinimumWidth(220)
        self.dates: list[date] = []
        self._plan: Plan | None = None
        self._report: ReadinessReport | None = None
        row = QHBoxLayout()
        row.addWidget(QLabel("History:", self))
        row.addWidget(self.slider, 1)
        row.addWidget(self.when)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.map, 1)
        self.setFocusProxy(self.slider)

    def refresh(self) -> None:
        ident = self.ctx.initiative_id
        self._plan = self.ctx.service.plan(ident) if ident is not None else None
        readiness = self.ctx.readiness_now() if self._plan is not None else None
        self._report = readiness.report if readiness is not None else None  # shared, per change
        at_now = self.slider.value() == self.slider.maximum()
        self.dates = sorted({s.taken_on for s in self._plan.snapshots}) if self._plan else []
        self.slider.blockSignals(True)
        self.slider.setRange(0, len(self.dates))
        if at_now or self.slider.value() > len(self.dates):
            self.slider.setValue(len(self.dates))
        self.slider.blockSignals(False)
        self._draw()

    @property
    def showing_now(self) -> bool:
        return self.slider.value() >= len(self.dates)

    def _draw(self) -> None:
        if self._plan is None or self._report is None:
            self.when.setText("Choose or create an initiative")
            return
        from planner.ui.present.slides import SlideState

        today = self.ctx.today()
        plan = self._plan
        if self.showing_now:
            self.when.setText("Now (drag a stakeholder to move them)")
        else:
            day = self.dates[self.slider.value()]
            plan = as_of(plan, day)
            self.when.setText(f"Snapshot of {format_date(day)}")
        self.map.editable = self.showing_now and not self.ctx.read_only
        size = (max(self.map.width(), 600), max(self.map.height(), 400))
        state = SlideState(plan, self._report, today, Privacy.OFF, PAGE_ZOOM, size)
        self.map.show_state(state)

    def writable_changed(self) -> None:
        """Saving turned on or off (the team server lost or back): dragging follows."""
        self.map.editable = self.showing_now and not self.ctx.read_only

    def _drop(self, stakeholder_id: str, power: int, interest: int) -> None:
        if not self.showing_now:
            return
        try:
            name = self.ctx.service.get("stakeholder", stakeholder_id).title
            self.ctx.service.update(
                "stakeholder",
                stakeholder_id,
                {"power": power, "interest": interest},
                label=f"Move ‘{name}’ on the stakeholder map",
            )
        except PlannerError as exc:
            self.ctx.report(str(exc), error=True)


def install(window: MainWindow) -> None:
    """The Stakeholder map page, right after the stakeholders' register."""
    window.register_page(
        PageSpec(
            "stakeholder_map",
            "Stakeholder map",
            StakeholderMapPage,
            "Power and interest, dragged to where people stand; slide back through snapshots",
        ),
        before="objectives",
    )
