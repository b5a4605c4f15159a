"""The Timeline page: the roadmap to edit by dragging, zoomed by week, month or quarter.

Each drag or Alt+arrow move is one `PlanService.update` (so one Ctrl+Z undoes
it); a move the plan refuses is explained in the status bar and the entry goes
back where it was. File → Print the timeline to PDF puts the whole plan on one
landscape page.

The page reads only the kinds it draws (through the window's records cache), and
follows an edit of any other kind (a stakeholder, an attendance) by doing nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QMarginsF, QRectF, Qt
from PySide6.QtGui import QAction, QColor, QImage, QKeySequence, QPageLayout, QPageSize, QPainter
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from planner.domain.errors import PlannerError
from planner.domain.records import Communication, Course, Initiative, Phase, Record, Session
from planner.services.history import Command
from planner.ui.context import PlanContext
from planner.ui.formatting import format_date, plural
from planner.ui.pages import PageSpec
from planner.ui.timeline_layout import (
    GATE,
    KINDS,
    MESSAGE,
    PILOT,
    SESSION,
    WAVE,
    Entry,
    Mode,
    Schedule,
    layout,
)
from planner.ui.timeline_view import ZOOMS, TimelineView, describe

if TYPE_CHECKING:
    from planner.ui.main_window import MainWindow

R = TypeVar("R", bound=Record)

PDF_FILTER = "PDF document (*.pdf)"
HINT = (
    "Drag a bar to reschedule, drag its end to resize · Tab or arrows pick, "
    "Alt+←/→ moves a day, Alt+Shift+←/→ a week, Ctrl+Alt+←/→ moves the end · "
    "Enter opens the record"
)


def _swatch(colour: str, mark: str, text: str) -> str:
    return f"<span style='color:{colour}'>{mark}</span>&nbsp;{text}"


LEGEND = " &nbsp; ".join(
    [
        _swatch(PILOT, "■", "Pilot"),
        _swatch(WAVE, "■", "Wave"),
        _swatch(SESSION, "■", "Training session"),
        _swatch(MESSAGE, "◆", "Communication"),
        _swatch(next(iter(GATE.values())), "◆", "Gate (colour: decision; hollow: pending)"),
    ]
)


class TimelinePage(QWidget):
    def __init__(self, ctx: PlanContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.view = TimelineView(self.commit, self)
        self.view.open_requested.connect(lambda kind, ident: ctx.show_record(kind, ident))
        self.view.selection_changed.connect(self._selected)
        self.zoom_buttons = QButtonGroup(self)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("Zoom:", self))
        for zoom in ZOOMS:
            button = QPushButton(zoom.title(), self)
            button.setCheckable(True)
            button.setObjectName(f"zoom_{zoom}")
            button.setChecked(zoom == self.view.zoom)
            button.setToolTip("Ctrl++ and Ctrl+− (or Ctrl+wheel) step between the zooms")
            button.clicked.connect(lambda _c=False, z=zoom: self.view.set_zoom(z))
            self.zoom_buttons.addButton(button)
            bar.addWidget(button)
        self.view.zoom_changed.connect(self._zoomed)
        today = QPushButton("Today", self)
        today.setToolTip("Scroll to today")
        today.clicked.connect(lambda _c=False: self.view.centre_on(self.view.today))
        bar.addWidget(today)
        bar.addStretch(1)
        self.note = QLabel("", self)
        self.note.setObjectName("timeline_note")
        bar.addWidget(self.note)
        self.print_button = QPushButton("Print to PDF…", self)
        self.print_button.setToolTip("The whole plan on one landscape page (Ctrl+P)")
        self.print_button.clicked.connect(lambda _c=False: self.ask_print())
        bar.addWidget(self.print_button)
        legend = QLabel(LEGEND, self)
        legend.setWordWrap(True)
        hint = QLabel(HINT, self)
        hint.setWordWrap(True)
        hint.setEnabled(False)
        layout_ = QVBoxLayout(self)
        layout_.addLayout(bar)
        layout_.addWidget(self.view, 1)
        layout_.addWidget(legend)
        layout_.addWidget(hint)
        self.setFocusProxy(self.view)
        self._placed: str | None = None

    # --------------------------------------------------------------- showing
    def writable_changed(self) -> None:
        """Saving turned on or off (the team server lost or back): dragging follows."""
        self.view.editable = not self.ctx.read_only

    def refresh(self) -> None:
        self.view.editable = not self.ctx.read_only
        self.view.today = self.ctx.today()
        ident = self.ctx.initiative_id
        if ident is None:
            self.view.show_layout(None)
            self.note.setText("Choose or create an initiative")
            return
        drawn = layout(self._schedule(ident), self.view.today)
        self.view.show_layout(drawn if drawn.entries else None)
        if drawn.entries and self._placed != ident:  # an initiative first shown opens on today
            self._placed = ident
            self.view.centre_on(min(max(self.view.today, drawn.first), drawn.last))
        notes = []
        if not drawn.entries:
            notes.append("Add phases, sessions or communications with dates to see them here")
        if drawn.undated:
            notes.append(f"{plural(drawn.undated, 'phase')} without both dates not shown")
        self.note.setText(" · ".join(notes))

    def apply_change(self, command: Command) -> None:
        """Follow one edit: redrawn only when it touched something the timeline shows."""
        if command.kinds & KINDS:
            self.refresh()

    def _schedule(self, ident: str) -> Schedule:
        initiative = self.ctx.service.get("initiative", ident)
        assert isinstance(initiative, Initiative)
        return Schedule(
            initiative,
            phases=self._records("phase", Phase),
            courses=self._records("course", Course),
            sessions=self._records("session", Session),
            communications=self._records("communication", Communication),
        )

    def _records(self, kind: str, cls: type[R]) -> list[R]:
        return [record for record in self.ctx.records(kind) if isinstance(record, cls)]

    def _zoomed(self, zoom: str) -> None:
        for button in self.zoom_buttons.buttons():
            button.setChecked(button.objectName() == f"zoom_{zoom}")

    def _selected(self, entry: Entry | None) -> None:
        if entry is not None:
            self.ctx.report(describe(entry))

    # --------------------------------------------------------------- editing
    def commit(self, entry: Entry, mode: Mode, days: int) -> bool:
        """Write one drag as one undoable edit; False (and the reason shown) when refused."""
        start, end = entry.changed(mode, days)
        if mode == "move":
            label = f"Move {entry.what} to {format_date(start)}"
        else:
            which = "start" if mode == "start" else "end"
            label = f"Change the {which} of {entry.what} to {format_date(start if which == 'start' else end)}"
        try:
            self.ctx.service.update(
                entry.kind, entry.record_id, entry.changes(mode, days), label=label
            )
        except PlannerError as exc:
            self.ctx.report(f"Not rescheduled: {exc}", error=True)
            return False
        self.ctx.report(f"{label} (Ctrl+Z undoes)")
        return True

    # -------------------------------------------------------------- printing
    def ask_print(self) -> Path | None:
        if self.ctx.initiative_id is None:
            self.ctx.report("Choose or create an initiative to print its timeline", error=True)
            return None
        path = self.ctx.dialogs.save_path(
            self, "Print the timeline to PDF", PDF_FILTER, "timeline.pdf"
        )
        if path is None:
            return None
        if path.suffix.lower() != ".pdf":
            path = path.with_suffix(".pdf")
        try:
            self.print_to(path)
        except OSError as exc:
            self.ctx.report(f"Could not write {path.name}: {exc.strerror or exc}", error=True)
            return None
        self.ctx.report(f"Timeline printed to {path}")
        return path

    def whole_plan(self, scale: float = 3.0) -> QImage:
        """The whole plan, every row and every date, drawn as on screen but wide enough to fit."""
        view = self.view
        drawn = view.layout_
        title = self._title()
        if drawn is None:
            image = QImage(800, 200, QImage.Format.Format_ARGB32)
            image.fill(QColor("white"))
            return image
        days = (drawn.last - drawn.first).days + 1
        rows_height = view.row_top(len(drawn.rows)) + view.row_height
        wanted = max(1100.0, rows_height * 1.41)  # a landscape page's proportions
        view.fixed_scale = max(1.0, (wanted - view.label_width) / days)
        screen_palette = view.palette()
        chosen = view.selected.entry.record_id if view.selected else None
        view.selected = None  # no selection on paper
        view.setPalette(view.style().standardPalette())  # paper is white, whatever the theme
        try:
            view.show_layout(drawn)
            source = view.scene().sceneRect()
            head = view.header_height
            image = QImage(
                int(source.width() * scale),
                int((source.height() + head) * scale),
                QImage.Format.Format_ARGB32,
            )
            image.setDevicePixelRatio(scale)
            image.fill(view.palette().color(view.palette().ColorRole.Base))
            painter = QPainter(image)
            painter.setFont(view.font())
            painter.setPen(view.palette().color(view.palette().ColorRole.Text))
            painter.drawText(
                QRectF(12, 0, source.width(), head), Qt.AlignmentFlag.AlignVCenter, title
            )
            painter.translate(0, head)
            view.drawBackground(painter, source)
            view.scene().render(painter, source, source)
            view.paint_overlay(painter, source)
            painter.end()
        finally:
            view.fixed_scale = None
            view.setPalette(screen_palette)
            view.show_layout(drawn)
            view.selected = view.item_of(chosen) if chosen else None
        return image

    def _title(self) -> str:
        name = ""
        if self.ctx.initiative_id is not None:
            name = self.ctx.service.get("initiative", self.ctx.initiative_id).title
        return f"Timeline — {name}, printed {format_date(self.ctx.today())}"

    def print_to(self, path: Path) -> None:
        from PySide6.QtPrintSupport import QPrinter  # loaded when first printed

        image = self.whole_plan()
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(path))
        printer.setPageLayout(
            QPageLayout(
                QPageSize(QPageSize.PageSizeId.A3),
                QPageLayout.Orientation.Landscape,
                QMarginsF(10, 10, 10, 10),
                QPageLayout.Unit.Millimeter,
            )
        )
        printer.setDocName(self._title())
        painter = QPainter()
        if not painter.begin(printer):
            raise OSError(f"cannot write {path}")
        area = painter.viewport()
        ratio = min(area.width() / image.width(), area.height() / image.height())
        target = QRectF(0, 0, image.width() * ratio, image.height() * ratio)
        painter.drawImage(target, image)
        painter.end()


def install(window: MainWindow) -> None:
    """The Timeline page after Rollout, View → zoom keys, File → Print the timeline."""
    window.register_page(
        PageSpec(
            "timeline",
            "Timeline",
            TimelinePage,
            "Phases, sessions and communications on a time line: drag to reschedule",
        ),
        before="options",
    )

    def page() -> TimelinePage:
        window.show_page("timeline")
        found = window.pages["timeline"]
        assert isinstance(found, TimelinePage)
        return found

    zoom_in = QAction("Timeline: zoom &in", window)
    zoom_in.setShortcuts([QKeySequence("Ctrl++"), QKeySequence("Ctrl+=")])
    zoom_in.triggered.connect(lambda _c=False: page().view.zoom_by(1))
    zoom_out = QAction("Timeline: zoom ou&t", window)
    zoom_out.setShortcut(QKeySequence("Ctrl+-"))
    zoom_out.triggered.connect(lambda _c=False: page().view.zoom_by(-1))
    view_menu = window.menu("view")
    view_menu.addSeparator()
    for action in (zoom_in, zoom_out):
        window.addAction(action)
        view_menu.addAction(action)
    print_action = QAction("Print the timeline to PD&F…", window)
    print_action.setShortcut(QKeySequence("Ctrl+P"))
    print_action.setStatusTip("The whole plan's timeline on one landscape page")
    print_action.triggered.connect(lambda _c=False: page().ask_print())
    window.addAction(print_action)
    window.add_file_actions([print_action])
