"""Keeping a widget in step with the plan: re-read it whenever the core history changes.

The subscription ends with the widget, so a closed view is never called back.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject

from planner.services.planning import PlanService


def follow_history(widget: QObject, service: PlanService, refresh: Callable[[], None]) -> None:
    """Call `refresh` after every do, undo and redo, until `widget` is destroyed."""
    unsubscribe = service.history.subscribe(lambda _command, _direction: refresh())
    widget.destroyed.connect(lambda *_: unsubscribe())
