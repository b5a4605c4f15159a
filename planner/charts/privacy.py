"""What a chart may say about people when it is projected in a workshop.

`OFF` shows names and attitudes. `INITIALS` reduces each person to initials
(groups are organisational units, not people, and keep their names) and hides
attitudes (engagement). `CODES` replaces every stakeholder name by a stable
code, S01, S02, ..., from `stable_numbers`: the same stakeholder has the same
code on every chart, the same number as its bubble on the map, and keeps both
when it is renamed or moved, in this session and the next.
"""

from __future__ import annotations

import re
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from planner.domain.enums import StakeholderKind
from planner.domain.plan import Plan
from planner.domain.records import Stakeholder

if TYPE_CHECKING:
    from planner.services.readiness import Finding


class Privacy(StrEnum):
    OFF = "off"
    INITIALS = "initials"
    CODES = "codes"

    @property
    def hides_attitudes(self) -> bool:
        return self is not Privacy.OFF


_ROLE = re.compile(r"\s*\(.*?\)")


def initials(name: str) -> str:
    """ "Dana Whitfield (CEO)" -> "D.W."; the bracketed role would identify the person."""
    words = _ROLE.sub("", name).split()
    letters = [w[0].upper() for w in words if w[0].isalnum()]
    return ".".join(letters) + "." if letters else "?"


def stable_numbers(plan: Plan) -> dict[str, int]:
    """Each stakeholder's number, 1, 2, ... in the order they were added to the plan.

    Neither a drag on the map nor a rename changes it (both are kept in the
    file), so a room keeps its reference points for a whole workshop and the next.
    """
    ordered = sorted(plan.stakeholders, key=lambda s: (s.created_at or datetime.min, s.id))
    return {s.id: number for number, s in enumerate(ordered, start=1)}


class Names:
    """The label every chart uses for a stakeholder under a privacy setting."""

    def __init__(self, plan: Plan, privacy: Privacy) -> None:
        self.privacy = privacy
        self._codes: dict[str, str] = {}
        if privacy is Privacy.CODES:
            numbers = stable_numbers(plan)
            width = max(2, len(str(len(numbers))))
            self._codes = {ident: f"S{n:0{width}d}" for ident, n in numbers.items()}

    def __call__(self, stakeholder: Stakeholder) -> str:
        if self.privacy is Privacy.CODES:
            return self._codes.get(stakeholder.id, "S?")
        if self.privacy is Privacy.INITIALS and stakeholder.kind is StakeholderKind.PERSON:
            return initials(stakeholder.name)
        return stakeholder.name


ATTITUDE_RULES = frozenset(
    {"key-player-engagement-gap", "resistance-without-plan", "adkar-barrier-before-phase"}
)
"""Rules whose findings say how a stakeholder feels about the change (engagement,
resistance, desire): under privacy they are withheld for groups as well as people."""


class Redactor:
    """Privacy for text that names people: finding messages, gate details, owners.

    Finding messages and gate details are written for the planner's desk and name
    stakeholders freely; on a projector or in a steering pack they go through here.
    """

    def __init__(self, plan: Plan, privacy: Privacy) -> None:
        self.privacy = privacy
        names = Names(plan, privacy)
        by_length = sorted(plan.stakeholders, key=lambda s: len(s.name), reverse=True)
        self._replacements = [(s.name, names(s)) for s in by_length if names(s) != s.name]
        self._people = {s.id for s in plan.stakeholders if s.kind is StakeholderKind.PERSON}

    def text(self, text: str) -> str:
        for name, shown in self._replacements:
            text = text.replace(name, shown)
        return text

    def about_individual(self, finding: Finding) -> bool:
        """A finding about one person says something about their attitude or progress;
        one about a group's attitude says what privacy hides on every chart."""
        record = finding.record
        if record is None or record.kind != "stakeholder":
            return False
        return record.id in self._people or finding.rule in ATTITUDE_RULES

    def findings(self, findings: list[Finding]) -> tuple[list[Finding], int]:
        """The findings fit to project, names replaced, and how many were withheld."""
        if self.privacy is Privacy.OFF:
            return list(findings), 0
        shown = [f for f in findings if not self.about_individual(f)]
        return (
            [f._replace(message=self.text(f.message), action=self.text(f.action)) for f in shown],
            len(findings) - len(shown),
        )
