"""What every view is given: the planning service, the current initiative, shared lookups.

Views never talk to the database or to each other directly. They read through
`ctx.service`, edit through it (each edit one undoable command), and ask the
window for things through the context: `ctx.report(...)` for a status message,
`ctx.show_record(kind, id, field)` to jump to a record in whichever view shows it,
`ctx.tasks.start(...)` for slow work off the UI thread.

The readiness report is shared the same way: checked once per state of the plan
(`ctx.readiness_now()` on the UI thread for a page that shows it whole,
`ctx.check_readiness(...)` on a worker for the Initiative page's panel), and
dropped when the plan or the initiative changes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction

from planner.domain.errors import PlannerError
from planner.domain.records import Record, record_type
from planner.services.planning import PlanService
from planner.ui.dialogs import Dialogs
from planner.ui.settings import Settings
from planner.ui.workers import Job, TaskRunner

if TYPE_CHECKING:
    from planner.domain.plan import Plan
    from planner.services.readiness import ReadinessReport


@dataclass(frozen=True)
class Readiness:
    """The readiness of the current initiative as it stands: its report, and which kinds
    of record the plan has any of (what the Initiative page's panel says is missing)."""

    report: ReadinessReport
    present: frozenset[str]


def checked(plan: Plan, today: date) -> Readiness:
    """Check a plan (on any thread: it touches no widget)."""
    from planner.services.readiness import check

    present = frozenset(kind for kind in plan.KIND_ATTRS if plan.records(kind))
    return Readiness(check(plan, today), present)


class PlanContext(QObject):
    initiative_changed = Signal(object)
    plan_changed = Signal(object)
    message = Signal(str, bool)
    record_requested = Signal(str, str, str)
    add_requested = Signal(str, str, str, object)

    def __init__(
        self,
        service: PlanService,
        dialogs: Dialogs,
        settings: Settings,
        parent: QObject | None = None,
        today: Callable[[], date] = date.today,
    ) -> None:
        super().__init__(parent)
        self.service = service
        self.today = today
        """The window's calendar: what every page takes as today (fixed by screenshots, tests)."""
        self.dialogs = dialogs
        self.settings = settings
        self.tasks = TaskRunner(self)
        self.initiative_id: str | None = None
        self.actions: dict[str, QAction] = {}
        """The window's commands by name (`take_snapshot`), for a view that offers one."""
        self._cache: dict[str, list[Record]] = {}
        self._titles: dict[str, dict[str, str]] = {}
        self._ahead: dict[tuple[str, str], list[Record]] = {}
        self._readiness: dict[tuple[str, date], Readiness] = {}
        self._state = 0
        """Counts the changes: a check finished after a change is of a plan gone by."""

    @property
    def read_only(self) -> bool:
        """Nothing can be saved now: the file is read-only, or the team server is offline."""
        return self.service.db.read_only or self.offline

    @property
    def offline(self) -> bool:
        """The team server cannot be reached: editing is paused, edits in progress are kept."""
        return self.service.db.offline is not None

    def withheld(self, kind: str) -> frozenset[str]:
        """The fields of `kind` the server withholds from this login (a team plan's viewer)."""
        return frozenset(name for k, name in self.service.db.hidden if k == kind)

    def set_initiative(self, initiative_id: str | None) -> None:
        self.initiative_id = initiative_id
        self._forget()
        self.initiative_changed.emit(initiative_id)

    def notify_changed(self, kinds: frozenset[str] = frozenset()) -> None:
        """Records of these kinds changed (an edit, an undo, an import): drop cached lookups."""
        self._forget()
        self.plan_changed.emit(kinds)

    def _forget(self) -> None:
        self._cache.clear()
        self._titles.clear()
        self._readiness.clear()
        self._state += 1

    # --------------------------------------------------------------- readiness
    def readiness(self, today: date | None = None) -> Readiness | None:
        """The current initiative's readiness as of `today` (None: today) if it was checked
        since the last change, else None."""
        if self.initiative_id is None:
            return None
        return self._readiness.get((self.initiative_id, today or self.today()))

    def readiness_now(self, today: date | None = None) -> Readiness | None:
        """The current initiative's readiness, checked here if not since the last change
        (None: no initiative). Raises PlannerError for a plan that cannot be checked."""
        ident = self.initiative_id
        if ident is None:
            return None
        found = self.readiness(today)
        if found is None:
            found = checked(self.service.plan(ident), today or self.today())
            self._readiness[(ident, found.report.today)] = found
        return found

    def check_readiness(
        self,
        today: date | None,
        on_done: Callable[[Readiness], None],
        on_error: Callable[[str], None],
    ) -> Job | None:
        """Give the current initiative's readiness to `on_done`: at once when it was checked
        since the last change, else once a worker has checked it (then None is returned only
        when nothing is to be checked). A check overtaken by a change calls nothing: whoever
        asked is told of the change and asks again."""
        ident = self.initiative_id
        if ident is None:
            return None
        day = today or self.today()
        found = self.readiness(day)
        if found is not None:
            on_done(found)
            return None
        service, state = self.service, self._state

        def done(result: Readiness) -> None:
            if state == self._state and ident == self.initiative_id:
                self._readiness[(ident, day)] = result
                on_done(result)

        def failed(message: str) -> None:
            if state == self._state:
                on_error(message)

        return self.tasks.start(
            "Checking readiness",
            lambda _job: checked(service.plan(ident), day),
            on_done=done,
            on_error=failed,
            quiet=True,
        )

    # ----------------------------------------------------------------- lookups
    def listing(self, kind: str, parent_id: str) -> list[Record]:
        """The records of `kind` under a parent, as a table view shows them.

        Inside `read_ahead`, a listing a worker thread has read already is used
        instead of reading the database on the UI thread.
        """
        ahead = self._ahead.get((kind, parent_id))
        if ahead is not None:
            return list(ahead)
        if parent_id == self.initiative_id and kind in self._cache:
            # Read already since the last change, for a form's choices (the sponsor, an
            # audience): a large plan's 10,000 stakeholders are read once, not twice.
            return list(self._cache[kind])
        return self.service.list(kind, parent_id)

    @contextmanager
    def read_ahead(self, listings: dict[tuple[str, str], list[Record]]) -> Iterator[None]:
        """While the window follows a big change (an import) a worker has read back already.

        `listings` maps (kind, parent id) to the records there right after the change.
        """
        self._ahead = listings
        try:
            yield
        finally:
            self._ahead = {}

    def records(self, kind: str) -> list[Record]:
        """Every record of `kind` in the current initiative, loaded once per change."""
        if self.initiative_id is None:
            return []
        if kind not in self._cache:
            cls = record_type(kind)
            if kind == "initiative":
                found: list[Record] = list(self.service.initiatives())
            elif cls.PARENT is None or cls.PARENT[1] == "initiative":
                found = self.service.list(kind, self.initiative_id)
            else:
                found = self.service.in_initiative(kind, self.initiative_id)
            self._cache[kind] = found
        return self._cache[kind]

    def titles(self, kind: str) -> dict[str, str]:
        if kind not in self._titles:
            self._titles[kind] = {r.id: r.title for r in self.records(kind)}
        return self._titles[kind]

    def candidates(self, kind: str) -> list[tuple[str, str]]:
        return sorted(self.titles(kind).items(), key=lambda item: item[1].casefold())

    def title(self, kind: str, record_id: str) -> str | None:
        """The title of one record of the current initiative, reading only that record when
        its kind is not loaded yet (a reference shows whom it names before its list is
        opened); None when no such record is in this initiative (a sponsor deleted since)."""
        if kind in self._cache or self.initiative_id is None:
            return self.titles(kind).get(record_id)
        try:
            record = self.service.get(kind, record_id)
            parent, parent_id = record.PARENT, record.parent_id()
            if parent is not None and (
                parent_id is None
                or self.ancestor_id(parent[1], parent_id, "initiative") != self.initiative_id
            ):
                return None
        except PlannerError:
            return None
        return record.title

    def ancestor_id(self, kind: str, record_id: str, wanted: str) -> str | None:
        """The id of the `wanted`-kind record above (or equal to) a record."""
        while kind != wanted:
            record = self.service.get(kind, record_id)
            parent = record.PARENT
            parent_id = record.parent_id()
            if parent is None or parent_id is None:
                return None
            kind, record_id = parent[1], parent_id
        return record_id

    def currency(self) -> str | None:
        """The current initiative's currency (ISO 4217), for amounts of money."""
        for initiative in self.records("initiative"):
            if initiative.id == self.initiative_id:
                return getattr(initiative, "currency", None)
        return None

    # --------------------------------------------------------------- requests
    def date_hint(self) -> date | None:
        """Where an empty date's calendar opens: today, kept within the initiative's dates."""
        if self.initiative_id is None:
            return None
        try:
            initiative = self.service.get("initiative", self.initiative_id)
        except PlannerError:
            return None
        today = self.today()
        start: date | None = getattr(initiative, "start", None)
        go_live: date | None = getattr(initiative, "go_live", None)
        if start is not None and today < start:
            return start
        if go_live is not None and today > go_live:
            return go_live
        return today

    def report(self, text: str, *, error: bool = False) -> None:
        self.message.emit(text, error)

    def start_new(
        self, kind: str, parent_kind: str, parent_id: str, values: dict[str, object]
    ) -> None:
        """Ask the window to open the page where a `kind` record is added under a parent and
        start a new one there (its Add form open, `values` filled in)."""
        self.add_requested.emit(kind, parent_kind, parent_id, values)

    def show_record(self, kind: str, record_id: str, field: str | None = None) -> None:
        """Ask the window to show a record (and put the cursor in one of its fields)."""
        self.record_requested.emit(kind, record_id, field or "")
