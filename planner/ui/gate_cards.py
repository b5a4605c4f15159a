"""Go/no-go gates as cards: one per phase, coloured by status, each criterion with its evidence.

Shared by the Readiness view and the Present slides; the point size is a
parameter so a projected slide can scale the cards with its own zoom.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QVBoxLayout, QWidget

from planner.services.readiness import CriterionResult, GateResult

STATUS_COLOURS = {"green": "#2e7d32", "amber": "#ef8f00", "red": "#c62828"}
STATUS_TINTS = {"green": "#eaf5ea", "amber": "#fff4e0", "red": "#fdeaea"}
STATUS_WORDS = {"green": "Ready", "amber": "At risk", "red": "Not ready"}


def _mark(criterion: CriterionResult) -> tuple[str, str]:
    if criterion.met is True:
        return "✔", STATUS_COLOURS["green"]
    if criterion.met is False:
        return "✘", STATUS_COLOURS["red"]
    return "?", STATUS_COLOURS["amber"]


def _label(
    text: str, point_size: float, *, bold: bool = False, colour: str = "#202020", wrap: bool = True
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
        colour = STATUS_COLOURS.get(gate.status, "#777777")
        self.setObjectName("gateCard")
        self.setStyleSheet(
            f"#gateCard {{ background: {STATUS_TINTS.get(gate.status, '#f4f4f4')};"
            f" border: 1px solid {colour}; border-left: 8px solid {colour};"
            f" border-radius: 2px; }}"
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        kind = "Pilot" if gate.kind == "pilot" else "Wave"
        when = f" · starts {gate.starts_on.isoformat()}" if gate.starts_on else ""
        decision = gate.decision.replace("_", " ")
        layout.addWidget(_label(gate.phase, point_size * 1.25, bold=True))
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
                    colour=STATUS_COLOURS["red"],
                ),
                0,
                0,
                1,
                2,
            )
        for row, criterion in enumerate(gate.criteria):
            mark, mark_colour = _mark(criterion)
            grid.addWidget(
                _label(mark, point_size * 1.1, bold=True, colour=mark_colour, wrap=False),
                row,
                0,
                Qt.AlignmentFlag.AlignTop,
            )
            text = criterion.description
            if criterion.detail:
                text += f" — {criterion.detail}"
            grid.addWidget(_label(text, point_size), row, 1)
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
                widget.deleteLater()
        self.cards = []
        if not self._gates:
            self._grid.addWidget(
                _label(
                    "No phases yet: plan a pilot and waves, each with a go/no-go gate.",
                    self._point_size,
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
