"""The database schema as SQLAlchemy 2 typed mappings.

Column names equal the domain field names, so the repository maps records to
rows generically. Enumerations are stored as their stable string values;
validation lives in the domain, not in database CHECKs, so that an Alembic
batch migration never has to rebuild constraint logic. Every foreign key
cascades: the repository walks the same graph first to record what a delete
removes, so that it can be undone.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

ID = String(36)
NAME = String(200)
CHOICE = String(32)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def _fk(target: str, *, nullable: bool = False, index: bool = True) -> Mapped[str]:
    return mapped_column(ID, ForeignKey(f"{target}.id", ondelete="CASCADE"),
                         nullable=nullable, index=index)


class RecordRow(Base):
    __abstract__ = True

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)


class InitiativeRow(RecordRow):
    __tablename__ = "initiative"

    name: Mapped[str] = mapped_column(NAME, unique=True)
    summary: Mapped[str | None] = mapped_column(Text)
    sponsor: Mapped[str | None] = mapped_column(NAME)
    start: Mapped[date | None] = mapped_column(Date)
    go_live: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(CHOICE)


class StakeholderRow(RecordRow):
    __tablename__ = "stakeholder"

    initiative_id: Mapped[str] = _fk("initiative")
    name: Mapped[str] = mapped_column(NAME)
    kind: Mapped[str] = mapped_column(CHOICE)
    headcount: Mapped[int] = mapped_column(Integer)
    function: Mapped[str | None] = mapped_column(NAME)
    side: Mapped[str] = mapped_column(CHOICE)
    power: Mapped[int] = mapped_column(Integer)
    interest: Mapped[int] = mapped_column(Integer)
    engagement: Mapped[str] = mapped_column(CHOICE)
    desired_engagement: Mapped[str] = mapped_column(CHOICE)
    impact: Mapped[str] = mapped_column(CHOICE)
    adkar_awareness: Mapped[int] = mapped_column(Integer)
    adkar_desire: Mapped[int] = mapped_column(Integer)
    adkar_knowledge: Mapped[int] = mapped_column(Integer)
    adkar_ability: Mapped[int] = mapped_column(Integer)
    adkar_reinforcement: Mapped[int] = mapped_column(Integer)
    involved_on: Mapped[date | None] = mapped_column(Date)
    owner: Mapped[str | None] = mapped_column(NAME)
    notes: Mapped[str | None] = mapped_column(Text)


class SnapshotRow(RecordRow):
    __tablename__ = "snapshot"

    stakeholder_id: Mapped[str] = _fk("stakeholder")
    taken_on: Mapped[date] = mapped_column(Date)
    label: Mapped[str | None] = mapped_column(NAME)
    power: Mapped[int] = mapped_column(Integer)
    interest: Mapped[int] = mapped_column(Integer)
    engagement: Mapped[str] = mapped_column(CHOICE)


class ObjectiveRow(RecordRow):
    __tablename__ = "objective"

    initiative_id: Mapped[str] = _fk("initiative")
    name: Mapped[str] = mapped_column(NAME)
    description: Mapped[str | None] = mapped_column(Text)
    owner: Mapped[str | None] = mapped_column(NAME)
    due: Mapped[date | None] = mapped_column(Date)


class KpiRow(RecordRow):
    __tablename__ = "kpi"

    objective_id: Mapped[str] = _fk("objective")
    name: Mapped[str] = mapped_column(NAME)
    unit: Mapped[str | None] = mapped_column(NAME)
    baseline: Mapped[float | None] = mapped_column(Float)
    target: Mapped[float | None] = mapped_column(Float)
    direction: Mapped[str] = mapped_column(CHOICE)
    due: Mapped[date | None] = mapped_column(Date)
    owner: Mapped[str | None] = mapped_column(NAME)


class MeasurementRow(RecordRow):
    __tablename__ = "measurement"

    kpi_id: Mapped[str] = _fk("kpi")
    measured_on: Mapped[date] = mapped_column(Date)
    value: Mapped[float] = mapped_column(Float)
    note: Mapped[str | None] = mapped_column(NAME)


class CommunicationRow(RecordRow):
    __tablename__ = "communication"

    initiative_id: Mapped[str] = _fk("initiative")
    name: Mapped[str] = mapped_column(NAME)
    message: Mapped[str | None] = mapped_column(Text)
    covers_goals: Mapped[bool] = mapped_column(Boolean)
    covers_benefits: Mapped[bool] = mapped_column(Boolean)
    covers_timeline: Mapped[bool] = mapped_column(Boolean)
    covers_what_changes: Mapped[bool] = mapped_column(Boolean)
    covers_help: Mapped[bool] = mapped_column(Boolean)
    channel: Mapped[str] = mapped_column(CHOICE)
    owner: Mapped[str | None] = mapped_column(NAME)
    scheduled_on: Mapped[date | None] = mapped_column(Date)
    recurrence: Mapped[str] = mapped_column(CHOICE)
    repeat_until: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(CHOICE)


class CommunicationAudienceRow(Base):
    __tablename__ = "communication_audience"

    communication_id: Mapped[str] = mapped_column(
        ID, ForeignKey("communication.id", ondelete="CASCADE"), primary_key=True)
    stakeholder_id: Mapped[str] = mapped_column(
        ID, ForeignKey("stakeholder.id", ondelete="CASCADE"), primary_key=True, index=True)


class CourseRow(RecordRow):
    __tablename__ = "course"

    initiative_id: Mapped[str] = _fk("initiative")
    name: Mapped[str] = mapped_column(NAME)
    format: Mapped[str] = mapped_column(CHOICE)
    duration_hours: Mapped[float | None] = mapped_column(Float)
    description: Mapped[str | None] = mapped_column(Text)


class CourseAudienceRow(Base):
    __tablename__ = "course_audience"

    course_id: Mapped[str] = mapped_column(
        ID, ForeignKey("course.id", ondelete="CASCADE"), primary_key=True)
    stakeholder_id: Mapped[str] = mapped_column(
        ID, ForeignKey("stakeholder.id", ondelete="CASCADE"), primary_key=True, index=True)


class SessionRow(RecordRow):
    __tablename__ = "training_session"

    course_id: Mapped[str] = _fk("course")
    name: Mapped[str] = mapped_column(NAME)
    held_on: Mapped[date] = mapped_column(Date)
    location: Mapped[str | None] = mapped_column(NAME)
    trainer: Mapped[str | None] = mapped_column(NAME)
    capacity: Mapped[int] = mapped_column(Integer)


class AttendanceRow(RecordRow):
    __tablename__ = "attendance"
    __table_args__ = (UniqueConstraint("session_id", "stakeholder_id"),)

    session_id: Mapped[str] = _fk("training_session")
    stakeholder_id: Mapped[str] = _fk("stakeholder")
    count: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(CHOICE)


class PhaseRow(RecordRow):
    __tablename__ = "phase"

    initiative_id: Mapped[str] = _fk("initiative")
    name: Mapped[str] = mapped_column(NAME)
    kind: Mapped[str] = mapped_column(CHOICE)
    sequence: Mapped[int] = mapped_column(Integer)
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    decision: Mapped[str] = mapped_column(CHOICE)
    decided_on: Mapped[date | None] = mapped_column(Date)
    rationale: Mapped[str | None] = mapped_column(Text)


class PhaseScopeRow(Base):
    __tablename__ = "phase_scope"

    phase_id: Mapped[str] = mapped_column(
        ID, ForeignKey("phase.id", ondelete="CASCADE"), primary_key=True)
    stakeholder_id: Mapped[str] = mapped_column(
        ID, ForeignKey("stakeholder.id", ondelete="CASCADE"), primary_key=True, index=True)


class GateCriterionRow(RecordRow):
    __tablename__ = "gate_criterion"

    phase_id: Mapped[str] = _fk("phase")
    name: Mapped[str] = mapped_column(NAME)
    kind: Mapped[str] = mapped_column(CHOICE)
    kpi_id: Mapped[str | None] = _fk("kpi", nullable=True)
    threshold: Mapped[float | None] = mapped_column(Float)
    adkar_stage: Mapped[str | None] = mapped_column(CHOICE)
    met: Mapped[bool] = mapped_column(Boolean)


class OptionRow(RecordRow):
    __tablename__ = "tech_option"

    initiative_id: Mapped[str] = _fk("initiative")
    name: Mapped[str] = mapped_column(NAME)
    vendor: Mapped[str | None] = mapped_column(NAME)
    annual_cost: Mapped[float | None] = mapped_column(Float)
    chosen: Mapped[bool] = mapped_column(Boolean)
    description: Mapped[str | None] = mapped_column(Text)


class CriterionRow(RecordRow):
    __tablename__ = "criterion"

    initiative_id: Mapped[str] = _fk("initiative")
    name: Mapped[str] = mapped_column(NAME)
    category: Mapped[str] = mapped_column(CHOICE)
    weight: Mapped[float] = mapped_column(Float)


class ScoreRow(RecordRow):
    __tablename__ = "option_score"
    __table_args__ = (UniqueConstraint("option_id", "criterion_id"),)

    option_id: Mapped[str] = _fk("tech_option")
    criterion_id: Mapped[str] = _fk("criterion")
    score: Mapped[float] = mapped_column(Float)
    note: Mapped[str | None] = mapped_column(NAME)


class RiskRow(RecordRow):
    __tablename__ = "risk"

    initiative_id: Mapped[str] = _fk("initiative")
    name: Mapped[str] = mapped_column(NAME)
    description: Mapped[str | None] = mapped_column(Text)
    likelihood: Mapped[int] = mapped_column(Integer)
    impact: Mapped[int] = mapped_column(Integer)
    mitigation: Mapped[str | None] = mapped_column(Text)
    owner: Mapped[str | None] = mapped_column(NAME)
    status: Mapped[str] = mapped_column(CHOICE)


class RiskStakeholderRow(Base):
    __tablename__ = "risk_stakeholder"

    risk_id: Mapped[str] = mapped_column(
        ID, ForeignKey("risk.id", ondelete="CASCADE"), primary_key=True)
    stakeholder_id: Mapped[str] = mapped_column(
        ID, ForeignKey("stakeholder.id", ondelete="CASCADE"), primary_key=True, index=True)


ROW_TYPES: dict[str, type[RecordRow]] = {
    "initiative": InitiativeRow,
    "stakeholder": StakeholderRow,
    "snapshot": SnapshotRow,
    "objective": ObjectiveRow,
    "kpi": KpiRow,
    "measurement": MeasurementRow,
    "communication": CommunicationRow,
    "course": CourseRow,
    "session": SessionRow,
    "attendance": AttendanceRow,
    "phase": PhaseRow,
    "gate_criterion": GateCriterionRow,
    "option": OptionRow,
    "criterion": CriterionRow,
    "score": ScoreRow,
    "risk": RiskRow,
}

# kind -> field -> (link row type, column pointing at the owner, column pointing at the target)
LINKS: dict[str, dict[str, tuple[type[Base], str, str]]] = {
    "communication": {"audience_ids": (CommunicationAudienceRow, "communication_id",
                                       "stakeholder_id")},
    "course": {"audience_ids": (CourseAudienceRow, "course_id", "stakeholder_id")},
    "phase": {"scope_ids": (PhaseScopeRow, "phase_id", "stakeholder_id")},
    "risk": {"stakeholder_ids": (RiskStakeholderRow, "risk_id", "stakeholder_id")},
}
