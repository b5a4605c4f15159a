"""Importing a workbook: read → validate → plan → (show) → apply, all or nothing.

`preview_import` reads and checks everything and changes nothing; the dialog
and `--dry-run` show its result. `apply_import` refuses while any row is
invalid or any conflict is undecided, backs the database file up, and applies
every change as one undoable command in one transaction: an import is never
half applied.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from planner.domain.errors import PlannerError
from planner.persistence import store
from planner.persistence.backup import make_backup
from planner.persistence.tables import TABLES
from planner.services.excel.metadata import fingerprint
from planner.services.excel.preview import ImportPreview, RowPlan, Side, Status, build_preview
from planner.services.excel.progress import Progress
from planner.services.excel.reader import RawWorkbook, read_workbook
from planner.services.excel.staging import stage
from planner.services.history import Command
from planner.services.planning import PlanService


class ImportRefused(PlannerError):
    """The preview shows something the user must settle first; nothing was changed."""


@dataclass(frozen=True)
class ImportOutcome:
    created: int
    updated: int
    deleted: int
    kept: int
    backup: Path | None
    label: str
    command: Command | None = None


def preview_import(
    service: PlanService,
    path: Path,
    *,
    prune: bool = False,
    progress: Progress | None = None,
    reader: Callable[[Path, Progress], RawWorkbook] = read_workbook,
) -> ImportPreview:
    """`reader` may be `reader_process.read_workbook_apart` (a window's worker thread)."""
    progress = progress or Progress(what="the import")
    raw = reader(Path(path), progress.part(0.0, 0.5))
    staging = stage(service, raw, progress.part(0.5, 0.9))
    progress.step(0.95, "Comparing with the plan")
    preview = build_preview(staging, raw.info, raw.fingerprints, Path(path), prune=prune)
    progress.step(1.0, "Ready")
    return preview


def _side(row: RowPlan, prefer: Side | None, choices: dict[tuple[str, str], Side]) -> Side | None:
    return choices.get(row.key, prefer)


@dataclass(frozen=True)
class PreparedImport:
    """The row changes of an import, worked out and not yet applied."""

    label: str
    changes: tuple[store.RowChange, ...]
    created: int
    updated: int
    deleted: int
    kept: int


def apply_import(
    service: PlanService,
    preview: ImportPreview,
    *,
    prefer: Side | None = None,
    choices: dict[tuple[str, str], Side] | None = None,
    progress: Progress | None = None,
) -> ImportOutcome:
    progress = progress or Progress(what="the import")
    prepared = prepare_import(
        service, preview, prefer=prefer, choices=choices, progress=progress.part(0.0, 0.3)
    )
    backup = backup_before(service, prepared, progress.part(0.3, 0.5))
    progress.step(0.5, "Applying the changes")
    outcome = commit_import(service, preview, prepared, backup)
    progress.step(1.0, "Imported")
    return outcome


def prepare_import(
    service: PlanService,
    preview: ImportPreview,
    *,
    prefer: Side | None = None,
    choices: dict[tuple[str, str], Side] | None = None,
    progress: Progress | None = None,
) -> PreparedImport:
    """Everything slow of an import short of writing, so a window can do it off its UI thread."""
    progress = progress or Progress(what="the import")
    choices = choices or {}
    errors = preview.errors
    if errors:
        raise ImportRefused(
            f"the workbook has {len(errors)} problem"
            f"{'s' if len(errors) != 1 else ''} to fix first (the first: "
            f"{errors[0]}); nothing was imported"
        )
    undecided = [r for r in preview.conflicts if _side(r, prefer, choices) is None]
    if undecided:
        first = undecided[0]
        raise ImportRefused(
            f"{len(undecided)} row{'s were' if len(undecided) != 1 else ' was'} "
            "changed both in the workbook and in the database since the export "
            f"(the first: {first.sheet} row {first.row}, ‘{first.title}’); choose "
            "which side wins (--prefer workbook or --prefer database); nothing "
            "was imported"
        )
    progress.step(0.0, "Preparing the changes")
    _check_still_current(service, preview)
    stamp = store.now()
    deletes: list[store.RowChange] = []
    deleted = preview.rows(Status.DELETED)
    if deleted:
        with service.db.reading() as session:
            by_kind: dict[str, list[str]] = {}
            for row in deleted:
                by_kind.setdefault(row.kind, []).append(row.record_id)
            seen: set[tuple[str, tuple[tuple[str, object], ...]]] = set()
            for kind, ids in by_kind.items():
                for change in store.changes_for_delete(session, kind, ids):
                    assert change.before is not None
                    key = (change.table, tuple(sorted(change.before.items())))
                    if key not in seen:
                        seen.add(key)
                        deletes.append(change)
    removed = {(c.table, tuple(sorted(c.before.items()))) for c in deletes if c.before}
    creates: list[store.RowChange] = []
    updates: list[store.RowChange] = []
    created = updated = kept = 0
    for row in preview.rows(Status.NEW, Status.CHANGED, Status.CONFLICT):
        progress.check()
        assert row.new is not None
        if row.status is Status.NEW:
            creates.extend(store.changes_for_create(row.new, stamp))
            created += 1
            continue
        if row.status is Status.CONFLICT and _side(row, prefer, choices) is Side.DATABASE:
            kept += 1
            continue
        assert row.old is not None
        for change in store.changes_for_update(row.old, row.new, stamp):
            if (
                change.after is None
                and change.before is not None
                and (change.table, tuple(sorted(change.before.items()))) in removed
            ):
                continue
            updates.append(change)
        updated += 1
    creates.sort(key=lambda c: _ORDER.get(c.table, len(_ORDER)))
    progress.step(1.0, "Changes ready")
    return PreparedImport(
        f"Import {preview.path.name}",
        tuple(deletes + creates + updates),
        created,
        updated,
        len(deleted),
        kept,
    )


def backup_before(
    service: PlanService, prepared: PreparedImport, progress: Progress | None = None
) -> Path | None:
    """A backup of the file as it is, taken only when the import will change something."""
    progress = progress or Progress(what="the import")
    if not prepared.changes or service.db.path is None:
        return None
    progress.step(0.0, "Backing up the database")
    backup = make_backup(service.db.path, "before-import")
    progress.step(1.0, "Backed up")
    return backup


def commit_import(
    service: PlanService,
    preview: ImportPreview,
    prepared: PreparedImport,
    backup: Path | None,
    *,
    announce: bool = True,
) -> ImportOutcome:
    """Write the prepared changes as one undoable command.

    The plan is checked again first: it may have been edited since `prepare_import`.
    With `announce=False` (a window's worker thread) the history's listeners
    are not told; the caller announces `outcome.command` on its UI thread.
    """
    command = None
    if prepared.changes:
        _check_still_current(service, preview)
        command = service.execute(prepared.label, list(prepared.changes), announce=announce)
    return ImportOutcome(
        prepared.created,
        prepared.updated,
        prepared.deleted,
        prepared.kept,
        backup,
        prepared.label,
        command,
    )


def _check_still_current(service: PlanService, preview: ImportPreview) -> None:
    """The database must still be as the preview saw it (the window may edit meanwhile)."""
    exists = any(i.id == preview.initiative_id for i in service.initiatives())
    stale = exists != preview.initiative_exists
    if exists and not stale:
        now_by_id = service.plan(preview.initiative_id).by_id
        for row in preview.rows():
            if row.old is not None:
                current = now_by_id.get(row.old.id)
                if current is None or fingerprint(current) != fingerprint(row.old):
                    stale = True
                    break
            elif row.new is not None and row.new.id in now_by_id:
                stale = True
                break
    if stale:
        raise ImportRefused(
            "the plan was changed after this import was previewed; preview the "
            "workbook again; nothing was imported"
        )


# Parents before children, and records before the link rows that point at them.
_ORDER = {
    TABLES[kind].name: index
    for index, kind in enumerate(
        [
            "initiative",
            "stakeholder",
            "snapshot",
            "objective",
            "kpi",
            "measurement",
            "communication",
            "course",
            "session",
            "attendance",
            "phase",
            "gate_criterion",
            "option",
            "criterion",
            "score",
            "risk",
        ]
    )
}
