"""Says, above the pages, that what a page should show cannot be read from the file.

A file from someone else may hold values no record can take (an engagement of
`bogus`, a date of `not a date`): the core refuses them with one line naming
table, row and column, and the window shows that line here rather than an
empty page. Help → Check database lists every such value. While a team server
cannot be reached, a page turned to is not read (the read is refused at once, not
left waiting on the network) and the banner says so.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from planner.domain.errors import PlannerError
from planner.domain.quoting import one_line
from planner.services.files import OfflineError
from planner.ui.theme import banner_style

NOT_READ_OFFLINE = (
    "Not read: the team server cannot be reached, so this page shows what was last read; "
    "it is read again once the server is back"
)


class UnreadableBanner(QLabel):
    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("unreadable_banner")
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWordWrap(True)
        self.setStyleSheet(banner_style(parent.palette(), "error"))
        self.hide()

    def reading(self, work: Callable[[], object]) -> bool:
        """Run `work` (a page reading the plan); on a refusal, say why here. True if it read."""
        try:
            work()
        except PlannerError as exc:
            self.refused(exc)
            return False
        self.hide()
        return True

    def refused(self, exc: PlannerError) -> None:
        if isinstance(exc, OfflineError):
            self.setText(NOT_READ_OFFLINE)
            self.show()
            return
        self.setText(
            one_line(
                f"This cannot be shown: {exc}. Help → Check database lists every value "
                "the planner cannot read."
            )
        )
        self.show()
