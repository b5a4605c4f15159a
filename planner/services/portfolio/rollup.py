"""The units' tree, and the load rolled up it: a parent unit's week shows its child units' people.

The rule (the README's load model explains it to users): a unit's load in a week is
what lands on the unit itself, plus each child unit's rolled-up load weighted by that
child's share of the parent's people, `child headcount / parent headcount` (the
children's total headcount when the parent records fewer people than its children
hold). That is the load the average person of the parent carries, on the same scale
as a team's, so a department's capacity means what a team's does: "Sales is
overloaded" says most of Sales is, not that one team of it is (that team's own row
says so). Summing the children instead would put any department of three busy teams
over capacity every week; taking the highest child would only repeat that child.

A parent chain that comes round to itself (A in B in A, which `planner doctor`
reports) is cut where it loops: the units in the loop count as having no parent, so
nothing walks the chain forever and no load is counted twice.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

from planner.domain.records import Unit
from planner.services.portfolio.model import LoadItem

Weekly = Mapping[date, Sequence[LoadItem]]


@dataclass(frozen=True)
class Tree:
    """The register's units as a forest: each unit's parent (None at a root, for a parent
    not in the register, and inside a loop), its children, and an order to add them up in."""

    units: Mapping[str, Unit]
    parent: Mapping[str, str | None]
    children: Mapping[str, tuple[str, ...]]
    upward: tuple[str, ...]
    """Every unit's id, each child before its parent."""

    @classmethod
    def of(cls, units: Sequence[Unit]) -> Tree:
        by_id = {u.id: u for u in units}
        raw = {u.id: u.parent_unit_id if u.parent_unit_id in by_id else None for u in units}
        looped = _in_loops(raw)
        parent = {uid: None if uid in looped else up for uid, up in raw.items()}
        children: dict[str, list[str]] = defaultdict(list)
        for unit in sorted(units, key=lambda u: (u.name.casefold(), u.id)):
            up = parent[unit.id]
            if up is not None:
                children[up].append(unit.id)
        downward: list[str] = []
        queue = deque(uid for uid, up in parent.items() if up is None)
        while queue:
            uid = queue.popleft()
            downward.append(uid)
            queue.extend(children.get(uid, ()))
        return cls(
            units=by_id,
            parent=parent,
            children={uid: tuple(kids) for uid, kids in children.items()},
            upward=tuple(reversed(downward)),
        )

    def kids(self, unit_id: str) -> tuple[str, ...]:
        return self.children.get(unit_id, ())

    def share(self, child_id: str) -> float:
        """The child's share of its parent's people (1.0 for a unit with no parent)."""
        up = self.parent.get(child_id)
        if up is None:
            return 1.0
        people = max(self.units[up].headcount, sum(self.units[k].headcount for k in self.kids(up)))
        return self.units[child_id].headcount / people


def _in_loops(parent: Mapping[str, str | None]) -> set[str]:
    """The units whose parent chain comes back to them, found in one walk of each chain."""
    done: set[str] = set()
    looped: set[str] = set()
    for start in parent:
        path: list[str] = []
        on_path: set[str] = set()
        unit: str | None = start
        while unit is not None and unit not in done:
            if unit in on_path:
                looped.update(path[path.index(unit) :])
                break
            path.append(unit)
            on_path.add(unit)
            unit = parent[unit]
        done.update(path)
    return looped


def roll_up(tree: Tree, own: Mapping[str, Weekly]) -> dict[str, dict[date, list[LoadItem]]]:
    """unit id -> week -> the items on the unit and, weighted by their share, its children's.

    An item counted on a parent keeps the unit it landed on (`LoadItem.via`), so the
    parent's week can name the initiative and say where to move what.
    """
    out: dict[str, dict[date, list[LoadItem]]] = {}
    for uid in tree.upward:
        weeks: dict[date, list[LoadItem]] = defaultdict(list)
        for monday, items in own.get(uid, {}).items():
            weeks[monday].extend(items)
        for child in tree.kids(uid):
            share = tree.share(child)
            landed = tree.units[child]
            for monday, items in out[child].items():
                weeks[monday].extend(
                    replace(item, points=item.points * share, via=item.via or landed)
                    for item in items
                )
        out[uid] = weeks
    return out
