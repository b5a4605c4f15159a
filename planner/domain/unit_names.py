"""When two organisational units' names say the same thing: for the portfolio check's note
and the doctor's warning, so both read a name the same way."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from difflib import SequenceMatcher
from itertools import combinations

_FILLER = {"team", "teams", "group", "groups", "dept", "department", "unit", "the", "of"}

SIMILAR_RATIO = 0.9
"""How alike two reduced names must be (difflib's ratio) to be a typo of one another:
"Custmer service" and "Customer service" are (0.97); "Sales reps North" and "Sales
reps South" are not (0.86)."""

MAX_COMPARED = 2000
"""Above this many names only the reduced names are compared, not every pair's spelling
(a pair costs a difflib comparison: two thousand names are two million of them)."""


def name_key(name: str) -> str:
    """A unit's name reduced to what tells two units apart: case, punctuation, plurals and
    words like "team" left out ("Inside Sales team" and "inside sales" share a key)."""
    words = re.findall(r"[a-z0-9]+", name.casefold().replace("&", " and "))
    kept = [w[:-1] if len(w) > 3 and w.endswith("s") else w for w in words if w not in _FILLER]
    return " ".join(kept or words)


def similar_pairs(names: Iterable[str]) -> list[tuple[str, str]]:
    """Every pair of distinct names that differ only in case, spacing, punctuation, plurals,
    a filler word or a typo, each pair once, in order. Names with different numbers in them
    ("Team 1", "Team 2") are never a pair."""
    unique = sorted(set(names), key=lambda n: (n.casefold(), n))
    keys = {name: name_key(name) for name in unique}
    if len(unique) > MAX_COMPARED:
        groups: dict[str, list[str]] = defaultdict(list)
        for name in unique:
            groups[keys[name]].append(name)
        pairs = [pair for found in groups.values() for pair in combinations(found, 2)]
        place = {name: index for index, name in enumerate(unique)}
        return sorted(pairs, key=lambda p: (place[p[0]], place[p[1]]))
    return [(a, b) for a, b in combinations(unique, 2) if _alike(keys[a], keys[b])]


def _alike(a: str, b: str) -> bool:
    if a == b:
        return True
    if re.findall(r"\d+", a) != re.findall(r"\d+", b):
        return False
    matcher = SequenceMatcher(None, a, b)
    return matcher.real_quick_ratio() >= SIMILAR_RATIO and matcher.ratio() >= SIMILAR_RATIO
