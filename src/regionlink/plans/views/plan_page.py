"""The plan page (header, lifecycle timeline and deadlines, versions, documents, consultation,
targets with their latest actual values, conformity links, findings) and document downloads."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from regionlink.geography.queries import today
from regionlink.plans import actuals, conformity, documents, law, lifecycle
from regionlink.plans.models import Comparator, DocumentType, Plan, PlanDocument
from regionlink.plans.permissions import document_visible, visible_plans
from regionlink.plans.views.common import (
    FINDING_PREFETCH,
    document_open,
    finding_rows,
    not_found,
    plan_for,
    refusals_as_403,
    rights_for,
    visible_documents,
)


def plain_number(value: Decimal | None) -> Decimal | None:
    """5.500000 → 5.5 and 100.000000 → 100, for display (the model keeps six decimals)."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def comparator_text(target) -> tuple[str, Decimal | None, Decimal | None]:
    """(symbol, value, upper value) of a target; the upper value only for a range."""
    if target.comparator == Comparator.RANGE:
        return "", plain_number(target.value), plain_number(target.value_max)
    return Comparator(target.comparator).label, plain_number(target.value), None


def _status_label(actual) -> str:
    from regionlink.indicators.models import ValueStatus

    status = getattr(actual, "status", None)
    return str(ValueStatus(status).label) if status in ValueStatus.values else (status or "")


def target_rows(user, plan: Plan) -> list[dict]:
    targets = list(
        plan.targets.select_related("indicator", "region", "province").order_by(
            "indicator__code", "target_year", "id"
        )
    )
    latest = actuals.latest_actuals(user, targets) if targets else {}
    rows = []
    for target in targets:
        symbol, value, upper = comparator_text(target)
        rows.append(
            {
                "target": target,
                "symbol": symbol,
                "value": value,
                "upper": upper,
                "territory": target.province or target.region,
                "actual": latest.get(target.pk),
                "actual_status": _status_label(latest.get(target.pk)),
            }
        )
    return rows


def plan_findings(user, plan: Plan, visible_ids: set[int]) -> list[dict]:
    hidden = set(plan.findings.filter(is_current=True).values_list("plans", flat=True))
    hidden -= visible_ids
    current = (
        # Only findings whose plans the visitor may all see: an explanation names its plans.
        plan.findings.filter(is_current=True)
        .exclude(plans__in=hidden)
        .select_related("region", "decided_by")
        .prefetch_related(*FINDING_PREFETCH)
        .order_by("kind", "severity", "fingerprint")
    )
    return finding_rows(user, current, visible_ids)


def _links(plan: Plan, visible_ids: set[int]):
    up = [
        link
        for link in plan.links_up.select_related("higher").order_by("higher__level", "higher__code")
        if link.higher_id in visible_ids
    ]
    down = [
        link
        for link in plan.links_down.select_related("lower").order_by("lower__level", "lower__code")
        if link.lower_id in visible_ids
    ]
    return up, down


@require_GET
def plan_detail(request, code: str):
    """Everything about one plan the visitor may see; forms for those who may edit."""
    plan = plan_for(request, code)
    user = request.user
    rights = rights_for(user, plan)
    on = today()
    versions = list(plan.versions.order_by("number"))
    current = versions[-1] if versions else None
    visible_ids = set(visible_plans(user).values_list("pk", flat=True))
    links_up, links_down = _links(plan, visible_ids)

    linked = {link.higher_id for link in links_up}
    suggestions = []
    if rights.edit:
        suggestions = [
            p for p in conformity.suggest_higher(plan) if p.pk not in linked and p.pk in visible_ids
        ]
    context = {
        "plan": plan,
        "rights": rights,
        "current": current,
        "versions": versions,
        "law": law.law_for_plan(plan, today=on),
        "events": list(plan.stage_events.select_related("actor").order_by("occurred_on", "id")),
        "deadlines": lifecycle.deadlines(plan, on=on),
        "next_stages": lifecycle.allowed_next(plan) if rights.edit else [],
        "may_record_publication": rights.edit and plan.stage in lifecycle.PUBLICATION_STAGES,
        "documents": visible_documents(plan, rights),
        "bodies": list(plan.consulted_bodies.select_related("province", "organisation")),
        "comments": list(plan.comments.select_related("consulted_body")),
        "targets": target_rows(user, plan),
        "links_up": links_up,
        "links_down": links_down,
        "suggestions": suggestions,
        "findings": plan_findings(user, plan, visible_ids),
    }
    return render(request, "plans/plan_detail.html", context)


@refusals_as_403
@require_GET
def document_download(request, code: str, pk: int):
    """A dossier document as an attachment (never shown inline), if the visitor may open it."""
    posted_draft = PlanDocument.objects.filter(
        plan__code=code, pk=pk, doc_type=DocumentType.DRAFT, is_public=True
    ).select_related("plan")
    draft = posted_draft.first()
    if draft is not None:  # a draft posted for comment is open to all (consultation rule)
        return documents.document_response(draft)
    plan = plan_for(request, code)
    document = plan.documents.filter(pk=pk).first()
    if document is None:
        raise not_found()
    document.plan = plan
    rights = rights_for(request.user, plan)
    if not (document_open(document, plan, rights) and document_visible(request.user, document)):
        # No title: the refusal must not reveal what an unpublished document is called.
        raise PermissionDenied(
            _(
                "Tài liệu này chưa được công khai: chỉ cơ quan tổ chức lập quy hoạch và cơ quan "
                "có thẩm quyền trên địa bàn được tải xuống."
            )
        )
    return documents.document_response(document)
