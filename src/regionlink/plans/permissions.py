"""Who may do what to a plan: one place for pages, API, CLI and exports.

A plan's records belong to its organising body (cơ quan tổ chức lập quy hoạch): that body's
hierarchy edits and approves them (a province's People's Committee and its departments manage
the province's plans). The formulating body (cơ quan lập quy hoạch, e.g. the provincial
Department of Finance) prepares the dossier, so its editors edit too; approving stays with
the organising body. Jurisdiction reads unpublished plans (a regional council reads its
provinces' plans). Everyone reads a plan once it is published (Planning Law: publication).
"""

from __future__ import annotations

from dataclasses import replace

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet

from regionlink.organisations.models import ROLE_RANK, Role
from regionlink.organisations.permissions import (
    REQUIRED_ROLE,
    Action,
    Decision,
    Scope,
    decide,
    organisations_at_or_below,
    principal_for,
)
from regionlink.plans.review_access import can_decide, can_run_review, check_run_review

__all__ = [
    "Action",
    "can",
    "can_decide",
    "can_run_review",
    "check",
    "check_run_review",
    "document_visible",
    "plan_scope",
    "reads_restricted",
    "visible_plans",
]


def _decide(user, action, target) -> Decision:
    decision = decide(user, action, target)
    if decision or Action(action) not in (Action.VIEW, Action.EDIT):
        return decision
    body = _formulating_body(target)
    needed = ROLE_RANK[REQUIRED_ROLE[Action(action)]]
    if body is not None and principal_for(user).rank_in(body) >= needed:
        return Decision(True)
    return decision


def _formulating_body(target):
    from regionlink.plans.models import Plan

    if isinstance(target, Plan) and target.formulating_body_id:
        return target.formulating_body
    return None


def can(user, action, target) -> bool:
    return _decide(user, action, target).allowed


def check(user, action, target) -> None:
    """Raise PermissionDenied with the reason when ``user`` may not act on ``target``."""
    decision = _decide(user, action, target)
    if not decision:
        raise PermissionDenied(decision.reason)


def _current_provinces(plans) -> dict[int, frozenset[int]]:
    """Today's provinces covering each plan's territory, in two queries for any number of
    plans: a pre-2025 province's plan is read by whoever governs its successor."""
    from regionlink.geography.models import RegionMembership, Succession
    from regionlink.geography.queries import today

    on = today()
    successors: dict[int, set[int]] = {}
    for old, new in Succession.objects.filter(effective_date__lte=on).values_list(
        "predecessor_id", "successor_id"
    ):
        successors.setdefault(old, set()).add(new)
    region_ids = {plan.region_id for plan in plans if plan.region_id}
    members: dict[int, set[int]] = {}
    for region_id, unit_id in RegionMembership.objects.filter(region_id__in=region_ids).values_list(
        "region_id", "unit_id"
    ):
        members.setdefault(region_id, set()).add(unit_id)

    def forward(unit_id: int, seen=()) -> set[int]:
        nxt = successors.get(unit_id)
        if not nxt or unit_id in seen:
            return {unit_id}
        return set().union(*(forward(n, (*seen, unit_id)) for n in nxt))

    result = {}
    for plan in plans:
        units = {plan.province_id} if plan.province_id else members.get(plan.region_id, set())
        result[plan.pk] = frozenset(set().union(set(), *(forward(u) for u in units)))
    return result


def plan_scope(plan) -> Scope:
    return Scope(
        owner=plan.organising_body,
        province_ids=_current_provinces([plan])[plan.pk],
        published=plan.is_public,
        label=plan.name,
    )


def visible_plans(user, queryset: QuerySet | None = None) -> QuerySet:
    """Plans ``user`` may see: the bulk form of ``can(user, VIEW, plan)``."""
    from regionlink.plans.models import PUBLIC_STAGES, Plan, PlanVersion

    queryset = Plan.objects.all() if queryset is None else queryset
    who = principal_for(user)
    if who.is_system_admin:
        return queryset
    # Published once = public, also while an adjustment is being prepared.
    condition = Q(stage__in=PUBLIC_STAGES) | Q(
        Exists(PlanVersion.objects.filter(plan=OuterRef("pk"), published_on__isnull=False))
    )
    if not who.is_authenticated:
        return queryset.filter(condition)
    own = {m.organisation_id for m in who.memberships}
    below = organisations_at_or_below(own)
    condition |= Q(organising_body_id__in=below) | Q(formulating_body_id__in=below)
    # Jurisdiction: the same rule as permissions.covers(), applied to the unpublished rest.
    rest = list(queryset.exclude(condition).only("pk", "province_id", "region_id"))
    territories = _current_provinces(rest)
    readable = [
        plan.pk
        for plan in rest
        if territories[plan.pk] and who.covering_rank(territories[plan.pk]) >= 1
    ]
    return queryset.filter(condition | Q(pk__in=readable))


def reads_restricted(user, plan) -> bool:
    """Whether ``user`` reads the plan's non-public records (owner's hierarchy or territory's
    jurisdiction, as for an unpublished plan): publication opens only what is marked public."""
    if can(user, Action.VIEW, replace(plan_scope(plan), published=False)):
        return True
    body = _formulating_body(plan)
    return body is not None and principal_for(user).rank_in(body) >= ROLE_RANK[Role.VIEWER]


def document_visible(user, document) -> bool:
    """A public document of a published plan, or a posted consultation draft, is open to all
    (drafts are posted for comment: consultation rule); the rest to restricted readers."""
    plan = document.plan
    if document.is_public and (plan.is_public or document.doc_type == "draft"):
        return True
    return reads_restricted(user, plan)
