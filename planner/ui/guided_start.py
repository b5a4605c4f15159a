"""The guided start: what a file with no initiative shows instead of a blank page.

A new user types the initiative's name, its dates, the sponsor and the first
stakeholders (one per line) and presses Enter (Ctrl+Enter in the stakeholders'
lines, where Enter starts the next one), one undoable step; everything else
follows from the readiness findings, which the Initiative page lists as what to add next. It is a strip above the pages, not a dialog, so it
never takes the keyboard from a window that is busy with something else.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QFont, QKeyEvent
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from planner.domain.errors import DomainError, PlannerError
from planner.domain.quoting import shown
from planner.ui.context import PlanContext
from planner.ui.date_field import DateField
from planner.ui.formatting import locale_currency, people_dates, plural
from planner.ui.record_form import error_colour


class GuidedStart(QFrame):
    """Name, dates, sponsor and first stakeholders of a first initiative, created in one go."""

    def __init__(
        self, ctx: PlanContext, created: Callable[[str], None], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("guided_start")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.ctx = ctx
        self._created = created
        heading = QLabel("Start your first initiative")
        font = QFont(heading.font())
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        heading.setFont(font)
        hint = QLabel(
            "Name it, give its dates and sponsor, and list the first stakeholders, one per "
            "line; Enter (Ctrl+Enter in the list) creates it. The Initiative page then says "
            "what to add next."
        )
        hint.setWordWrap(True)
        self.name = QLineEdit()
        self.name.setObjectName("start_name")
        self.name.setPlaceholderText("e.g. CRM rollout 2027")
        self.name.setMinimumWidth(self.name.fontMetrics().horizontalAdvance("m" * 30))
        self.start = DateField(optional=True)
        self.go_live = DateField(optional=True)
        self.sponsor = QLineEdit()
        self.sponsor.setPlaceholderText("Who owns the change at the top")
        self.stakeholders = QPlainTextEdit()
        self.stakeholders.setTabChangesFocus(True)
        self.stakeholders.installEventFilter(self)
        self.stakeholders.setPlaceholderText("Sales team\nIT service desk\nWorks council")
        self.stakeholders.setFixedHeight(self.stakeholders.fontMetrics().lineSpacing() * 5 + 12)
        self.create_button = QPushButton("Create initiative")
        self.create_button.setDefault(True)
        self.create_button.clicked.connect(self.create_initiative)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(f"color: {error_colour(self)};")
        form = QFormLayout()
        form.addRow("Name *", self.name)
        dates = QHBoxLayout()
        dates.addWidget(self.start, 1)
        dates.addWidget(QLabel("Planned go-live"))
        dates.addWidget(self.go_live, 1)
        form.addRow("Start", dates)
        form.addRow("Sponsor", self.sponsor)
        form.addRow("First stakeholders", self.stakeholders)
        buttons = QHBoxLayout()
        buttons.addWidget(self.error, 1)
        buttons.addWidget(self.create_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(heading)
        layout.addWidget(hint)
        layout.addLayout(form)
        layout.addLayout(buttons)
        for line in (self.name, self.start, self.go_live, self.sponsor):
            line.returnPressed.connect(self.create_initiative)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Ctrl+Enter in the stakeholders' lines creates, as it does in the fields above
        (Enter there starts the next line): the last name typed needs no trip to the button."""
        if (
            watched is self.stakeholders
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            self.create_initiative()
            return True
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event: object) -> None:
        key = getattr(event, "key", lambda: None)()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.create_initiative()
            return
        super().keyPressEvent(event)  # type: ignore[arg-type]

    def create_initiative(self) -> None:
        """One initiative, its first stakeholders and its sponsor, as one undoable step
        (Ctrl+Z removes it all); a refused value is said here, and nothing is created."""
        self.error.clear()
        names = self.stakeholders.toPlainText().splitlines()
        try:
            values = {
                "name": self.name.text().strip(),
                "start": self.start.value(),
                "go_live": self.go_live.value(),
                "currency": locale_currency(),
            }
            initiative = self.ctx.service.start_initiative(values, names, self.sponsor.text())
        except (DomainError, PlannerError) as exc:
            self.error.setText(people_dates(str(exc)))
            return
        added = len(self.ctx.service.list("stakeholder", initiative.id))
        self._created(initiative.id)
        self.ctx.report(
            f"Created ‘{shown(initiative.title)}’ with {plural(added, 'stakeholder')}: "
            "the Initiative page says what to add next"
        )
