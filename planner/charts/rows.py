"""Stakeholders as chart rows: one each while they fit, else one per function.

A plan of ten thousand stakeholders cannot be read one row each; grouping by
function keeps every row readable and still shows where the gaps are.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from planner.charts.privacy import Names
from planner.domain.records import Stakeholder


@dataclass(frozen=True)
class Row:
    label: str
    members: tuple[Stakeholder, ...]

    @property
    def headcount(self) -> int:
        return sum(s.headcount for s in self.members)

    @property
    def ids(self) -> frozenset[str]:
        return frozenset(s.id for s in self.members)


def stakeholder_rows(
    stakeholders: Sequence[Stakeholder], names: Names, limit: int
) -> tuple[list[Row], str | None]:
    """Rows in the given order, plus a note saying how they were grouped, if they were."""
    if len(stakeholders) <= limit:
        return [Row(names(s), (s,)) for s in stakeholders], None
    by_function: dict[str, list[Stakeholder]] = defaultdict(list)
    for s in stakeholders:
        by_function[s.function or "No function"].append(s)
    groups = sorted(
        by_function.items(), key=lambda item: (-sum(s.headcount for s in item[1]), item[0])
    )
    rows = [
        Row(f"{function} ({len(members):,})", tuple(members))
        for function, members in groups[: limit - 1]
    ]
    rest = [s for _, members in groups[limit - 1 :] for s in members]
    if len(groups) == limit:
        function, members = groups[-1]
        rows.append(Row(f"{function} ({len(members):,})", tuple(members)))
    elif rest:
        rows.append(Row(f"Other functions ({len(rest):,})", tuple(rest)))
    note = (
        f"{len(stakeholders):,} stakeholders grouped by function "
        f"({len(rows)} rows, largest headcount first)"
    )
    return rows, note


def shorten(text: str, limit: int, *, middle: bool = False) -> str:
    """Cut to `limit` characters; `middle` keeps the end too, where names that share a
    long beginning ("Regional team (North)", "Regional team (South)") differ."""
    if len(text) <= limit:
        return text
    if not middle:
        return text[: limit - 1].rstrip() + "…"
    tail = (limit - 1) * 2 // 5
    return text[: limit - 1 - tail].rstrip() + "…" + text[len(text) - tail :].lstrip()
