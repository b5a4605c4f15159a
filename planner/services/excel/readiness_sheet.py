"""The `Readiness` sheet: the plan's score, its six dimensions and every finding, to read."""

from __future__ import annotations

from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Font

from planner.domain.plan import Plan
from planner.services.excel.cells import TextGuard, safe_value, strong, text_cell
from planner.services.readiness import check

TITLE = "Readiness"


def write_readiness(wb: Workbook, plan: Plan, today: date, warnings: list[str]) -> None:
    report = check(plan, today)
    guard = TextGuard(warnings, truncate=True)
    ws = wb.create_sheet(TITLE)
    for letter, width in zip("ABCDEFGH", (24, 26, 30, 100, 28, 16, 38, 90), strict=True):
        ws.column_dimensions[letter].width = width
    heading = text_cell(ws, f"Readiness on {today.isoformat()}: {report.score} / 100")
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
    ws.append([strong(ws, h) for h in ("Dimension", "Key", "Score", "Findings", "Status")])
    for dimension in report.dimensions:
        ws.append(
            [
                text_cell(ws, dimension.label),
                text_cell(ws, dimension.key),
                dimension.score,
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
                "Rule",
                "Finding",
                "Record",
                "Record kind",
                "Record ID",
                "What to do",
            )
        ]
    )
    labels = {d.key: d.label for d in report.dimensions}
    # Thousands of rows: plain cells where the text is harmless, a protected cell only
    # where it is not (as on the data sheets).
    for finding in report.findings:
        record = finding.record
        ws.append(
            [
                safe_value(ws, finding.severity),
                safe_value(ws, labels.get(finding.dimension, finding.dimension)),
                safe_value(ws, finding.rule),
                safe_value(ws, guard.clean(finding.message, "Readiness finding")),
                safe_value(ws, guard.clean(record.name, "Readiness record")) if record else None,
                safe_value(ws, record.kind) if record else None,
                record.id if record else None,
                safe_value(ws, guard.clean(finding.action, "Readiness action")),
            ]
        )
    if report.gates:
        ws.append([])
        ws.append([strong(ws, h) for h in ("Gate", "Phase", "Status", "Criteria met")])
        for gate in report.gates:
            met = sum(1 for c in gate.criteria if c.met)
            ws.append(
                [
                    text_cell(ws, gate.kind),
                    safe_value(ws, guard.clean(gate.phase, "Gate")),
                    text_cell(ws, gate.status),
                    text_cell(ws, f"{met} of {len(gate.criteria)}"),
                ]
            )
