"""The Portfolio page's heatmap, painted by Qt: unit rows × week columns.

The page used to show the exported matplotlib chart; importing matplotlib and
laying that figure out took about a second on the UI thread. This widget paints
the same picture (rows, bands, colours, markers and week labels come from
`planner.charts.portfolio_scale`, as the chart's do) in a few milliseconds and
reads like a desktop grid: the unit names stay pinned on the left and the week
axis on top while the cells scroll, the colour key and the initiatives' markers
stay pinned at the bottom, every cell has a tooltip saying what adds to it, and
the arrow keys move a current cell that is read out.

Everything is drawn in logical coordinates, so it stays sharp at any device
pixel ratio; the colours follow the palette (a dark theme turns paper and ink
over as the dark chart style does).
"""

from __future__ import annotations

from collections import defaultdict
from functools import cache
from math import ceil, cos, pi, sin
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QPoint, QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFontMetrics,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPalette,
    QPen,
    QResizeEvent,
)
from PySide6.QtWidgets import QAbstractScrollArea, QFrame, QToolTip, QWidget

from planner.charts import portfolio_scale as scale
from planner.charts.style import dark_hex, ink_on
from planner.ui.formatting import format_date, plural
from planner.ui.theme import is_dark

if TYPE_CHECKING:
    from planner.services.portfolio import LoadItem, Portfolio, UnitLoad, WeekLoad

Role = QPalette.ColorRole
MIN_CELL = 30
MAX_CELL = 56
MAX_NAME = 280
LEAD_WEEKS = 2
"""How many weeks before the first overloaded one the grid opens on."""
SWATCH = 12
GAP = 1
"""The paper-coloured rule between cells, as the chart's white grid lines."""


class PortfolioHeatmap(QAbstractScrollArea):
    """The change load per unit and week; `set_portfolio` shows a computed portfolio."""

    current_changed = Signal(str)
    """The current cell's read-out, one line (the arrow keys or a click moved it)."""
    unit_chosen = Signal(str)
    """A cell was clicked: the name of its unit."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("portfolio_heatmap")
        self.setAccessibleName("Change load heatmap")
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.viewport().setMouseTracking(True)
        self.portfolio: Portfolio | None = None
        self.units: tuple[UnitLoad, ...] = ()
        self.left_out = 0
        self.current: tuple[int, int] | None = None
        """(row, week) of the current cell."""
        self._looks: dict[str, tuple[str, str]] = {}
        self._numbered: set[tuple[int, int]] = set()
        self._going_live: set[str] = set()
        self._markers: dict[tuple[int, int], tuple[str, ...]] = {}
        self._placed = False
        self._cell = QSize(MIN_CELL, 22)
        self._name_width = 120
        self._axis_height = 40
        self._legend: list[tuple[QRectF, str, str, str]] = []
        """(where, kind "band" or a marker code, colour, text) of each key entry."""
        self._legend_height = 40

    # ------------------------------------------------------------- content
    def set_portfolio(self, portfolio: Portfolio) -> None:
        self.portfolio = portfolio
        drawn = scale.rows(portfolio)
        self.units = drawn.units if portfolio.weeks else ()
        self.left_out = drawn.left_out
        self._looks = scale.marker_looks([i.name for i in portfolio.initiatives])
        self._numbered = {(y, x) for x, y, _ in scale.numbered_cells(self.units)}
        # Each cell's go-live markers, found once (a week's go-lives are looked up in what
        # landed on its unit): painting and scrolling then only read them.
        self._markers = {
            (row, week): names
            for row, unit_load in enumerate(self.units)
            for week, load in enumerate(unit_load.weeks)
            if (names := load.go_lives)
        }
        # The initiatives with a go-live marker drawn: the key names only those.
        self._going_live = {name for names in self._markers.values() for name in names}
        if self.current is not None:
            row, week = self.current
            inside = row < len(self.units) and week < len(portfolio.weeks)
            self.current = self.current if inside else None
        self.setAccessibleDescription(
            scale.subtitle(portfolio, self.units) if self.units else scale.EMPTY
        )
        self._lay_out()
        if not self._placed:
            self._place_at_first_overload()
        self.viewport().update()

    def first_overloaded_week(self) -> int | None:
        """The first week (column) in which any unit drawn is over its capacity."""
        weeks = [next((w for w, load in enumerate(u.weeks) if load.over), None) for u in self.units]
        found = [w for w in weeks if w is not None]
        return min(found) if found else None

    def _place_at_first_overload(self) -> None:
        """Open on the trouble: the grid scrolled so the first overloaded week shows with two
        weeks before it (a period of a year and more does not fit a laptop's screen). Done
        once: after that the user's scrolling stays as it is."""
        week = self.first_overloaded_week()
        bar = self.horizontalScrollBar()
        if week is None or bar.maximum() == 0:
            return
        bar.setValue(max(0, week - LEAD_WEEKS) * self._cell.width())
        self._placed = True

    def row_labels(self) -> list[str]:
        """ "Inside sales (8)" for each row, top to bottom, as the chart labels its rows."""
        return [scale.row_label(u, None) for u in self.units]

    def cell_text(self, row: int, week: int) -> str:
        """What a cell's tooltip says: unit, week, load against capacity, and what adds
        to it per initiative."""
        unit_load = self.units[row]
        load = unit_load.weeks[week]
        lines = [f"{_where(unit_load, load)}: {_against(load)}"]
        for name, total, parts in _by_initiative(load.items):
            lines.append(f"• {name}: {total:g} ({', '.join(parts)})")
        return "\n".join(lines)

    def cell_summary(self, row: int, week: int) -> str:
        """One line for the status bar and a screen reader."""
        unit_load = self.units[row]
        load = unit_load.weeks[week]
        adds = "; ".join(f"{name} {total:g}" for name, total, _ in _by_initiative(load.items))
        return f"{_where(unit_load, load)}: {_against(load)}" + (f"; {adds}" if adds else "")

    def cell_rect(self, row: int, week: int) -> QRect:
        """Where a cell is in the viewport, as it is scrolled now."""
        x = self._name_width + week * self._cell.width() - self.horizontalScrollBar().value()
        y = self.grid_rect().top() + row * self._cell.height() - self.verticalScrollBar().value()
        return QRect(x, y, self._cell.width(), self._cell.height())

    def cell_at(self, point: QPoint) -> tuple[int, int] | None:
        if self.portfolio is None or not self.units or not self.grid_rect().contains(point):
            return None
        x = point.x() - self._name_width + self.horizontalScrollBar().value()
        y = point.y() - self.grid_rect().top() + self.verticalScrollBar().value()
        row, week = y // self._cell.height(), x // self._cell.width()
        if 0 <= row < len(self.units) and 0 <= week < len(self.portfolio.weeks):
            return row, week
        return None

    # -------------------------------------------------------------- layout
    def _lay_out(self) -> None:
        metrics = self.fontMetrics()
        line = metrics.height()
        weeks = len(self.portfolio.weeks) if self.portfolio else 0
        labels = [metrics.horizontalAdvance(scale.row_label(u, None)) for u in self.units]
        self._name_width = min(MAX_NAME, max([120, *labels]) + 16)
        width = max(MIN_CELL, metrics.horizontalAdvance("W52") + 10)
        room = self.viewport().width() - self._name_width
        if weeks and room > width * weeks:
            width = min(MAX_CELL, room // weeks)
        self._cell = QSize(width, max(22, line + 8))
        self._axis_height = 2 * line + 10
        self._legend = self._key(self.viewport().width(), metrics)
        bottom = max((r.bottom() for r, *_ in self._legend), default=0.0)
        height = ceil(bottom) + line + 14 if self.units else 0
        if height != self._legend_height:
            self._legend_height = height
            self.updateGeometry()
        self._update_scroll_bars()

    def _key(self, width: int, metrics: QFontMetrics) -> list[tuple[QRectF, str, str, str]]:
        """The colour key, then a marker per initiative going live, flowed over lines."""
        dark = is_dark(self.palette())
        entries = [
            ("band", c, t) for c, t in zip(scale.band_colours(dark=dark), scale.LABELS, strict=True)
        ]
        for name, (marker, colour) in self._looks.items():
            if name in self._going_live:
                entries.append((marker, _ink(colour, dark), scale.legend_name(name)))
        line = metrics.height() + 6
        x, y, out = 8.0, 8.0, []
        for kind, colour, text in entries:
            span = SWATCH + 6 + metrics.horizontalAdvance(text) + 18
            if x > 8 and x + span > width:
                x, y = 8.0, y + line
            out.append((QRectF(x, y, span, line), kind, colour, text))
            x += span
        return out

    def grid_rect(self) -> QRect:
        """The scrolling part of the viewport: below the week axis, right of the names,
        above the key."""
        area = self.viewport().rect()
        return area.adjusted(self._name_width, self._legend_height + self._axis_height, 0, 0)

    def _update_scroll_bars(self) -> None:
        weeks = len(self.portfolio.weeks) if self.portfolio and self.units else 0
        grid = self.grid_rect()
        for bar, content, page, step in (
            (
                self.horizontalScrollBar(),
                weeks * self._cell.width(),
                grid.width(),
                self._cell.width(),
            ),
            (
                self.verticalScrollBar(),
                len(self.units) * self._cell.height(),
                grid.height(),
                self._cell.height(),
            ),
        ):
            bar.setRange(0, max(0, content - max(page, 0)))
            bar.setPageStep(max(page, step))
            bar.setSingleStep(step)

    def sizeHint(self) -> QSize:
        weeks = len(self.portfolio.weeks) if self.portfolio else 0
        return QSize(
            self._name_width + weeks * self._cell.width(),
            self._axis_height + len(self.units) * self._cell.height() + self._legend_height,
        )

    def minimumSizeHint(self) -> QSize:
        return QSize(320, self._axis_height + 3 * self._cell.height() + self._legend_height)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._lay_out()
        if not self._placed and self.portfolio is not None:
            self._place_at_first_overload()

    def changeEvent(self, event: QEvent) -> None:
        """A switch of theme or font lays out and paints again in the new colours."""
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.FontChange):
            self._lay_out()
            self.viewport().update()

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        self.viewport().update()

    # -------------------------------------------------------------- paint
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self.viewport())
        palette = self.palette()
        painter.fillRect(self.viewport().rect(), palette.color(Role.Window))
        if self.portfolio is None:
            return
        if not self.units:
            painter.setPen(palette.color(Role.PlaceholderText))
            painter.drawText(
                self.viewport().rect().adjusted(16, 16, -16, -16),
                Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                scale.EMPTY,
            )
            return
        dark = is_dark(palette)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self._paint_cells(painter, dark)
        self._paint_names(painter)
        self._paint_axis(painter)
        self._paint_key(painter, dark)

    def _visible(self) -> tuple[range, range]:
        grid, cell = self.grid_rect(), self._cell
        top = self.verticalScrollBar().value() // cell.height()
        left = self.horizontalScrollBar().value() // cell.width()
        rows = range(top, min(len(self.units), top + grid.height() // cell.height() + 2))
        weeks = len(self.portfolio.weeks) if self.portfolio else 0
        return rows, range(left, min(weeks, left + grid.width() // cell.width() + 2))

    def _paint_cells(self, painter: QPainter, dark: bool) -> None:
        grid = self.grid_rect()
        colours = [QColor(c) for c in scale.band_colours(dark=dark)]
        painter.save()
        painter.setClipRect(grid)
        painter.fillRect(grid, colours[0])
        rows, weeks = self._visible()
        metrics = painter.fontMetrics()
        size = min(self._cell.height() * 0.62, self._cell.width() * 0.5)
        edge = QColor(_ink(scale.MARKER_EDGE, dark))
        for row in rows:
            unit_load = self.units[row]
            for week in weeks:
                load = unit_load.weeks[week]
                rect = QRectF(self.cell_rect(row, week)).adjusted(0, 0, -GAP, -GAP)
                shade = scale.band(load.load, load.capacity)
                painter.fillRect(rect, colours[shade])
                names = self._markers.get((row, week), ())
                for k, name in enumerate(names):
                    marker, colour = self._looks.get(name, ("o", scale.MARKER_COLOURS[0]))
                    dx = scale.marker_offset(k, len(names)) * self._cell.width()
                    centre = rect.center() + QPointF(dx, 0)
                    _paint_marker(painter, marker, centre, size, QColor(_ink(colour, dark)), edge)
                text = f"{load.load:g}"
                if (row, week) in self._numbered and metrics.horizontalAdvance(
                    text
                ) + 4 < rect.width():
                    # the palest shades are paper a dark theme turns over, like the chart's ink
                    ink = self.palette().color(Role.WindowText)
                    painter.setPen(ink if shade <= 1 else QColor(ink_on(scale.COLOURS[shade])))
                    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
        if self.current is not None:
            pen = QPen(self.palette().color(Role.Highlight), 2.5 if self.hasFocus() else 1.5)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(QRectF(self.cell_rect(*self.current)).adjusted(1, 1, -2, -2))
        painter.restore()

    def _paint_names(self, painter: QPainter) -> None:
        grid = self.grid_rect()
        column = QRect(0, grid.top(), self._name_width, grid.height())
        painter.save()
        painter.setClipRect(column)
        painter.fillRect(column, self.palette().color(Role.Window))
        painter.setPen(self.palette().color(Role.WindowText))
        metrics = painter.fontMetrics()
        rows, _ = self._visible()
        current = self.current[0] if self.current else None
        for row in rows:
            y = self.cell_rect(row, 0).top()
            label = scale.row_label(self.units[row], None)
            font = painter.font()
            font.setBold(row == current)
            painter.setFont(font)
            text = metrics.elidedText(label, Qt.TextElideMode.ElideMiddle, self._name_width - 14)
            painter.drawText(
                QRect(6, y, self._name_width - 10, self._cell.height()),
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                text,
            )
        painter.restore()

    def _paint_axis(self, painter: QPainter) -> None:
        assert self.portfolio is not None
        palette = self.palette()
        band = QRect(0, self._legend_height, self.viewport().width(), self._axis_height)
        painter.save()
        painter.fillRect(band, palette.color(Role.Window))
        metrics = painter.fontMetrics()
        line, top = metrics.height(), band.top()
        painter.setPen(palette.color(Role.PlaceholderText))
        painter.drawText(
            QRect(6, top + 4 + line, self._name_width - 10, line),
            Qt.AlignmentFlag.AlignLeft,
            "Unit (capacity)",
        )
        painter.setClipRect(band.adjusted(self._name_width, 0, 0, 0))
        step = ceil((metrics.horizontalAdvance("W52") + 8) / self._cell.width())
        _, weeks = self._visible()
        for n, week, year in scale.week_labels(self.portfolio.weeks, step):
            if n < weeks.start - step or n > weeks.stop:
                continue
            rect = self.cell_rect(0, n)
            x = rect.left()
            width = self._cell.width() * step
            painter.setPen(palette.color(Role.PlaceholderText))
            if year:
                painter.drawText(
                    QRect(x, top + 4, width + 40, line), Qt.AlignmentFlag.AlignLeft, year
                )
            painter.setPen(palette.color(Role.WindowText))
            painter.drawText(
                QRect(x, top + 4 + line, width + 20, line), Qt.AlignmentFlag.AlignLeft, week
            )
        painter.restore()

    def _paint_key(self, painter: QPainter, dark: bool) -> None:
        palette = self.palette()
        top = 0
        painter.save()
        painter.translate(0, top)
        painter.fillRect(
            QRect(0, 0, self.viewport().width(), self._legend_height), palette.color(Role.Window)
        )
        painter.setPen(QPen(palette.color(Role.Mid), 1))
        rule = self._legend_height - 0.5
        painter.drawLine(QPointF(0, rule), QPointF(self.viewport().width(), rule))
        edge = QColor(_ink(scale.MARKER_EDGE, dark))
        frame = palette.color(Role.PlaceholderText)
        for rect, kind, colour, text in self._legend:
            swatch = QRectF(rect.left(), rect.center().y() - SWATCH / 2, SWATCH, SWATCH)
            if kind == "band":
                painter.setPen(QPen(frame, 1))
                painter.setBrush(QColor(colour))
                painter.drawRect(swatch.adjusted(0.5, 0.5, -0.5, -0.5))
            else:
                _paint_marker(painter, kind, swatch.center(), SWATCH + 1, QColor(colour), edge)
            painter.setPen(palette.color(Role.WindowText))
            painter.drawText(
                rect.adjusted(SWATCH + 6, 0, 0, 0), Qt.AlignmentFlag.AlignVCenter, text
            )
        bottom = max((r.bottom() for r, *_ in self._legend), default=0.0)
        painter.setPen(palette.color(Role.PlaceholderText))
        painter.drawText(
            QRectF(8, bottom + 2, self.viewport().width() - 16, painter.fontMetrics().height() + 4),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            scale.left_out_note(self.left_out),
        )
        painter.restore()

    # ----------------------------------------------------- mouse and keys
    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            assert isinstance(event, QHelpEvent)
            cell = self.cell_at(event.pos())
            if cell is None:
                QToolTip.hideText()
            else:
                QToolTip.showText(event.globalPos(), self.cell_text(*cell), self.viewport())
            return True
        return super().viewportEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        cell = self.cell_at(event.position().toPoint())
        if cell is None or event.button() != Qt.MouseButton.LeftButton:
            super().mousePressEvent(event)
            return
        self.set_current(*cell)
        self.unit_chosen.emit(self.units[cell[0]].unit.name)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.portfolio is None or not self.units:
            super().keyPressEvent(event)
            return
        row, week = self.current or (0, 0)
        page = max(1, self.grid_rect().height() // self._cell.height() - 1)
        moves = {
            Qt.Key.Key_Left: (0, -1),
            Qt.Key.Key_Right: (0, 1),
            Qt.Key.Key_Up: (-1, 0),
            Qt.Key.Key_Down: (1, 0),
            Qt.Key.Key_PageUp: (-page, 0),
            Qt.Key.Key_PageDown: (page, 0),
        }
        key = Qt.Key(event.key())
        if key in moves and self.current is not None:
            down, across = moves[key]
            row, week = row + down, week + across
        elif key == Qt.Key.Key_Home:
            week = 0
        elif key == Qt.Key.Key_End:
            week = len(self.portfolio.weeks) - 1
        elif key not in moves:
            super().keyPressEvent(event)
            return
        row = min(max(row, 0), len(self.units) - 1)
        week = min(max(week, 0), len(self.portfolio.weeks) - 1)
        self.set_current(row, week)
        corner = self.viewport().mapToGlobal(self.cell_rect(row, week).bottomLeft())
        QToolTip.showText(corner, self.cell_text(row, week), self)

    def set_current(self, row: int, week: int) -> None:
        """Make a cell current: scrolled into view, outlined, and read out."""
        self.current = (row, week)
        rect, grid = self.cell_rect(row, week), self.grid_rect()
        horizontal, vertical = self.horizontalScrollBar(), self.verticalScrollBar()
        if rect.left() < grid.left():
            horizontal.setValue(horizontal.value() - (grid.left() - rect.left()))
        elif rect.right() > grid.right():
            horizontal.setValue(horizontal.value() + rect.right() - grid.right())
        if rect.top() < grid.top():
            vertical.setValue(vertical.value() - (grid.top() - rect.top()))
        elif rect.bottom() > grid.bottom():
            vertical.setValue(vertical.value() + rect.bottom() - grid.bottom())
        summary = self.cell_summary(row, week)
        self.setAccessibleDescription(summary)
        self.viewport().update()
        self.current_changed.emit(summary)


def _ink(colour: str, dark: bool) -> str:
    return dark_hex(colour) if dark else colour


def _where(unit_load: UnitLoad, load: WeekLoad) -> str:
    week = load.monday.isocalendar()[1]
    return f"{unit_load.unit.name}, week of {format_date(load.monday)} (W{week:02d})"


def _against(load: WeekLoad) -> str:
    share = round(100 * load.load / load.capacity)
    band = scale.LABELS[scale.band(load.load, load.capacity)]
    return f"{load.load:g} points against a capacity of {load.capacity:g} ({share}%, {band})"


def _by_initiative(items: tuple[LoadItem, ...]) -> list[tuple[str, float, list[str]]]:
    """Per initiative (in order of first appearance): its points, and what they are
    (on a parent unit, how many of the units below it they came through)."""
    parts: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    below: dict[tuple[str, str], set[str]] = defaultdict(set)
    for item in items:
        what = _what(item)
        parts[item.initiative.name][what] += item.points
        if item.via is not None:
            below[item.initiative.name, what].add(item.via.name)
    out = []
    for name, whats in parts.items():
        said = []
        for what, points in whats.items():
            through = below.get((name, what))
            said.append(
                f"{what} {round(points, 2):g}"
                + (f" through {plural(len(through), 'unit')} below" if through else "")
            )
        out.append((name, round(sum(whats.values()), 2), said))
    return out


def _what(item: LoadItem) -> str:
    if item.source == "go_live":
        name = item.record.name if item.record.kind == "phase" else "go-live"
        what = name if name.casefold().startswith("go-live") else f"go-live of {name}"
        return f"after {what}" if item.settling else what
    if item.source == "training":
        what = f"training ‘{item.record.name}’"
    else:
        what = "communications" if item.source == "communication" else "transition"
    return f"{what} for all of {item.above.name}" if item.above is not None else what


@cache
def _marker_path(code: str) -> QPainterPath:
    """matplotlib's marker `code` as a path of radius 1 around the origin."""
    path = QPainterPath()
    if code == "o":
        path.addEllipse(QPointF(0, 0), 1.0, 1.0)
        return path
    shapes: dict[str, list[tuple[float, float]]] = {
        "D": [(0, -1.1), (0.8, 0), (0, 1.1), (-0.8, 0)],
        "s": [(-0.85, -0.85), (0.85, -0.85), (0.85, 0.85), (-0.85, 0.85)],
        "^": [(0, -1.05), (1, 0.75), (-1, 0.75)],
        "v": [(0, 1.05), (1, -0.75), (-1, -0.75)],
        "P": [
            (-0.35, -1),
            (0.35, -1),
            (0.35, -0.35),
            (1, -0.35),
            (1, 0.35),
            (0.35, 0.35),
            (0.35, 1),
            (-0.35, 1),
            (-0.35, 0.35),
            (-1, 0.35),
            (-1, -0.35),
            (-0.35, -0.35),
        ],
        "X": [
            (-0.5, -1),
            (0, -0.5),
            (0.5, -1),
            (1, -0.5),
            (0.5, 0),
            (1, 0.5),
            (0.5, 1),
            (0, 0.5),
            (-0.5, 1),
            (-1, 0.5),
            (-0.5, 0),
            (-1, -0.5),
        ],
    }
    if code == "*":
        points = [
            (
                (1.1 if n % 2 == 0 else 0.45) * sin(n * pi / 5),
                -(1.1 if n % 2 == 0 else 0.45) * cos(n * pi / 5),
            )
            for n in range(10)
        ]
    else:
        points = shapes.get(code, shapes["D"])
    path.moveTo(*points[0])
    for point in points[1:]:
        path.lineTo(*point)
    path.closeSubpath()
    return path


def _paint_marker(
    painter: QPainter, code: str, centre: QPointF, size: float, fill: QColor, edge: QColor
) -> None:
    painter.save()
    painter.translate(centre)
    painter.scale(size / 2, size / 2)
    painter.setPen(QPen(edge, 2.0 / size * 1.5))
    painter.setBrush(fill)
    painter.drawPath(_marker_path(code))
    painter.restore()
