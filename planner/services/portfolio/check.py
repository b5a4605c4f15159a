"""The portfolio check: collisions between initiatives on one unit, in the plan check's shape.

Rules (dimension `portfolio`):
- `portfolio-go-live-collision` (critical): one unit goes live with two
  initiatives less than `Rules.go_live_gap_weeks` weeks apart, one of them perhaps
  on a unit above it as a whole (its people go live then too); a warning on a
  parent whose different units go live that close.
- `portfolio-over-capacity` (warning; critical at `Rules.critical_overload` times
  the capacity): a run of weeks in which a unit's load is above its capacity.
- `portfolio-pilot-and-wave` (warning): a unit is in one initiative's pilot while
  a wave of another initiative takes it live (either perhaps on a unit above it).
- `portfolio-similar-unit-names` (info): two units whose names differ only in
  case, punctuation, plurals or a word like "team": the same people, perhaps,
  kept apart until the user merges them (the migration never merges them).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import date, timedelta

from planner.domain.records import Unit
from planner.domain.unit_names import name_key
from planner.services.portfolio.model import (
    RULES,
    GoLive,
    Part,
    Rules,
    UnitLoad,
    WeekLoad,
    week_key,
)
from planner.services.portfolio.rollup import Tree
from planner.services.readiness.model import Finding, RecordRef, Severity

DIMENSION = "portfolio"
WEEK = timedelta(days=7)


def check(
    loads: Sequence[UnitLoad],
    lives: Sequence[GoLive],
    units: Sequence[Unit],
    rules: Rules = RULES,
    tree: Tree | None = None,
) -> list[Finding]:
    """The findings on `units` (their loads and the go-lives of `tree`'s units, which
    default to them: a parent's collisions take in its child units')."""
    tree = Tree.of(units) if tree is None else tree
    shown = {u.id for u in units}
    findings = [
        *go_live_collisions(lives, tree, shown, rules),
        *pilot_and_wave(lives, tree, shown),
        *over_capacity(loads, rules, tree),
        *similar_names(units),
    ]
    order = {"critical": 0, "warning": 1, "info": 2}
    findings.sort(key=lambda f: (order[f.severity], f.rule, f.message))
    return findings


Pair = frozenset[str]
"""The ids of two initiatives that collide somewhere."""


def go_live_collisions(
    lives: Iterable[GoLive], tree: Tree, shown: Collection[str], rules: Rules = RULES
) -> list[Finding]:
    """Each go-live closer than the gap to an earlier one of another initiative (the nearest)
    for the same people: on the unit itself or on a unit above it as a whole (its people
    go live in that one too); and, on a parent unit, two initiatives going live that close
    on different units of it, when no unit of it takes both (that one already says so).

    Each pair of initiatives is named once per parent, at the lowest unit where they
    meet, so a department of ten teams does not repeat what its teams say; two go-lives
    that both reach a unit from above were named where they landed.
    """
    gap = rules.go_live_gap_weeks * WEEK
    own: dict[str, list[GoLive]] = defaultdict(list)
    for live in lives:
        own[live.unit_id].append(live)
    out: list[Finding] = []
    met: dict[str, set[Pair]] = {}
    under: dict[str, list[tuple[GoLive, str]]] = {}
    for unit_id in tree.upward:
        name = tree.units[unit_id].name
        found = sorted(own.get(unit_id, ()), key=_when)
        reaching = sorted(_reaching(own, tree, unit_id), key=_when) if found else found
        pairs: set[Pair] = set()
        for index, later in enumerate(reaching):
            earlier = _nearest_before(reaching, index, gap, here=unit_id)
            if earlier is not None:
                pairs.add(frozenset((earlier.initiative.id, later.initiative.id)))
                if unit_id in shown:
                    out.append(_collision(name, earlier, later, tree, rules))
        branches = [(g, unit_id) for g in found]
        for kid in tree.kids(unit_id):
            pairs |= met.pop(kid)
            branches += [(g, kid) for g, _ in under.pop(kid)]
        if tree.kids(unit_id):
            branches.sort(key=lambda gb: _when(gb[0]))
            for earlier, later in _across(branches, gap, pairs):
                if unit_id in shown:
                    out.append(_across_units(name, earlier, later, tree, rules))
        met[unit_id] = pairs
        under[unit_id] = branches
    return out


def _reaching(own: Mapping[str, Sequence[GoLive]], tree: Tree, unit_id: str) -> list[GoLive]:
    """The go-lives on the unit and on the units above it, each phase's once (a wave
    scoped to a team and to its department takes the team live once)."""
    out = list(own.get(unit_id, ()))
    seen = {(g.record.id, g.starts) for g in out}
    for up in tree.ancestors(unit_id):
        for live in own.get(up, ()):
            if (live.record.id, live.starts) not in seen:
                seen.add((live.record.id, live.starts))
                out.append(live)
    return out


def _when(live: GoLive) -> tuple[date, str]:
    return live.starts, live.initiative.name


def _across(
    branches: Sequence[tuple[GoLive, str]], gap: timedelta, pairs: set[Pair]
) -> list[tuple[GoLive, GoLive]]:
    """Go-lives on different child units of a parent of initiatives that meet nowhere
    below it (not in `pairs`, which takes in each pair found), once per pair: for each
    go-live, the nearest earlier one of such a pair."""
    found = [g for g, _ in branches]
    on = [b for _, b in branches]
    out: list[tuple[GoLive, GoLive]] = []
    for index, later in enumerate(found):
        earlier = _nearest_before(found, index, gap, on, named=pairs)
        if earlier is not None:
            pairs.add(frozenset((earlier.initiative.id, later.initiative.id)))
            out.append((earlier, later))
    return out


def _collision(unit: str, earlier: GoLive, later: GoLive, tree: Tree, rules: Rules) -> Finding:
    """Critical: the same people go live twice (one of the go-lives perhaps on a unit
    above theirs, as a whole)."""
    days = (later.starts - earlier.starts).days
    after = earlier.starts + rules.go_live_gap_weeks * WEEK
    landed = tree.units[later.unit_id].name
    if landed == unit:
        instead = f"take {unit} out of it"
    else:
        instead = f"give {unit} a later {later.kind.replace('_', '-')} of its own"
    return Finding(
        "portfolio-go-live-collision",
        DIMENSION,
        "critical",
        f"{unit} go live with {earlier.initiative.name} ({_what(earlier, unit, tree)}, "
        f"{earlier.starts.isoformat()}) and {later.initiative.name} "
        f"({_what(later, unit, tree)}, {later.starts.isoformat()}), {_apart(days)}",
        later.record,
        f"Move {later.initiative.name}'s {later.what} for {landed} to after "
        f"{after.isoformat()} ({rules.go_live_gap_weeks} weeks after "
        f"{earlier.initiative.name}'s), or {instead}",
    )


def _what(live: GoLive, unit: str, tree: Tree) -> str:
    """ "Wave 1", or "Wave 1 for all of Sales" for a go-live that reaches `unit` from above."""
    landed = tree.units[live.unit_id].name
    return live.what if landed == unit else f"{live.what} for all of {landed}"


def _across_units(parent: str, earlier: GoLive, later: GoLive, tree: Tree, rules: Rules) -> Finding:
    """A warning, not critical: different people go live, but the parent's managers and
    support carry both go-lives at once."""
    first, second = tree.units[earlier.unit_id].name, tree.units[later.unit_id].name
    days = (later.starts - earlier.starts).days
    after = earlier.starts + rules.go_live_gap_weeks * WEEK
    return Finding(
        "portfolio-go-live-collision",
        DIMENSION,
        "warning",
        f"{parent} go live with {earlier.initiative.name} ({earlier.what} for {first}, "
        f"{earlier.starts.isoformat()}) and {later.initiative.name} ({later.what} for "
        f"{second}, {later.starts.isoformat()}), {_apart(days)}, on different units of it",
        later.record,
        f"Move {later.initiative.name}'s {later.what} for {second} to after "
        f"{after.isoformat()} ({rules.go_live_gap_weeks} weeks after "
        f"{earlier.initiative.name}'s), so that {parent} take one go-live at a time",
    )


def _apart(days: int) -> str:
    weeks = days // 7
    return "in the same week" if weeks == 0 else f"{weeks} week{'s' * (weeks > 1)} apart"


def _nearest_before(
    found: Sequence[GoLive],
    index: int,
    gap: timedelta,
    on: Sequence[str] = (),
    here: str | None = None,
    named: Collection[Pair] = (),
) -> GoLive | None:
    """The nearest go-live before `found[index]`, within the gap, of another initiative
    (given the child unit each is `on`, on another child unit than its own; given the
    unit `here`, not two that both reach it from above; not of a pair already `named`)."""
    later = found[index]
    for at in range(index - 1, -1, -1):
        candidate = found[at]
        if later.starts - candidate.starts >= gap:
            return None
        if on and on[at] == on[index]:
            continue
        if here is not None and candidate.unit_id != here and later.unit_id != here:
            continue
        if candidate.initiative.id == later.initiative.id:
            continue
        if named and frozenset((candidate.initiative.id, later.initiative.id)) in named:
            continue
        return candidate
    return None


def pilot_and_wave(lives: Iterable[GoLive], tree: Tree, shown: Collection[str]) -> list[Finding]:
    """A unit piloting one initiative while a wave of another takes it live: the same
    people, so not rolled up to parents, but a pilot or a wave on a unit above it as a
    whole takes its people too (named on the unit it landed on when both did)."""
    pilots: dict[str, list[GoLive]] = defaultdict(list)
    waves: dict[str, list[GoLive]] = defaultdict(list)
    for live in lives:
        if live.kind == "pilot":
            pilots[live.unit_id].append(live)
        elif live.kind == "wave":
            waves[live.unit_id].append(live)
    out: list[Finding] = []
    for unit_id in tree.downward:
        if unit_id not in shown:
            continue
        unit_pilots = _reaching(pilots, tree, unit_id)
        if not unit_pilots:
            continue
        unit_waves = _reaching(waves, tree, unit_id)
        unit = tree.units[unit_id].name
        for pilot in unit_pilots:
            for wave in unit_waves:
                if wave.initiative.id == pilot.initiative.id:
                    continue
                if wave.starts > pilot.ends or pilot.starts > wave.ends:
                    continue
                if pilot.unit_id != unit_id and wave.unit_id != unit_id:
                    continue
                out.append(_pilot_and_wave(unit, pilot, wave, tree))
    return out


def _pilot_and_wave(unit: str, pilot: GoLive, wave: GoLive, tree: Tree) -> Finding:
    landed = tree.units[wave.unit_id].name
    return Finding(
        "portfolio-pilot-and-wave",
        DIMENSION,
        "warning",
        f"{unit} pilot {pilot.initiative.name} ({_what(pilot, unit, tree)}, "
        f"{pilot.starts.isoformat()} to {pilot.ends.isoformat()}) while "
        f"{wave.initiative.name}'s {_what(wave, unit, tree)} takes them live "
        f"({wave.starts.isoformat()} to {wave.ends.isoformat()})",
        wave.record,
        f"Move {wave.initiative.name}'s {wave.what} for {landed} to after "
        f"{pilot.ends.isoformat()} (the end of {pilot.initiative.name}'s "
        f"{pilot.what}), or pilot with another unit",
    )


def over_capacity(
    loads: Sequence[UnitLoad], rules: Rules = RULES, tree: Tree | None = None
) -> list[Finding]:
    """One finding per run of consecutive weeks above a unit's capacity; not on a unit
    whose whole load in the run comes from its parent as a whole while the parent is
    over capacity too (the parent's finding says it, once for all its units)."""
    over = {u.unit.id: {w.monday for w in u.weeks if w.over} for u in loads}
    out: list[Finding] = []
    for unit_load in loads:
        up = tree.parent.get(unit_load.unit.id) if tree is not None else None
        for run in _runs(unit_load.weeks):
            if up in over and _told_by_parent(run, over[up]):
                continue
            out.append(_overload(unit_load.unit, run, rules))
    return out


def _told_by_parent(run: Sequence[WeekLoad], parent_over: Collection[date]) -> bool:
    return all(week.monday in parent_over and week.only_from_above for week in run)


def _runs(weeks: Sequence[WeekLoad]) -> list[list[WeekLoad]]:
    runs: list[list[WeekLoad]] = []
    for week in weeks:
        if not week.over:
            continue
        if runs and runs[-1][-1].monday + WEEK == week.monday:
            runs[-1].append(week)
        else:
            runs.append([week])
    return runs


def _overload(unit: Unit, run: list[WeekLoad], rules: Rules) -> Finding:
    peak = max(run, key=lambda w: w.load)
    first, last = run[0], run[-1]
    span = first.week if first is last else f"{first.week} to {last.week}"
    initiatives = ", ".join(_from(run))
    severity: Severity = (
        "critical" if peak.load >= rules.critical_overload * peak.capacity else "warning"
    )
    record, action = _what_to_move(unit, run, peak)
    return Finding(
        "portfolio-over-capacity",
        DIMENSION,
        severity,
        f"{unit.name} carry {peak.load:g} change points in {peak.week} (capacity "
        f"{unit.capacity:g}), over capacity in {span}, from {initiatives}",
        record,
        action,
    )


def _from(run: Sequence[WeekLoad]) -> list[str]:
    """The initiatives adding to the run, "Reorg (through Sales)" for one that reaches
    the unit only from a unit above it as a whole."""
    above: dict[str, set[str]] = defaultdict(set)
    for week in run:
        below, from_above = week.origins
        for name in below:
            above[name].add("")
        for name, unit in from_above:
            above[name].add(unit)
    return [
        f"{name} (through {', '.join(sorted(units))})" if "" not in units else name
        for name, units in above.items()
    ]


def _what_to_move(unit: Unit, run: list[WeekLoad], peak: WeekLoad) -> tuple[RecordRef, str]:
    """The biggest movable item in the peak week, and where to move it.

    A go-live first (the heaviest single item), else a training session or a
    communication; between initiatives adding as much, the one that adds least
    to the whole run (its plan bends most easily).
    """
    parts = list(peak.parts())
    movable = [p for p in parts if p.item.source != "impact"] or parts

    def rank(part: Part) -> tuple[bool, bool, float]:
        return part.item.source != "go_live", part.item.settling, -part.points

    best = min(rank(p) for p in movable)
    tied = {p.item.initiative.name for p in movable if rank(p) == best}
    several = len({p.item.initiative.id for p in movable}) > 1
    shares = _shares(run, tied) if several and len(tied) > 1 else {}
    part = min(
        (p for p in movable if rank(p) == best),
        key=lambda p: (shares.get(p.item.initiative.name, 0.0), p.item.initiative.name),
    )
    item = part.item
    after = (run[-1].monday + WEEK).isoformat()
    what = {
        "go_live": item.record.name if item.record.kind == "phase" else "go-live",
        "training": f"training session ‘{item.record.name}’",
        "communication": f"communication ‘{item.record.name}’",
        "impact": "transition",
    }[item.source]
    landed = next((u.name for u in (part.above, part.via) if u is not None), unit.name)
    action = (
        f"Move {item.initiative.name}'s {what} for {landed} to after {after} "
        f"(week {week_key(run[-1].monday + WEEK)}), or raise the change capacity of "
        f"{unit.name} to {peak.load:g}"
    )
    return item.record, action


def _shares(run: Sequence[WeekLoad], names: Collection[str]) -> dict[str, float]:
    """The points these initiatives add to the whole run."""
    shares: dict[str, float] = defaultdict(float)
    for week in run:
        for part in week.parts(of=names):
            shares[part.item.initiative.name] += part.points
    return shares


def similar_names(units: Iterable[Unit]) -> list[Finding]:
    groups: dict[str, list[Unit]] = defaultdict(list)
    for unit in units:
        groups[name_key(unit.name)].append(unit)
    out: list[Finding] = []
    for found in groups.values():
        if len(found) < 2:
            continue
        found.sort(key=lambda u: u.name)
        names = ", ".join(f"‘{u.name}’" for u in found)
        out.append(
            Finding(
                "portfolio-similar-unit-names",
                DIMENSION,
                "info",
                f"The units {names} have nearly the same name",
                RecordRef.of(found[1]),
                f"If they are the same people, link their stakeholders to ‘{found[0].name}’ "
                f"and delete the others; if not, rename one so they are told apart",
            )
        )
    return out
