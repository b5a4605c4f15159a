"""The portfolio laid out for a terminal: each loaded unit's peak, then the findings."""

from __future__ import annotations

import textwrap

from planner.domain.quoting import shown
from planner.domain.wording import plural
from planner.services.portfolio import Portfolio

WIDTH = 100
_HEADING = {"critical": "Critical", "warning": "Warnings", "info": "Notes"}


def render_text(portfolio: Portfolio) -> str:
    names = ", ".join(f"‘{shown(i.name, 80)}’" for i in portfolio.initiatives) or "none"
    lines = [
        _wrap(f"Portfolio of {plural(len(portfolio.initiatives), 'initiative')}: {names}", "  ")
    ]
    if not portfolio.weeks:
        lines += ["", "Nothing lands on any organisational unit yet (link stakeholders to units)."]
        return "\n".join(lines) + "\n"
    first, last = portfolio.weeks[0], portfolio.weeks[-1]
    lines += [f"Weeks {first.isoformat()} to {last.isoformat()}", ""]
    loaded = sorted(
        (u for u in portfolio.units if u.peak > 0),
        key=lambda u: (-u.peak / u.unit.capacity, u.unit.name.casefold()),
    )
    width = max((len(shown(u.unit.name, 40)) for u in loaded), default=10)
    lines.append(f"{'Unit':<{width}}  peak  capacity  weeks over")
    for unit_load in loaded:
        peak = max(unit_load.weeks, key=lambda w: w.load)
        over = sum(1 for w in unit_load.weeks if w.over)
        lines.append(
            f"{shown(unit_load.unit.name, 40):<{width}}  {peak.load:>4g}  "
            f"{unit_load.unit.capacity:>8g}  {over:>2} (peak {peak.week})"
        )
    for severity in ("critical", "warning", "info"):
        found = [f for f in portfolio.findings if f.severity == severity]
        if not found:
            continue
        lines += ["", f"{_HEADING[severity]} ({len(found)})"]
        for finding in found:
            lines.append(_wrap(f"  - {shown(finding.message, 400)}", "    "))
            if finding.action:
                lines.append(_wrap(f"    → {shown(finding.action, 400)}", "      "))
    if not portfolio.findings:
        lines += ["", "No collisions between initiatives."]
    return "\n".join(lines) + "\n"


def _wrap(text: str, indent: str) -> str:
    return textwrap.fill(text, WIDTH, subsequent_indent=indent, break_on_hyphens=False)
