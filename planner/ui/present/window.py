"""Present mode: the plan as full-screen slides for a facilitator and a room.

The window keeps its own zoom (Ctrl+plus/minus/0), privacy setting (P) and
whether the map writes names on its bubbles (N),
steps through slides with the arrow keys, and leaves with Esc. Edits made on
the map slide are ordinary undoable edits, saved at once; any edit, undo or
redo (here or in the main window) redraws the slide being shown.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QRect, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QColor,
    QKeySequence,
    QPalette,
    QResizeEvent,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from planner.charts import Privacy
from planner.domain.errors import PlannerError
from planner.domain.plan import Plan
from planner.domain.quoting import shown
from planner.services.planning import PlanService
from planner.services.readiness import ReadinessReport, check
from planner.ui.history_link import follow_history
from planner.ui.present.map_slide import MapSlide
from planner.ui.present.slides import (
    ChartSlide,
    FindingsSlide,
    GatesSlide,
    PortfolioSlide,
    Slide,
    SlideState,
)
from planner.ui.screen_fit import ElidedLabel

if TYPE_CHECKING:
    from planner.services.portfolio import Portfolio

MIN_ZOOM, MAX_ZOOM, ZOOM_STEP = 0.5, 3.0, 1.2
PRIVACY_CYCLE = (Privacy.OFF, Privacy.INITIALS, Privacy.CODES)
PRIVACY_TEXT = {
    Privacy.OFF: "Privacy off",
    Privacy.INITIALS: "PRIVATE · initials",
    Privacy.CODES: "PRIVATE · codes",
}
PRIVACY_TIP = {
    Privacy.OFF: "Names and attitudes are shown. P hides them.",
    Privacy.INITIALS: "People shown as initials; every attitude and note hidden. P for codes.",
    Privacy.CODES: "Stakeholders shown as codes; every attitude and note hidden. P shows all.",
}
HEADER_POINTS = 16.0
MIN_HEADER_POINTS = 10.0
HEADER_STYLE = "#present_header { background: #1f2933; } QLabel { color: white; }"
BUTTON_STYLE = (
    "QPushButton { background: #3e4c59; color: white; border: none;"
    " padding: 6px 14px; border-radius: 4px; }"
    "QPushButton:hover { background: #52606d; }"
    "QPushButton:disabled { color: #9aa5b1; }"
    "QPushButton:checked { background: #e8eaed; color: #111; }"
)


class PresentWindow(QWidget):
    closed = Signal()

    def __init__(
        self,
        service: PlanService,
        initiative_id: str,
        *,
        today: date | None = None,
        privacy: Privacy = Privacy.OFF,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle("Present")
        self.setObjectName("present_window")
        self.setStyleSheet("#present_window { background: white; }")
        # Slides are light whatever the desktop's theme: a projector washes dark ones out.
        self.setPalette(QPalette(QColor("#efefef"), QColor("#ffffff")))
        self.service = service
        self.initiative_id = initiative_id
        self.today = today
        self.privacy = privacy
        self.zoom = 1.0
        self.index = 0
        self._data: tuple[Plan, ReadinessReport] | None = None
        self._fresh: set[int] = set()
        self._follows_screen = False
        self.header_points = HEADER_POINTS

        self.map_slide = MapSlide(self._drop)
        self.slides: list[Slide] = [
            self.map_slide,
            ChartSlide("readiness"),
            FindingsSlide(),
            ChartSlide("roadmap"),
            GatesSlide(),
            PortfolioSlide(self._portfolio),
            ChartSlide("communication-heatmap"),
            ChartSlide("training-coverage"),
            ChartSlide("kpi-progress"),
            ChartSlide("adkar-heatmap"),
            ChartSlide("option-scorecard"),
        ]
        self.stack = QStackedWidget()
        # The slides take the room the screen leaves; what they hold never widens the window.
        self.stack.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        for slide in self.slides:
            assert isinstance(slide, QWidget)
            self.stack.addWidget(slide)
        self.problem = QLabel()
        self.problem.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("font-size: 24pt; color: #c62828;")
        self.stack.addWidget(self.problem)

        self._build_header()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.header)
        layout.addWidget(self.stack, 1)
        self._bind_keys()
        self._size_used: dict[int, tuple[int, int]] = {}
        self._resized = QTimer(self)
        self._resized.setSingleShot(True)
        self._resized.setInterval(120)
        self._resized.timeout.connect(self._redraw_for_size)
        follow_history(self, service, self._plan_changed)
        self.show_slide(0)

    def _portfolio(self) -> Portfolio:
        from planner.services.portfolio import read

        return read(self.service)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._fit_screen()
        handle = self.windowHandle()
        if handle is not None and not self._follows_screen:
            self._follows_screen = True
            handle.screenChanged.connect(lambda _screen: self._fit_screen())
        self._render_current()
        self._resized.start()

    def screen_area(self) -> QRect:
        """Where the slides may go: the whole screen full screen, else its free area."""
        screen = self.screen()
        if screen is None:
            return QRect(0, 0, 1280, 720)
        return screen.geometry() if self.isFullScreen() else screen.availableGeometry()

    def _fit_screen(self) -> None:
        """Never larger than the screen, whatever a slide or a message would like."""
        area = self.screen_area()
        self.setMaximumSize(area.size())
        if not self.isFullScreen() and (
            self.width() > area.width() or self.height() > area.height()
        ):
            self.resize(self.size().boundedTo(area.size()))
        self._update_header()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._resized.start()

    def _redraw_for_size(self) -> None:
        """Charts are drawn for the space they get; a new size (full screen) redraws them."""
        width, height = self._slide_size()
        used = self._size_used.get(self.index)
        if (
            used is None
            or abs(used[0] - width) > 0.05 * width
            or abs(used[1] - height) > 0.05 * height
        ):
            self._restyle()

    # ---------------------------------------------------------------- layout
    def _build_header(self) -> None:
        self.header = QFrame()
        self.header.setObjectName("present_header")
        self.header.setStyleSheet(HEADER_STYLE + BUTTON_STYLE)
        self.position_label = QLabel()
        self.title_label = ElidedLabel()
        self.privacy_button = QPushButton()
        self.privacy_button.clicked.connect(self.cycle_privacy)
        self.names_button = QPushButton("Names (N)")
        self.names_button.setCheckable(True)
        self.names_button.setToolTip(
            "Write each stakeholder's name beside its bubble (initials under privacy;"
            " under codes the number is the code)"
        )
        self.names_button.toggled.connect(self.set_names_on_map)
        self.zoom_label = QLabel()
        self.snapshot_button = QPushButton("Snapshot positions")
        self.snapshot_button.setToolTip(
            "Record where every stakeholder stands now, so later movement shows as trails"
        )
        self.snapshot_button.clicked.connect(self.take_snapshot)
        self.message = ElidedLabel()
        self.message.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.previous_button = QPushButton("◀")
        self.previous_button.setToolTip("Previous slide (←)")
        self.previous_button.clicked.connect(self.previous_slide)
        self.next_button = QPushButton("▶")
        self.next_button.setToolTip("Next slide (→)")
        self.next_button.clicked.connect(self.next_slide)
        leave = QPushButton("Leave (Esc)")
        leave.clicked.connect(self.close)
        self.title_label.setStyleSheet("font-weight: bold;")
        for button in (
            self.privacy_button,
            self.names_button,
            self.snapshot_button,
            self.previous_button,
            self.next_button,
            leave,
        ):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        row = QHBoxLayout(self.header)
        row.setContentsMargins(16, 8, 16, 8)
        row.addWidget(self.position_label)
        row.addWidget(self.title_label, 2)
        row.addWidget(self.message, 3)
        row.addWidget(self.snapshot_button)
        row.addWidget(self.names_button)
        row.addWidget(self.privacy_button)
        row.addWidget(self.zoom_label)
        row.addWidget(self.previous_button)
        row.addWidget(self.next_button)
        row.addWidget(leave)

    def _bind_keys(self) -> None:
        bindings = [
            ((Qt.Key.Key_Right, Qt.Key.Key_Space, Qt.Key.Key_PageDown), self.next_slide),
            ((Qt.Key.Key_Left, Qt.Key.Key_Backspace, Qt.Key.Key_PageUp), self.previous_slide),
            ((Qt.Key.Key_Home,), lambda: self.show_slide(0)),
            ((Qt.Key.Key_End,), lambda: self.show_slide(len(self.slides) - 1)),
            ((Qt.Key.Key_Escape,), self.close),
            ((Qt.Key.Key_P,), self.cycle_privacy),
            ((Qt.Key.Key_N,), lambda: self.names_button.toggle()),
            ((QKeySequence.StandardKey.ZoomIn, "Ctrl++", "Ctrl+="), self.zoom_in),
            ((QKeySequence.StandardKey.ZoomOut, "Ctrl+-"), self.zoom_out),
            (("Ctrl+0",), self.reset_zoom),
            ((QKeySequence.StandardKey.Undo,), self.undo),
            ((QKeySequence.StandardKey.Redo, "Ctrl+Shift+Z"), self.redo),
        ]
        for keys, handler in bindings:
            action = QAction(self)
            sequences: list[QKeySequence] = []
            for key in keys:
                if isinstance(key, QKeySequence.StandardKey):
                    sequences.extend(QKeySequence.keyBindings(key))
                else:
                    sequences.append(QKeySequence(key))
            unique = dict.fromkeys(s.toString() for s in sequences if not s.isEmpty())
            action.setShortcuts([QKeySequence(text) for text in unique])
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.triggered.connect(handler)
            self.addAction(action)

    def _update_header(self) -> None:
        slide = self.slides[self.index]
        self.position_label.setText(f"{self.index + 1} / {len(self.slides)}")
        self.title_label.setText(slide.title)
        self.privacy_button.setText(PRIVACY_TEXT[self.privacy])
        self.privacy_button.setToolTip(PRIVACY_TIP[self.privacy])
        private = self.privacy is not Privacy.OFF
        self.privacy_button.setStyleSheet(
            "QPushButton { background: #ffd400; color: #111; font-weight: bold; }"
            if private
            else ""
        )
        self.zoom_label.setText(f"Zoom {round(self.zoom * 100)} %")
        on_map = slide is self.map_slide
        writable = not self.service.db.read_only
        self.snapshot_button.setVisible(on_map)
        self.names_button.setVisible(on_map)
        self.snapshot_button.setEnabled(writable)
        self.map_slide.editable = writable
        self.previous_button.setEnabled(self.index > 0)
        self.next_button.setEnabled(self.index < len(self.slides) - 1)
        self._size_header()

    def _size_header(self) -> None:
        """Header type grows with the zoom, but only as far as the controls fit the screen."""
        room = self.screen_area().width()
        points = HEADER_POINTS * max(1.0, self.zoom**0.5)
        while True:
            self.header.setStyleSheet(
                HEADER_STYLE
                + BUTTON_STYLE
                + f" QLabel, QPushButton {{ font-size: {points:.1f}pt; }}"
            )
            if points <= MIN_HEADER_POINTS or self.header.minimumSizeHint().width() <= room:
                break
            points = max(MIN_HEADER_POINTS, points - 1.0)
        self.header_points = points

    # ---------------------------------------------------------------- slides
    def show_slide(self, index: int) -> None:
        self.index = max(0, min(len(self.slides) - 1, index))
        self.message.clear()
        self.message.hide()
        self._render_current()

    def next_slide(self) -> None:
        self.show_slide(self.index + 1)

    def previous_slide(self) -> None:
        self.show_slide(self.index - 1)

    def current_slide(self) -> Slide:
        return self.slides[self.index]

    def _plan_changed(self) -> None:
        self._data = None
        self._fresh.clear()
        self._render_current()

    def _state(self) -> SlideState:
        if self._data is None:
            plan = self.service.plan(self.initiative_id)
            self._data = (plan, check(plan, self.today))
        plan, report = self._data
        return SlideState(
            plan,
            report,
            self.today,
            self.privacy,
            self.zoom,
            self._slide_size(),
            names_on_map=self.names_button.isChecked(),
        )

    def _slide_size(self) -> tuple[int, int]:
        """The slides' space; full screen, that is the screen's, even before it is laid out."""
        header = self.header.sizeHint().height()
        area = self.screen_area()
        if self.isFullScreen():
            return area.width(), area.height() - header
        if self.isVisible() and self.stack.width() >= 400 and self.stack.height() >= 300:
            return self.stack.width(), self.stack.height()
        return area.width(), area.height() - header

    def _render_current(self) -> None:
        self._update_header()
        if not self.isVisible():
            return
        try:
            state = self._state()
        except PlannerError as exc:
            self.problem.setText(str(exc))
            self.stack.setCurrentWidget(self.problem)
            return
        slide = self.slides[self.index]
        if self.index not in self._fresh:
            slide.show_state(state)
            self._fresh.add(self.index)
            self._size_used[self.index] = state.size
        assert isinstance(slide, QWidget)
        self.stack.setCurrentWidget(slide)

    def _restyle(self) -> None:
        self._fresh.clear()
        self._render_current()

    # ------------------------------------------------------- zoom and privacy
    def set_zoom(self, zoom: float) -> None:
        self.zoom = round(min(MAX_ZOOM, max(MIN_ZOOM, zoom)), 3)
        self._restyle()

    def zoom_in(self) -> None:
        self.set_zoom(self.zoom * ZOOM_STEP)

    def zoom_out(self) -> None:
        self.set_zoom(self.zoom / ZOOM_STEP)

    def reset_zoom(self) -> None:
        self.set_zoom(1.0)

    def set_privacy(self, privacy: Privacy) -> None:
        self.privacy = privacy
        self._restyle()

    def set_names_on_map(self, shown: bool) -> None:
        if self.names_button.isChecked() != shown:
            self.names_button.setChecked(shown)  # toggled comes back here
            return
        self._restyle()

    def cycle_privacy(self) -> None:
        position = PRIVACY_CYCLE.index(self.privacy)
        self.set_privacy(PRIVACY_CYCLE[(position + 1) % len(PRIVACY_CYCLE)])

    # ---------------------------------------------------------------- editing
    def _drop(self, stakeholder_id: str, power: int, interest: int) -> None:
        moved = self._data[0].by_id.get(stakeholder_id) if self._data else None
        name = f"‘{shown(moved.title)}’" if moved is not None else "stakeholder"
        try:
            self.service.update(
                "stakeholder",
                stakeholder_id,
                {"power": power, "interest": interest},
                label=f"Move {name} on the stakeholder map",
            )
        except PlannerError as exc:
            self._say(str(exc), error=True)

    def undo(self) -> None:
        """A misplaced drop is put right without leaving the room's view."""
        history = self.service.history
        if self.service.db.read_only or not history.can_undo:
            return
        try:
            command = history.undo()
        except PlannerError as exc:
            self._say(str(exc), error=True)
            return
        if command is not None:
            self._say(f"Undone: {command.label}")

    def redo(self) -> None:
        history = self.service.history
        if self.service.db.read_only or not history.can_redo:
            return
        try:
            command = history.redo()
        except PlannerError as exc:
            self._say(str(exc), error=True)
            return
        if command is not None:
            self._say(f"Redone: {command.label}")

    def take_snapshot(self) -> None:
        label = f"Workshop {datetime.now():%Y-%m-%d %H:%M}"
        try:
            count = self.service.take_snapshot(self.initiative_id, label, self.today)
        except PlannerError as exc:
            self._say(str(exc), error=True)
            return
        self._say(f"Snapshot of {count} stakeholders taken")

    def _say(self, text: str, *, error: bool = False) -> None:
        colour = "#ff8a80" if error else "#b9f6ca"
        self.message.setStyleSheet(f"color: {colour};")
        self.message.setText(text)
        self.message.show()

    def closeEvent(self, event: QCloseEvent) -> None:
        super().closeEvent(event)
        self.closed.emit()
