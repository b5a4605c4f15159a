"""Which records `--prune` may delete: only those the exported workbook held.

A workbook says which records it was exported with: its export record names
the initiative, and the hidden sheet keeps a fingerprint of every record as
exported. A record missing from the workbook is deleted only when it was in
that export and the database still holds it as exported, or when it is older
than the export and untouched since yet the export did not hold it: then the
workbook went through another planner file (imported there, exported again)
whose plan had lost it. A record created after the export (the workbook never
knew it), one the database changed since (deleting it would throw that change
away unseen), or any record when the workbook carries no export record at all,
is kept, and the preview says so.
"""

from __future__ import annotations

from collections import defaultdict

from planner.domain.plan import Plan
from planner.domain.quoting import shown
from planner.domain.records import Record, record_type
from planner.services.excel.metadata import ExportInfo, fingerprint
from planner.services.excel.problems import Problem, warning
from planner.services.excel.staging import Staging


def records_to_prune(
    staging: Staging, info: ExportInfo | None, fingerprints: dict[str, str]
) -> tuple[dict[str, list[Record]], list[Problem]]:
    """The records a prune deletes, by kind, and a note for each one it keeps back."""
    if staging.db_plan is None:
        return {}, []
    if info is None or not fingerprints:
        return {}, [
            warning(
                "the workbook carries no export record (export ID and row fingerprints), "
                "so --prune deletes nothing: only a workbook exported by the planner says "
                "which records it held"
            )
        ]
    if info.initiative_id.lower() != staging.target_id.lower():
        return {}, [
            warning("the workbook was exported from another initiative, so --prune deletes nothing")
        ]
    pruned: dict[str, list[Record]] = defaultdict(list)
    notes: list[Problem] = []
    for kind in Plan.KIND_ATTRS:
        # The units are the file's, shared by every initiative: a workbook of one
        # initiative never deletes one.
        if kind not in staging.sheets or record_type(kind).PARENT is None:
            continue
        rows = staging.rows.get(kind, [])
        listed = {s.record.id for s in rows if s.record is not None}
        listed |= {s.given_id for s in rows if s.given_id}
        for record in staging.db_plan.records(kind):
            if record.id in listed:
                continue
            exported = fingerprints.get(record.id.lower())
            if exported is None:
                if _older_and_untouched(record, info):
                    pruned[kind].append(record)
                continue
            if exported != fingerprint(record):
                label = record_type(kind).LABEL.lower()
                notes.append(
                    warning(
                        f"the {label} ‘{shown(record.title)}’ is not in the workbook but was changed "
                        "in the database since the export; it is kept",
                        sheet=staging.sheets[kind].title,
                    )
                )
                continue
            pruned[kind].append(record)
    return dict(pruned), notes


def _older_and_untouched(record: Record, info: ExportInfo) -> bool:
    """Created and last saved before the export was made (so the export could know it)."""
    exported_at = info.exported_at.replace(tzinfo=None)
    return (
        record.created_at is not None
        and record.updated_at is not None
        and record.created_at < exported_at
        and record.updated_at < exported_at
    )
