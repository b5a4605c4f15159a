"""The plan's vocabulary: records, enumerations, field descriptions and domain errors.

No Qt, no database: pure values that validate themselves.
"""

from planner.domain.enums import *  # noqa: F403
from planner.domain.errors import DomainError, NotFoundError, PlannerError
from planner.domain.fields import FieldKind, FieldSpec
from planner.domain.plan import Plan
from planner.domain.records import (
    ADKAR_FIELDS,
    COVERS_FIELDS,
    RECORD_TYPES,
    Attendance,
    Communication,
    Course,
    Criterion,
    GateCriterion,
    ImpactAssessment,
    Initiative,
    Kpi,
    Measurement,
    Objective,
    Option,
    Phase,
    Record,
    Risk,
    Score,
    Session,
    Snapshot,
    Stakeholder,
    Unit,
    build,
    new_id,
    record_type,
)

__all__ = [
    "ADKAR_FIELDS",
    "COVERS_FIELDS",
    "RECORD_TYPES",
    "Attendance",
    "Communication",
    "Course",
    "Criterion",
    "DomainError",
    "FieldKind",
    "FieldSpec",
    "GateCriterion",
    "ImpactAssessment",
    "Initiative",
    "Kpi",
    "Measurement",
    "NotFoundError",
    "Objective",
    "Option",
    "Phase",
    "Plan",
    "PlannerError",
    "Record",
    "Risk",
    "Score",
    "Session",
    "Snapshot",
    "Stakeholder",
    "Unit",
    "build",
    "new_id",
    "record_type",
]
