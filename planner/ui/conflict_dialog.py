"""The choice a team member makes when a save meets someone else's newer save.

Shown like the import preview's conflicts (the same read-only table): each
field the user changed, the value now saved by the other person beside the
user's own, then the fields only the other person changed (kept whatever the
user chooses: saves write only the fields a user changed, so the two edits
merge field by field). The user keeps theirs (saved again, on top of the other's version),
takes the other's (nothing written), or cancels (nothing written either, and
the window shows what is saved now). Nothing is ever overwritten silently.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPushButton, QVBoxLayout, QWidget

from planner.domain.fields import FieldSpec
from planner.domain.records import Record
from planner.ui.excel_dialog import _table
from planner.ui.excel_models import _RowsModel
from planner.ui.formatting import format_value, readable

Choice = Literal["mine", "theirs"]


KEPT = "(not changed by you: theirs is kept)"


class ConflictRows(_RowsModel):
    HEADERS = ("Field", "Saved meanwhile by someone else", "Yours")


class ConflictDialog(QDialog):
    """Their value beside yours for each field you changed; `choice` once closed."""

    def __init__(
        self,
        theirs: Record,
        yours: dict[str, Any],
        describe: Callable[[FieldSpec, Any], str],
        parent: QWidget | None = None,
        *,
        seen: Record | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("conflict_dialog")
        self.choice: Choice | None = None
        self.setWindowTitle("Someone else saved this record meanwhile")
        label = readable(theirs.LABEL)
        intro = QLabel(
            f"While you were editing {label} ‘{theirs.title}’, someone else saved a change "
            f"to it. Nothing of yours was saved yet. Which value should the plan keep?",
            self,
        )
        intro.setWordWrap(True)
        self.rows = ConflictRows(self)
        self.rows.rows = [
            (spec.label, describe(spec, getattr(theirs, name)), describe(spec, value))
            for name, value in yours.items()
            for spec in [theirs.SPECS[name]]
        ]
        # The other person's changes to fields you did not touch: kept either way, as a
        # save writes only your own fields.
        self.rows.rows += [
            (spec.label, describe(spec, getattr(theirs, name)), KEPT)
            for name, spec in theirs.SPECS.items()
            if seen is not None
            and name not in yours
            and spec.editable
            and getattr(theirs, name) != getattr(seen, name)
        ]
        self.table = _table(self.rows, self)
        self.table.resizeColumnsToContents()
        buttons = QDialogButtonBox(self)
        self.keep_mine = QPushButton("Keep &mine", self)
        self.take_theirs = QPushButton("Take &theirs", self)
        buttons.addButton(self.keep_mine, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.take_theirs, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.keep_mine.clicked.connect(lambda: self._choose("mine"))
        self.take_theirs.clicked.connect(lambda: self._choose("theirs"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(640, 260)

    def _choose(self, choice: Choice) -> None:
        self.choice = choice
        self.accept()


def value_describer(
    titles: Callable[[str], dict[str, str]], currency: str | None
) -> Callable[[FieldSpec, Any], str]:
    """How a value reads in the dialog: as in the tables (names for references)."""

    def describe(spec: FieldSpec, value: Any) -> str:
        names = titles(spec.ref) if spec.ref else None
        text = format_value(spec, value, names, currency)
        return text if text else "(empty)"

    return describe
