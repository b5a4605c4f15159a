"""Initiatives: the switcher in the tool bar and create / rename / duplicate / delete.

A file holds many initiatives; everything else in the window shows the one
picked here (`ctx.initiative_id`). Each operation is one undoable command of
the planning service; undoing the creation of the initiative being shown
simply switches to another.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QComboBox, QWidget

from planner.domain.errors import PlannerError
from planner.domain.quoting import shown
from planner.ui.context import PlanContext
from planner.ui.formatting import locale_currency
from planner.ui.record_view import describe_dependents


class InitiativeSwitcher(QComboBox):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("initiative_switcher")
        self.setMinimumContentsLength(24)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.setToolTip("The initiative shown (Ctrl+I)")


class Initiatives(QObject):
    def __init__(self, ctx: PlanContext, switcher: InitiativeSwitcher, parent: QWidget) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.switcher = switcher
        self._window = parent
        switcher.currentIndexChanged.connect(self._picked)

    def reload(self, select_id: str | None = None) -> bool:
        """Refill the switcher; keep (or pick) the current initiative if it still exists.

        True when that changed the current initiative (and `initiative_changed` was sent).
        """
        wanted = select_id or self.ctx.initiative_id
        initiatives = self.ctx.service.initiatives()
        self.switcher.blockSignals(True)
        self.switcher.clear()
        for initiative in initiatives:
            self.switcher.addItem(initiative.name, initiative.id)
        index = self.switcher.findData(wanted) if wanted else -1
        if index < 0 and initiatives:
            # The file's main initiative (the first created), wherever its name sorts.
            index = max(0, self.switcher.findData(self.ctx.service.main_initiative().id))
        self.switcher.setCurrentIndex(index)
        self.switcher.blockSignals(False)
        chosen = self.switcher.currentData() if index >= 0 else None
        if chosen != self.ctx.initiative_id:
            self.ctx.set_initiative(chosen)
            return True
        return False

    def _picked(self, _index: int) -> None:
        self.ctx.set_initiative(self.switcher.currentData())

    def current_name(self) -> str | None:
        return self.switcher.currentText() if self.ctx.initiative_id else None

    # -------------------------------------------------------------- operations
    def new(self) -> None:
        name = self.ctx.dialogs.ask_text(self._window, "New initiative", "Name of the initiative:")
        if not name:
            return
        try:
            created = self.ctx.service.create(
                "initiative", {"name": name, "currency": locale_currency()}
            )
        except PlannerError as exc:
            self.ctx.report(str(exc), error=True)
            return
        self.reload(created.id)
        self.ctx.report(f"Created initiative ‘{shown(created.title)}’")

    def rename(self) -> None:
        ident, old = self.ctx.initiative_id, self.current_name()
        if ident is None or old is None:
            return
        name = self.ctx.dialogs.ask_text(self._window, "Rename initiative", "New name:", old)
        if not name or name == old:
            return
        try:
            self.ctx.service.update("initiative", ident, {"name": name})
        except PlannerError as exc:
            self.ctx.report(str(exc), error=True)

    def duplicate(self) -> None:
        ident, old = self.ctx.initiative_id, self.current_name()
        if ident is None or old is None:
            return
        name = self.ctx.dialogs.ask_text(
            self._window,
            "Duplicate as a template",
            "Name of the copy (measurements, attendance and decisions are not copied):",
            f"{old} (template)",
        )
        if not name:
            return
        try:
            copy = self.ctx.service.duplicate_initiative(ident, name)
        except PlannerError as exc:
            self.ctx.report(str(exc), error=True)
            return
        self.reload(copy.id)
        self.ctx.report(f"Created ‘{shown(copy.name)}’ from ‘{shown(old)}’")

    def delete(self) -> None:
        ident, old = self.ctx.initiative_id, self.current_name()
        if ident is None or old is None:
            return
        also = describe_dependents(self.ctx.service.dependents("initiative", [ident]))
        text = f"Delete the initiative ‘{shown(old)}’ and its whole plan?"
        if also:
            text += f"\n\nThis deletes {also}."
        text += "\n\nEdit → Undo brings it back."
        if not self.ctx.dialogs.confirm(self._window, "Delete initiative", text, "Delete"):
            return
        try:
            self.ctx.service.delete("initiative", [ident])
        except PlannerError as exc:
            self.ctx.report(str(exc), error=True)
            return
        self.reload()
        self.ctx.report(f"Deleted initiative ‘{shown(old)}’ (Ctrl+Z to undo)")
