"""The readiness report laid out for a terminal: scores as bars, findings by severity, gates."""

from __future__ import annotations

import textwrap

from planner.domain.quoting import shown
from planner.services.readiness import SEVERITIES, CriterionResult, ReadinessReport

BAR_WIDTH = 20
WIDTH = 100
_MARK = {True: "✓", False: "✗", None: "?"}
_HEADING = {"critical": "Critical", "warning": "Warnings", "info": "Notes"}


def _bar(score: int) -> str:
    full = round(score * BAR_WIDTH / 100)
    return "█" * full + "·" * (BAR_WIDTH - full)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


def _criterion(result: CriterionResult) -> str:
    detail = f" — {result.detail}" if result.detail else ""
    return _wrap(f"    {_MARK[result.met]} {result.description}{detail}", "      ")


def _wrap(text: str, indent: str) -> str:
    return textwrap.fill(text, WIDTH, subsequent_indent=indent, break_on_hyphens=False)


def render_text(report: ReadinessReport) -> str:
    name = shown(report.initiative, 200)
    title = f"Readiness of ‘{name}’ on {report.today.isoformat()}: {report.score}/100"
    lines = [title, ""]
    width = max(len(d.label) for d in report.dimensions)
    for d in report.dimensions:
        lines.append(
            f"  {d.label:<{width}}  {d.score:>3}  {_bar(d.score)}  {d.status_label:<15}  "
            f"{_plural(d.findings, 'finding')}"
        )
    for severity in SEVERITIES:
        found = [f for f in report.findings if f.severity == severity]
        if not found:
            continue
        lines += ["", f"{_HEADING[severity]} ({len(found)})"]
        for f in found:
            lines.append(_wrap(f"  • {f.message}  [{f.rule}]", "    "))
            lines.append(_wrap(f"    → {f.action}", "      "))
    if not report.findings:
        lines += ["", "No findings: every rule is satisfied."]
    if report.not_run:
        lines += [
            "",
            _wrap(
                f"Not checked: {_plural(len(report.not_run), 'rule')} about stakeholders' "
                f"attitudes ({', '.join(report.not_run)}); the server withholds attitudes "
                f"from your role on this team plan, and the scores leave them out.",
                "  ",
            ),
        ]
    lines += ["", "Gates"]
    if not report.gates:
        lines.append("  No rollout phases, so no gates.")
    for gate in report.gates:
        when = f", starts {gate.starts_on.isoformat()}" if gate.starts_on else ""
        lines.append(f"  {gate.phase} ({gate.kind}{when}): {gate.status.upper()}")
        if gate.reason and gate.criteria:
            lines.append(_wrap(f"    {gate.reason}", "    "))
        if not gate.criteria:
            lines.append("    no criteria")
        lines += [_criterion(c) for c in gate.criteria]
    return "\n".join(lines) + "\n"
