"""The cyclic garbage collector, tuned for a window holding a large plan.

A collection of the oldest generation walks every object the collector
tracks and, while it does, stops every thread, the UI's included: with a
large plan open (about a million objects) one such pass took 0.25–0.5 s, the
window frozen for all of it, several times during one Excel export.

Start-up itself runs with the collector off (`planner.cli.main` turns it off
before the imports: they make hundreds of thousands of long-lived objects and
no garbage); it is turned back on, settled, once the window is up.

Two settings make those passes short and rare:

- once the window has been painted for the first time, everything alive is
  start-up state that lives as long as the process (modules, classes, the
  widgets, the plan just shown); `gc.freeze()` moves it where the collector
  never looks again (reference counting still frees any of it that is
  released, only cyclic garbage among it would stay);
- a higher third threshold: a full pass only after 1,000 (not 10) passes of
  the middle generation, so a long job (an import, millions of objects
  made) makes few of them; young objects are still collected often.

After an import, what the window holds from then on (the imported records,
the undo step with its row changes) is frozen too (`settle_again`); the
little cyclic garbage alive at that moment stays.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

FULL_PASS_EVERY = 1000
LATEST_MS = 3000
_settled = False


def settle() -> None:
    """Put what is alive now out of the collector's sight, make full passes rarer, and run it."""
    global _settled
    if _settled:
        return
    gc.freeze()
    young, middle, _old = gc.get_threshold()
    gc.set_threshold(young, middle, FULL_PASS_EVERY)
    gc.enable()
    _settled = True


def settle_again() -> None:
    """After a big change the window now holds (an import: its records, its undo step).

    Only where the application settled the collector at start-up: a test
    process's collector is left alone.
    """
    if _settled:
        gc.freeze()


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
