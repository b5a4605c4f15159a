"""The main window: initiatives, a page list, the pages, and the File/Edit menus.

Extension points (for the Readiness view, the Dashboard, Present mode, the
Excel exchange and data safety):

- `register_page(PageSpec(key, title, factory), before=None)`: a new page in
  the navigation list (see `planner.ui.pages` for what a page may implement);
  `show_page(key)` switches to it. A page is built the first time it is shown
  or asked for (`window.pages[key]`), so pages nobody opens cost nothing at
  start-up.
- `show_record(kind, id, field=None)` (also `ctx.show_record`): switch to the
  initiative and page that show the record, select it, and put the cursor in
  the field's editor if one is named (what a readiness finding's "fix" does).
- `add_banner(widget)` / `remove_banner(widget)`: a strip above the pages for
  the read-only notice and the like.
- `add_file_actions([...])`: File menu entries (Export, Import) in their own
  group; `menu(name)` for the other menus.
- `ctx.tasks.start(title, work, on_done=...)`: long work off the UI thread; the
  status bar shows its progress and a Cancel button.
- `ctx.plan_changed` / `ctx.initiative_changed` signals, and `ctx.service`,
  which is replaced when another file is opened (`database_opened` signal).

Every edit is one transaction and one undoable command of the core `History`;
the window listens to it to relabel Undo/Redo and refresh what is shown.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from datetime import date
from typing import Any

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QIcon, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from planner import APP_NAME, __version__
from planner.domain.errors import PlannerError
from planner.domain.quoting import one_line
from planner.paths import resources_dir
from planner.services.history import Command, Direction
from planner.services.planning import PlanService
from planner.ui import actions as window_actions
from planner.ui.context import PlanContext
from planner.ui.dialogs import Dialogs
from planner.ui.excel_exchange import ExcelExchange
from planner.ui.files import DatabaseFiles
from planner.ui.formatting import people_dates
from planner.ui.initiatives import Initiatives, InitiativeSwitcher
from planner.ui.map_page import install as install_map
from planner.ui.pack_export import PackExport
from planner.ui.pages import PageSpec, builtin_pages
from planner.ui.portfolio_page import install as install_portfolio
from planner.ui.record_form import RecordDialog, RecordForm
from planner.ui.record_view import RecordView
from planner.ui.safety import DataSafety
from planner.ui.screen_fit import ElidedLabel, fit_on_screen
from planner.ui.settings import Settings
from planner.ui.status import TaskIndicator, error_style
from planner.ui.team import LiveRefresh
from planner.ui.timeline_page import install as install_timeline
from planner.ui.unreadable import UnreadableBanner
from planner.ui.workshop_pages import install as install_workshop

DEFAULT_SIZE = QSize(1360, 820)
"""The first window's size where the screen has room; smaller screens get their free area."""


def app_icon() -> QIcon | None:
    path = resources_dir() / "icons" / "planner.svg"
    return QIcon(str(path)) if path.exists() else None


class LazyPages(Mapping[str, QWidget]):
    """The window's pages by key, each built by `build(key)` the first time it is asked for."""

    def __init__(self, build: Callable[[str], QWidget]) -> None:
        self._build = build
        self._keys: list[str] = []
        self._built: dict[str, QWidget] = {}

    def add(self, key: str, position: int) -> None:
        self._keys.insert(position, key)

    def __getitem__(self, key: str) -> QWidget:
        if key not in self._built:
            if key not in self._keys:
                raise KeyError(key)
            self._built[key] = self._build(key)
        return self._built[key]

    def built(self, key: str) -> QWidget | None:
        """The page if it has been built, without building it."""
        return self._built.get(key)

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)


class MainWindow(DatabaseFiles, QMainWindow):
    database_opened = Signal(object)

    def __init__(
        self,
        service: PlanService,
        *,
        settings: Settings | None = None,
        dialogs: Dialogs | None = None,
        today: Callable[[], date] = date.today,
    ) -> None:
        super().__init__()
        self.setObjectName("main_window")
        self.ctx = PlanContext(
            service, dialogs or Dialogs(), settings or Settings(), self, today=today
        )
        self.menus: dict[str, Any] = {}
        self.pages = LazyPages(self._build_page)
        self._page_specs: list[PageSpec] = []
        self._stale: set[str] = set()
        self._page_actions: list[QAction] = []
        self._follows_screen = False
        self.guided_start: Any = None
        self._unsubscribe = service.history.subscribe(self._on_history)
        icon = app_icon()
        if icon is not None:
            self.setWindowIcon(icon)
        self._build()
        self.unreadable = UnreadableBanner(self)
        self.add_banner(self.unreadable)
        for spec in builtin_pages():
            self.register_page(spec)
        install_workshop(self)
        install_timeline(self)
        install_map(self)
        install_portfolio(self)
        self.ctx.initiative_changed.connect(self._on_initiative)
        self.ctx.message.connect(self._show_message)
        self.ctx.record_requested.connect(self.show_record)
        self.ctx.add_requested.connect(self.start_record)
        self._restore_layout()
        self.safety = DataSafety(self)
        self.excel = ExcelExchange(self)
        self.pack = PackExport(self)
        self.live = LiveRefresh(self)
        self._after_database_change()

    # ------------------------------------------------------------------ layout
    def _build(self) -> None:
        self.switcher = InitiativeSwitcher(self)
        self.initiatives = Initiatives(self.ctx, self.switcher, self)
        toolbar = QToolBar("Initiative", self)
        toolbar.setObjectName("initiative_toolbar")
        toolbar.setMovable(False)
        toolbar.addWidget(QLabel(" Initiative: ", self))
        toolbar.addWidget(self.switcher)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, toolbar)
        self.nav = QListWidget(self)
        self.nav.setObjectName("navigation")
        self.nav.setIconSize(QSize(0, 0))
        self.nav.setSpacing(2)
        self.nav.setMaximumWidth(220)
        self.nav.setMinimumWidth(150)
        self.nav.currentRowChanged.connect(self._nav_changed)
        self.stack = QStackedWidget(self)
        body = QSplitter(Qt.Orientation.Horizontal, self)
        body.setObjectName("body_splitter")
        body.addWidget(self.nav)
        body.addWidget(self.stack)
        body.setStretchFactor(1, 1)
        body.setChildrenCollapsible(False)
        self.body = body
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.banners = QVBoxLayout()
        self.banners.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self.banners)
        layout.addWidget(body, 1)
        self.setCentralWidget(central)
        self.message_label = ElidedLabel("", self)
        self.message_label.setObjectName("status_message")
        self._message_timer = QTimer(self)
        self._message_timer.setSingleShot(True)
        self._message_timer.setInterval(8000)
        self._message_timer.timeout.connect(self.message_label.clear)
        self.file_label = ElidedLabel("", self, mode=Qt.TextElideMode.ElideMiddle)
        self.file_label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.file_label.setMaximumWidth(420)
        self.tasks = TaskIndicator(self.ctx.tasks, self)
        status = self.statusBar()
        status.addWidget(self.message_label, 1)
        status.addPermanentWidget(self.tasks)
        status.addPermanentWidget(self.file_label)
        self.actions_ = window_actions.build(self)
        self.ctx.actions = {
            name: action
            for name, action in vars(self.actions_).items()
            if isinstance(action, QAction)
        }
        self.actions_.recent_menu.aboutToShow.connect(self._fill_recent)

    # ------------------------------------------------------- extension points
    @property
    def dialogs(self) -> Dialogs:
        return self.ctx.dialogs

    @dialogs.setter
    def dialogs(self, value: Dialogs) -> None:
        self.ctx.dialogs = value

    @property
    def service(self) -> PlanService:
        return self.ctx.service

    def register_page(self, spec: PageSpec, before: str | None = None) -> None:
        """Add a page to the navigation; it is built when first shown (or asked for)."""
        keys = [s.key for s in self._page_specs]
        position = keys.index(before) if before in keys else len(keys)
        self._page_specs.insert(position, spec)
        self.pages.add(spec.key, position)
        self.stack.insertWidget(position, QWidget(self.stack))
        item = QListWidgetItem(spec.title)
        item.setData(Qt.ItemDataRole.UserRole, spec.key)
        if spec.tooltip:
            item.setToolTip(spec.tooltip)
        self.nav.insertItem(position, item)
        self._stale.add(spec.key)
        action = QAction(spec.title.replace("&", "&&"), self)  # a title's & is no mnemonic
        action.triggered.connect(lambda _c=False, key=spec.key: self._go_to(key))
        self.addAction(action)
        self._page_actions.insert(position, action)
        self._number_pages()
        if self.nav.currentRow() < 0:
            self.nav.setCurrentRow(0)

    def _build_page(self, key: str) -> QWidget:
        """Make a page and put it where its placeholder stood in the stack."""
        index = [s.key for s in self._page_specs].index(key)
        spec = self._page_specs[index]
        page = spec.factory(self.ctx)
        page.setObjectName(f"page_{spec.key}")
        placeholder = self.stack.widget(index)
        assert placeholder is not None, f"no placeholder for page {key!r}"
        showing = self.stack.currentIndex() == index
        self.stack.insertWidget(index, page)
        self.stack.removeWidget(placeholder)
        placeholder.deleteLater()
        if showing:
            self.stack.setCurrentIndex(index)
        self._stale.add(key)
        return page

    def _number_pages(self) -> None:
        """View menu entries in page order; Ctrl+1 to Ctrl+9 go to the first nine pages."""
        view = self.menus["view"]
        for i, action in enumerate(self._page_actions):
            view.removeAction(action)
            view.addAction(action)
            action.setShortcut(f"Ctrl+{i + 1}" if i < 9 else "")

    def menu(self, name: str) -> Any:
        return self.menus[name]

    def add_file_actions(self, entries: list[QAction]) -> None:
        menu = self.menus["file"]
        for action in entries:
            menu.insertAction(self.actions_.exchange_anchor, action)
        menu.insertSeparator(self.actions_.exchange_anchor)

    def add_banner(self, widget: QWidget) -> None:
        self.banners.addWidget(widget)

    def remove_banner(self, widget: QWidget) -> None:
        self.banners.removeWidget(widget)
        widget.setParent(None)

    def current_page_key(self) -> str | None:
        item = self.nav.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def show_page(self, key: str) -> QWidget | None:
        """Turn to a page; None when it cannot be built (the banner above says why)."""
        row = [s.key for s in self._page_specs].index(key)
        self.nav.setCurrentRow(row)
        return self.pages.built(key)

    def _go_to(self, key: str) -> None:
        """Switch page from the keyboard and put the focus in it, ready to type."""
        self.show_page(key)
        view = self.active_view()
        if view is not None:
            view.table.setFocus()
        else:
            self.pages[key].setFocus()

    def show_record(self, kind: str, record_id: str, field: str | None = None) -> bool:
        """Jump to a record: its initiative, the page that shows it, the row selected."""
        try:
            initiative_id = self.ctx.ancestor_id(kind, record_id, "initiative")
        except PlannerError as exc:
            self._show_message(str(exc), True)
            return False
        if initiative_id is not None and initiative_id != self.ctx.initiative_id:
            self.initiatives.reload(initiative_id)
        for spec in self._page_specs:
            page = self.pages[spec.key]
            handles = getattr(page, "handles", None)
            if handles is not None and handles(kind):
                self.show_page(spec.key)
                found = bool(page.show_record(kind, record_id))  # type: ignore[attr-defined]
                if found and field:
                    self._focus_field(page, kind, field)
                return found
        return False

    def start_record(
        self, kind: str, parent_kind: str, parent_id: str, values: dict[str, Any]
    ) -> RecordDialog | None:
        """Open the page where a `kind` record is added under the parent, and its Add form."""
        if parent_kind == "initiative":
            key = self._page_for(kind)
            if key is None:
                return None
            self.show_page(key)
        elif not self.show_record(parent_kind, parent_id):
            return None
        page = self.stack.currentWidget()
        views = [page] if isinstance(page, RecordView) else []
        views += page.findChildren(RecordView) if page is not None else []
        view = next((v for v in views if v.kind == kind and v.parent_id == parent_id), None)
        if view is None:
            return None
        _bring_forward(view)
        return view.add(values)

    def _page_for(self, kind: str) -> str | None:
        """The key of the page that shows records of `kind`."""
        for spec in self._page_specs:
            handles = getattr(self.pages[spec.key], "handles", None)
            if handles is not None and handles(kind):
                return spec.key
        return None

    def _focus_field(self, page: QWidget, kind: str, field: str) -> None:
        for form in page.findChildren(RecordForm):
            if form.kind == kind and form.isVisible() and field in form.editors:
                form.editors[field].setFocus()
                return

    # ----------------------------------------------------------- refreshing
    def _nav_changed(self, row: int) -> None:
        if row < 0:
            return
        key = self._page_specs[row].key
        built = self.unreadable.reading(lambda: self.pages[key])  # built on first showing
        self.stack.setCurrentIndex(row)
        if built:
            self._refresh_if_stale(key)

    def _refresh_if_stale(self, key: str) -> None:
        if key in self._stale:
            self._stale.discard(key)
            refresh = getattr(self.pages[key], "refresh", None)
            if refresh is not None and not self.unreadable.reading(refresh):
                self._stale.add(key)

    def _plan_changed(self, command: Command | None = None) -> None:
        current = self.current_page_key()
        was_fresh = current is not None and current not in self._stale
        self._stale = set(self.pages)
        if current is not None and self.unreadable.reading(lambda: self.pages[current]):
            follow = getattr(self.pages[current], "apply_change", None)
            if command is not None and was_fresh and follow is not None:
                self._stale.discard(current)
                self.unreadable.reading(lambda: follow(command))
            else:
                self._refresh_if_stale(current)
        self._update_title()

    def _on_initiative(self, _initiative_id: str | None) -> None:
        self._plan_changed()
        self._offer_guided_start()
        has = self.ctx.initiative_id is not None and not self.ctx.read_only
        for action in (
            self.actions_.rename_initiative,
            self.actions_.duplicate_initiative,
            self.actions_.delete_initiative,
            self.actions_.take_snapshot,
        ):
            action.setEnabled(has)

    def _on_history(self, command: Command, direction: Direction) -> None:
        self._update_undo()
        if direction != "do":
            verb = "Undone" if direction == "undo" else "Redone"
            self._show_message(f"{verb}: {command.label}", False)
        showing = self.ctx.initiative_id
        if "initiative" in command.kinds:
            self.initiatives.reload()
        self.ctx.notify_changed(command.kinds)
        # A switch of initiative (an import's new one) has refreshed the page already.
        if self.ctx.initiative_id == showing:
            self._plan_changed(command)

    def _update_undo(self) -> None:
        history = self.ctx.service.history
        undo, redo = self.actions_.undo, self.actions_.redo
        writable = not self.ctx.read_only
        undo.setEnabled(writable and history.can_undo)
        redo.setEnabled(writable and history.can_redo)
        undo.setText(f"&Undo {one_line(history.undo_label or '')}" if history.can_undo else "&Undo")
        redo.setText(f"&Redo {one_line(history.redo_label or '')}" if history.can_redo else "&Redo")

    def _update_title(self) -> None:
        db = self.ctx.service.db
        team = team_place(db.describe()) if db.on_server else None
        where = db.path.name if db.path else team or db.describe()
        name = self.initiatives.current_name()
        parts = [p for p in (name, where) if p]
        suffix = " (read-only)" if db.read_only else ""
        self.setWindowTitle(one_line(" — ".join([*parts, APP_NAME]) + suffix))
        if team is not None:
            self.file_label.setText(one_line(f"Team plan on {team}"))
            self.file_label.setToolTip(db.describe())
        else:
            self.file_label.setText(one_line(str(db.path) if db.path else db.describe()))

    # ------------------------------------------------------------- team mode
    def follow_others(self, kinds: frozenset[str]) -> None:
        """Someone else changed the team plan: show it, keeping selection and scroll."""
        page = self.stack.currentWidget()
        tables = page.findChildren(QAbstractItemView) if page is not None else []
        scrolled = [
            (t, t.verticalScrollBar().value(), t.horizontalScrollBar().value()) for t in tables
        ]
        if not kinds or "initiative" in kinds:
            self.unreadable.reading(self.initiatives.reload)
        self.ctx.notify_changed(kinds)
        self._plan_changed()

        def scroll_back() -> None:
            for table, down, across in scrolled:
                table.verticalScrollBar().setValue(down)
                table.horizontalScrollBar().setValue(across)

        scroll_back()
        QTimer.singleShot(0, scroll_back)  # after the view has laid out its new rows

    def show_team_status(self, text: str, *, error: bool) -> None:
        self._show_message(text, error)

    def _show_message(self, text: str, error: bool) -> None:
        self.message_label.setStyleSheet(error_style(self) if error else "")
        self.message_label.setText(people_dates(one_line(text)))
        if error:
            self._message_timer.stop()
        else:
            self._message_timer.start()

    # ---------------------------------------------------------------- editing
    def active_view(self) -> RecordView | None:
        key = self.current_page_key()
        if key is None:
            return None
        finder = getattr(self.pages[key], "active_view", None)
        return finder() if finder is not None else None

    def add_record(self) -> None:
        view = self.active_view()
        if view is not None:
            view.add()

    def add_child_record(self) -> None:
        """Add a record under the selected row (a KPI under the objective selected)."""
        view = self.active_view()
        child = view.current_child() if view is not None else None
        if child is not None and view is not None and view.current_record() is not None:
            _bring_forward(child)
            child.add()

    def open_children(self) -> None:
        view = self.active_view()
        if view is not None:
            view.open_children()

    def open_parent(self) -> None:
        view = self.active_view()
        above = view.parent_view() if view is not None else None
        if above is not None:
            above.table.setFocus()

    def duplicate_records(self) -> None:
        view = self.active_view()
        if view is not None:
            self._guard(view.duplicate)

    def delete_records(self) -> None:
        view = self.active_view()
        if view is not None:
            self._guard(view.delete)

    def focus_filter(self) -> None:
        view = self.active_view()
        if view is not None:
            view.filter.setFocus()
            view.filter.selectAll()

    def focus_switcher(self) -> None:
        self.switcher.setFocus()
        self.switcher.showPopup()

    def take_snapshot(self) -> None:
        if self.ctx.initiative_id is not None:
            count = self._guard(lambda: self.ctx.service.take_snapshot(self.ctx.initiative_id))
            if count is not None:
                self._show_message(f"Snapshot taken of {count} stakeholders", False)

    def undo(self) -> None:
        self._guard(self.ctx.service.history.undo)
        self._update_undo()

    def redo(self) -> None:
        self._guard(self.ctx.service.history.redo)
        self._update_undo()

    def _guard(self, work: Any) -> Any:
        try:
            return work()
        except PlannerError as exc:
            self._show_message(str(exc), True)
            return None

    def _after_database_change(self) -> None:
        """A file was opened: pick its initiative and show it (the current page loads once)."""
        db = self.ctx.service.db
        if db.path is not None:
            self.ctx.settings.add_recent(db.path)
        elif db.on_server:
            self.ctx.settings.add_recent_server(db.describe())
        self.live.follow(db)
        for action in self.actions_.editing():
            action.setEnabled(not db.read_only)
        self._update_undo()
        try:
            reloaded = self.initiatives.reload()
        except PlannerError as exc:
            self.unreadable.refused(exc)
            return
        if not reloaded:
            self._on_initiative(self.ctx.initiative_id)
        if self.ctx.initiative_id is None:
            self._show_message(
                "This file holds no initiative yet: create one with Initiative → "
                "New initiative (Ctrl+Alt+N)",
                False,
            )

    def _offer_guided_start(self) -> None:
        """A file with no initiative shows the guided start, ready to type into."""
        wanted = self.ctx.initiative_id is None and not self.ctx.read_only
        if wanted and self.guided_start is None:
            from planner.ui.guided_start import GuidedStart

            self.guided_start = GuidedStart(self.ctx, self._started, self)
            self.add_banner(self.guided_start)
            self.guided_start.name.setFocus()
        elif not wanted and self.guided_start is not None:
            self.remove_banner(self.guided_start)
            self.guided_start.deleteLater()
            self.guided_start = None

    def _started(self, initiative_id: str) -> None:
        self.initiatives.reload(initiative_id)
        self.show_page("stakeholders")
        view = self.active_view()
        if view is not None:
            view.table.setFocus()

    def read_only_changed(self) -> None:
        """The open file turned read-only (found damaged while open): stop offering edits."""
        self.writable_changed()
        self._plan_changed()

    def writable_changed(self) -> None:
        """Saving turned on or off (read-only, the team server lost or back): offer edits
        accordingly, reloading nothing, so an edit in progress stays in its editor."""
        writable = not self.ctx.read_only
        for action in self.actions_.editing():
            action.setEnabled(writable)
        has = writable and self.ctx.initiative_id is not None
        for action in (
            self.actions_.rename_initiative,
            self.actions_.duplicate_initiative,
            self.actions_.delete_initiative,
            self.actions_.take_snapshot,
        ):
            action.setEnabled(has)
        self._update_undo()
        self.excel.update_actions()
        for key in self.pages:
            page = self.pages.built(key)
            follow = (
                None if isinstance(page, RecordView) else getattr(page, "writable_changed", None)
            )
            if follow is not None:
                follow()  # a page that edits by dragging (the map, the timeline)
        for view in self.findChildren(RecordView):
            view.writable_changed()

    def show_help(self) -> None:
        from planner.ui.help_dialog import HelpDialog

        dialog = HelpDialog(self.menus, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        fit_on_screen(dialog)
        dialog.show()

    def about(self) -> None:
        QMessageBox.about(
            self,
            APP_NAME,
            f"<b>{APP_NAME}</b> {__version__}<br>"
            "Plan technology initiatives so they do not fail for organisational "
            "reasons.",
        )

    # ---------------------------------------------------------------- closing
    def _restore_layout(self) -> None:
        settings = self.ctx.settings
        geometry = settings.blob("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(DEFAULT_SIZE)
        fit_on_screen(self)
        state = settings.blob("window/state")
        if state is not None:
            self.restoreState(state)
        splitter = settings.blob("window/body")
        if splitter is not None:
            self.body.restoreState(splitter)
        else:
            self.body.setSizes([170, self.width() - 170])
        page = settings.text("window/page")
        if page is not None and page in self.pages:
            self.show_page(page)

    def showEvent(self, event: QShowEvent) -> None:
        """Shown (or moved to another screen): the window fits that screen's free area."""
        super().showEvent(event)
        fit_on_screen(self)
        handle = self.windowHandle()
        if handle is not None and not self._follows_screen:
            self._follows_screen = True
            handle.screenChanged.connect(lambda _screen: fit_on_screen(self))

    def closeEvent(self, event: QCloseEvent) -> None:
        settings = self.ctx.settings
        settings.set_blob("window/geometry", self.saveGeometry())
        settings.set_blob("window/state", self.saveState())
        settings.set_blob("window/body", self.body.saveState())
        key = self.current_page_key()
        if key:
            settings.set_text("window/page", key)
        for view in self.findChildren(RecordView):
            view.save_layout()
        settings.sync()
        self.live.stop()
        self.ctx.tasks.cancel_all()
        self.ctx.tasks.wait(10_000)
        super().closeEvent(event)


def team_place(described: str) -> str:
    """'host/database' of a team database's URL, for the status bar."""
    rest = described.split("://", 1)[-1]
    host_part, _, database = rest.partition("/")
    host = host_part.rsplit("@", 1)[-1]
    return f"{host}/{database}"


def _bring_forward(widget: QWidget) -> None:
    """Make every tab that holds `widget` the current one, so that it shows."""
    child, parent = widget, widget.parentWidget()
    while parent is not None:
        tabs = parent.parentWidget()
        if isinstance(parent, QStackedWidget) and isinstance(tabs, QTabWidget):
            tabs.setCurrentWidget(child)
        child, parent = parent, parent.parentWidget()
