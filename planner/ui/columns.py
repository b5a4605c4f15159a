"""How a table shares its width: text columns stretch, dates and numbers fit their content.

Qt's own choices are both wrong for a planner's tables: stretching the last
section gave the spare width to whatever came last (often a date), while names
were cut; `ResizeToContents` measures every row of a 10,000-row table on each
layout. Here each column has a base width from its kind (a date is as wide as
"30 Sep 2027"), and only text columns grow, in proportion to their base, when
the table is wider than the sum. A column the user drags keeps the width given.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QTableView

from planner.domain.fields import FieldKind, FieldSpec

STRETCHING = {FieldKind.TEXT, FieldKind.LONGTEXT, FieldKind.REF, FieldKind.REFS}
TEXT_WIDTHS = {
    FieldKind.TEXT: 150,
    FieldKind.LONGTEXT: 220,
    FieldKind.REF: 160,
    FieldKind.REFS: 230,
}
_SAMPLES = {
    FieldKind.DATE: "30 Sep 2027",
    FieldKind.INT: "99,999",
    FieldKind.FLOAT: "999,999.99",
    FieldKind.BOOL: "",
}
PADDING = 24
HEADER_PADDING = 28


def base_width(spec: FieldSpec, metrics: QFontMetrics, *, name: bool = False) -> int:
    """A column's width before any stretch: its header, and what its values need."""
    header = metrics.horizontalAdvance(spec.label) + HEADER_PADDING
    if spec.kind in STRETCHING:
        return max(header, 210 if name else TEXT_WIDTHS[spec.kind])
    if spec.kind is FieldKind.CHOICE and spec.choices is not None:
        values = [str(getattr(c, "label", c.value)) for c in spec.choices]
        return max([header, *(metrics.horizontalAdvance(v) + PADDING for v in values)])
    return max(header, metrics.horizontalAdvance(_SAMPLES.get(spec.kind, "")) + PADDING)


class ColumnFit(QObject):
    """Keeps a table's columns to the policy above as the table is resized."""

    def __init__(self, table: QTableView, widths: list[int], stretch: list[bool]) -> None:
        super().__init__(table)
        self.table = table
        self.widths = list(widths)
        self.stretch = list(stretch)
        self._fitting = False
        header = table.horizontalHeader()
        header.setStretchLastSection(False)
        header.sectionResized.connect(self._user_resized)
        table.viewport().installEventFilter(self)
        self.fit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.fit()
        return False

    def fit(self) -> None:
        shown = [c for c in range(len(self.widths)) if not self.table.isColumnHidden(c)]
        growing = [c for c in shown if self.stretch[c]]
        spare = self.table.viewport().width() - sum(self.widths[c] for c in shown)
        share = sum(self.widths[c] for c in growing) or 1
        self._fitting = True
        try:
            for column in shown:
                extra = (
                    spare * self.widths[column] / share if spare > 0 and column in growing else 0
                )
                self.table.setColumnWidth(column, int(self.widths[column] + extra))
        finally:
            self._fitting = False

    def _user_resized(self, column: int, _old: int, new: int) -> None:
        if self._fitting or 0 in (_old, new) or column >= len(self.widths):
            return
        self.widths[column] = new
        self.stretch[column] = False
