"""Review rules on conformity links: a missing link to a higher plan, periods that do not fit.

- ``missing_link`` (MEDIUM): a plan has no link to any plan of a level it must conform to,
  while the registry holds one whose territory contains it. The finding is about the lower
  plan alone; the suggested higher plan is named in its params.
- ``no_higher_plan`` (LOW): the registry tracks the required level (it holds plans of it) but
  none for this plan's territory — e.g. a new region's plan not yet made. A level with no plan
  at all in the registry is not reported: that says nothing about this plan.
- ``period_mismatch`` (MEDIUM): a linked lower plan's period is not within its higher plan's.

Plans whose province or region no longer exists are left to the territory rule: their links
are re-established against their successors' plans, not their old territory's.
"""

from __future__ import annotations

from regionlink.plans.conformity import candidates, covers, required_levels
from regionlink.plans.law import PlanLevel, Rule
from regionlink.plans.models import FindingKind, Severity
from regionlink.plans.review_draft import FindingDraft, basis, draft
from regionlink.plans.review_inputs import Inputs


def _level_label(level: str) -> str:
    return str(PlanLevel(level).label)


def missing_links(inputs: Inputs) -> list[FindingDraft]:
    found = []
    levels_present = {p.level for p in inputs.plans.values()}
    linked: dict[int, set[int]] = {}
    for lower, higher in inputs.links:
        if higher in inputs.plans:
            linked.setdefault(lower, set()).add(higher)
    legal = basis(Rule.CONFORMITY, on=inputs.as_of)
    for plan in inputs.plans.values():
        if inputs.ceased(plan):
            continue
        for level in required_levels(plan):
            of_level = {h for h in linked.get(plan.id, ()) if inputs.plans[h].level == level}
            options = candidates(inputs, plan, level)
            # A link to a plan of the right level but another territory does not count.
            if of_level & {option.id for option in options} or (of_level and not options):
                continue
            if options:
                higher = options[0]
                found.append(
                    draft(
                        kind=FindingKind.MISSING_LINK,
                        severity=Severity.MEDIUM,
                        message_code="missing_link",
                        params={
                            "lower": plan.code,
                            "lower_name": plan.name,
                            "level": level,
                            "higher": higher.code,
                            "higher_name": higher.name,
                        },
                        legal_basis=legal,
                        # The suggested plan is involved too: a reader who may not see it
                        # does not see the finding (it names the plan).
                        plans=[plan, higher],
                    )
                )
            elif level in levels_present:
                found.append(
                    draft(
                        kind=FindingKind.MISSING_LINK,
                        severity=Severity.LOW,
                        message_code="no_higher_plan",
                        params={"lower": plan.code, "lower_name": plan.name, "level": level},
                        legal_basis=legal,
                        plans=[plan],
                    )
                )
    return found


def period_mismatches(inputs: Inputs) -> list[FindingDraft]:
    found = []
    legal = basis(Rule.CONFORMITY, Rule.PERIOD, on=inputs.as_of)
    for lower_id, higher_id in sorted(inputs.links):
        lower, higher = inputs.plans.get(lower_id), inputs.plans.get(higher_id)
        if lower is None or higher is None or inputs.ceased(lower) or covers(higher, lower):
            continue
        found.append(
            draft(
                kind=FindingKind.MISSING_LINK,
                severity=Severity.MEDIUM,
                message_code="period_mismatch",
                params={
                    "lower": lower.code,
                    "lower_name": lower.name,
                    "lower_period": [lower.period_start, lower.period_end],
                    "higher": higher.code,
                    "higher_name": higher.name,
                    "higher_period": [higher.period_start, higher.period_end],
                },
                legal_basis=legal,
                plans=[lower, higher],
            )
        )
    return found


def rules(inputs: Inputs) -> list[FindingDraft]:
    return missing_links(inputs) + period_mismatches(inputs)
