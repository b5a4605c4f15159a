"""The stakeholder map slide, where a room drags stakeholders to where it thinks they stand.

A drag shows a ring following the pointer and the grid cell it would land on;
the drop is handed to `on_drop(stakeholder_id, power, interest)`, which the
window turns into one undoable edit. The slide itself never writes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QVBoxLayout, QWidget

from planner.charts import CHART_KINDS
from planner.domain.records import Stakeholder
from planner.ui.chart_canvas import ChartPane
from planner.ui.present.slides import SlideState, build_legible

Drop = Callable[[str, int, int], None]
EDGE = (0.5, 5.5)


class MapSlide(QWidget):
    key = "stakeholder-map"
    title = CHART_KINDS["stakeholder-map"].title

    def __init__(self, on_drop: Drop, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.on_drop = on_drop
        self.pane = ChartPane(self)
        self.map: Any = None
        self.dragging: str | None = None
        self.editable = True
        self._positions: dict[str, tuple[int, int]] = {}
        self._ghost: Any = None
        self._hint: Any = None
        self._style_points = 18.0
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pane)

    def show_state(self, state: SlideState) -> None:
        from planner.charts.stakeholder_map import build_map

        self.dragging = None
        self.map = build_legible(
            state,
            lambda style: build_map(
                state.plan,
                today=state.today or state.report.today,
                style=style,
                privacy=state.privacy,
                names=state.names_on_map,
            ),
            lambda built: built.figure,
        )
        self._positions = {
            s.id: (s.power, s.interest)
            for s in state.plan.stakeholders
            if isinstance(s, Stakeholder)
        }
        self._style_points = state.points
        canvas = self.pane.show_figure(self.map.figure)
        canvas.mpl_connect("button_press_event", self._press)
        canvas.mpl_connect("motion_notify_event", self._move)
        canvas.mpl_connect("button_release_event", self._release)

    def pixel_of(self, x_data: float, y_data: float) -> tuple[float, float]:
        """Widget (Qt) coordinates of a point of the map, for tests and for the cursor."""
        x, y = self.map.axes.transData.transform((x_data, y_data))
        ratio = self.pane.canvas.device_pixel_ratio
        return x / ratio, self.pane.canvas.height() - y / ratio

    # ------------------------------------------------------------------ drag
    def _data_at(self, event: Any) -> tuple[float, float]:
        x, y = self.map.axes.transData.inverted().transform((event.x, event.y))
        return min(EDGE[1], max(EDGE[0], x)), min(EDGE[1], max(EDGE[0], y))

    def _press(self, event: Any) -> None:
        if not self.editable or event.button != 1 or self.map is None:
            return
        found = self.map.stakeholder_at(event.x, event.y)
        if found is None:
            return
        self.dragging = found
        point = self.map.point_of(found)
        axes = self.map.axes
        self._ghost = axes.scatter(
            [point.x],
            [point.y],
            s=point.size * 1.3,
            facecolors="none",
            edgecolors="#222222",
            linewidths=3,
            linestyle="--",
            zorder=10,
        )
        self._hint = axes.annotate(
            "",
            xy=(point.x, point.y),
            xytext=(0, 28),
            textcoords="offset points",
            ha="center",
            zorder=11,
            fontsize=self._style_points * 0.7,
            fontweight="bold",
            bbox={"boxstyle": "round", "facecolor": "#FFF8C5", "edgecolor": "#222222"},
        )
        self._follow(point.x, point.y)

    def _move(self, event: Any) -> None:
        if self.dragging is not None:
            self._follow(*self._data_at(event))
        elif self.editable and self.map is not None:
            over = self.map.stakeholder_at(event.x, event.y) is not None
            shape = Qt.CursorShape.OpenHandCursor if over else Qt.CursorShape.ArrowCursor
            self.pane.canvas.setCursor(shape)

    def _follow(self, x: float, y: float) -> None:
        power, interest = self.map.grid_position(x, y)
        self._ghost.set_offsets([[x, y]])
        self._hint.xy = (x, y)
        near_top = y > 4.5
        self._hint.xyann = (0, -30 if near_top else 30)
        self._hint.set_verticalalignment("top" if near_top else "bottom")
        self._hint.set_horizontalalignment("right" if x > 3.5 else "left")
        point = self.map.point_of(self.dragging)
        name = point.label if point is not None else ""
        self._hint.set_text(f"{name}: power {power} · interest {interest}")
        self.pane.canvas.draw_idle()

    def _release(self, event: Any) -> None:
        if self.dragging is None:
            return
        stakeholder_id, self.dragging = self.dragging, None
        power, interest = self.map.grid_position(*self._data_at(event))
        self._ghost.remove()
        self._hint.remove()
        self._ghost = self._hint = None
        self.pane.canvas.draw_idle()
        if self._positions.get(stakeholder_id) != (power, interest):
            self.on_drop(stakeholder_id, power, interest)
