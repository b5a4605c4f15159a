"""The units' tree, and the load spread over it: down to the people of a unit's child
units, and up from them to the unit's average person.

The rule (the README's load model explains it to users): a unit's load in a week is
the load of the average person in it,

    load(u)  = above(u) + below(u)
    above(u) = Σ own(a) for each unit a above u (its parent, the parent's parent, ...)
    below(u) = own(u) + Σ below(c) × share(c) for each child unit c of u

where `own(u)` is what lands on u itself and `share(c)` is the child's share of its
parent's people, `c's headcount / u's headcount` (the children's total headcount when
the parent records fewer people than its children hold). Whatever lands on a unit as a
whole reaches every person of it, so it counts whole on every unit below (`above`);
the units below pass up only what landed on them or below them (`below`), so an item on
Sales never comes back up to Sales through its teams. The same item reaching a person
twice (a message addressed to Sales and to Inside sales, a wave scoped to both) counts
once, as the one from above; one initiative's impact on a person counts once too, the
highest recorded on the unit or above it (the unit's own impact item keeps only the
points it adds above its parents'). Summing the children instead of weighting them
would put any department of three busy teams over capacity every week; taking the
highest child would only repeat that child.

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
    downward: tuple[str, ...]
    """Every unit's id, each parent before its children."""
    chain: Mapping[str, tuple[str, ...]]
    """Each unit's id -> the ids of the units above it, its parent first."""

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
        chain: dict[str, tuple[str, ...]] = {}
        for uid in downward:
            up = parent[uid]
            chain[uid] = () if up is None else (up, *chain[up])
        return cls(
            units=by_id,
            parent=parent,
            children={uid: tuple(kids) for uid, kids in children.items()},
            upward=tuple(reversed(downward)),
            downward=tuple(downward),
            chain=chain,
        )

    def kids(self, unit_id: str) -> tuple[str, ...]:
        return self.children.get(unit_id, ())

    def ancestors(self, unit_id: str) -> tuple[str, ...]:
        """The units above this one, its parent first (finite: loops are cut)."""
        return self.chain.get(unit_id, ())

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


Key = tuple[str, str, str, date, bool]


def _key(item: LoadItem) -> Key:
    return item.source, item.initiative.id, item.record.id, item.on, item.settling


def spread(tree: Tree, own: Mapping[str, Weekly]) -> dict[str, dict[date, list[LoadItem]]]:
    """unit id -> week -> its own items and, weighted by their share, its children's
    (`LoadItem.via`), then the items of the units above it, whole (`LoadItem.above`).

    Each item keeps the unit it landed on, so a week can name the initiative and say
    where to move what.
    """
    kept: dict[str, Weekly] = {}
    passed: dict[str, dict[date, list[LoadItem]]] = {}
    known: dict[str, dict[date, Known]] = {}
    for uid in tree.downward:
        up = tree.parent[uid]
        mine = own.get(uid, {})
        if up is not None and passed[up]:
            kept[uid] = _not_inherited(mine, passed[up], known.setdefault(up, {}))
        else:
            kept[uid] = mine
        if tree.kids(uid):
            landed = tree.units[uid]
            weeks: dict[date, list[LoadItem]] = {
                w: list(i) for w, i in (passed[up].items() if up is not None else ())
            }
            for monday, items in kept[uid].items():
                weeks.setdefault(monday, []).extend(replace(i, above=landed) for i in items)
            passed[uid] = weeks
    below: dict[str, dict[date, list[LoadItem]]] = {}
    for uid in tree.upward:
        found: dict[date, list[LoadItem]] = defaultdict(list)
        for monday, items in kept[uid].items():
            found[monday].extend(items)
        for child in tree.kids(uid):
            share = tree.share(child)
            landed = tree.units[child]
            for monday, items in below[child].items():
                found[monday].extend(
                    replace(item, points=item.points * share, via=item.via or landed)
                    for item in items
                )
        below[uid] = found
    out: dict[str, dict[date, list[LoadItem]]] = {}
    for uid in tree.upward:
        up = tree.parent[uid]
        if up is None:
            out[uid] = below[uid]
            continue
        whole: dict[date, list[LoadItem]] = defaultdict(list)
        for monday, items in below[uid].items():
            whole[monday].extend(items)
        for monday, items in passed[up].items():
            whole[monday].extend(items)
        out[uid] = whole
    return out


Known = tuple[set[Key], dict[str, float]]
"""What reaches a unit's children from above in a week: the items (but the impact), and
each initiative's impact points."""


def _known(items: Sequence[LoadItem]) -> Known:
    keys = {_key(i) for i in items if i.source != "impact"}
    impact: dict[str, float] = defaultdict(float)
    for item in items:
        if item.source == "impact":
            impact[item.initiative.id] += item.points
    return keys, impact


def _not_inherited(
    mine: Weekly, inherited: Weekly, known: dict[date, Known]
) -> dict[date, list[LoadItem]]:
    """A unit's own items less what already reaches it from above: the same item once,
    and of one initiative's impact only the points above the impact from above.
    `known` keeps what reaches the parent's children per week, made once per parent."""
    out: dict[date, list[LoadItem]] = {}
    for monday, items in mine.items():
        above = inherited.get(monday)
        if not above:
            out[monday] = list(items)
            continue
        if monday not in known:
            known[monday] = _known(above)
        keys, impact = known[monday]
        kept: list[LoadItem] = []
        for item in items:
            if item.source != "impact":
                if _key(item) not in keys:
                    kept.append(item)
                continue
            extra = item.points - impact.get(item.initiative.id, 0.0)
            if extra > 1e-9:
                kept.append(item if extra == item.points else replace(item, points=extra))
        if kept:
            out[monday] = kept
    return out
