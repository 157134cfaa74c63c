"""The conformity review pages: the country and each region (latest run, findings grouped by
kind, run button with progress polled by htmx), deciding a finding, and the reminders."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from regionlink.geography.models import Region
from regionlink.geography.queries import today
from regionlink.plans import findings as findings_service
from regionlink.plans import reminders, review
from regionlink.plans.forms import DecideForm, FindingFilterForm
from regionlink.plans.models import Finding, FindingKind, Plan, ReviewRun, ReviewStatus
from regionlink.plans.permissions import can_run_review, visible_plans
from regionlink.plans.views.common import (
    FINDING_PREFETCH,
    back_url,
    finding_rows,
    is_htmx,
    refusals_as_403,
    success,
)

RUNNING = (ReviewStatus.PENDING, ReviewStatus.RUNNING)


def visible_findings(user):
    """Current findings whose plans the visitor may all see (a finding never reveals an
    unpublished plan to someone who may not read it)."""
    hidden = Plan.objects.exclude(pk__in=visible_plans(user).values("pk"))
    return Finding.objects.filter(is_current=True).exclude(plans__in=hidden)


def finding_groups(user, findings) -> list[dict]:
    """Findings grouped by kind, each with its explanation, plans, targets and decide right."""
    by_kind: dict[str, list[dict]] = {}
    for row in finding_rows(user, findings):
        by_kind.setdefault(row["finding"].kind, []).append(row)
    return [
        {"kind": kind, "label": FindingKind(kind).label, "rows": by_kind[kind]}
        for kind in FindingKind.values
        if kind in by_kind
    ]


def _regions():
    """Today's regions, then those of before the 2025 reorganisation."""
    return list(Region.objects.order_by("valid_to", "sort_order"))


@login_required
@require_GET
def review_page(request, region: str | None = None):
    """The latest review of the country or of one region and its findings."""
    region_obj = None
    if region is not None:
        region_obj = Region.objects.filter(code__iexact=region).first()
        if region_obj is None:
            raise Http404(_("Không có vùng mã “%(code)s”.") % {"code": region})
    filters = FindingFilterForm(request.GET or None)
    status = filters.status_value()
    findings = visible_findings(request.user)
    if region_obj is not None:
        findings = findings.filter(region=region_obj)
    counts = {s: findings.filter(status=s).count() for s in ("open", "accepted", "dismissed")}
    if status:
        findings = findings.filter(status=status)
    findings = (
        findings.select_related("region", "decided_by")
        .prefetch_related(*FINDING_PREFETCH)
        .order_by("kind", "severity", "fingerprint")
    )
    run = ReviewRun.objects.filter(region=region_obj).select_related("region").first()
    # A region never reviewed on its own still has findings from the country's review.
    national_run = region_obj is not None and run is None
    if national_run:
        run = ReviewRun.objects.filter(region=None).first()
    context = {
        "region": region_obj,
        "regions": _regions(),
        "run": run,
        "polling": run is not None and run.status in RUNNING,
        "national_run": national_run and run is not None,
        "groups": finding_groups(request.user, findings),
        "filters": filters,
        "status": status,
        "counts": counts,
        "may_run": can_run_review(request.user, region_obj),
    }
    return render(request, "plans/review.html", context)


def review_url(region: Region | None) -> str:
    if region is None:
        return reverse("plan-review")
    return reverse("plan-review-region", args=[region.code])


@login_required
@refusals_as_403
@require_POST
def review_run(request):
    """Queue a review of the country or of one region (the worker runs it)."""
    code = request.POST.get("region") or None
    region = Region.objects.filter(code__iexact=code).first() if code else None
    if code and region is None:
        raise Http404
    review.start_review(actor=request.user, region=region)
    return success(
        request,
        review_url(region),
        _("Đã bắt đầu rà soát. Kết quả hiện ra khi rà soát xong."),
    )


@login_required
@require_GET
def review_run_status(request, pk: int):
    """The progress of one run, polled by htmx until it is done."""
    run = ReviewRun.objects.select_related("region").filter(pk=pk).first()
    if run is None:
        raise Http404
    polling = run.status in RUNNING
    response = render(request, "plans/_run_status.html", {"run": run, "polling": polling})
    if not polling and is_htmx(request) and request.GET.get("was") == "running":
        response["HX-Refresh"] = "true"  # finished: reload for the new findings
    return response


@login_required
@refusals_as_403
@require_POST
def finding_decide(request, pk: int):
    """Accept or dismiss a finding with a reason (findings.decide checks the right)."""
    finding = visible_findings(request.user).filter(pk=pk).first()
    if finding is None:
        raise Http404
    form = DecideForm(request.POST)
    default = review_url(finding.region)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back_url(request, default))
    try:
        findings_service.decide(actor=request.user, finding=finding, **form.cleaned_data)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(back_url(request, default))
    return success(request, back_url(request, default), _("Đã ghi nhận quyết định."))


@login_required
@require_GET
def reminders_page(request):
    """Evaluations, publication and dossier uploads due or overdue, for the visitor's plans."""
    plans = visible_plans(request.user).select_related("region", "province", "organising_body")
    items = reminders.due(on=today(), plans=plans)
    return render(request, "plans/reminders.html", {"reminders": items, "on": today()})
