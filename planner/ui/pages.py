"""The plan's own pages, and the registry through which any page joins the window.

A page is a QWidget made by a factory from the `PlanContext`. The window calls
these methods when a page defines them (all optional):

- `refresh()`: the plan or the initiative changed; called at once when the page
  is showing, otherwise when it is next shown (hidden pages cost nothing);
- `apply_change(command)`: instead of `refresh()` when the page is showing and
  up to date, to follow one edit cheaply (e.g. repaint one row);
- `handles(kind) -> bool` and `show_record(kind, id) -> bool`: the page can
  select a record of that kind (what `ctx.show_record` / "jump to" uses);
- `active_view() -> RecordView | None`: the table the Edit menu's Add,
  Duplicate and Delete act on.

To add a page (the Readiness view, say)::

    window.register_page(PageSpec("readiness", "Readiness", ReadinessView, "What is missing"))

`register_page` takes an optional `before=` key to choose its place in the list.
The page is built the first time it is shown, so a factory must not assume it
runs at start-up.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtWidgets import QApplication, QTabWidget, QVBoxLayout, QWidget

from planner.domain.errors import PlannerError
from planner.services.history import Command
from planner.ui.context import PlanContext
from planner.ui.record_form import RecordForm, scrolling
from planner.ui.record_view import RecordView, TableSpec


@dataclass(frozen=True)
class PageSpec:
    key: str
    title: str
    factory: Callable[[PlanContext], QWidget]
    tooltip: str = ""


class TablePage(RecordView):
    """A top-level RecordView: its records hang under the current initiative."""

    def refresh(self) -> None:
        self.set_parent_id(self.ctx.initiative_id)

    def active_view(self) -> RecordView | None:
        return _focused_view(self) or self


class TabbedPage(QTabWidget):
    """Several top-level tables on one page (options and the criteria they are scored on)."""

    def __init__(self, ctx: PlanContext, specs: list[TableSpec]) -> None:
        super().__init__()
        self.setDocumentMode(True)
        self.views = [TablePage(ctx, spec, self) for spec in specs]
        for view in self.views:
            self.addTab(view, view.record_class.PLURAL)

    def refresh(self) -> None:
        for view in self.views:
            view.refresh()

    def apply_change(self, command: Command) -> None:
        for view in self.views:
            view.apply_change(command)

    def handles(self, kind: str) -> bool:
        return any(view.handles(kind) for view in self.views)

    def show_record(self, kind: str, record_id: str) -> bool:
        for view in self.views:
            if view.handles(kind):
                self.setCurrentWidget(view)
                return view.show_record(kind, record_id)
        return False

    def active_view(self) -> RecordView | None:
        current = self.currentWidget()
        return _focused_view(self) or (current if isinstance(current, RecordView) else None)


def _focused_view(page: QWidget) -> RecordView | None:
    widget = QApplication.focusWidget()
    while widget is not None and widget is not page:
        if isinstance(widget, RecordView):
            return widget
        widget = widget.parentWidget()
    return None


class InitiativePage(QWidget):
    """The initiative's own fields: name, summary, sponsor, dates, status."""

    def __init__(self, ctx: PlanContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.form = RecordForm(
            "initiative",
            ctx.candidates,
            commit=self._commit,
            fields=[
                "name",
                "status",
                "sponsor_id",
                "start",
                "go_live",
                "summary",
                "readiness_thresholds",
            ],
            parent=self,
        )
        self.form.setMaximumWidth(720)
        layout = QVBoxLayout(self)
        layout.addWidget(scrolling(self.form))

    def _commit(self, record: object, name: str, value: object) -> None:
        assert self.ctx.initiative_id is not None
        self.ctx.service.update("initiative", self.ctx.initiative_id, {name: value})

    def refresh(self) -> None:
        ident = self.ctx.initiative_id
        try:
            # the sponsor's candidates are the stakeholders: this reads more than the initiative
            self.form.set_record(self.ctx.service.get("initiative", ident) if ident else None)
        except PlannerError:
            self.form.setVisible(False)  # a damaged file: the safety banner says what is wrong

    def handles(self, kind: str) -> bool:
        return kind == "initiative"

    def show_record(self, kind: str, record_id: str) -> bool:
        self.form.setFocus()
        return kind == "initiative"


STAKEHOLDERS = TableSpec(
    "stakeholder",
    hidden=(
        "adkar_awareness",
        "adkar_desire",
        "adkar_knowledge",
        "adkar_ability",
        "adkar_reinforcement",
        "owner",
        "desired_engagement",
    ),
    children=(TableSpec("snapshot", sort="taken_on"),),
    children_height=190,
)
OBJECTIVES = TableSpec(
    "objective",
    children=(TableSpec("kpi", children=(TableSpec("measurement", sort="measured_on"),)),),
)
COMMUNICATIONS = TableSpec(
    "communication",
    hidden=(
        "covers_goals",
        "covers_benefits",
        "covers_timeline",
        "covers_what_changes",
        "covers_help",
        "repeat_until",
    ),
    sort="scheduled_on",
)
TRAINING = TableSpec(
    "course",
    children=(
        TableSpec(
            "session", sort="held_on", children=(TableSpec("attendance", sort="stakeholder_id"),)
        ),
    ),
)
ROLLOUT = TableSpec("phase", sort="sequence", children=(TableSpec("gate_criterion"),))
OPTIONS = TableSpec("option", children=(TableSpec("score", sort="criterion_id"),))
CRITERIA = TableSpec("criterion")
RISKS = TableSpec("risk")


def builtin_pages() -> list[PageSpec]:
    return [
        PageSpec(
            "initiative",
            "Initiative",
            InitiativePage,
            "Name, sponsor, dates and status of the initiative",
        ),
        PageSpec(
            "stakeholders",
            "Stakeholders",
            lambda ctx: TablePage(ctx, STAKEHOLDERS),
            "Who is affected and who has a say: power, interest, engagement, ADKAR",
        ),
        PageSpec(
            "objectives",
            "Objectives & KPIs",
            lambda ctx: TablePage(ctx, OBJECTIVES),
            "Measurable objectives, their KPIs and measured actuals",
        ),
        PageSpec(
            "communications",
            "Communications",
            lambda ctx: TablePage(ctx, COMMUNICATIONS),
            "Who hears what, when and how",
        ),
        PageSpec(
            "training",
            "Training",
            lambda ctx: TablePage(ctx, TRAINING),
            "Courses, their sessions and who attended",
        ),
        PageSpec(
            "rollout",
            "Rollout",
            lambda ctx: TablePage(ctx, ROLLOUT),
            "Pilot and waves, with their go/no-go gates",
        ),
        PageSpec(
            "options",
            "Options",
            lambda ctx: TabbedPage(ctx, [OPTIONS, CRITERIA]),
            "Candidate solutions scored against weighted criteria",
        ),
        PageSpec(
            "risks",
            "Risks",
            lambda ctx: TablePage(ctx, RISKS),
            "Risks and resistance, with owners and mitigation",
        ),
    ]
