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

The load is added up from points, week by week: one pass down the tree (what reaches a
unit from above is what reaches its parent and what landed on the parent itself), one
pass up (what a unit passes up is its own and its children's, weighted). A week keeps
its points as the list of its items' points, in their order, not as one number, so
that its load is the very sum its items make, rounded the same way to the last digit
(a department's shares are not round numbers; adding them in another order would now
and then move a load by 0.01). The items stay where
they landed, once: a unit's week reaches them through the units below and above it
(`Landed.parts`) and makes its `LoadItem`s, with their weighted points, `via` and
`above`, only when they are asked for, so a division of a hundred teams copies nothing.

A parent chain that comes round to itself (A in B in A, which `planner doctor`
reports) is cut where it loops: the units in the loop count as having no parent, so
nothing walks the chain forever and no load is counted twice.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property
from itertools import chain

from planner.domain.records import Unit
from planner.services.portfolio.model import LoadItem, Part

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


Known = tuple[frozenset[Key], Mapping[str, float]]
"""What reaches a unit's children from above in a week: the items (but the impact), and
each initiative's impact points."""

NOTHING_KNOWN: Known = (frozenset(), {})


@dataclass(eq=False)
class Landed:
    """What lands on one unit, week by week: the items that landed on it itself (less
    what already reaches it from above), and its load with that of the units below and
    above it, as numbers. The other units' items are reached through `kids` and `up`."""

    unit: Unit
    share: float
    """Its share of its parent's people (1.0 at a root): the weight of what it passes up."""
    up: Landed | None
    own: Mapping[date, Sequence[LoadItem]]
    kids: tuple[Landed, ...] = field(default=(), init=False)
    below: Mapping[date, list[float]] = field(default_factory=dict, init=False)
    """Week -> the points of its own items, then of its children's `below` times each
    child's share (a week is here when anything landed on the unit or below it)."""
    above: Mapping[date, list[float]] = field(default_factory=dict, init=False)
    """Week -> the points of the items landed on the units above it, whole, the root's
    first."""
    _known: dict[date, Known] = field(default_factory=dict, init=False, repr=False)
    _names: dict[tuple[date, bool, str], tuple[str, ...]] = field(
        default_factory=dict, init=False, repr=False
    )
    _pairs: dict[date, tuple[tuple[str, str], ...]] = field(
        default_factory=dict, init=False, repr=False
    )

    def load(self, week: date) -> float:
        """The week's points, added in the order of its items (`parts`): the same sum as
        theirs to the last digit, so that a load rounds as its items' total does (0, not
        0.0, for a week where nothing lands)."""
        return round(sum(chain(self.below.get(week, ()), self.above.get(week, ()))), 2)

    @cached_property
    def passed(self) -> Mapping[date, list[float]]:
        """Week -> the points that reach this unit's children from above: what reaches
        this unit, then what landed on it, whole (one mapping for all its children)."""
        passed = dict(self.above)
        for week, items in self.own.items():
            passed[week] = [*passed.get(week, ()), *(item.points for item in items)]
        return passed

    def weeks(self) -> set[date]:
        return {*self.below, *self.above}

    @cached_property
    def subtree(self) -> tuple[tuple[Landed, tuple[float, ...]], ...]:
        """This unit and every unit below it, each before its children (the order their
        items add up in), with the shares that weigh their items here: the unit's own,
        its parent's, and so on up to the child of this one."""
        out: list[tuple[Landed, tuple[float, ...]]] = [(self, ())]
        for kid in self.kids:
            out += [(node, (*path, kid.share)) for node, path in kid.subtree]
        return tuple(out)

    @cached_property
    def chain(self) -> tuple[Landed, ...]:
        """The units above this one, the root first (the order their items reach it in)."""
        return () if self.up is None else (*self.up.chain, self.up)

    def parts(self, week: date, of: Collection[str] | None = None) -> Iterator[Part]:
        """The items adding to the week (of these initiatives only, given their names):
        those landed on this unit or below it (their points weighted by each unit's share
        on the way up), then those landed on the units above it, whole. Nothing is copied."""
        for node, path in self.subtree:
            via = None if node is self else node.unit
            for item in node.own.get(week, ()):
                if of is not None and item.initiative.name not in of:
                    continue
                points = item.points
                for share in path:
                    points *= share
                yield Part(item, points, via, None)
        for node in self.chain:
            for item in node.own.get(week, ()):
                if of is None or item.initiative.name in of:
                    yield Part(item, item.points, None, node.unit)

    def items(self, week: date) -> tuple[LoadItem, ...]:
        """The week's `LoadItem`s as the unit sees them (made here, when asked for)."""
        return tuple(
            p.item
            if p.via is None and p.above is None
            else replace(p.item, points=p.points, via=p.via, above=p.above)
            for p in self.parts(week)
        )

    def only_from_above(self, week: date) -> bool:
        """Nothing landed on the unit or below it in the week: all of it came from above."""
        return week not in self.below

    def initiatives(self, week: date, go_lives: bool = False) -> tuple[str, ...]:
        """The initiatives adding to the week (or going live in it), in the order of the
        week's items."""
        names = dict.fromkeys(self._names_below(week, go_lives))
        for node in self.chain:
            names.update(dict.fromkeys(node._own_names(week, go_lives)))
        return tuple(names)

    def origins(self, week: date) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
        """The initiatives landed on the unit or below it in the week, and (initiative,
        unit) for those landed on a unit above it, each in order."""
        return self._names_below(week, False), self._from_above(week)

    def _own_names(self, week: date, go_lives: bool) -> tuple[str, ...]:
        """The initiatives of the items landed on this unit itself in the week (kept)."""
        found = self._names.get((week, go_lives, "own"))
        if found is None:
            items = self.own.get(week, ())
            if go_lives:
                items = [i for i in items if i.source == "go_live" and not i.settling]
            found = tuple(dict.fromkeys([item.initiative.name for item in items]))
            self._names[week, go_lives, "own"] = found
        return found

    def _names_below(self, week: date, go_lives: bool) -> tuple[str, ...]:
        """The initiatives landed on the unit or below it in the week (kept)."""
        if not self.kids:
            return self._own_names(week, go_lives)
        found = self._names.get((week, go_lives, "below"))
        if found is None:
            names = dict.fromkeys(self._own_names(week, go_lives))
            for kid in self.kids:
                if week in kid.below:
                    names.update(dict.fromkeys(kid._names_below(week, go_lives)))
            found = self._names[week, go_lives, "below"] = tuple(names)
        return found

    def _from_above(self, week: date) -> tuple[tuple[str, str], ...]:
        """(initiative, unit) for the items landed on the units above this one in the
        week, the root's first (kept, and the same for all the parent's children)."""
        if self.up is None:
            return ()
        return self.up._passed_names(week)

    def _passed_names(self, week: date) -> tuple[tuple[str, str], ...]:
        found = self._pairs.get(week)
        if found is None:
            mine = tuple((name, self.unit.name) for name in self._own_names(week, False))
            found = self._pairs[week] = (*self._from_above(week), *mine)
        return found

    def known(self, week: date) -> Known:
        """What reaches this unit's children from above in the week: what reaches it, and
        what landed on it (kept once per unit and week)."""
        found = self._known.get(week)
        if found is None:
            known = NOTHING_KNOWN if self.up is None else self.up.known(week)
            items = self.own.get(week, ())
            if items:
                keys, impact = set(known[0]), dict(known[1])
                for item in items:
                    if item.source == "impact":
                        impact[item.initiative.id] = (
                            impact.get(item.initiative.id, 0.0) + item.points
                        )
                    else:
                        keys.add(_key(item))
                known = (frozenset(keys), impact)
            found = self._known[week] = known
        return found


def spread(tree: Tree, own: Mapping[str, Weekly]) -> dict[str, Landed]:
    """unit id -> what lands on it: its own items, less what already reaches it from
    above (the same item once; of one initiative's impact only the points above its
    parents'), and its load per week, from below and from above."""
    out: dict[str, Landed] = {}
    for uid in tree.downward:
        up = tree.parent[uid]
        parent = None if up is None else out[up]
        mine = own.get(uid, {})
        node = Landed(
            tree.units[uid],
            tree.share(uid),
            parent,
            mine if parent is None else _not_inherited(mine, parent),
        )
        if parent is not None:
            node.above = parent.passed
        out[uid] = node
    for uid in tree.upward:
        node = out[uid]
        node.kids = tuple(out[kid] for kid in tree.kids(uid))
        below = {week: [item.points for item in items] for week, items in node.own.items()}
        for kid in node.kids:
            share = kid.share
            for week, points in kid.below.items():
                below.setdefault(week, []).extend(p * share for p in points)
        node.below = below
    return out


def _not_inherited(mine: Weekly, parent: Landed) -> dict[date, Sequence[LoadItem]]:
    """A unit's own items less what already reaches it from above: the same item once,
    and of one initiative's impact only the points above the impact from above."""
    out: dict[date, Sequence[LoadItem]] = {}
    for monday, items in mine.items():
        keys, impact = parent.known(monday)
        if not keys and not impact:
            out[monday] = items
            continue
        kept: list[LoadItem] = []
        for item in items:
            if item.source != "impact":
                if not keys or _key(item) not in keys:
                    kept.append(item)
                continue
            extra = item.points - impact.get(item.initiative.id, 0.0)
            if extra > 1e-9:
                kept.append(item if extra == item.points else replace(item, points=extra))
        if kept:
            out[monday] = kept
    return out
