"""What to add next: the Initiative page's list of the most pressing missing things.

Driven by the readiness findings: each of the first few (criticals first, one per
rule) is a line saying what is missing and a button that opens the page where it
is added, with the Add form already started (a KPI under the objective that lacks
one, a message already addressed to the group nobody reaches). A finding with no
record to start opens the record it is about. Kinds of which the plan has none and
no rule speaks of yet (the first message, the first course) follow.

The readiness check runs a moment after the panel is painted following a change,
never while the window is being built: the first screen never loads the rule
catalogue (see the start-up test), and a page nobody looks at costs nothing. It runs
on a worker thread (a large plan's check takes longer than a frame), and its report
is the one the Readiness page shows for the same state of the plan: checked once per
change, whichever asks first.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QPaintEvent, QPalette
from PySide6.QtWidgets import QGridLayout, QGroupBox, QLabel, QPushButton, QVBoxLayout, QWidget

from planner.domain.enums import PhaseKind, Side, StakeholderKind
from planner.domain.records import record_type
from planner.ui.context import PlanContext, Readiness
from planner.ui.formatting import people_dates, readable
from planner.ui.record_form import error_colour

MOST = 6
"""How many things the panel lists: enough to start a day's work, few enough to read."""

SETTLE_MS = 400
"""How long the panel waits, once painted after a change, before it checks again: a burst
of changes is one check, and the window's first paint is long over when it runs."""


@dataclass(frozen=True)
class Start:
    """How to act on a finding: the kind of record to start and what it starts with."""

    kind: str
    button: str
    under_record: bool = False
    """The new record goes under the finding's record (a KPI under its objective)."""
    values: Mapping[str, Any] = field(default_factory=dict)
    link: str | None = None
    """A list field the finding's record is put in (a message's audience)."""


_AUDIENCE = Start("communication", "Plan a message", link="audience_ids")

STARTS: dict[str, Start] = {
    "no-business-power": Start(
        "stakeholder",
        "Add a business leader",
        values={"side": Side.BUSINESS, "power": 4},
    ),
    "no-objectives": Start("objective", "Add an objective"),
    "objective-without-kpi": Start("kpi", "Add a KPI", under_record=True),
    "kpi-never-measured": Start("measurement", "Add a measurement", under_record=True),
    "no-options": Start("option", "Add an option"),
    "option-not-fully-scored": Start("score", "Add a score", under_record=True),
    "no-phases": Start("phase", "Add the pilot", values={"kind": PhaseKind.PILOT}),
    "no-pilot": Start("phase", "Add the pilot", values={"kind": PhaseKind.PILOT}),
    "phase-without-gate-criteria": Start("gate_criterion", "Add a criterion", under_record=True),
    "resistance-without-plan": Start("risk", "Add a risk", link="stakeholder_ids"),
    "impacted-group-no-training": Start("course", "Add a course", link="audience_ids"),
    "key-player-not-reached": _AUDIENCE,
    "impacted-not-reached": _AUDIENCE,
    "never-hears-benefits": _AUDIENCE,
    "never-hears-why-or-when": _AUDIENCE,
    "never-hears-where-to-get-help": _AUDIENCE,
}

# Findings about a field left empty: "Open" puts the cursor in that field.
FIELDS = {
    "kpi-without-baseline-or-target": "baseline",
    "kpi-without-owner-or-due": "owner",
    "kpi-without-unit": "unit",
    "objective-without-owner": "owner",
    "communication-without-owner": "owner",
    "no-relationship-owner": "owner",
    "never-involved": "involved_on",
}

_SPONSOR = Start(
    "stakeholder",
    "Add the sponsor",
    values={"kind": StakeholderKind.PERSON, "side": Side.EXECUTIVE, "power": 5},
)

# Kinds the plan has none of, that no rule looks for until there is one.
FIRSTS = (
    ("stakeholder", "The plan has no stakeholders yet.", "Add a stakeholder"),
    ("communication", "No message is planned yet.", "Plan a message"),
    ("course", "No training is planned yet.", "Add a course"),
)


@dataclass(frozen=True)
class Step:
    """One line of the panel: what is missing, the button's words, and what it does."""

    key: str
    text: str
    severity: str
    button: str
    act: Callable[[], object]


def next_steps(ctx: PlanContext, readiness: Readiness) -> list[Step]:
    """The first things to add to the current initiative, most pressing first."""
    ident = ctx.initiative_id
    if ident is None:
        return []
    steps: list[Step] = []
    seen: set[str] = set()
    for finding in readiness.report.findings:
        if finding.rule in seen or len(steps) >= MOST:
            continue
        step = _step(ctx, finding, "stakeholder" in readiness.present)
        if step is not None:
            seen.add(finding.rule)
            steps.append(step)
    for kind, text, button in FIRSTS:
        if len(steps) < MOST and kind not in readiness.present and kind not in _started(steps):
            steps.append(Step(f"first-{kind}", text, "info", button, _adder(ctx, kind, ident)))
    return steps


def _started(steps: list[Step]) -> set[str]:
    return {step.key.removeprefix("first-") for step in steps}


def _adder(
    ctx: PlanContext, kind: str, parent_id: str, values: Mapping[str, Any] | None = None
) -> Callable[[], object]:
    parent = record_type(kind).PARENT
    parent_kind = parent[1] if parent else "initiative"
    return lambda: ctx.start_new(kind, parent_kind, parent_id, dict(values or {}))


def _step(ctx: PlanContext, finding: Any, has_stakeholders: bool) -> Step | None:
    """The finding's line; None for one about nothing a button can open."""
    record = finding.record
    text = people_dates(finding.action or finding.message)
    key, severity = finding.rule, finding.severity
    assert ctx.initiative_id is not None
    if finding.rule == "no-sponsor":
        if has_stakeholders and record is not None:
            pick = lambda: ctx.show_record("initiative", record.id, "sponsor_id")  # noqa: E731
            return Step(key, text, severity, "Pick the sponsor", pick)
        add = _adder(ctx, _SPONSOR.kind, ctx.initiative_id, _SPONSOR.values)
        return Step(key, text, severity, _SPONSOR.button, add)
    start = STARTS.get(finding.rule)
    if start is None or (record is None and (start.under_record or start.link)):
        if record is None:
            return None
        return Step(
            key,
            text,
            severity,
            f"Open {readable(record_type(record.kind).LABEL)}",
            lambda: ctx.show_record(record.kind, record.id, FIELDS.get(finding.rule)),
        )
    values = dict(start.values)
    if start.link is not None:
        values[start.link] = (record.id,)
    parent_id = record.id if start.under_record else ctx.initiative_id
    return Step(key, text, severity, start.button, _adder(ctx, start.kind, parent_id, values))


_MARKS = {"critical": "●", "warning": "▲", "info": "○"}


class NextStepsPanel(QGroupBox):
    """The Initiative page's "What to add next", refreshed a moment after each change."""

    def __init__(self, ctx: PlanContext, parent: QWidget | None = None) -> None:
        super().__init__("What to add next", parent)
        self.setObjectName("next_steps")
        self.ctx = ctx
        self.steps: list[Step] = []
        self.buttons: list[QPushButton] = []
        self.today: date | None = None
        """The day the findings are for (None: today); tests and screenshots set it."""
        self._due = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SETTLE_MS)
        self._timer.timeout.connect(self.update_now)
        self._rows = QGridLayout()
        self._rows.setColumnStretch(1, 1)
        self._rows.setHorizontalSpacing(10)
        self._rows.setVerticalSpacing(8)
        self.empty = QLabel("Nothing pressing: the Readiness page has the full list.", self)
        self.empty.setWordWrap(True)
        self.empty.hide()
        layout = QVBoxLayout(self)
        layout.addLayout(self._rows)
        layout.addWidget(self.empty)
        layout.addStretch(1)

    def refresh(self) -> None:
        """Check again soon after the panel is next painted (a burst of changes is one check).

        Waiting for a paint keeps the check off a hidden page and out of start-up: the
        window's first paint comes before it, and the rule catalogue loads after.
        """
        self._due = True
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self._due and not self._timer.isActive():
            self._timer.start()

    def update_now(self) -> None:
        """Ask for the plan's readiness (checked on a worker unless known since the last
        change); the panel shows its steps once it comes."""
        self._timer.stop()
        self._due = False
        if self.ctx.initiative_id is None:
            self._show([])
            return
        self.ctx.check_readiness(self.today, self._checked, self._failed)

    def _checked(self, readiness: Readiness) -> None:
        self._show(next_steps(self.ctx, readiness))

    def _failed(self, _message: str) -> None:
        self._show([])  # a damaged file: the safety banner says what is wrong

    def _colour(self, severity: str) -> str:
        """Red for a critical finding, amber for a warning, readable on light and dark."""
        if severity == "critical":
            return error_colour(self)
        if severity == "warning":
            dark = self.palette().color(QPalette.ColorRole.Window).lightness() < 128
            return "#e3b341" if dark else "#9a5b00"
        return ""

    def _show(self, steps: list[Step]) -> None:
        while self._rows.count():
            item = self._rows.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        self.steps = steps
        self.buttons = []
        for row, step in enumerate(steps):
            mark = QLabel(_MARKS.get(step.severity, "○"), self)
            mark.setToolTip(step.severity.capitalize())
            colour = self._colour(step.severity)
            if colour:
                mark.setStyleSheet(f"color: {colour};")
            text = QLabel(step.text, self)
            text.setWordWrap(True)
            button = QPushButton(step.button, self)
            button.setObjectName(f"next_{step.key}")
            button.setEnabled(not self.ctx.read_only)
            button.clicked.connect(lambda _c=False, act=step.act: act())
            self._rows.addWidget(mark, row, 0, Qt.AlignmentFlag.AlignTop)
            self._rows.addWidget(text, row, 1)
            self._rows.addWidget(button, row, 2, Qt.AlignmentFlag.AlignTop)
            for widget in (mark, text, button):
                widget.show()  # at once: a layout would show them only after the next events
            self.buttons.append(button)
        self.empty.setVisible(not steps and self.ctx.initiative_id is not None)
