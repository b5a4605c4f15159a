"""One fully filled record of every kind, created through the planning service.

The kinds and their fields come from the domain's declarations (`RECORD_TYPES`,
parents first): every field of every kind gets a value, a reference points at
the record of its kind made before it, and `SAMPLES` only makes the values
readable and consistent with the kinds' cross-field rules. A new kind or field
is filled without touching this file.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from planner.domain import Record
from planner.domain.fields import FieldKind, FieldSpec
from planner.domain.records import RECORD_TYPES
from planner.services.planning import PlanService

SAMPLES: dict[str, dict[str, Any]] = {
    "initiative": {
        "summary": "Replace the old CRM.\nTwo lines.",
        "readiness_thresholds": '{"cost-dominates.max_cost_share_percent": 25}',
        "start": date(2027, 1, 4),
        "go_live": date(2027, 9, 1),
        "status": "executing",
        "currency": "GBP",
    },
    "stakeholder": {
        "name": "Sales reps",
        "kind": "group",
        "headcount": 40,
        "function": "Sales",
        "side": "business",
        "power": 2,
        "interest": 5,
        "engagement": "resistant",
        "desired_engagement": "supportive",
        "impact": "high",
        "adkar_awareness": 4,
        "adkar_desire": 2,
        "adkar_knowledge": 2,
        "adkar_ability": 1,
        "adkar_reinforcement": 1,
        "involved_on": date(2027, 1, 10),
        "owner": "Tom",
        "notes": "Lost commissions last time.",
    },
    "snapshot": {
        "taken_on": date(2027, 2, 1),
        "label": "Kick-off",
        "power": 1,
        "interest": 4,
        "engagement": "unaware",
    },
    "objective": {
        "name": "Faster sales",
        "description": "Shorter cycle",
        "owner": "VP Sales",
        "due": date(2027, 12, 31),
    },
    "kpi": {
        "name": "Days to close",
        "unit": "days",
        "baseline": 46,
        "target": 30,
        "direction": "decrease",
        "due": date(2027, 12, 31),
        "owner": "Sales ops",
    },
    "measurement": {"measured_on": date(2027, 3, 1), "value": 44.5, "note": "Q1"},
    "communication": {
        "name": "Kick-off mail",
        "message": "Why we change",
        "covers_goals": True,
        "covers_benefits": True,
        "covers_timeline": False,
        "covers_what_changes": True,
        "covers_help": False,
        "channel": "email",
        "owner": "PMO",
        "scheduled_on": date(2027, 2, 1),
        "recurrence": "weekly",
        "repeat_until": date(2027, 3, 1),
        "status": "planned",
    },
    "course": {
        "name": "CRM basics",
        "format": "virtual",
        "duration_hours": 3.5,
        "description": "Hands-on",
    },
    "session": {
        "name": "Session A",
        "held_on": date(2027, 4, 2),
        "location": "Leeds",
        "trainer": "Partner",
        "capacity": 15,
    },
    "attendance": {"count": 12, "status": "attended"},
    "phase": {
        "name": "Pilot",
        "kind": "pilot",
        "sequence": 1,
        "starts_on": date(2027, 4, 1),
        "ends_on": date(2027, 5, 30),
        "decision": "go",
        "decided_on": date(2027, 3, 28),
        "rationale": "All green",
    },
    "gate_criterion": {
        "name": "KPI holds",
        "kind": "kpi_threshold",
        "threshold": 45,
        "adkar_stage": None,
        "met": False,
    },
    "option": {
        "name": "Helix",
        "vendor": "Helix Inc",
        "annual_cost": 120000,
        "chosen": True,
        "description": "Cloud",
    },
    "criterion": {"name": "Fit", "category": "fit", "weight": 40},
    "score": {"score": 8, "note": "Strong"},
    "risk": {
        "name": "Spreadsheets survive",
        "description": "Old habits",
        "likelihood": 4,
        "impact": 4,
        "mitigation": "Pipeline reviews in CRM only",
        "owner": "VP Sales",
        "status": "mitigating",
    },
}

# Lists that also name the second stakeholder (a person: the CFO).
WITH_CFO = {("communication", "audience_ids"), ("risk", "stakeholder_ids")}


def sample_value(spec: FieldSpec) -> Any:
    """A value any field of its kind accepts: inside its range, not empty."""
    kind = spec.kind
    if kind in (FieldKind.TEXT, FieldKind.LONGTEXT):
        return f"{spec.label} sample"
    if kind in (FieldKind.INT, FieldKind.FLOAT):
        low = spec.minimum if spec.minimum is not None else 1
        value = max(low, min(2, spec.maximum if spec.maximum is not None else 2))
        return int(value) if kind is FieldKind.INT else float(value)
    if kind is FieldKind.DATE:
        return date(2027, 6, 1)
    if kind is FieldKind.BOOL:
        return True
    if kind is FieldKind.CHOICE:
        assert spec.choices is not None
        return list(spec.choices)[-1].value
    raise AssertionError(f"{spec.name}: references are filled from the records made")


def full_plan(service: PlanService, name: str = "CRM rollout") -> dict[str, Record]:
    made: dict[str, Record] = {}
    cfo: Record | None = None
    # A reference to a kind made later (the initiative's sponsor, a stakeholder's unit) is
    # set once a record of that kind exists: a stakeholder reference to the CFO, the
    # sponsor a plan would have; a unit's parent to a department made for it.
    later: list[tuple[str, str, str]] = []
    for kind, cls in RECORD_TYPES.items():
        values: dict[str, Any] = {}
        for field_name, spec in cls.SPECS.items():
            if not spec.editable:
                continue
            if spec.kind is FieldKind.REF and spec.ref == kind:
                values[field_name] = service.create(
                    kind, {"name": f"Parent of {name}", "kind": "department"}
                ).id
            elif spec.kind is FieldKind.REF and spec.ref not in made:
                assert spec.ref is not None
                later.append((kind, field_name, spec.ref))
            elif spec.kind is FieldKind.REF:
                assert spec.ref is not None
                values[field_name] = made[spec.ref].id
            elif spec.kind is FieldKind.REFS:
                assert spec.ref is not None
                extra = (cfo.id,) if cfo is not None and (kind, field_name) in WITH_CFO else ()
                values[field_name] = (made[spec.ref].id, *extra)
            else:
                values[field_name] = sample_value(spec)
        values.update(SAMPLES.get(kind, {}))
        if kind == "initiative":
            values["name"] = name
        if kind == "unit":
            values["name"] = f"Inside sales of {name}"
        made[kind] = service.create(kind, values)
        target = made[kind]
        if kind == "stakeholder":
            cfo = service.create(
                "stakeholder",
                {
                    "initiative_id": values["initiative_id"],
                    "name": "CFO",
                    "kind": "person",
                    "side": "executive",
                    "power": 5,
                },
            )
            target = cfo
        for earlier, field_name, wanted in [item for item in later if item[2] == kind]:
            made[earlier] = service.update(earlier, made[earlier].id, {field_name: target.id})
            later.remove((earlier, field_name, wanted))
    return made
