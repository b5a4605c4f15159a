"""Keeping windows on the screen they are shown on, and status text inside its room.

A laptop at 1366×768, a 4K projector at 200 % and a window restored from a larger
monitor all get the same promise: no window is wider or taller than the available
part of its screen, and a long message shortens with "…" (its full text in the
tooltip) instead of widening the window that shows it.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QGuiApplication, QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget


class ElidedLabel(QLabel):
    """A one-line label that never asks for more width than it gets; `text()` stays whole."""

    def __init__(
        self,
        text: str = "",
        parent: QWidget | None = None,
        *,
        mode: Qt.TextElideMode = Qt.TextElideMode.ElideRight,
    ) -> None:
        super().__init__(parent)
        self._full = ""
        self._mode = mode
        self.setTextFormat(Qt.TextFormat.PlainText)  # a record named "<b>…" is not markup
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setText(text)

    def text(self) -> str:
        return self._full

    def shown_text(self) -> str:
        """What is painted: the text, shortened with "…" when it does not fit."""
        return super().text()

    def setText(self, text: str) -> None:
        self._full = text
        self._elide()

    def clear(self) -> None:
        self.setText("")

    def minimumSizeHint(self) -> QSize:
        return QSize(0, super().minimumSizeHint().height())

    def sizeHint(self) -> QSize:
        return QSize(
            self.fontMetrics().horizontalAdvance(self._full) + 8, super().sizeHint().height()
        )

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def changeEvent(self, event: Any) -> None:
        super().changeEvent(event)
        self._elide()

    def _elide(self) -> None:
        room = max(0, self.contentsRect().width())
        shown = self.fontMetrics().elidedText(self._full, self._mode, room)
        if shown != super().text():
            super().setText(shown)
        self.setToolTip(self._full if shown != self._full else "")


def available_area(widget: QWidget) -> QRect:
    """The part of the widget's screen (or the primary one) that windows may use."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry() if screen is not None else QRect(0, 0, 1024, 700)


def fit_on_screen(window: QWidget, wanted: QSize | None = None) -> None:
    """Size `window` to `wanted` (or its current size) but never past its screen's free area.

    The window frame (title bar, borders) counts: the frame, not only the
    contents, must fit, so it is subtracted before resizing.
    """
    area = available_area(window)
    frame_w = max(0, window.frameGeometry().width() - window.geometry().width())
    frame_h = max(0, window.frameGeometry().height() - window.geometry().height())
    room = QSize(area.width() - frame_w, area.height() - frame_h)
    size = wanted if wanted is not None else window.size()
    fitted = size.boundedTo(room).expandedTo(window.minimumSizeHint().boundedTo(room))
    window.setMaximumSize(room)
    if fitted != window.size():
        window.resize(fitted)
    frame = window.frameGeometry()
    left = min(max(frame.left(), area.left()), area.right() + 1 - frame.width())
    top = min(max(frame.top(), area.top()), area.bottom() + 1 - frame.height())
    if (left, top) != (frame.left(), frame.top()):
        window.move(max(left, area.left()), max(top, area.top()))
