"""Go/no-go gates as cards: one per phase, coloured by status, each criterion with its evidence.

Shared by the Readiness view and the Present slides; the point size is a
parameter so a projected slide can scale the cards with its own zoom.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QVBoxLayout, QWidget

from planner.services.readiness import CriterionResult, GateResult
from planner.ui.formatting import format_date, people_dates
from planner.ui.theme import is_dark

STATUS_COLOURS = {"green": "#2e7d32", "amber": "#ef8f00", "red": "#c62828"}
STATUS_ON_DARK = {"green": "#66bb6a", "amber": "#ffb74d", "red": "#ff7b72"}
STATUS_WORDS = {"green": "Ready", "amber": "At risk", "red": "Not ready"}


def status_colours(palette: QPalette) -> dict[str, str]:
    """Status colours that read on the palette's surface (lighter ones on a dark theme)."""
    return STATUS_ON_DARK if is_dark(palette) else STATUS_COLOURS


def _tint(colour: str, palette: QPalette, share: float = 0.14) -> str:
    """A card's background: the surface with a little of the status colour in it."""
    base, ink = palette.color(QPalette.ColorRole.Base), QColor(colour)
    mixed = [
        round(b + (i - b) * share)
        for b, i in zip(
            (base.red(), base.green(), base.blue()),
            (ink.red(), ink.green(), ink.blue()),
            strict=True,
        )
    ]
    return QColor(*mixed).name()


def _mark(criterion: CriterionResult, colours: dict[str, str]) -> tuple[str, str]:
    if criterion.met is True:
        return "✔", colours["green"]
    if criterion.met is False:
        return "✘", colours["red"]
    return "?", colours["amber"]


def _label(
    text: str, point_size: float, *, colour: str, bold: bool = False, wrap: bool = True
) -> QLabel:
    label = QLabel(text)
    font = QFont(label.font())
    font.setPointSizeF(point_size)
    font.setBold(bold)
    label.setFont(font)
    label.setStyleSheet(f"color: {colour}; background: transparent; border: none;")
    label.setWordWrap(wrap)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class GateCard(QFrame):
    def __init__(self, gate: GateResult, point_size: float, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.gate = gate
        palette = (parent or self).palette()
        colours = status_colours(palette)
        ink = palette.color(QPalette.ColorRole.Text).name()
        colour = colours.get(gate.status, "#777777")
        self.setObjectName("gateCard")
        self.setStyleSheet(
            f"#gateCard {{ background: {_tint(colour, palette)};"
            f" border: 1px solid {colour}; border-left: 8px solid {colour};"
            f" border-radius: 2px; }}"
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        kind = "Pilot" if gate.kind == "pilot" else "Wave"
        when = f" · starts {format_date(gate.starts_on)}" if gate.starts_on else ""
        decision = gate.decision.replace("_", " ")
        layout.addWidget(_label(gate.phase, point_size * 1.25, bold=True, colour=ink))
        self.status_label = _label(
            f"{STATUS_WORDS.get(gate.status, gate.status)} · {kind}{when} · decision: {decision}",
            point_size,
            bold=True,
            colour=colour,
        )
        layout.addWidget(self.status_label)
        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        grid.setColumnStretch(1, 1)
        if not gate.criteria:
            grid.addWidget(
                _label(
                    "No gate criteria: nothing decides go or no-go.",
                    point_size,
                    colour=colours["red"],
                ),
                0,
                0,
                1,
                2,
            )
        for row, criterion in enumerate(gate.criteria):
            mark, mark_colour = _mark(criterion, colours)
            grid.addWidget(
                _label(mark, point_size * 1.1, bold=True, colour=mark_colour, wrap=False),
                row,
                0,
                Qt.AlignmentFlag.AlignTop,
            )
            text = criterion.description
            if criterion.detail:
                text += f" — {criterion.detail}"
            grid.addWidget(_label(people_dates(text), point_size, colour=ink), row, 1)
        layout.addLayout(grid)
        layout.addStretch(1)


class GateCardsPanel(QWidget):
    """The gates of a plan, laid out in columns; rebuilt when the report or the size changes."""

    def __init__(
        self, point_size: float = 10.0, columns: int = 3, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._gates: list[GateResult] = []
        self._point_size = point_size
        self._columns = columns
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setSpacing(12)
        self.cards: list[GateCard] = []
        self._rebuild()

    def set_gates(self, gates: list[GateResult], *, point_size: float | None = None) -> None:
        self._gates = list(gates)
        if point_size is not None:
            self._point_size = point_size
        self._rebuild()

    def _rebuild(self) -> None:
        while self._grid.count():
            item = self._grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()  # gone from the screen now, not when the event loop next runs
                widget.deleteLater()
        self.cards = []
        if not self._gates:
            self._grid.addWidget(
                _label(
                    "No phases yet: plan a pilot and waves, each with a go/no-go gate.",
                    self._point_size,
                    colour=self.palette().color(QPalette.ColorRole.Text).name(),
                ),
                0,
                0,
            )
            return
        for position, gate in enumerate(self._gates):
            card = GateCard(gate, self._point_size, self)
            self.cards.append(card)
            self._grid.addWidget(card, position // self._columns, position % self._columns)
        for column in range(self._columns):
            self._grid.setColumnStretch(column, 1)
