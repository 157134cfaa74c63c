"""The approval queue and the batch page: status and progress, the validation report, the
staged changes and the workflow buttons. A batch the visitor may not see answers 404."""

from __future__ import annotations

import datetime as dt
import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from regionlink.audit.models import AuditEvent
from regionlink.core.paging import encode_cursor, keyset_page, next_page_url
from regionlink.indicators import workflow
from regionlink.indicators.models import BatchStatus, ImportBatch
from regionlink.indicators.sharing import (
    change_counts,
    datasets_where,
    first_changes,
    may_see_staged,
    staged_values,
    workflow_rights,
)
from regionlink.indicators.views.common import (
    RUNNING,
    back_url,
    not_found,
    service_errors_as_messages,
    visible_batch,
)
from regionlink.organisations.permissions import Action, can
from regionlink.organisations.views import is_htmx, refusals_as_403

PREVIEW_SIZE = 50
QUEUE_SIZE = 10
REPORT_ROWS = 500
# States whose staged values are worth comparing with the published ones.
STAGED = (
    BatchStatus.CHECKED,
    BatchStatus.DRAFT,
    BatchStatus.SUBMITTED,
    BatchStatus.APPROVED,
    BatchStatus.REJECTED,
)


def _visible_batch(request, pk: int) -> ImportBatch:
    found = visible_batch(
        request.user, pk, "dataset", "dataset__owner", "submitted_by", "decided_by"
    )
    if found is None:
        raise not_found()
    return found


def report_rows(report: dict) -> list[dict]:
    """The validation report as rows of (level, row, column, value, reason, fix)."""
    rows = []
    sources = [("error", report.get("errors")), ("warning", report.get("warnings"))]
    sources.append((None, report.get("issues")))
    for level, items in sources:
        for item in items or []:
            if not isinstance(item, dict):
                item = {"reason": str(item)}
            rows.append(
                {
                    "level": level or item.get("level") or item.get("severity") or "error",
                    "row": item.get("row") or item.get("row_number"),
                    "column": item.get("column") or item.get("field"),
                    "value": item.get("value"),
                    "reason": item.get("reason") or item.get("message") or "",
                    "fix": item.get("fix") or item.get("hint") or "",
                }
            )
    return rows


# --- The approval queue ----------------------------------------------------------------------


def _senders(batch_ids) -> dict[int, set[int]]:
    """Who sent each batch for approval (from the audit trail), in one query."""
    found: dict[int, set[int]] = {}
    events = AuditEvent.objects.filter(
        action=workflow.SUBMIT_ACTION,
        object_type="indicators.importbatch",
        object_id__in=[str(pk) for pk in batch_ids],
    ).values_list("object_id", "actor_id")
    for object_id, actor_id in events:
        found.setdefault(int(object_id), set()).add(actor_id)
    return found


def _cards(user, batches) -> list[dict]:
    """Each batch with its counts, its first changes and what ``user`` may do with it, in a
    fixed number of queries however many batches there are."""
    ids = [b.pk for b in batches]
    counts = change_counts(ids)
    previews = first_changes(ids, PREVIEW_SIZE)
    senders = _senders(ids)
    editable, approvable = workflow_rights(user)
    cards = []
    for batch in batches:
        rows, more = previews.get(batch.pk, ([], False))
        own = user.pk in (senders.get(batch.pk, set()) | {batch.submitted_by_id})
        cards.append(
            {
                "batch": batch,
                "counts": counts[batch.pk],
                "changes": rows,
                "more_cursor": encode_cursor([rows[-1].row_number, rows[-1].pk]) if more else None,
                "actions": _buttons(
                    batch.status,
                    editor=batch.dataset_id in editable,
                    approver=batch.dataset_id in approvable,
                    own=own,
                ),
            }
        )
    return cards


@login_required
@require_GET
def review_queue(request):
    """Batches waiting for the visitor's approval or publication, and their own drafts."""
    approvable = datasets_where(request.user, Action.APPROVE).values("pk")
    related = ("dataset", "dataset__owner", "submitted_by")
    page = keyset_page(
        ImportBatch.objects.filter(
            status=BatchStatus.SUBMITTED, dataset__in=approvable
        ).select_related(*related),
        order=("created_at", "id"),
        kinds=(dt.datetime, int),
        after=request.GET.get("cursor") or None,
        limit=QUEUE_SIZE,
        lenient=True,
    )
    approved = list(
        ImportBatch.objects.filter(status=BatchStatus.APPROVED, dataset__in=approvable)
        .select_related(*related, "decided_by")
        .order_by("decided_at", "id")[:QUEUE_SIZE]
    )
    drafts = list(
        ImportBatch.objects.filter(status=BatchStatus.DRAFT, submitted_by=request.user)
        .select_related(*related)
        .order_by("-created_at", "-id")[:QUEUE_SIZE]
    )
    cards = _cards(request.user, [*page.rows, *approved, *drafts])
    by_id = {card["batch"].pk: card for card in cards}
    context = {
        "submitted": [by_id[b.pk] for b in page.rows],
        "approved": [by_id[b.pk] for b in approved],
        "drafts": [by_id[b.pk] for b in drafts],
        "next_url": next_page_url(request, page.next_cursor),
    }
    return render(request, "indicators/review_queue.html", context)


def _changes_page(request, batch: ImportBatch):
    """One keyset page of the batch's new and changed values, in file order."""
    return keyset_page(
        staged_values(batch, changes_only=True),
        order=("row_number", "id"),
        kinds=(int, int),
        after=request.GET.get("after") or None,
        limit=PREVIEW_SIZE,
        lenient=True,
    )


@login_required
@refusals_as_403
@require_GET
def review_changes(request, pk: int):
    """The next page of a batch's new and changed values (the queue's "more" rows)."""
    batch = _visible_batch(request, pk)
    if not may_see_staged(request.user, batch):
        raise PermissionDenied(
            _(
                "Chỉ người biên tập, người phê duyệt của cơ quan chủ quản và người gửi lô được "
                "xem giá trị chờ duyệt."
            )
        )
    page = _changes_page(request, batch)
    context = {"batch": batch, "changes": page.rows, "more_cursor": page.next_cursor}
    if is_htmx(request):
        return render(request, "indicators/review_changes.html", context)
    url = reverse("review-batch-detail", args=[batch.pk])
    after = request.GET.get("after")
    return redirect(f"{url}?after={after}#changes" if after else f"{url}#changes")


# --- One batch -------------------------------------------------------------------------------


@login_required
@require_GET
def batch_detail(request, pk: int):
    """Status and progress (polled while the import runs), the report, the changes."""
    batch = _visible_batch(request, pk)
    polling = batch.status in RUNNING
    report = batch.report or {}
    rows = report_rows(report)
    status_context = {
        "batch": batch,
        "polling": polling,
        "report": report,
        "report_rows": rows[:REPORT_ROWS],
        "report_cut": len(rows) > REPORT_ROWS,
    }
    if request.GET.get("part") == "status":
        response = render(request, "indicators/review_batch_status.html", status_context)
        if not polling and is_htmx(request):
            response["HX-Refresh"] = "true"  # finished: reload for the changes and actions
        return response
    reviewer = may_see_staged(request.user, batch)
    context = {**status_context, "reviewer": reviewer}
    if reviewer and batch.status in STAGED:
        page = _changes_page(request, batch)
        context["counts"] = change_counts([batch.pk])[batch.pk]
        context["changes"] = page.rows
        context["more_cursor"] = page.next_cursor
    context["actions"] = _actions(request.user, batch)
    return render(request, "indicators/review_batch_detail.html", context)


def _actions(user, batch: ImportBatch) -> dict:
    """Which workflow buttons to show; the services decide again when pressed."""
    dataset = batch.dataset
    submitted = batch.status == BatchStatus.SUBMITTED
    return _buttons(
        batch.status,
        editor=batch.status == BatchStatus.DRAFT and can(user, Action.EDIT, dataset),
        approver=can(user, Action.APPROVE, dataset),
        own=submitted and user.pk in workflow.authors_of(batch),
    )


def _buttons(status: str, *, editor: bool, approver: bool, own: bool) -> dict:
    """The workflow buttons a batch in ``status`` shows to a reader with those rights (the
    four eyes: who prepared or sent a batch does not approve it)."""
    return {
        "submit": status == BatchStatus.DRAFT and editor,
        "approve": status == BatchStatus.SUBMITTED and approver and not own,
        "own": status == BatchStatus.SUBMITTED and own,
        "reject": status in (BatchStatus.SUBMITTED, BatchStatus.APPROVED) and approver,
        "publish": status == BatchStatus.APPROVED and approver,
    }


def _step_view(step, success):
    @login_required
    @refusals_as_403
    @require_POST
    @functools.wraps(step)
    def view(request, pk: int):
        batch = _visible_batch(request, pk)
        kwargs = {"reason": request.POST.get("reason", "")} if step is workflow.reject_batch else {}
        with service_errors_as_messages(request):
            step(actor=request.user, batch=batch, **kwargs)
            messages.success(request, success % {"id": batch.pk})
            if step is workflow.publish_batch_now and not batch.dataset.is_released():
                messages.info(
                    request,
                    _(
                        "Bộ dữ liệu đang bị cấm công bố đến %(when)s: đến lúc đó chỉ cơ quan "
                        "chủ quản và cấp trên xem được số liệu vừa công bố."
                    )
                    % {"when": _local(batch.dataset.embargo_until)},
                )
        return redirect(back_url(request, reverse("review-batch-detail", args=[batch.pk])))

    return view


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%H:%M %d/%m/%Y")


batch_submit = _step_view(workflow.submit_batch, gettext_lazy("Đã gửi duyệt lô #%(id)s."))
batch_approve = _step_view(workflow.approve_batch, gettext_lazy("Đã phê duyệt lô #%(id)s."))
batch_reject = _step_view(workflow.reject_batch, gettext_lazy("Đã trả lại lô #%(id)s."))
batch_publish = _step_view(workflow.publish_batch_now, gettext_lazy("Đã công bố lô #%(id)s."))
