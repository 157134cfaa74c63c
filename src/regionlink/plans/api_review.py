"""Plans API: the conformity review (runs and findings) and reminders of legal deadlines.

A finding is shown only when the caller may see every plan it names, so a conflict never
reveals an unpublished plan. Runs and decisions go through ``review`` and ``findings``.
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from regionlink.core.api import ErrorBody, Limit, require_user, tabular_response
from regionlink.core.paging import keyset_page, newest_first_page
from regionlink.geography.queries import today
from regionlink.organisations.tokens import SIGNED_IN
from regionlink.plans import findings
from regionlink.plans.api_common import (
    READ_ERRORS,
    WRITE_ERRORS,
    fmt_param,
    region_code_param,
    service_errors,
)
from regionlink.plans.models import (
    Finding,
    FindingKind,
    FindingStatus,
    Plan,
    ReviewRun,
    ReviewStatus,
)
from regionlink.plans.permissions import check_run_review, visible_plans
from regionlink.plans.schemas import (
    DecisionIn,
    FindingKindParam,
    FindingOut,
    FindingPage,
    FindingStatusParam,
    ReminderOut,
    ReviewIn,
    ReviewRunOut,
    ReviewRunPage,
)

router = Router()  # tagged by plans.api

FINDING_COLUMNS = (
    "id",
    "kind",
    "kind_label",
    "severity",
    "status",
    "status_label",
    "explanation",
    "legal_basis",
    "region",
    "plans",
    "targets",
    "decision_reason",
)


# --- Runs ------------------------------------------------------------------------------------


def _run(run: ReviewRun) -> dict:
    return {
        "id": run.pk,
        "region": run.region.code if run.region_id else None,
        "as_of": run.as_of,
        "status": run.status,
        "status_label": str(ReviewStatus(run.status).label),
        "progress": run.progress,
        "message": run.message,
        "findings_count": run.findings_count,
        "created_at": run.created_at,
        "finished_at": run.finished_at,
    }


@router.get(
    "/plan-reviews",
    auth=SIGNED_IN,
    response={200: ReviewRunPage, 400: ErrorBody, 401: ErrorBody},
    summary="Các lần rà soát tính phù hợp của quy hoạch",
    description="Review runs, newest first, keyset paged (pass `next` as `after`).",
)
def list_reviews(request, after: str | None = None, limit: Limit = 50):
    require_user(request)
    qs = ReviewRun.objects.select_related("region")
    rows, next_cursor = newest_first_page(qs, after=after, limit=limit, moment="created_at")
    return {"items": [_run(r) for r in rows], "next": next_cursor}


@router.post(
    "/plan-reviews",
    auth=SIGNED_IN,
    response={202: ReviewRunOut, **WRITE_ERRORS},
    summary="Chạy rà soát tính phù hợp",
    description=(
        "Start a conformity review of the whole country or one `region` in the background; "
        "answered 202 with the run, whose `status` and `progress` "
        "`GET /plan-reviews/{id}` reports. Needs the right to review that territory."
    ),
)
def start_review(request, payload: ReviewIn):
    from regionlink.plans import review

    user = require_user(request)
    region = region_code_param(payload.region)
    check_run_review(user, region)  # 403 naming the role needed, before anything is queued
    with service_errors():
        run = review.start_review(actor=user, region=region)
    run = ReviewRun.objects.select_related("region").get(pk=run.pk)
    return Status(202, _run(run))


@router.get(
    "/plan-reviews/{int:run_id}",
    auth=SIGNED_IN,
    response={200: ReviewRunOut, **READ_ERRORS},
    summary="Trạng thái một lần rà soát",
)
def get_review(request, run_id: int):
    require_user(request)
    run = ReviewRun.objects.select_related("region").filter(pk=run_id).first()
    if run is None:
        raise Http404(_("Không có lần rà soát số %(id)s.") % {"id": run_id})
    return _run(run)


# --- Findings --------------------------------------------------------------------------------


def _visible_findings(user):
    """Current findings every plan of which the caller may see."""
    hidden = Plan.objects.exclude(pk__in=visible_plans(user).values("pk"))
    return (
        Finding.objects.filter(is_current=True)
        .exclude(plans__in=hidden)
        .select_related("region")
        .prefetch_related(
            # can_decide reads each plan's organising body and the bodies above it.
            Prefetch(
                "plans",
                queryset=Plan.objects.select_related("organising_body__parent__parent").order_by(
                    "code"
                ),
            ),
            "targets",
        )
    )


def _finding(finding: Finding, user, explained: dict[int, str] | None = None) -> dict:
    explained = explained if explained is not None else findings.explanations([finding])
    return {
        "id": finding.pk,
        "kind": finding.kind,
        "kind_label": str(FindingKind(finding.kind).label),
        "severity": finding.severity,
        "status": finding.status,
        "status_label": str(FindingStatus(finding.status).label),
        "explanation": explained[finding.pk],
        "legal_basis": finding.legal_basis,
        "region": finding.region.code if finding.region_id else None,
        "plans": [p.code for p in finding.plans.all()],
        "targets": sorted(t.pk for t in finding.targets.all()),
        "decision_reason": finding.decision_reason,
        "decided_at": finding.decided_at,
        "can_decide": bool(findings.can_decide(user, finding)),
    }


@router.get(
    "/plan-findings",
    response={200: FindingPage, 400: ErrorBody, 422: ErrorBody},
    summary="Kết quả rà soát tính phù hợp",
    description=(
        "Current findings of the review (missing_link, target_conflict, territory_drift), "
        "each with its explanation in the request's language (Accept-Language), legal basis, "
        "plans and targets. Only findings whose plans the caller may all see. Filters: "
        "`region` (code), `kind`, `status` (open, accepted, dismissed). Keyset paged; "
        "`format=csv|xlsx` downloads every match."
    ),
)
def list_findings(
    request,
    region: str | None = None,
    kind: FindingKindParam | None = None,
    status: FindingStatusParam | None = None,
    after: str | None = None,
    limit: Limit = 100,
    format: str = Query("json", description="json (mặc định), csv hoặc xlsx"),
):
    fmt = fmt_param(format)
    qs = _visible_findings(request.user)
    if region:
        qs = qs.filter(region=region_code_param(region))
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    if fmt != "json":
        rows = []
        page = list(qs.order_by("id"))
        explained = findings.explanations(page)
        for f in page:
            row = _finding(f, request.user, explained)
            row["plans"] = ", ".join(row["plans"])
            row["targets"] = ", ".join(str(t) for t in row["targets"])
            rows.append(row)
        return tabular_response(rows, FINDING_COLUMNS, fmt=fmt, filename="ket-qua-ra-soat")
    rows, next_cursor = keyset_page(qs, order=("id",), kinds=(int,), after=after, limit=limit)
    explained = findings.explanations(rows)
    return {"items": [_finding(f, request.user, explained) for f in rows], "next": next_cursor}


@router.post(
    "/plan-findings/{int:finding_id}/decision",
    auth=SIGNED_IN,
    response={200: FindingOut, **WRITE_ERRORS},
    summary="Xác nhận hoặc bác bỏ một kết quả rà soát",
    description=(
        "`status` accepted (xác nhận) or dismissed (bác bỏ, with the `reason`), or open to "
        "reopen. The decision is kept across later runs. Audited."
    ),
)
def decide(request, finding_id: int, payload: DecisionIn):
    from django.core.exceptions import PermissionDenied

    user = require_user(request)
    finding = _visible_findings(user).filter(pk=finding_id).first()
    if finding is None:
        raise Http404(_("Không có kết quả rà soát số %(id)s.") % {"id": finding_id})
    if not findings.can_decide(user, finding):
        raise PermissionDenied(
            _(
                "Bạn không có quyền xác nhận hoặc bác bỏ kết quả rà soát này: cần vai trò "
                "“Phê duyệt” tại cơ quan tổ chức lập một trong các quy hoạch liên quan."
            )
        )
    with service_errors():
        findings.decide(actor=user, finding=finding, status=payload.status, reason=payload.reason)
    return _finding(_visible_findings(user).get(pk=finding.pk), user)


# --- Reminders -------------------------------------------------------------------------------


@router.get(
    "/plan-reminders",
    auth=SIGNED_IN,
    response={200: list[ReminderOut], 401: ErrorBody},
    summary="Nhắc việc theo thời hạn luật định",
    description=(
        "Evaluations due (annual, five-yearly), publication or dossier upload overdue, plans "
        "past their period — for the plans the caller may see, each with its legal basis."
    ),
)
def list_reminders(request):
    from regionlink.plans import reminders

    user = require_user(request)
    plans = visible_plans(user, Plan.objects.select_related("region", "province"))
    return [
        {
            "kind": str(r.kind),
            "plan": r.plan.code,
            "plan_name": r.plan.display_name,
            "due_on": r.due_on,
            "message": str(r.message),
            "legal_basis": str(r.legal_basis),
        }
        for r in reminders.due(on=today(), plans=plans)
    ]
