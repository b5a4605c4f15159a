"""The `Readiness` sheet: the plan's score, its six dimensions and every finding, to read."""

from __future__ import annotations

from datetime import date
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from planner.domain.enums import Choice, GateDecision, PhaseKind
from planner.domain.plan import Plan
from planner.domain.records import RECORD_TYPES
from planner.services.excel.cells import TextGuard, safe_value, strong, text_cell
from planner.services.excel.export import LONG_TEXT, WRAPPED
from planner.services.excel.print_setup import set_print, wrapped_height
from planner.services.readiness import check

TITLE = "Readiness"
SEVERITY_LABELS = {"critical": "Critical", "warning": "Warning", "info": "Note"}


def write_readiness(wb: Workbook, plan: Plan, today: date, warnings: list[str]) -> None:
    report = check(plan, today)
    guard = TextGuard(warnings, truncate=True)
    ws = wb.create_sheet(TITLE)
    widths = (14, 26, 70, 60, 30, 16, 30, 38)
    for letter, width in zip("ABCDEFGH", widths, strict=True):
        ws.column_dimensions[letter].width = width
    ws.column_dimensions["C"].alignment = WRAPPED
    ws.column_dimensions["D"].alignment = WRAPPED
    set_print(ws, plan.initiative.name, list(widths), title_rows=None)
    heading = text_cell(ws, f"Readiness on {people_date(today)}: {report.score} / 100")
    heading.font = Font(bold=True, size=14)
    ws.append([heading])
    ws.append(
        [
            text_cell(
                ws,
                "Checked against the five failure causes and the phased-rollout "
                "remedy when the file was exported; this sheet is not imported.",
            )
        ]
    )
    ws.append([])
    ws.append([strong(ws, h) for h in ("Score", "Dimension", "Findings", "Status")])
    for dimension in report.dimensions:
        ws.append(
            [
                dimension.score,
                text_cell(ws, dimension.label),
                dimension.findings,
                text_cell(ws, dimension.status_label),
            ]
        )
    ws.append([])
    ws.append(
        [
            strong(ws, h)
            for h in (
                "Severity",
                "Dimension",
                "Finding",
                "What to do",
                "About",
                "Kind",
                "Rule",
                "Record ID",
            )
        ]
    )
    labels = {d.key: d.label for d in report.dimensions}
    # Thousands of rows: plain cells where the text is harmless, a protected cell only
    # where it is not (as on the data sheets).
    # Heading, note, blank, header, the dimensions, blank, header: findings start below.
    row = 6 + len(report.dimensions)
    for finding in report.findings:
        row += 1
        record = finding.record
        message = guard.clean(finding.message, "Readiness finding")
        action = guard.clean(finding.action, "Readiness action")
        heights = [
            wrapped_height(text, width)
            for text, width in ((message, widths[2]), (action, widths[3]))
            if len(text) > LONG_TEXT
        ]
        tallest = max((h for h in heights if h is not None), default=None)
        if tallest is not None:
            ws.row_dimensions[row].height = tallest
        ws.append(
            [
                SEVERITY_LABELS.get(finding.severity, finding.severity),
                safe_value(ws, labels.get(finding.dimension, finding.dimension)),
                _wrapped(ws, message),
                _wrapped(ws, action),
                safe_value(ws, guard.clean(record.name, "Readiness record")) if record else None,
                _kind_label(record.kind) if record else None,
                safe_value(ws, finding.rule),
                record.id if record else None,
            ]
        )
    if report.gates:
        ws.append([])
        ws.append([strong(ws, h) for h in ("Gate", "Phase", "Status", "Criteria met", "Decision")])
        for gate in report.gates:
            met = sum(1 for c in gate.criteria if c.met)
            ws.append(
                [
                    text_cell(ws, _choice_label(PhaseKind, gate.kind)),
                    safe_value(ws, guard.clean(gate.phase, "Gate")),
                    text_cell(ws, gate.status.capitalize()),
                    text_cell(ws, f"{met} of {len(gate.criteria)}"),
                    text_cell(ws, _choice_label(GateDecision, gate.decision)),
                ]
            )


def _wrapped(ws: Any, text: str) -> Any:
    """Long text in a wrapping cell, short text as a plain value (thousands of rows)."""
    if len(text) <= LONG_TEXT:
        return safe_value(ws, text)
    cell = text_cell(ws, text)
    cell.alignment = WRAPPED
    return cell


def _kind_label(kind: str) -> str:
    record = RECORD_TYPES.get(kind)
    return kind if record is None else record.LABEL


def people_date(value: date) -> str:
    """ "2 November 2026": how a person writes the date on a page."""
    return f"{value.day} {value:%B %Y}"


def _choice_label(choices: type[Choice], value: str) -> str:
    try:
        return choices(value).label
    except ValueError:
        return value
