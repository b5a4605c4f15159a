"""What a chart may say about people when it is projected in a workshop.

`OFF` shows names and attitudes. `INITIALS` reduces each person to initials
(groups are organisational units, not people, and keep their names) and hides
attitudes (engagement). `CODES` replaces every stakeholder name by a stable
code, S01, S02, ..., numbered by name so the same stakeholder has the same
code on every chart of the plan.
"""

from __future__ import annotations

import re
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


class Names:
    """The label every chart uses for a stakeholder under a privacy setting."""

    def __init__(self, plan: Plan, privacy: Privacy) -> None:
        self.privacy = privacy
        self._codes: dict[str, str] = {}
        if privacy is Privacy.CODES:
            ordered = sorted(plan.stakeholders, key=lambda s: (s.name.casefold(), s.id))
            width = max(2, len(str(len(ordered))))
            self._codes = {s.id: f"S{n:0{width}d}" for n, s in enumerate(ordered, start=1)}

    def __call__(self, stakeholder: Stakeholder) -> str:
        if self.privacy is Privacy.CODES:
            return self._codes.get(stakeholder.id, "S?")
        if self.privacy is Privacy.INITIALS and stakeholder.kind is StakeholderKind.PERSON:
            return initials(stakeholder.name)
        return stakeholder.name


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
        """A finding about one person says something about their attitude or progress."""
        record = finding.record
        return record is not None and record.kind == "stakeholder" and record.id in self._people

    def findings(self, findings: list[Finding]) -> tuple[list[Finding], int]:
        """The findings fit to project, names replaced, and how many were withheld."""
        if self.privacy is Privacy.OFF:
            return list(findings), 0
        shown = [f for f in findings if not self.about_individual(f)]
        return (
            [f._replace(message=self.text(f.message)) for f in shown],
            len(findings) - len(shown),
        )
