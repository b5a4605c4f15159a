"""Technology fit: options scored on fit and scalability as well as cost, and the choice follows."""

from __future__ import annotations

from planner.domain.enums import CriterionCategory
from planner.services.readiness.index import PlanIndex
from planner.services.readiness.model import Findings, Rule
from planner.services.readiness.registry import rule

DIM = "technology_fit"


@rule(
    "no-options",
    DIM,
    "critical",
    "No technology options recorded",
    """Without the options on the table nobody can show the tool was chosen for fit
      rather than habit or price.""",
    action="Record the technology options considered for ‘{name}’.",
)
def _no_options(r: Rule, ix: PlanIndex) -> Findings:
    """The initiative records no technology options."""
    if not ix.plan.options:
        yield f"‘{ix.initiative.name}’ records no technology options.", ix.initiative


@rule(
    "single-option",
    DIM,
    "warning",
    "Only one option considered",
    """A single candidate is a decision already taken; comparing at least two shows
      what the choice gains and gives up.""",
    action="Compare ‘{name}’ with at least one alternative.",
    min_options=2,
)
def _single_option(r: Rule, ix: PlanIndex) -> Findings:
    """Fewer than `min_options` options are recorded (but at least one)."""
    if 0 < len(ix.plan.options) < r["min_options"]:
        option = ix.plan.options[0]
        yield f"Only ‘{option.name}’ was considered.", option


@rule(
    "option-choice-unclear",
    DIM,
    "warning",
    "No option chosen, or several",
    """The plan should say which solution is being rolled out: exactly one option
      marked as chosen.""",
    action="Mark exactly one option as chosen.",
)
def _choice_unclear(r: Rule, ix: PlanIndex) -> Findings:
    """Options are recorded but none, or more than one, is marked as chosen."""
    if not ix.plan.options:
        return
    chosen = [o for o in ix.plan.options if o.chosen]
    if not chosen:
        yield "No option is marked as chosen.", ix.initiative
    elif len(chosen) > 1:
        names = ", ".join(f"‘{o.name}’" for o in chosen)
        yield f"{len(chosen)} options are marked as chosen: {names}.", chosen[1]


@rule(
    "no-criteria",
    DIM,
    "critical",
    "Options but no weighted criteria",
    """Options compared without weighted criteria are compared on gut feeling or on
      price alone.""",
    action="Agree weighted criteria (fit, scalability, cost, risk) and score the options.",
)
def _no_criteria(r: Rule, ix: PlanIndex) -> Findings:
    """Options are recorded but no criterion carries any weight."""
    if ix.plan.options and ix.total_weight <= 0:
        yield "The options are not compared on any weighted criterion.", ix.initiative


@rule(
    "fit-or-scalability-missing",
    DIM,
    "critical",
    "No fit or no scalability criterion",
    """Budget-driven choices happen when fit to the processes and the ability to scale
      are not among the criteria at all; then nothing can show that the chosen tool fits or
      scales, which is as serious as choosing one that does not.""",
    action="Add a weighted fit and a scalability criterion and score the options on them.",
    required_categories=("fit", "scalability"),
)
def _fit_scalability(r: Rule, ix: PlanIndex) -> Findings:
    """Criteria are recorded but none with weight is in one of `required_categories` (one finding
    per missing category)."""
    if not ix.plan.criteria:
        return
    present = {c.category for c in ix.plan.criteria if c.weight > 0}
    for category in r["required_categories"]:
        if CriterionCategory(category) not in present:
            yield (
                (
                    f"No weighted criterion in the category "
                    f"{CriterionCategory(category).label.lower()}."
                ),
                ix.initiative,
            )


@rule(
    "cost-dominates",
    DIM,
    "warning",
    "Cost carries too much of the weight",
    """When cost carries more than about a third of the weight, the cheapest tool wins even
      if it does not fit or scale — the budget-driven choice. Good practice keeps cost at
      most around 30 % of the weight, so that fit and scalability decide.""",
    action="Lower the weight of cost criteria or raise fit and scalability.",
    max_cost_share_percent=30,
)
def _cost_dominates(r: Rule, ix: PlanIndex) -> Findings:
    """Cost criteria carry more than `max_cost_share_percent` % of the total weight."""
    total = ix.total_weight
    if total <= 0:
        return
    cost = sum(c.weight for c in ix.plan.criteria if c.category is CriterionCategory.COST)
    share = 100 * cost / total
    if share > r["max_cost_share_percent"]:
        yield (
            (
                f"Cost criteria carry {share:.0f}% of the weight (more than "
                f"{r['max_cost_share_percent']}%)."
            ),
            ix.initiative,
        )


@rule(
    "option-not-fully-scored",
    DIM,
    "warning",
    "Option not scored on every criterion",
    """An option with missing scores cannot be compared fairly; an unscored criterion
      counts as zero.""",
    action="Score ‘{name}’ on every criterion.",
)
def _not_fully_scored(r: Rule, ix: PlanIndex) -> Findings:
    """For each option with no score on one or more criteria."""
    criteria = ix.plan.criteria
    for option in ix.plan.options:
        scored = {s.criterion_id for s in ix.plan.scores_by_option.get(option.id, ())}
        missing = [c.name for c in criteria if c.id not in scored]
        if missing:
            yield (
                (
                    f"Option ‘{option.name}’ is not scored on "
                    f"{', '.join(f'‘{name}’' for name in missing)}."
                ),
                option,
            )


@rule(
    "chosen-not-best",
    DIM,
    "critical",
    "The chosen option is not the best scored",
    """If the chosen option scores lower than another, the decision did not follow the
      agreed criteria — either the scores or the choice need revisiting.""",
    action="Revisit the scores or the choice of ‘{name}’ and record why.",
    tolerance_points=0.1,
)
def _chosen_not_best(r: Rule, ix: PlanIndex) -> Findings:
    """A chosen option's weighted score (0–10) is more than `tolerance_points` below another
    option's. A criterion the chosen option was not scored on counts 0 for it, and one a rival
    was not scored on counts 10 for the rival: a missing score never makes a choice look better."""
    if ix.total_weight <= 0:
        return
    totals = ix.option_totals
    weights = {c.id: c.weight for c in ix.plan.criteria}
    best_case: dict[str, float] = {}
    for option in ix.plan.options:
        scored = {s.criterion_id for s in ix.plan.scores_by_option.get(option.id, ())}
        unscored = sum(w for cid, w in weights.items() if cid not in scored)
        best_case[option.id] = totals[option.id] + 10 * unscored / ix.total_weight
    for option in ix.plan.options:
        if not option.chosen:
            continue
        rivals = [o for o in ix.plan.options if o.id != option.id]
        best = max(rivals, key=lambda o: best_case[o.id], default=None)
        if best is not None and best_case[best.id] - totals[option.id] > r["tolerance_points"]:
            could = "" if best_case[best.id] == totals[best.id] else " if scored in full"
            yield (
                (
                    f"Chosen option ‘{option.name}’ scores {totals[option.id]:.1f}/10, below "
                    f"‘{best.name}’ at {best_case[best.id]:.1f}/10{could}."
                ),
                option,
            )


@rule(
    "chosen-option-weak-fit",
    DIM,
    "critical",
    "The chosen option scores low on fit or scalability",
    """A tool that does not fit the work or cannot grow with the rollout fails however
      cheap it is; a good total can hide a weak score on what matters most.""",
    action="Revisit the choice of ‘{name}’: it scores low on fit or scalability.",
    min_score=5,
    categories=("fit", "scalability"),
)
def _chosen_weak(r: Rule, ix: PlanIndex) -> Findings:
    """For each chosen option scored below `min_score` (out of 10), or not scored, on a weighted
    criterion in one of `categories`."""
    categories = {CriterionCategory(c) for c in r["categories"]}
    key = [c for c in ix.plan.criteria if c.category in categories and c.weight > 0]
    if not key:
        return
    for option in ix.plan.options:
        if not option.chosen:
            continue
        scores = {s.criterion_id: s.score for s in ix.plan.scores_by_option.get(option.id, ())}
        weak = [
            f"{c.name} {scores[c.id]:g}/10" if c.id in scores else f"{c.name} unscored"
            for c in key
            if scores.get(c.id, 0) < r["min_score"]
        ]
        if weak:
            yield (
                f"Chosen option ‘{option.name}’ scores low: {', '.join(weak)}.",
                option,
                (
                    f"Check whether ‘{option.name}’ fits and scales for the whole rollout, and "
                    f"choose another option or record the mitigation."
                ),
            )
