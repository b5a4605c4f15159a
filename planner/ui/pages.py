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
from dataclasses import dataclass, replace

from PySide6.QtWidgets import QApplication, QHBoxLayout, QTabWidget, QWidget

from planner.domain.errors import PlannerError
from planner.domain.records import RECORD_TYPES
from planner.services.history import Command
from planner.ui.context import PlanContext
from planner.ui.next_steps import NextStepsPanel
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
            ctx,
            commit=self._commit,
            fields=[
                "name",
                "status",
                "sponsor_id",
                "start",
                "go_live",
                "currency",
                "summary",
                "readiness_thresholds",
            ],
            parent=self,
        )
        self.form.setMaximumWidth(720)
        self.next_steps = NextStepsPanel(ctx, self)
        self.next_steps.setMinimumWidth(320)
        layout = QHBoxLayout(self)
        layout.addWidget(scrolling(self.form), 3)
        layout.addWidget(self.next_steps, 2)

    def _commit(self, record: object, name: str, value: object) -> None:
        assert self.ctx.initiative_id is not None
        self.ctx.service.update("initiative", self.ctx.initiative_id, {name: value})

    def refresh(self) -> None:
        ident = self.ctx.initiative_id
        try:
            # the sponsor is shown by reading that one stakeholder; the list waits for its popup
            self.form.set_record(self.ctx.service.get("initiative", ident) if ident else None)
        except PlannerError:
            self.form.setVisible(False)  # a damaged file: the safety banner says what is wrong
        self.next_steps.refresh()

    def handles(self, kind: str) -> bool:
        return kind == "initiative"

    def show_record(self, kind: str, record_id: str) -> bool:
        self.form.setFocus()
        return kind == "initiative"


# How a kind's table looks, beyond its declaration (hidden columns, sort, height).
# A kind not named here shows every field, sorted by name.
LOOKS: dict[str, TableSpec] = {
    spec.kind: spec
    for spec in (
        TableSpec(
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
            children_height=190,
        ),
        TableSpec("snapshot", sort="taken_on", empty=("No snapshots yet", "take_snapshot")),
        TableSpec("measurement", sort="measured_on"),
        TableSpec(
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
        ),
        TableSpec("session", sort="held_on"),
        TableSpec("attendance", sort="stakeholder_id"),
        TableSpec("phase", sort="sequence"),
        TableSpec("score", sort="criterion_id"),
    )
}


def table_spec(kind: str) -> TableSpec:
    """A kind's table with, under it, the tables of every kind whose parent it is (declared order)."""
    children = tuple(
        table_spec(child)
        for child, cls in RECORD_TYPES.items()
        if cls.PARENT is not None and cls.PARENT[1] == kind
    )
    return replace(LOOKS.get(kind, TableSpec(kind)), children=children)


@dataclass(frozen=True)
class PlanPage:
    """A page of the plan: the kinds directly under an initiative that it lists, and its words."""

    key: str
    title: str
    kinds: tuple[str, ...]
    tooltip: str


PLAN_PAGES = (
    PlanPage(
        "stakeholders",
        "Stakeholders",
        ("stakeholder",),
        "Who is affected and who has a say: power, interest, engagement, ADKAR",
    ),
    PlanPage(
        "objectives",
        "Objectives & KPIs",
        ("objective",),
        "Measurable objectives, their KPIs and measured actuals",
    ),
    PlanPage(
        "communications", "Communications", ("communication",), "Who hears what, when and how"
    ),
    PlanPage("training", "Training", ("course",), "Courses, their sessions and who attended"),
    PlanPage("rollout", "Rollout", ("phase",), "Pilot and waves, with their go/no-go gates"),
    PlanPage(
        "options",
        "Options",
        ("option", "criterion"),
        "Candidate solutions scored against weighted criteria",
    ),
    PlanPage("risks", "Risks", ("risk",), "Risks and resistance, with owners and mitigation"),
    PlanPage(
        "units",
        "Units and impact",
        ("unit", "impact_assessment"),
        "The organisation's units shared by every initiative, and this initiative's impact on each",
    ),
)


def plan_pages() -> list[PlanPage]:
    """`PLAN_PAGES`, then a page of its own for any kind under an initiative (or of the
    file's own, like the units) not on one of them."""
    listed = {kind for page in PLAN_PAGES for kind in page.kinds}
    extra = [
        PlanPage(kind, cls.PLURAL, (kind,), "")
        for kind, cls in RECORD_TYPES.items()
        if kind != "initiative"
        and (cls.PARENT is None or cls.PARENT[1] == "initiative")
        and kind not in listed
    ]
    return [*PLAN_PAGES, *extra]


def _factory(page: PlanPage) -> Callable[[PlanContext], QWidget]:
    specs = [table_spec(kind) for kind in page.kinds]
    if len(specs) == 1:
        return lambda ctx: TablePage(ctx, specs[0])
    return lambda ctx: TabbedPage(ctx, specs)


def builtin_pages() -> list[PageSpec]:
    return [
        PageSpec(
            "initiative",
            "Initiative",
            InitiativePage,
            "Name, sponsor, dates and status of the initiative",
        ),
        *(PageSpec(page.key, page.title, _factory(page), page.tooltip) for page in plan_pages()),
    ]
