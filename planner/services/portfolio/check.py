"""The portfolio check: collisions between initiatives on one unit, in the plan check's shape.

Rules (dimension `portfolio`):
- `portfolio-go-live-collision` (critical): one unit goes live with two
  initiatives less than `Rules.go_live_gap_weeks` weeks apart.
- `portfolio-over-capacity` (warning; critical at `Rules.critical_overload` times
  the capacity): a run of weeks in which a unit's load is above its capacity.
- `portfolio-pilot-and-wave` (warning): a unit is in one initiative's pilot while
  a wave of another initiative takes it live.
- `portfolio-similar-unit-names` (info): two units whose names differ only in
  case, punctuation, plurals or a word like "team": the same people, perhaps,
  kept apart until the user merges them (the migration never merges them).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import timedelta

from planner.domain.records import Unit
from planner.services.portfolio.model import RULES, GoLive, Rules, UnitLoad, WeekLoad, week_key
from planner.services.readiness.model import Finding, RecordRef, Severity

DIMENSION = "portfolio"
WEEK = timedelta(days=7)


def check(
    loads: Sequence[UnitLoad], lives: Sequence[GoLive], units: Sequence[Unit], rules: Rules = RULES
) -> list[Finding]:
    names = {u.id: u.name for u in units}
    findings = [
        *go_live_collisions(lives, names, rules),
        *pilot_and_wave(lives, names),
        *over_capacity(loads, rules),
        *similar_names(units),
    ]
    order = {"critical": 0, "warning": 1, "info": 2}
    findings.sort(key=lambda f: (order[f.severity], f.rule, f.message))
    return findings


def go_live_collisions(
    lives: Iterable[GoLive], names: dict[str, str], rules: Rules = RULES
) -> list[Finding]:
    """Each go-live closer than the gap to an earlier one of another initiative (the nearest)."""
    gap = rules.go_live_gap_weeks * WEEK
    by_unit: dict[str, list[GoLive]] = defaultdict(list)
    for live in lives:
        by_unit[live.unit_id].append(live)
    out: list[Finding] = []
    for unit_id, found in by_unit.items():
        found.sort(key=lambda g: (g.starts, g.initiative.name))
        for index, later in enumerate(found):
            earlier = _nearest_before(found[:index], later, gap)
            if earlier is None:
                continue
            unit = names[unit_id]
            days = (later.starts - earlier.starts).days
            weeks = days // 7
            apart = "in the same week" if weeks == 0 else f"{weeks} week{'s' * (weeks > 1)} apart"
            after = earlier.starts + gap
            out.append(
                Finding(
                    "portfolio-go-live-collision",
                    DIMENSION,
                    "critical",
                    f"{unit} go live with {earlier.initiative.name} ({earlier.what}, "
                    f"{earlier.starts.isoformat()}) and {later.initiative.name} ({later.what}, "
                    f"{later.starts.isoformat()}), {apart}",
                    later.record,
                    f"Move {later.initiative.name}'s {later.what} for {unit} to after "
                    f"{after.isoformat()} ({rules.go_live_gap_weeks} weeks after "
                    f"{earlier.initiative.name}'s), or take {unit} out of it",
                )
            )
    return out


def _nearest_before(earlier: Sequence[GoLive], later: GoLive, gap: timedelta) -> GoLive | None:
    for candidate in reversed(earlier):
        if later.starts - candidate.starts >= gap:
            return None
        if candidate.initiative.id != later.initiative.id:
            return candidate
    return None


def pilot_and_wave(lives: Iterable[GoLive], names: dict[str, str]) -> list[Finding]:
    """A unit piloting one initiative while a wave of another takes it live."""
    pilots: dict[str, list[GoLive]] = defaultdict(list)
    waves: dict[str, list[GoLive]] = defaultdict(list)
    for live in lives:
        if live.kind == "pilot":
            pilots[live.unit_id].append(live)
        elif live.kind == "wave":
            waves[live.unit_id].append(live)
    out: list[Finding] = []
    for unit_id, unit_pilots in pilots.items():
        for pilot in unit_pilots:
            for wave in waves.get(unit_id, ()):
                if wave.initiative.id == pilot.initiative.id:
                    continue
                if wave.starts > pilot.ends or pilot.starts > wave.ends:
                    continue
                unit = names[unit_id]
                out.append(
                    Finding(
                        "portfolio-pilot-and-wave",
                        DIMENSION,
                        "warning",
                        f"{unit} pilot {pilot.initiative.name} ({pilot.what}, "
                        f"{pilot.starts.isoformat()} to {pilot.ends.isoformat()}) while "
                        f"{wave.initiative.name}'s {wave.what} takes them live "
                        f"({wave.starts.isoformat()} to {wave.ends.isoformat()})",
                        wave.record,
                        f"Move {wave.initiative.name}'s {wave.what} for {unit} to after "
                        f"{pilot.ends.isoformat()} (the end of {pilot.initiative.name}'s "
                        f"{pilot.what}), or pilot with another unit",
                    )
                )
    return out


def over_capacity(loads: Iterable[UnitLoad], rules: Rules = RULES) -> list[Finding]:
    """One finding per run of consecutive weeks above a unit's capacity."""
    out: list[Finding] = []
    for unit_load in loads:
        for run in _runs(unit_load.weeks):
            out.append(_overload(unit_load.unit, run, rules))
    return out


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
    initiatives = ", ".join(dict.fromkeys(name for w in run for name in w.initiatives))
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


def _what_to_move(unit: Unit, run: list[WeekLoad], peak: WeekLoad) -> tuple[RecordRef, str]:
    """The biggest movable item in the peak week, and where to move it.

    A go-live first (the heaviest single item), else a training session or a
    communication; between initiatives adding as much, the one that adds least
    to the whole run (its plan bends most easily).
    """
    shares: dict[str, float] = defaultdict(float)
    for week in run:
        for item in week.items:
            shares[item.initiative.name] += item.points
    movable = [i for i in peak.items if i.source != "impact"] or list(peak.items)
    several = len({i.initiative.id for i in movable}) > 1
    movable.sort(
        key=lambda i: (
            i.source != "go_live",
            i.settling,
            -i.points,
            shares[i.initiative.name] if several else 0.0,
            i.initiative.name,
        )
    )
    item = movable[0]
    after = (run[-1].monday + WEEK).isoformat()
    what = {
        "go_live": item.record.name if item.record.kind == "phase" else "go-live",
        "training": f"training session ‘{item.record.name}’",
        "communication": f"communication ‘{item.record.name}’",
        "impact": "transition",
    }[item.source]
    action = (
        f"Move {item.initiative.name}'s {what} for {unit.name} to after {after} "
        f"(week {week_key(run[-1].monday + WEEK)}), or raise the change capacity of "
        f"{unit.name} to {peak.load:g}"
    )
    return item.record, action


_FILLER = {"team", "teams", "group", "groups", "dept", "department", "unit", "the", "of"}


def name_key(name: str) -> str:
    """A unit's name reduced to what tells two units apart: case, punctuation, plurals and
    words like "team" left out ("Inside Sales team" and "inside sales" share a key)."""
    words = re.findall(r"[a-z0-9]+", name.casefold().replace("&", " and "))
    kept = [w[:-1] if len(w) > 3 and w.endswith("s") else w for w in words if w not in _FILLER]
    return " ".join(kept or words)


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
