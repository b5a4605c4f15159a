"""Enumerations with stable snake_case values, used in the database, JSON and Excel."""

from __future__ import annotations

from enum import StrEnum


class Choice(StrEnum):
    """An enumeration whose members carry a human label."""

    @property
    def label(self) -> str:
        return _LABELS.get(self.value, self.value.replace("_", " ").capitalize())

    @classmethod
    def parse(cls, raw: object) -> Choice:
        """Accept the value, the label or either in any case and spacing."""

        def norm(value: str) -> str:
            return value.strip().casefold().replace("-", "_").replace(" ", "_").replace("/", "_")

        text = norm(str(raw))
        for member in cls:
            if text in (member.value, norm(member.label)):
                return member
        raise ValueError(raw)


_LABELS = {
    "it": "IT",
    "on_hold": "On hold",
    "no_go": "No-go",
    "go_with_conditions": "Go with conditions",
    "town_hall": "Town hall",
    "team_meeting": "Team meeting",
    "elearning": "E-learning",
    "no_show": "No-show",
    "kpi_threshold": "KPI threshold",
    "training_coverage": "Training coverage",
    "adkar_level": "ADKAR level",
    "readiness_score": "Readiness score",
}


class InitiativeStatus(Choice):
    PROPOSED = "proposed"
    PLANNING = "planning"
    EXECUTING = "executing"
    LIVE = "live"
    CLOSED = "closed"
    ON_HOLD = "on_hold"


class StakeholderKind(Choice):
    PERSON = "person"
    GROUP = "group"


class UnitKind(Choice):
    DEPARTMENT = "department"
    TEAM = "team"
    SITE = "site"
    ROLE = "role"


class Side(Choice):
    BUSINESS = "business"
    IT = "it"
    EXECUTIVE = "executive"
    EXTERNAL = "external"


class Engagement(Choice):
    """Ordered from least to most engaged; `rank` gives the order."""

    UNAWARE = "unaware"
    RESISTANT = "resistant"
    NEUTRAL = "neutral"
    SUPPORTIVE = "supportive"
    LEADING = "leading"

    @property
    def rank(self) -> int:
        return list(Engagement).index(self)


class Impact(Choice):
    NONE = "none"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"

    @property
    def rank(self) -> int:
        """0 for none to 3 for high (looked up: the portfolio asks it for every aspect of
        every impact assessment of every initiative)."""
        return _IMPACT_RANKS[self]


_IMPACT_RANKS = {impact: n for n, impact in enumerate(Impact)}


class Direction(Choice):
    INCREASE = "increase"
    DECREASE = "decrease"


class Channel(Choice):
    EMAIL = "email"
    TOWN_HALL = "town_hall"
    INTRANET = "intranet"
    TEAM_MEETING = "team_meeting"
    NEWSLETTER = "newsletter"
    WORKSHOP = "workshop"
    VIDEO = "video"
    CHAT = "chat"
    OTHER = "other"


class Recurrence(Choice):
    ONCE = "once"
    WEEKLY = "weekly"
    FORTNIGHTLY = "fortnightly"
    MONTHLY = "monthly"


class CommunicationStatus(Choice):
    DRAFT = "draft"
    PLANNED = "planned"
    SENT = "sent"
    CANCELLED = "cancelled"


class CourseFormat(Choice):
    CLASSROOM = "classroom"
    VIRTUAL = "virtual"
    ELEARNING = "elearning"
    COACHING = "coaching"
    WORKSHOP = "workshop"


class AttendanceStatus(Choice):
    REGISTERED = "registered"
    ATTENDED = "attended"
    NO_SHOW = "no_show"


class PhaseKind(Choice):
    PILOT = "pilot"
    WAVE = "wave"


class GateDecision(Choice):
    PENDING = "pending"
    GO = "go"
    GO_WITH_CONDITIONS = "go_with_conditions"
    NO_GO = "no_go"


class GateCriterionKind(Choice):
    KPI_THRESHOLD = "kpi_threshold"
    TRAINING_COVERAGE = "training_coverage"
    ADKAR_LEVEL = "adkar_level"
    READINESS_SCORE = "readiness_score"
    MANUAL = "manual"


class AdkarStage(Choice):
    AWARENESS = "awareness"
    DESIRE = "desire"
    KNOWLEDGE = "knowledge"
    ABILITY = "ability"
    REINFORCEMENT = "reinforcement"


class CriterionCategory(Choice):
    FIT = "fit"
    SCALABILITY = "scalability"
    COST = "cost"
    RISK = "risk"
    SUPPORT = "support"
    OTHER = "other"


class RiskStatus(Choice):
    OPEN = "open"
    MITIGATING = "mitigating"
    CLOSED = "closed"
