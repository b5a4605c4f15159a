"""When the window settles the collector: after its first paint (the policy is `planner.collector`).

Start-up runs with the collector off; once the window has been painted for
the first time, what is alive is start-up state, and `planner.collector.settle`
freezes it and turns the collector back on.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

from planner.collector import settle

LATEST_MS = 3000


class _FirstPaint(QObject):
    """Calls `settle` once the window's first paint pass has finished.

    It watches the whole application: the paint events go to the widgets
    inside the window, not necessarily to the window itself.
    """

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self._window = window
        self._app = QCoreApplication.instance()
        if self._app is not None:
            self._app.installEventFilter(self)
        # A window that is never painted (started minimised) must not leave the
        # collector off for good.
        QTimer.singleShot(LATEST_MS, settle)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.Paint
            and isinstance(watched, QWidget)
            and watched.window() is self._window
            and self._app is not None
        ):
            self._app.removeEventFilter(self)
            self._app = None
            # A zero timer fires once the paint pass in progress has finished.
            QTimer.singleShot(0, settle)
        return False


def settle_after_first_paint(window: QWidget) -> None:
    """Tune the collector as soon as the window has been shown (start-up is not delayed)."""
    _FirstPaint(window)
