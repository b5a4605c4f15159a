"""What a steering-committee pack says, independent of the file it is written to.

The PDF and the PowerPoint are two layouts of the same `Pack`: a cover and a
list of sections, each with a lead sentence, tables of plain strings and the
chart kinds to draw. Building it once keeps the two formats saying the same
thing, and keeps the privacy filter in one place: every text that can name a
person passes through the plan's `Redactor` here, and stakeholder notes are
never read at all (they are the change manager's desk notes, not the
committee's business).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from planner.charts.privacy import Privacy, Redactor
from planner.domain.enums import PhaseKind, RiskStatus
from planner.domain.money import format_money
from planner.domain.plan import Plan
from planner.domain.records import Kpi
from planner.domain.wording import plural
from planner.services.readiness import Finding, GateResult, ReadinessReport
from planner.services.readiness.index import PlanIndex

TOP_FINDINGS = 12
"""A committee reads a dozen findings; the rest are counted and left to the plan."""
LONG_TABLE = 30
"""Rows of a KPI or risk table before the rest are counted instead of listed."""
LONG_CELL = 400
"""Characters of one table cell; a page-long mitigation would not fit a page (or a slide)."""


def clipped(text: str, limit: int = LONG_CELL) -> str:
    """`text` cut at a word near `limit`, with an ellipsis saying it was cut."""
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0] or text[:limit]
    return cut.rstrip() + " …"


SEVERITY_LABELS = {"critical": "Critical", "warning": "Warning", "info": "Note"}
GATE_LABELS = {"green": "Green", "amber": "Amber", "red": "Red"}
DECISION_LABELS = {
    "pending": "Pending",
    "go": "Go",
    "go_with_conditions": "Go with conditions",
    "no_go": "No go",
}
MET_LABELS = {True: "Met", False: "Not met", None: "Not yet known"}


def day_text(day: date | None) -> str:
    """'17 Feb 2027': unambiguous in every locale a committee sits in."""
    return f"{day.day} {day:%b %Y}" if day else "—"


@dataclass(frozen=True)
class Table:
    """A table of plain strings; cells longer than `LONG_CELL` are clipped on the way in."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...]
    """Relative column widths; each layout scales them to its page."""
    tones: tuple[str | None, ...] = ()
    """Per row: a status ('green', 'amber', 'red', 'critical', 'warning', 'info') or None."""
    caption: str = ""
    group: str = ""
    """What the table is one of (a gate's phase), for layouts that merge a section's tables."""

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "rows", tuple(tuple(clipped(cell) for cell in row) for row in self.rows)
        )


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    lead: str
    tables: tuple[Table, ...] = ()
    charts: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Pack:
    initiative: str
    sponsor: str
    status: str
    today: date
    score: int
    dimensions: tuple[tuple[str, int], ...]
    privacy: Privacy
    summary: str
    sections: tuple[Section, ...] = field(default=())

    @property
    def subtitle(self) -> str:
        return f"Steering committee pack · {day_text(self.today)}"


def build_pack(plan: Plan, report: ReadinessReport, privacy: Privacy = Privacy.OFF) -> Pack:
    """The pack of `plan` as `report` (its readiness check) sees it."""
    redact = Redactor(plan, privacy)
    initiative = plan.initiative
    sections = [
        _gates_section(report.gates, redact),
        _findings_section(report.findings, redact),
        _kpi_section(plan),
        _roadmap_section(plan),
        Section(
            "stakeholders",
            "Stakeholder map",
            _map_lead(plan, privacy),
            charts=("stakeholder-map",),
        ),
        Section(
            "coverage",
            "Communication and training coverage",
            "Who hears what, week by week, and how much of each group is trained or booked "
            "before its phase.",
            charts=("communication-heatmap", "training-coverage"),
        ),
        Section(
            "adkar",
            "ADKAR barriers",
            "Where each group stands on awareness, desire, knowledge, ability and "
            "reinforcement; the outlined cell is its barrier point.",
            charts=("adkar-heatmap",),
        ),
        _risks_section(plan, redact),
    ]
    options = _options_section(plan)
    if options is not None:
        sections.append(options)
    return Pack(
        initiative=initiative.name,
        sponsor=_sponsor(plan, redact),
        status=str(initiative.status.value).replace("_", " ").capitalize(),
        today=report.today,
        score=report.score,
        dimensions=tuple((d.label, d.score) for d in report.dimensions),
        privacy=privacy,
        summary=_summary(plan, report),
        sections=tuple(sections),
    )


def _sponsor(plan: Plan, redact: Redactor) -> str:
    sponsor = next((s for s in plan.stakeholders if s.id == plan.initiative.sponsor_id), None)
    return redact.text(sponsor.name) if sponsor is not None else "not named"


def _summary(plan: Plan, report: ReadinessReport) -> str:
    """The one sentence under the score: when it goes live and what stands in the way."""
    initiative = plan.initiative
    when = (
        f"Planned to go live on {day_text(initiative.go_live)}"
        if initiative.go_live
        else "No go-live date yet"
    )
    critical = sum(1 for f in report.findings if f.severity == "critical")
    red = sum(1 for g in report.gates if g.status == "red")
    return f"{when}; {_count(critical, 'critical finding')} and {_count(red, 'red gate')}."


def _count(n: int, word: str) -> str:
    return plural(n, word, zero="no")


def _gates_section(gates: Sequence[GateResult], redact: Redactor) -> Section:
    if not gates:
        return Section(
            "gates", "Go/no-go gates", "The plan has no rollout phases yet, so no gates to decide."
        )
    tables = []
    for gate in gates:
        rows = tuple(
            (
                redact.text(c.description),
                _value(c.required),
                _value(c.actual),
                MET_LABELS[c.met],
                redact.text(c.detail),
            )
            for c in gate.criteria
        ) or (("No criteria recorded", "—", "—", "—", "A gate needs criteria to decide on."),)
        tones = tuple(
            None if c.met is None else ("green" if c.met else "red") for c in gate.criteria
        )
        kind = "Pilot" if gate.kind == PhaseKind.PILOT.value else "Wave"
        title = (
            f"{gate.phase} · {kind}, starts {day_text(gate.starts_on)} · "
            f"{GATE_LABELS[gate.status]} · decision: {DECISION_LABELS.get(gate.decision, gate.decision)}"
        )
        tables.append(
            Table(
                header=("Criterion", "Required", "Evidence", "Status", "Detail"),
                rows=rows,
                widths=(3.2, 1.1, 1.1, 1.0, 3.6),
                tones=tones or (gate.status,),
                caption=title,
                group=gate.phase,
            )
        )
    statuses = [GATE_LABELS[g.status].lower() for g in gates]
    lead = "Each phase's gate, judged from its criteria: " + ", ".join(
        f"{g.phase} {s}" for g, s in zip(gates, statuses, strict=True)
    )
    return Section("gates", "Go/no-go gates", lead + ".", tables=tuple(tables))


def _value(value: object) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _findings_section(findings: Sequence[Finding], redact: Redactor) -> Section:
    shown, withheld = redact.findings(list(findings))
    top = shown[:TOP_FINDINGS]
    notes = []
    if len(shown) > len(top):
        notes.append(f"{len(shown) - len(top)} further findings are in the plan's Readiness view.")
    if withheld:
        notes.append(
            _count(withheld, "finding") + " about individual people withheld by the privacy filter."
        )
    if not top:
        return Section(
            "findings",
            "Top findings and actions",
            "The readiness check finds nothing to act on.",
            notes=tuple(notes),
        )
    rows = tuple((SEVERITY_LABELS[f.severity], f.message, f.action) for f in top)
    table = Table(
        header=("Severity", "Finding", "Action"),
        rows=rows,
        widths=(1.0, 4.2, 4.2),
        tones=tuple(f.severity for f in top),
    )
    critical = sum(1 for f in shown if f.severity == "critical")
    lead = (
        f"The {len(top)} most pressing of {len(shown)} findings, most severe first; "
        f"{_count(critical, 'critical finding')} in all."
    )
    return Section("findings", "Top findings and actions", lead, (table,), notes=tuple(notes))


def _kpi_section(plan: Plan) -> Section:
    objectives = {o.id: o.name for o in plan.objectives}
    rows = []
    for kpi in sorted(plan.kpis, key=lambda k: (objectives.get(k.objective_id, ""), k.name)):
        rows.append(
            (
                objectives.get(kpi.objective_id, "—"),
                kpi.name,
                _number(kpi.baseline, kpi),
                _latest(plan, kpi),
                _number(kpi.target, kpi),
                day_text(kpi.due),
            )
        )
    if not rows:
        return Section(
            "kpis", "KPI progress", "No KPIs are recorded: success cannot yet be measured."
        )
    table = Table(
        header=("Objective", "KPI", "Baseline", "Latest", "Target", "Due"),
        rows=tuple(rows[:LONG_TABLE]),
        widths=(2.6, 2.6, 1.1, 1.5, 1.1, 1.1),
    )
    lead = f"{_count(len(rows), 'KPI')} under {_count(len(plan.objectives), 'objective')}."
    return Section(
        "kpis",
        "KPI progress",
        lead,
        (table,),
        charts=("kpi-progress",),
        notes=_more(len(rows), "KPI"),
    )


def _more(total: int, word: str) -> tuple[str, ...]:
    if total <= LONG_TABLE:
        return ()
    return (f"The first {LONG_TABLE} of {plural(total, word)} are listed; the plan holds all.",)


def _number(value: float | None, kpi: Kpi) -> str:
    if value is None:
        return "—"
    unit = f" {kpi.unit}" if kpi.unit else ""
    return f"{value:g}{unit}"


def _latest(plan: Plan, kpi: Kpi) -> str:
    measured = plan.measurements_by_kpi.get(kpi.id)
    if not measured:
        return "not measured"
    last = measured[-1]
    return f"{_number(last.value, kpi)} ({day_text(last.measured_on)})"


def _roadmap_section(plan: Plan) -> Section:
    phases = sorted(plan.phases, key=lambda p: (p.sequence, p.starts_on or date.max))
    if not phases:
        return Section(
            "roadmap",
            "Roadmap",
            "No rollout phases are planned yet.",
            charts=("roadmap",),
        )
    rows = tuple(
        (
            p.name,
            "Pilot" if p.kind is PhaseKind.PILOT else "Wave",
            day_text(p.starts_on),
            day_text(p.ends_on),
            DECISION_LABELS.get(p.decision.value, p.decision.value),
        )
        for p in phases
    )
    table = Table(
        header=("Phase", "Kind", "Starts", "Ends", "Gate decision"),
        rows=rows,
        widths=(4.0, 1.0, 1.3, 1.3, 1.8),
    )
    lead = (
        f"{_count(len(phases), 'phase')}, {_count(len(plan.sessions), 'training session')} and "
        f"{_count(len(plan.communications), 'communication')} on one time line."
    )
    return Section("roadmap", "Roadmap", lead, (table,), charts=("roadmap",))


def _map_lead(plan: Plan, privacy: Privacy) -> str:
    lead = (
        f"{_count(len(plan.stakeholders), 'stakeholder')} by power and interest; "
        "bubble size is headcount."
    )
    if privacy is Privacy.OFF and plan.attitudes_hidden:
        return lead + " Attitudes are hidden: the server does not show them to viewers."
    if privacy is Privacy.OFF:
        return lead + " Colour is current engagement."
    return lead + " Names are replaced and attitudes hidden by the privacy filter."


def _risks_section(plan: Plan, redact: Redactor) -> Section:
    open_risks = [r for r in plan.risks if r.status is not RiskStatus.CLOSED]
    ranked = sorted(open_risks, key=lambda r: (-(r.likelihood * r.impact), r.name.casefold()))
    if not ranked:
        return Section("risks", "Risks", "No open risks are recorded.")
    rows = tuple(
        (
            redact.text(r.name),
            f"{r.likelihood} × {r.impact}",
            r.status.value.capitalize(),
            redact.text(r.owner or "") or "no owner",
            redact.text(r.mitigation or "") or "no mitigation recorded",
        )
        for r in ranked
    )
    tones = tuple(
        "red"
        if r.likelihood * r.impact >= 15
        else ("amber" if r.likelihood * r.impact >= 8 else None)
        for r in ranked
    )
    unowned = sum(1 for r in ranked if not r.owner)
    owners = f"{_count(unowned, 'risk')} without an owner" if unowned else "each has an owner"
    lead = (
        f"{_count(len(ranked), 'open risk')}, highest exposure (likelihood × impact) first; "
        f"{owners}."
    )
    table = Table(
        header=("Risk", "L × I", "Status", "Owner", "Mitigation"),
        rows=rows[:LONG_TABLE],
        widths=(2.8, 0.8, 1.1, 1.6, 4.0),
        tones=tones[:LONG_TABLE],
    )
    return Section("risks", "Risks and owners", lead, (table,), notes=_more(len(rows), "risk"))


def _options_section(plan: Plan) -> Section | None:
    """The scorecard only while the decision is open: a made choice needs no slide."""
    if not plan.options or any(o.chosen for o in plan.options):
        return None
    totals = PlanIndex(plan, date.today()).option_totals
    currency = plan.initiative.currency
    ranked = sorted(plan.options, key=lambda o: -totals.get(o.id, 0.0))
    rows = tuple(
        (
            o.name,
            o.vendor or "—",
            f"{totals.get(o.id, 0.0):.1f}",
            format_money(round(o.annual_cost), currency) if o.annual_cost is not None else "—",
        )
        for o in ranked
    )
    table = Table(
        header=("Option", "Vendor", "Weighted score (0–10)", "Annual cost"),
        rows=rows,
        widths=(3.0, 2.0, 2.0, 1.6),
    )
    return Section(
        "options",
        "Technology options (decision open)",
        f"{_count(len(ranked), 'option')} scored on weighted criteria; no option is chosen yet.",
        (table,),
        charts=("option-scorecard",),
    )
