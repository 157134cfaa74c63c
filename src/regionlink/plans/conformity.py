"""Which higher plans a plan must conform to, and the links that record it.

The levels come from the law (law.MUST_CONFORM_TO: 2017 Law Art. 6; 2025 Law Art. 5); the
plans of those levels from the territory on the plan's own dates (its approval, else the start
of its period): a provincial plan approved in 2023 conforms to the regional plan of the region
its province belonged to then, even though the 2025 reorganisation has since regrouped the
regions. The review (review_rules_links.py) uses :func:`candidates` too, so a suggestion and a
missing-link finding never disagree.
"""

from __future__ import annotations

from django.db import transaction

from regionlink.audit import services as audit
from regionlink.plans.law import MUST_CONFORM_TO, NATIONAL_LEVELS, PlanLevel
from regionlink.plans.models import ConformityLink, Plan
from regionlink.plans.permissions import Action, check
from regionlink.plans.review_inputs import Inputs, PlanRow


def required_levels(plan) -> tuple[str, ...]:
    """The levels ``plan`` must conform to under the Planning Law."""
    return tuple(MUST_CONFORM_TO.get(plan.level, ()))


def covers(higher: PlanRow, lower: PlanRow) -> bool:
    return higher.period_start <= lower.period_start and higher.period_end >= lower.period_end


def candidates(inputs: Inputs, lower: PlanRow, level: str) -> list[PlanRow]:
    """Plans of ``level`` whose territory contains ``lower``'s, best first: a period that
    covers the lower plan's, then the most recent period, then the code."""
    if level in NATIONAL_LEVELS:
        found = [p for p in inputs.plans.values() if p.level == level]
    elif level == PlanLevel.REGIONAL:
        if lower.province_id is None:
            return []
        regions = set(inputs.regions_of(lower.province_id, lower.ref_date))
        found = [p for p in inputs.plans.values() if p.level == level and p.region_id in regions]
    elif level == PlanLevel.PROVINCIAL:
        found = [
            p
            for p in inputs.plans.values()
            if p.level == level and lower.province_id and p.province_id == lower.province_id
        ]
    else:
        found = []
    found = [p for p in found if p.id != lower.id]
    return sorted(found, key=lambda p: (not covers(p, lower), -p.period_start, p.code))


def suggest_higher(plan: Plan) -> list[Plan]:
    """The best plan of each required level whose territory contains ``plan``'s."""
    from regionlink.geography.queries import today
    from regionlink.plans.review_inputs import load

    inputs = load(as_of=today(), with_targets=False)
    row = inputs.plans[plan.pk]
    chosen = []
    for level in required_levels(plan):
        found = candidates(inputs, row, level)
        if found:
            chosen.append(found[0].id)
    by_id = Plan.objects.in_bulk(chosen)
    return [by_id[pk] for pk in chosen]


def _snapshot(link: ConformityLink) -> dict:
    return {
        "lower": link.lower.code,
        "higher": link.higher.code,
        "suggested": link.suggested,
        "note": link.note,
    }


def _authorise(actor, plan: Plan) -> None:
    # A string actor is a set-up step (demo data), as in plans.services.
    if not isinstance(actor, str):
        check(actor, Action.EDIT, plan)


@transaction.atomic
def add_link(*, actor, lower: Plan, higher: Plan, suggested: bool = False, note: str = ""):
    """Record that ``lower`` must conform to ``higher`` (idempotent)."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    _authorise(actor, lower)
    if higher.level not in required_levels(lower):
        raise ValidationError(
            _(
                "“%(lower)s” không phải phù hợp với quy hoạch cấp “%(level)s”: chọn quy hoạch "
                "thuộc các cấp %(levels)s."
            )
            % {
                "lower": lower.name,
                "level": PlanLevel(higher.level).label,
                "levels": ", ".join(str(PlanLevel(x).label) for x in required_levels(lower)) or "—",
            },
            code="level_not_required",
        )
    link, created = ConformityLink.objects.get_or_create(
        lower=lower,
        higher=higher,
        defaults={
            "suggested": suggested,
            "note": note[:300],
            "created_by": None if isinstance(actor, str) else actor,
        },
    )
    if created:
        audit.record(actor=actor, action="plans.link_add", obj=link, after=_snapshot(link))
    return link


@transaction.atomic
def remove_link(*, actor, link: ConformityLink) -> None:
    """Remove a conformity link recorded by mistake."""
    _authorise(actor, link.lower)
    before = _snapshot(link)
    audit.record(actor=actor, action="plans.link_remove", obj=link, before=before)
    link.delete()
