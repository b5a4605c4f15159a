"""Privacy for the text on slides: the same names the charts show, and no individual's attitude.

Finding messages and gate details are written for the planner's desk and name
stakeholders freely; on a projector they go through here first.
"""

from __future__ import annotations

from planner.charts import Privacy
from planner.charts.privacy import Names
from planner.domain.enums import StakeholderKind
from planner.domain.plan import Plan
from planner.services.readiness import Finding

ATTITUDE_RULES = frozenset(
    {"key-player-engagement-gap", "resistance-without-plan", "adkar-barrier-before-phase"}
)
"""Rules whose findings say how a stakeholder feels about the change (engagement,
resistance, desire): under privacy they are withheld for groups as well as people."""


class Redactor:
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
            [
                Finding(f.rule, f.dimension, f.severity, self.text(f.message), f.record)
                for f in shown
            ],
            len(findings) - len(shown),
        )
