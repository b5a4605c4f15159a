"""The date editor of forms and cells: a date is typed, in ISO or the user's own way.

A QDateEdit makes a user type into day, month and year sections (Tab moves
between them, an empty field turns "2027" into "—027", Enter quietly puts the
old date back). This field is a plain line: `2027-03-01`, `1 Mar 2027`,
`1 March 2027` or the system's short date all work, the text is selected when
the field is entered so typing replaces it, Tab leaves, and a text that is not
a date is refused with a sentence, never silently changed. The calendar (F4,
Alt+↓ or the button) opens on the field's date or, for an empty field, on the
nearest date its form suggests (another date of the record, the initiative's).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, QLocale, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QColor,
    QIcon,
    QKeyEvent,
    QPainter,
    QPalette,
    QPixmap,
    QTextCharFormat,
)
from PySide6.QtWidgets import QCalendarWidget, QLineEdit, QMenu, QWidget, QWidgetAction

from planner.domain.errors import DomainError
from planner.domain.fields import MAX_DATE, MIN_DATE
from planner.domain.quoting import shown
from planner.ui.formatting import format_date

DateHint = Callable[[], date | None]
_ENGLISH = ("d MMM yyyy", "d MMMM yyyy", "MMM d yyyy", "MMMM d yyyy", "d MMM yy", "d.M.yyyy")


def _formats(locale: QLocale) -> list[tuple[QLocale, str]]:
    """The user's own formats, then English ones. British English alone abbreviates
    September "Sept", so "15 Sep 2027" (how tables and forms show the date) needs the
    American names too: without them a September date shown in a form is refused."""
    english = [
        QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom),
        QLocale(QLocale.Language.English, QLocale.Country.UnitedStates),
    ]
    own = [
        locale.dateFormat(QLocale.FormatType.ShortFormat),
        locale.dateFormat(QLocale.FormatType.LongFormat),
        locale.dateFormat(QLocale.FormatType.NarrowFormat),
    ]
    return [(locale, f) for f in own] + [(e, f) for f in _ENGLISH for e in english]


def parse_date(text: str, locale: QLocale | None = None) -> date | None:
    """The date a person typed; None for nothing typed. A DomainError says what is wrong."""
    cleaned = " ".join(text.replace(",", " ").split())
    if not cleaned:
        return None
    value: date | None = None
    try:
        value = date.fromisoformat(cleaned)
    except ValueError:
        for where, pattern in _formats(locale or QLocale()):
            parsed = where.toDate(cleaned, pattern)
            if parsed.isValid():
                year = parsed.year()
                if "yyyy" not in pattern and year < 1950:
                    year += 100  # "1/3/27" means 2027, not 1927
                value = date(year, parsed.month(), parsed.day())
                break
    if value is None:
        example = date(2027, 3, 1)
        raise DomainError(
            f"‘{shown(text.strip())}’ is not a date: type it like {format_date(example)} "
            f"or ‘{example.isoformat()}’"
        )
    if not MIN_DATE <= value <= MAX_DATE:
        raise DomainError(
            f"{format_date(value)} is outside the dates a plan can hold "
            f"({format_date(MIN_DATE)} to {format_date(MAX_DATE)})"
        )
    return value


def _calendar_icon(colour: QColor) -> QIcon:
    """A small drawn calendar (no icon theme is needed on any platform)."""
    pixmap = QPixmap(32, 32)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    pen = painter.pen()
    pen.setColor(colour)
    pen.setWidthF(2.4)
    painter.setPen(pen)
    painter.drawRoundedRect(QRectF(4, 7, 24, 21), 3, 3)
    painter.drawLine(QPointF(4, 13), QPointF(28, 13))
    painter.drawLine(QPointF(11, 3), QPointF(11, 9))
    painter.drawLine(QPointF(21, 3), QPointF(21, 9))
    painter.setBrush(colour)
    for x in (10, 16, 22):
        for y in (18, 23):
            painter.drawEllipse(QPointF(x, y), 1.6, 1.6)
    painter.end()
    return QIcon(pixmap)


class DateField(QLineEdit):
    """Type a date; `value()` is the date (None when empty) or raises DomainError."""

    changed = Signal()
    edited = Signal()

    def __init__(self, optional: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.optional = optional
        self.hint: DateHint | None = None
        self._last: str | None = ""
        self._calendar: QCalendarWidget | None = None
        self._popup: QMenu | None = None
        self.setPlaceholderText("e.g. 1 Mar 2027 or 2027-03-01")
        self.setClearButtonEnabled(optional)
        colour = self.palette().color(QPalette.ColorRole.Text)
        self.calendar_action = QAction(_calendar_icon(colour), "Calendar (F4)", self)
        self.calendar_action.setToolTip("Pick from a calendar (F4 or Alt+↓)")
        self.calendar_action.triggered.connect(self.open_calendar)
        self.addAction(self.calendar_action, QLineEdit.ActionPosition.TrailingPosition)
        self.textEdited.connect(self.changed)
        self.textChanged.connect(self._cleared)
        self.editingFinished.connect(self._finish)

    # ------------------------------------------------------------------ value
    def value(self) -> date | None:
        return parse_date(self.text())

    def set_value(self, value: Any) -> None:
        self._last = format_date(value) if value is not None else ""
        self.setText(self._last)

    def forget_saved(self) -> None:
        """The date was not saved: Enter offers it again, unchanged."""
        self._last = None

    def _finish(self) -> None:
        """Done with the field: a parsable date is shown the way tables show it."""
        if self.text() == self._last:
            return
        try:
            shown = format_date(self.value()) if self.text().strip() else ""
        except DomainError:
            shown = self.text()
        if shown != self.text():
            self.setText(shown)
        self._last = self.text()
        self.edited.emit()

    def _cleared(self, text: str) -> None:
        """The clear button empties the field without typing: that is an edit too."""
        if not text and self._last and not self.hasFocus():
            self.changed.emit()
            self._finish()

    # --------------------------------------------------------------- keyboard
    def focusInEvent(self, event: Any) -> None:
        super().focusInEvent(event)
        QTimer.singleShot(0, self.selectAll)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        alt_down = event.key() == Qt.Key.Key_Down and (
            event.modifiers() & Qt.KeyboardModifier.AltModifier
        )
        if event.key() == Qt.Key.Key_F4 or alt_down:
            self.open_calendar()
            return
        super().keyPressEvent(event)

    # --------------------------------------------------------------- calendar
    def start_date(self) -> date:
        """Where the calendar opens: this field's date, else the form's suggestion, else today."""
        try:
            value = self.value()
        except DomainError:
            value = None
        if value is None and self.hint is not None:
            value = self.hint()
        return value or date.today()

    def calendar(self) -> QCalendarWidget:
        if self._calendar is None:
            self._popup = QMenu(self)
            self._calendar = QCalendarWidget(self._popup)
            self._calendar.setGridVisible(True)
            self._calendar.setVerticalHeaderFormat(
                QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader
            )
            self._calendar.setDateRange(_qdate(MIN_DATE), _qdate(MAX_DATE))
            self._calendar.clicked.connect(self._picked)
            self._calendar.activated.connect(self._picked)
            self._calendar.currentPageChanged.connect(self._shade_other_months)
            holder = QWidgetAction(self._popup)
            holder.setDefaultWidget(self._calendar)
            self._popup.addAction(holder)
        return self._calendar

    def open_calendar(self) -> None:
        calendar = self.calendar()
        start = _qdate(self.start_date())
        calendar.setSelectedDate(start)
        calendar.setCurrentPage(start.year(), start.month())
        self._shade_other_months(start.year(), start.month())
        assert self._popup is not None
        self._popup.popup(self.mapToGlobal(self.rect().bottomLeft()))
        calendar.setFocus()

    def _shade_other_months(self, year: int, month: int) -> None:
        """Days of the months around the one shown are greyed, so the month reads at a glance."""
        calendar = self.calendar()
        calendar.setDateTextFormat(QDate(), QTextCharFormat())
        muted = QTextCharFormat()
        muted.setForeground(self.palette().color(QPalette.ColorRole.PlaceholderText))
        first = QDate(year, month, 1)
        for offset in range(1, 15):
            calendar.setDateTextFormat(first.addDays(-offset), muted)
            calendar.setDateTextFormat(first.addMonths(1).addDays(offset - 1), muted)

    def _picked(self, picked: QDate) -> None:
        if self._popup is not None:
            self._popup.close()
        self.setText(format_date(date(picked.year(), picked.month(), picked.day())))
        self.changed.emit()
        self._finish()
        self.setFocus()


def _qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)
