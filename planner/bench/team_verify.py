"""The load test's proof that no edit was lost or silently overwritten, and its figures.

Every saved version of a record is written to an audit table by a trigger on the
server, independently of the planner's code. An edit counts as kept only if the
version it was saved as holds its value in the audit, no other save claims the
same version, each record's versions rose by exactly one per save, and the
record's final fields are those of the last save (by version) of each field.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Save:
    """One successful save: `version` is the one it wrote (the version it read, plus one)."""

    editor: int
    seq: int
    record_id: str
    field: str
    value: str
    version: int


def lost_edits(
    saves: Iterable[Save],
    audit: Mapping[tuple[str, int], Mapping[str, Any]],
    initial: Mapping[str, int],
    final: Mapping[str, Mapping[str, Any]],
) -> list[str]:
    """One line per edit lost or overwritten, or version gone astray; empty when all held.

    `audit` maps (record id, version) to the row the server stored as that version,
    `initial` each record's version before the run, `final` its row after it.
    """
    problems: list[str] = []
    claimed: dict[tuple[str, int], Save] = {}
    by_record: dict[str, list[Save]] = defaultdict(list)
    for save in saves:
        who = f"editor {save.editor}'s edit {save.seq} ({save.record_id} {save.field})"
        key = (save.record_id, save.version)
        if key in claimed:
            other = claimed[key]
            problems.append(
                f"{who} and editor {other.editor}'s edit {other.seq} both saved "
                f"version {save.version}"
            )
            continue
        claimed[key] = save
        by_record[save.record_id].append(save)
        stored = audit.get(key)
        if stored is None:
            problems.append(f"{who}: the server holds no version {save.version}")
        elif stored.get(save.field) != save.value:
            problems.append(
                f"{who}: version {save.version} holds {stored.get(save.field)!r}, "
                f"not {save.value!r}"
            )
    for record_id in sorted(set(by_record) | {r for r, _ in audit}):
        start = initial.get(record_id, 0)
        count = len(by_record.get(record_id, ()))
        versions = sorted(v for r, v in audit if r == record_id)
        expected = list(range(start + 1, start + count + 1))
        if versions != expected:
            problems.append(
                f"{record_id}: {count} saves, but the server's versions after "
                f"{start} are {_ranges(versions)}"
            )
        row = final.get(record_id)
        if row is None:
            problems.append(f"{record_id}: the record is gone")
            continue
        if row.get("version") != start + count:
            problems.append(
                f"{record_id}: ends at version {row.get('version')}, not {start + count}"
            )
        last: dict[str, Save] = {}
        for save in sorted(by_record.get(record_id, ()), key=lambda s: s.version):
            last[save.field] = save
        for name, save in sorted(last.items()):
            if row.get(name) != save.value:
                problems.append(
                    f"{record_id} {name} ends as {row.get(name)!r}, not the last save's "
                    f"{save.value!r} (editor {save.editor}'s edit {save.seq})"
                )
    return problems


def _ranges(versions: Sequence[int]) -> str:
    if not versions:
        return "none"
    if versions == list(range(versions[0], versions[-1] + 1)):
        return f"{versions[0]}–{versions[-1]}"
    return ", ".join(map(str, versions[:10])) + (" …" if len(versions) > 10 else "")


def refresh_delays(
    commits: Mapping[str, Sequence[float]], heard: Mapping[str, Sequence[tuple[str, float]]]
) -> tuple[list[float], int]:
    """Seconds from each save's commit to each OTHER editor hearing of it; and how many never did.

    `commits` maps an editor's writer id to the wall-clock commit times of its saves in
    order; `heard` maps each editor's writer id to the (writer id, wall-clock time) of
    each change its listener heard, in order. PostgreSQL delivers notifications in
    commit order, so the k-th change heard from a writer is that writer's k-th save.
    """
    delays: list[float] = []
    missed = 0
    for listener, notices in heard.items():
        counts: dict[str, int] = defaultdict(int)
        for writer, at in notices:
            if writer == listener or writer not in commits:
                continue
            index = counts[writer]
            counts[writer] += 1
            if index < len(commits[writer]):
                delays.append(at - commits[writer][index])
        for writer, times in commits.items():
            if writer != listener:
                missed += max(0, len(times) - counts[writer])
    return delays, missed


def percentile(values: Sequence[float], share: float) -> float | None:
    """The value below which `share` of them lie (nearest rank); None for none."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, min(len(ordered), math.ceil(share * len(ordered))))
    return ordered[rank - 1]
