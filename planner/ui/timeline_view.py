"""The editable timeline: the roadmap drawn with QGraphicsView, dragged to reschedule.

Phases are bars (drag to move, drag an end to resize), sessions and messages
are markers (drag to move); each drag is one edit through `commit`, which the
page hands to the planning service. A refused edit leaves the picture as the
plan is: the page redraws from the database. The date header and the row names
stay pinned to the top and left edges while the plan scrolls under them.

Keyboard: Tab / Shift+Tab or the arrow keys pick an entry, Alt+←/→ move it a
day, Alt+Shift+←/→ a week, Ctrl+Alt+←/→ move its end a day, Enter opens its
record; Ctrl+wheel and the page's zoom buttons change the scale.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from PySide6.QtCore import QPointF, QRect, QRectF, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPalette,
    QPen,
    QPolygonF,
    QWheelEvent,
)
from PySide6.QtWidgets import QGraphicsRectItem, QGraphicsScene, QGraphicsView, QWidget

from planner.ui.formatting import format_date
from planner.ui.theme import is_dark
from planner.ui.timeline_layout import GATE, Entry, Layout, Mode

ZOOMS = {"week": 26.0, "month": 6.0, "quarter": 2.2}
"""Pixels per day at each zoom level, widest first."""
GO_LIVE = "#CC79A7"
EDGE = 6.0
"""How near (pixels) to a bar's end a press grabs the end rather than the bar."""
Commit = Callable[[Entry, Mode, int], bool]
Line = tuple[date, str, QColor, bool]
"""A vertical line across the plan: its day, label, colour and whether dashed."""


@dataclass
class Drag:
    item: EntryItem
    mode: Mode
    pressed_x: float
    days: int = 0


class EntryItem(QGraphicsRectItem):
    """One entry's bar or marker; the view paints it and decides what a drag does."""

    def __init__(self, entry: Entry, rect: QRectF) -> None:
        super().__init__(rect)
        self.entry = entry
        self.home = QRectF(rect)
        self.setToolTip(describe(entry))
        self.setAcceptHoverEvents(True)

    def paint(self, painter: QPainter, option: object, widget: QWidget | None = None) -> None:
        view = self.scene().views()[0] if self.scene() and self.scene().views() else None
        selected = isinstance(view, TimelineView) and view.selected is self
        floor = view.label_floor() if isinstance(view, TimelineView) else self.rect().left()
        paint_entry(painter, self.entry, self.rect(), selected, palette_of(view), floor)


def palette_of(view: QWidget | None) -> QPalette:
    return view.palette() if view is not None else QPalette()


def describe(entry: Entry) -> str:
    if entry.start == entry.end:
        when = format_date(entry.start)
    else:
        when = f"{format_date(entry.start)} – {format_date(entry.end)}"
    text = f"{entry.what[0].upper()}{entry.what[1:]}: {when}"
    if entry.repeats:
        text += f", then {len(entry.repeats)} more times"
    return text


def paint_entry(
    painter: QPainter,
    entry: Entry,
    rect: QRectF,
    selected: bool,
    palette: QPalette,
    floor: float,
) -> None:
    """Paint a bar or marker; a bar's name starts at `floor` when its start is scrolled away."""
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    colour = QColor(entry.colour)
    outline = palette.color(QPalette.ColorRole.Highlight) if selected else colour.darker(130)
    painter.setPen(QPen(outline, 3 if selected else 1))
    painter.setBrush(QBrush(colour))
    if entry.kind == "phase":
        painter.drawRoundedRect(rect, 4, 4)
        _bar_label(painter, entry, rect.adjusted(max(0.0, floor - rect.left()), 0, 0, 0))
    elif entry.kind == "session":
        painter.drawRoundedRect(rect, 3, 3)
    else:
        painter.drawPolygon(_diamond(rect.center(), rect.height() / 2))


def _bar_label(painter: QPainter, entry: Entry, rect: QRectF) -> None:
    metrics = QFontMetricsF(painter.font())
    text = entry.name
    if metrics.horizontalAdvance(text) + 12 <= rect.width():
        painter.setPen(QColor("#000000") if entry.colour == "#E69F00" else QColor("#ffffff"))
        painter.drawText(rect.adjusted(6, 0, -4, 0), Qt.AlignmentFlag.AlignVCenter, text)


def _diamond(centre: QPointF, radius: float) -> QPolygonF:
    x, y = centre.x(), centre.y()
    return QPolygonF(
        [
            QPointF(x, y - radius),
            QPointF(x + radius, y),
            QPointF(x, y + radius),
            QPointF(x - radius, y),
        ]
    )


class TimelineView(QGraphicsView):
    """The plan on a time axis; `commit(entry, mode, days)` writes a drag (True: written)."""

    zoom_changed = Signal(str)
    selection_changed = Signal(object)
    open_requested = Signal(str, str)

    def __init__(self, commit: Commit, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("timeline_view")
        self.commit = commit
        self.editable = True
        self.zoom = "month"
        self.fixed_scale: float | None = None
        """Pixels per day that override the zoom (to print the whole plan)."""
        self.today = date.today()
        self.layout_: Layout | None = None
        self.entry_items: list[EntryItem] = []
        self.selected: EntryItem | None = None
        self._drag: Drag | None = None
        self._label_width: tuple[Layout, str, float] | None = None
        self.setScene(QGraphicsScene(self))
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.FullViewportUpdate)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setAccessibleName("Timeline of the plan")

    # ------------------------------------------------------------- geometry
    @property
    def per_day(self) -> float:
        return self.fixed_scale or ZOOMS[self.zoom]

    def _metrics(self) -> QFontMetricsF:
        return QFontMetricsF(self.font())

    @property
    def row_height(self) -> float:
        return round(self._metrics().height() * 1.9)

    @property
    def header_height(self) -> float:
        return round(self._metrics().height() * 2.6)

    @property
    def label_width(self) -> float:
        """The width of the pinned row names, measured once per layout and font: every x on
        the time axis starts from it, and a large plan has hundreds of rows to measure."""
        if self.layout_ is None:
            return 0.0
        font = self.font().key()
        known = self._label_width
        if known is None or known[0] is not self.layout_ or known[1] != font:
            known = (self.layout_, font, self._measure_labels(self.layout_))
            self._label_width = known
        return known[2]

    def _measure_labels(self, layout: Layout) -> float:
        metrics = self._metrics()
        bold = QFontMetricsF(self._bold())
        widths = [metrics.horizontalAdvance(r.title) for r in layout.rows]
        widths += [bold.horizontalAdvance(r.band) for r in layout.rows]
        return min(max(widths, default=80.0), 30 * metrics.averageCharWidth()) + 20

    def _bold(self) -> QFont:
        font = QFont(self.font())
        font.setBold(True)
        return font

    def label_floor(self) -> float:
        """The scene x just right of the pinned row names."""
        return self.mapToScene(0, 0).x() + self.label_width

    def x_of(self, value: date) -> float:
        assert self.layout_ is not None
        return self.label_width + (value - self.layout_.first).days * self.per_day

    def row_top(self, row: int) -> float:
        assert self.layout_ is not None
        bands = sum(1 for r in self.layout_.rows[: row + 1] if r.band)
        return self.header_height + (row + bands) * self.row_height

    def entry_rect(
        self, entry: Entry, start: date | None = None, end: date | None = None
    ) -> QRectF:
        start = entry.start if start is None else start
        end = entry.end if end is None else end
        top = self.row_top(entry.row)
        pad = self.row_height * 0.18
        if entry.kind == "phase":
            left, right = self.x_of(min(start, end)), self.x_of(max(start, end) + timedelta(1))
            return QRectF(left, top + pad, max(right - left, 3.0), self.row_height - 2 * pad)
        size = self.row_height - 2.6 * pad
        centre = self.x_of(start) + self.per_day / 2
        return QRectF(centre - size / 2, top + 1.3 * pad, size, size)

    # --------------------------------------------------------------- content
    def show_layout(self, layout: Layout | None) -> None:
        """Draw a plan's layout (None: nothing to draw), keeping the selection and scroll."""
        keep = self.selected.entry.record_id if self.selected else None
        self._drag = None
        self.selected = None
        self.layout_ = layout
        scene = self.scene()
        scene.clear()
        self.entry_items = []
        if layout is None:
            scene.setSceneRect(QRectF(0, 0, 10, 10))
            return
        for entry in layout.entries:
            item = EntryItem(entry, self.entry_rect(entry))
            scene.addItem(item)
            self.entry_items.append(item)
            if entry.record_id == keep:
                self.selected = item
        width = self.x_of(layout.last + timedelta(1)) + 20
        height = self.row_top(len(layout.rows)) + self.row_height
        scene.setSceneRect(QRectF(0, 0, width, height))
        self.viewport().update()

    def set_zoom(self, zoom: str) -> None:
        if zoom == self.zoom or zoom not in ZOOMS:
            return
        centre = self._centre_date()
        self.zoom = zoom
        self.show_layout(self.layout_)
        if centre is not None:
            self.centre_on(centre)
        self.zoom_changed.emit(zoom)

    def zoom_by(self, step: int) -> None:
        """Step to a closer (+1) or wider (-1) zoom level."""
        levels = list(ZOOMS)
        index = min(max(levels.index(self.zoom) - step, 0), len(levels) - 1)
        self.set_zoom(levels[index])

    def _centre_date(self) -> date | None:
        if self.layout_ is None:
            return None
        x = self.mapToScene(self.viewport().rect().center()).x()
        return self.layout_.first + timedelta(days=int((x - self.label_width) / self.per_day))

    def centre_on(self, value: date) -> None:
        bar = self.horizontalScrollBar()
        bar.setValue(int(self.x_of(value) - (self.viewport().width() + self.label_width) / 2))

    # --------------------------------------------------------------- drawing
    def drawBackground(self, painter: QPainter, rect: QRectF | QRect) -> None:
        rect = QRectF(rect)
        palette = self.palette()
        painter.fillRect(rect, palette.color(QPalette.ColorRole.Base))
        if self.layout_ is None:
            return
        stripe = palette.color(QPalette.ColorRole.AlternateBase)
        for row in range(len(self.layout_.rows)):
            if row % 2:
                top = self.row_top(row)
                painter.fillRect(QRectF(rect.left(), top, rect.width(), self.row_height), stripe)
        if self.per_day >= 12:  # days are wide enough to tell weekends apart
            weekend = QColor(palette.color(QPalette.ColorRole.Text))
            weekend.setAlpha(14)
            day = self.layout_.first + timedelta(days=(5 - self.layout_.first.weekday()) % 7)
            while day <= self.layout_.last:
                left = self.x_of(day)
                painter.fillRect(QRectF(left, rect.top(), 2 * self.per_day, rect.height()), weekend)
                day += timedelta(days=7)
        grid = QColor(palette.color(QPalette.ColorRole.Text))
        grid.setAlpha(28)
        painter.setPen(QPen(grid, 1))
        for tick, _label in self._ticks(minor=True):
            x = self.x_of(tick)
            painter.drawLine(QPointF(x, rect.top()), QPointF(x, rect.bottom()))

    def drawForeground(self, painter: QPainter, rect: QRectF | QRect) -> None:
        visible = self.mapToScene(self.viewport().rect()).boundingRect()
        self.paint_overlay(painter, visible)

    def paint_overlay(self, painter: QPainter, visible: QRectF) -> None:
        """Gates, today and go-live lines, the pinned date header and row names."""
        if self.layout_ is None:
            return
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.Text)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self._gates(painter, text)
        self._repeats(painter)
        lines: list[Line] = [(self.today, f"Today {format_date(self.today)}", text, True)]
        if self.layout_.go_live is not None:
            go_live = QColor(GO_LIVE if not is_dark(palette) else "#e8a3c8")
            lines.append(
                (
                    self.layout_.go_live,
                    f"Go-live {format_date(self.layout_.go_live)}",
                    go_live,
                    False,
                )
            )
        for day, _label, colour, dashed in lines:
            pen = QPen(colour, 2)
            if dashed:
                pen.setStyle(Qt.PenStyle.DashLine)
            painter.setPen(pen)
            x = self.x_of(day)
            painter.drawLine(
                QPointF(x, visible.top() + self.header_height), QPointF(x, visible.bottom())
            )
        self._header(painter, visible, lines)
        self._row_names(painter, visible)

    def _gates(self, painter: QPainter, text: QColor) -> None:
        for item in self.entry_items:
            entry = item.entry
            if entry.gate is None:
                continue
            rect = item.rect()
            centre = QPointF(rect.right() + rect.height() * 0.55, rect.center().y())
            colour = GATE.get(entry.gate)
            painter.setPen(QPen(text, 1.5))
            painter.setBrush(QBrush(QColor(colour)) if colour else Qt.BrushStyle.NoBrush)
            painter.drawPolygon(_diamond(centre, rect.height() * 0.45))

    def _repeats(self, painter: QPainter) -> None:
        for item in self.entry_items:
            if not item.entry.repeats:
                continue
            colour = QColor(item.entry.colour)
            colour.setAlpha(110)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(colour)
            rect = item.rect()
            shift = item.rect().left() - item.home.left()
            for day in item.entry.repeats:
                x = self.x_of(day) + self.per_day / 2 + shift
                painter.drawPolygon(_diamond(QPointF(x, rect.center().y()), rect.height() * 0.32))

    def _header(self, painter: QPainter, visible: QRectF, lines: list[Line]) -> None:
        palette = self.palette()
        band = QRectF(visible.left(), visible.top(), visible.width(), self.header_height)
        painter.fillRect(band, palette.color(QPalette.ColorRole.Window))
        painter.setPen(palette.color(QPalette.ColorRole.Mid))
        painter.drawLine(band.bottomLeft(), band.bottomRight())
        half = self.header_height / 2
        painter.setPen(palette.color(QPalette.ColorRole.WindowText))
        painter.setFont(self._bold())
        bold = QFontMetricsF(self._bold())
        majors = self._ticks(minor=False)
        floor = visible.left() + self.label_width + 4
        for index, (tick, label) in enumerate(majors):
            width = bold.horizontalAdvance(label)
            x = max(self.x_of(tick) + 4, floor)  # the month in view keeps its name in sight
            if index + 1 < len(majors):
                x = min(x, self.x_of(majors[index + 1][0]) - width - 8)
            if x + width < floor:
                continue
            painter.drawText(
                QRectF(x, band.top(), width + 4, half), Qt.AlignmentFlag.AlignVCenter, label
            )
        painter.setFont(self.font())
        for tick, label in self._ticks(minor=True):
            x = self.x_of(tick)
            if x < floor - 4:
                continue
            painter.drawText(
                QRectF(x + 3, band.top() + half, 200, half), Qt.AlignmentFlag.AlignVCenter, label
            )
        painter.setFont(self._bold())
        for day, label, colour, _dashed in lines:
            x = self.x_of(day)
            width = QFontMetricsF(self._bold()).horizontalAdvance(label) + 10
            box = QRectF(x - width / 2, band.bottom() - half + 2, width, half - 4)
            painter.setPen(QPen(colour, 1.5))
            painter.setBrush(palette.color(QPalette.ColorRole.Base))
            painter.drawRoundedRect(box, 3, 3)
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, label)
        painter.setFont(self.font())

    def _row_names(self, painter: QPainter, visible: QRectF) -> None:
        assert self.layout_ is not None
        palette = self.palette()
        width = self.label_width
        left = visible.left()
        column = QRectF(left, visible.top() + self.header_height, width, visible.height())
        painter.fillRect(column, palette.color(QPalette.ColorRole.Window))
        painter.setPen(palette.color(QPalette.ColorRole.Mid))
        painter.drawLine(column.topRight(), column.bottomRight())
        painter.setClipRect(column)
        metrics = self._metrics()
        for row, spec in enumerate(self.layout_.rows):
            top = self.row_top(row)
            if spec.band:
                painter.setFont(self._bold())
                painter.setPen(palette.color(QPalette.ColorRole.WindowText))
                heading = QRectF(left + 6, top - self.row_height, width - 8, self.row_height)
                painter.drawText(heading, Qt.AlignmentFlag.AlignBottom, spec.band)
                painter.setFont(self.font())
            painter.setPen(palette.color(QPalette.ColorRole.WindowText))
            name = metrics.elidedText(spec.title, Qt.TextElideMode.ElideRight, width - 22)
            painter.drawText(
                QRectF(left + 16, top, width - 18, self.row_height),
                Qt.AlignmentFlag.AlignVCenter,
                name,
            )
        painter.setClipping(False)

    def _ticks(self, *, minor: bool) -> list[tuple[date, str]]:
        """(date, label) of the header's ticks: the zoom's unit (minor) or the one above."""
        assert self.layout_ is not None
        first, last = self.layout_.first, self.layout_.last
        if minor and self.per_day >= 4:  # weeks are wide enough to name
            monday = first + timedelta(days=(7 - first.weekday()) % 7)
            days = range(0, (last - monday).days + 1, 7)
            return [(monday + timedelta(d), str((monday + timedelta(d)).day)) for d in days]
        by_quarter = not minor and self.per_day * 30 < 130  # too narrow for "September 2026"
        out: list[tuple[date, str]] = []
        month = first
        while month <= last:
            if not by_quarter:
                out.append((month, f"{month:%b}" if minor else f"{month:%B %Y}"))
            elif month.month % 3 == 1 or month == first:
                out.append((month, f"Q{(month.month - 1) // 3 + 1} {month.year}"))
            month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
        return out

    # ----------------------------------------------------------------- mouse
    def _item_at(self, point: QPointF) -> EntryItem | None:
        for item in self.scene().items(self.mapToScene(point.toPoint())):
            if isinstance(item, EntryItem):
                return item
        return None

    def _mode_at(self, item: EntryItem, scene_x: float) -> Mode:
        if item.entry.resizable and item.rect().width() > 3 * EDGE:
            if scene_x >= item.rect().right() - EDGE:
                return "end"
            if scene_x <= item.rect().left() + EDGE:
                return "start"
        return "move"

    def mousePressEvent(self, event: QMouseEvent) -> None:
        item = self._item_at(event.position())
        if event.button() != Qt.MouseButton.LeftButton or item is None:
            super().mousePressEvent(event)
            return
        self.select(item)
        if self.editable:
            scene_x = self.mapToScene(event.position().toPoint()).x()
            self._drag = Drag(item, self._mode_at(item, scene_x), scene_x)
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        scene_x = self.mapToScene(event.position().toPoint()).x()
        drag = self._drag
        if drag is None:
            item = self._item_at(event.position())
            grab = item is not None and self.editable and self._mode_at(item, scene_x) != "move"
            shape = Qt.CursorShape.SizeHorCursor if grab else Qt.CursorShape.ArrowCursor
            self.viewport().setCursor(shape)
            super().mouseMoveEvent(event)
            return
        drag.days = round((scene_x - drag.pressed_x) / self.per_day)
        start, end = drag.item.entry.changed(drag.mode, drag.days)
        drag.item.setRect(self.entry_rect(drag.item.entry, start, end))
        self.viewport().update()
        event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        drag, self._drag = self._drag, None
        if drag is None:
            super().mouseReleaseEvent(event)
            return
        event.accept()
        if drag.days:
            self._commit(drag.item, drag.mode, drag.days)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        item = self._item_at(event.position())
        if item is not None:
            self.open_requested.emit(item.entry.kind, item.entry.record_id)
        event.accept()

    def _commit(self, item: EntryItem, mode: Mode, days: int) -> None:
        if not self.commit(item.entry, mode, days):
            item.setRect(item.home)  # refused: back where the plan has it
            self.viewport().update()

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            step = 1 if event.angleDelta().y() > 0 else -1
            self.zoom_by(step)
            event.accept()
            return
        super().wheelEvent(event)

    # -------------------------------------------------------------- keyboard
    def select(self, item: EntryItem | None) -> None:
        self.selected = item
        if item is not None:
            self.ensureVisible(item, 60, 40)
        self.viewport().update()
        self.selection_changed.emit(item.entry if item else None)

    def _step(self, step: int) -> bool:
        """Select the next (+1) or previous (-1) entry; False at either end."""
        if not self.entry_items:
            return False
        if self.selected is None:
            index = 0 if step > 0 else len(self.entry_items) - 1
        else:
            index = self.entry_items.index(self.selected) + step
            if not 0 <= index < len(self.entry_items):
                return False
        self.select(self.entry_items[index])
        return True

    def focusNextPrevChild(self, forward: bool) -> bool:
        if self.hasFocus() and self._step(1 if forward else -1):
            return True
        return super().focusNextPrevChild(forward)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key, mods = Qt.Key(event.key()), event.modifiers()
        alt = bool(mods & Qt.KeyboardModifier.AltModifier)
        horizontal = {Qt.Key.Key_Left: -1, Qt.Key.Key_Right: 1}
        if alt and key in horizontal and self.selected is not None:
            if self.editable:
                days = horizontal[key]
                mode: Mode = "move"
                if mods & Qt.KeyboardModifier.ShiftModifier:
                    days *= 7
                if mods & Qt.KeyboardModifier.ControlModifier and self.selected.entry.resizable:
                    mode = "end"
                self._commit(self.selected, mode, days)
            event.accept()
            return
        steps = {Qt.Key.Key_Down: 1, Qt.Key.Key_Right: 1, Qt.Key.Key_Up: -1, Qt.Key.Key_Left: -1}
        if not alt and key in steps:
            self._step(steps[key])
            event.accept()
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.selected is not None:
            self.open_requested.emit(self.selected.entry.kind, self.selected.entry.record_id)
            event.accept()
            return
        if mods & Qt.KeyboardModifier.ControlModifier and key in (
            Qt.Key.Key_Plus,
            Qt.Key.Key_Equal,
            Qt.Key.Key_Minus,
        ):
            self.zoom_by(-1 if key == Qt.Key.Key_Minus else 1)
            event.accept()
            return
        super().keyPressEvent(event)

    def item_of(self, record_id: str) -> EntryItem | None:
        return next((i for i in self.entry_items if i.entry.record_id == record_id), None)
