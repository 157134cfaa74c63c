"""Data set pages, sharing and access requests, the approval queue and the batch page.

Thin, like the organisation pages: forms parse, ``indicators.sharing`` decides what may be
read, the services (``datasets``, ``access``, ``workflow``) check rights and write with the
audit trail. A data set the visitor may not read and a batch they may not see answer 404, as
an unknown code does: a restricted data set or an unpublished batch is never revealed.
"""

from __future__ import annotations

import datetime as dt
import functools

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from regionlink.audit.models import AuditEvent
from regionlink.core.paging import encode_cursor, keyset_page, next_page_url
from regionlink.indicators import access, datasets, workflow
from regionlink.indicators.models import (
    AccessRequest,
    AccessRequestStatus,
    BatchStatus,
    DataSet,
    ImportBatch,
    Indicator,
    Visibility,
)
from regionlink.indicators.sharing import (
    change_counts,
    datasets_where,
    first_changes,
    may_see_staged,
    organisation_reads,
    readable_datasets,
    staged_values,
    visible_batches,
    workflow_rights,
)
from regionlink.organisations.models import ROLE_RANK, Organisation, Role
from regionlink.organisations.org_forms import apply_service_error
from regionlink.organisations.permissions import Action, can, check, principal_for
from regionlink.organisations.views import is_htmx, refusals_as_403

PAGE_SIZE = 50
PREVIEW_SIZE = 50
QUEUE_SIZE = 10
REPORT_ROWS = 500
RUNNING = (BatchStatus.PENDING, BatchStatus.RUNNING)
# States whose staged values are worth comparing with the published ones.
STAGED = (
    BatchStatus.CHECKED,
    BatchStatus.DRAFT,
    BatchStatus.SUBMITTED,
    BatchStatus.APPROVED,
    BatchStatus.REJECTED,
)


# --- Forms (parse only; the services check and write) ---------------------------------------


class SharingForm(forms.Form):
    visibility = forms.ChoiceField(
        label=gettext_lazy("Phạm vi chia sẻ"), choices=Visibility.choices, widget=forms.RadioSelect
    )
    shared_with = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Các cơ quan được chia sẻ"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 12}),
        help_text=gettext_lazy(
            "Dùng với phạm vi “Các cơ quan được chỉ định”; giữ Ctrl để chọn nhiều cơ quan. Các "
            "đơn vị trực thuộc cơ quan được chọn cũng được xem. Chọn “Chỉ cơ quan chủ quản” sẽ "
            "xóa danh sách này."
        ),
    )
    embargo_until = forms.DateTimeField(
        label=gettext_lazy("Cấm công bố đến"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"],
        help_text=gettext_lazy(
            "Giờ Việt Nam. Trước thời điểm này chỉ cơ quan chủ quản (và cấp trên) xem được số "
            "liệu, kể cả khi bộ dữ liệu công khai. Để trống nếu không cấm."
        ),
    )

    def __init__(self, *args, dataset: DataSet, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "visibility": dataset.visibility,
                "shared_with": list(dataset.shared_with.all()),
                "embargo_until": dataset.embargo_until,
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["shared_with"].queryset = (
            Organisation.objects.filter(is_active=True)
            .exclude(pk=dataset.owner_id)
            .order_by("name")
        )


class AccessRequestForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("Cơ quan đề nghị"), queryset=Organisation.objects.none()
    )
    reason = forms.CharField(
        label=gettext_lazy("Lý do đề nghị"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Số liệu dùng vào việc gì; cơ quan chủ quản đọc lý do này."),
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        if len(organisations) == 1:
            self.fields["organisation"].initial = organisations[0].pk


class RequestByCodeForm(AccessRequestForm):
    code = forms.SlugField(
        label=gettext_lazy("Mã bộ dữ liệu"),
        max_length=80,
        help_text=gettext_lazy("Mã do cơ quan chủ quản cung cấp, ví dụ “tk-lao-dong-2024”."),
    )
    field_order = ["code", "organisation", "reason"]


# --- Helpers ---------------------------------------------------------------------------------


def _not_found() -> Http404:
    return Http404(_("Không tìm thấy trang hoặc bạn không có quyền xem."))


def _readable_dataset(request, code: str) -> DataSet:
    found = readable_datasets(request.user).select_related("owner").filter(code=code).first()
    if found is None:
        raise _not_found()
    return found


def _visible_batch(request, pk: int) -> ImportBatch:
    found = (
        visible_batches(request.user)
        .select_related("dataset", "dataset__owner", "submitted_by", "decided_by")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise _not_found()
    return found


def _member_organisations(user) -> list[Organisation]:
    """The organisations ``user`` belongs to (any role), each once, by name."""
    orgs = {m.organisation_id: m.organisation for m in principal_for(user).memberships}
    return sorted(orgs.values(), key=lambda o: o.name)


def _orgs_qs(organisations) -> list[Organisation]:
    """A list that ModelChoiceField accepts (it needs ``.all()`` and ``.get()``)."""
    return Organisation.objects.filter(pk__in=[o.pk for o in organisations]).order_by("name")


def _back(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _report_errors(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


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


# --- Data sets -------------------------------------------------------------------------------


@require_GET
def dataset_list(request):
    """The data sets the visitor may read, by code, in keyset pages."""
    qs = readable_datasets(request.user).select_related("owner")
    page = keyset_page(
        qs,
        order=("code",),
        kinds=(str,),
        after=request.GET.get("cursor") or None,
        limit=PAGE_SIZE,
        lenient=True,
    )
    context = {
        "datasets": page.rows,
        "next_url": next_page_url(request, page.next_cursor),
        "may_request": request.user.is_authenticated,
    }
    return render(request, "indicators/dataset_list.html", context)


def _organisations_without_access(user, dataset: DataSet) -> list[Organisation]:
    return [o for o in _member_organisations(user) if not organisation_reads(dataset, o)]


@require_GET
def dataset_detail(request, code: str):
    """Owner, sharing, embargo, indicators, batches; requests and their decisions."""
    dataset = _readable_dataset(request, code)
    who = principal_for(request.user)
    owner_side = who.is_system_admin or who.rank_in(dataset.owner) >= ROLE_RANK[Role.VIEWER]
    may_manage = can(request.user, Action.APPROVE, dataset)
    asking = _organisations_without_access(request.user, dataset) if who.is_authenticated else []
    context = {
        "dataset": dataset,
        "owner_side": owner_side,
        "may_manage": may_manage,
        "indicators": Indicator.objects.filter(values__dataset=dataset)
        .distinct()
        .order_by("code")
        .only("code", "name", "name_en"),
        "shared_with": dataset.shared_with.order_by("name") if owner_side else None,
        "batches": (
            visible_batches(request.user)
            .filter(dataset=dataset)
            .select_related("submitted_by")
            .order_by("-created_at", "-id")[:20]
            if owner_side
            else None
        ),
        "pending_requests": (
            dataset.access_requests.filter(status=AccessRequestStatus.PENDING).select_related(
                "organisation", "requested_by"
            )
            if may_manage
            else None
        ),
        "request_form": (AccessRequestForm(organisations=_orgs_qs(asking)) if asking else None),
    }
    return render(request, "indicators/dataset_detail.html", context)


@login_required
@refusals_as_403
@require_http_methods(["GET", "POST"])
def dataset_sharing(request, code: str):
    """Visibility, named organisations and embargo: the owner's approvers and admins."""
    dataset = _readable_dataset(request, code)
    check(request.user, Action.APPROVE, dataset)
    if request.method == "POST":
        form = SharingForm(request.POST, dataset=dataset)
        if form.is_valid():
            try:
                datasets.update_dataset_sharing(
                    actor=request.user,
                    dataset=dataset,
                    visibility=form.cleaned_data["visibility"],
                    shared_with=list(form.cleaned_data["shared_with"]),
                    embargo_until=form.cleaned_data["embargo_until"],
                )
            except ValidationError as error:
                apply_service_error(form, error)
            else:
                messages.success(
                    request,
                    _("Đã lưu phạm vi chia sẻ của “%(name)s”.") % {"name": dataset.name},
                )
                return redirect("dataset-detail", code=dataset.code)
    else:
        form = SharingForm(dataset=dataset)
    return render(request, "indicators/dataset_sharing.html", {"dataset": dataset, "form": form})


@login_required
@refusals_as_403
@require_POST
def dataset_access_request(request, code: str):
    """Ask for access on behalf of one of the visitor's organisations."""
    dataset = _readable_dataset(request, code)
    form = AccessRequestForm(
        request.POST, organisations=_orgs_qs(_member_organisations(request.user))
    )
    if form.is_valid():
        try:
            access.request_access(
                actor=request.user,
                dataset=dataset,
                organisation=form.cleaned_data["organisation"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            _report_errors(request, error)
        else:
            messages.success(
                request,
                _("Đã gửi đề nghị; %(owner)s sẽ xem xét và trả lời.") % {"owner": dataset.owner},
            )
    else:
        for problems in form.errors.values():
            for problem in problems:
                messages.error(request, problem)
    return redirect("dataset-detail", code=dataset.code)


@login_required
@refusals_as_403
@require_http_methods(["GET", "POST"])
def dataset_request_access(request):
    """Ask for a data set by its code (one you cannot see yet); the answer never says whether
    the code exists, so restricted data sets stay hidden."""
    organisations = _orgs_qs(_member_organisations(request.user))
    if request.method == "POST":
        form = RequestByCodeForm(request.POST, organisations=organisations)
        if form.is_valid():
            data = form.cleaned_data
            try:
                access.check_request(
                    actor=request.user, organisation=data["organisation"], reason=data["reason"]
                )
                visible = readable_datasets(request.user).filter(code=data["code"]).first()
                if visible is not None:
                    access.request_access(
                        actor=request.user,
                        dataset=visible,
                        organisation=data["organisation"],
                        reason=data["reason"],
                    )
                else:
                    hidden = DataSet.objects.filter(code=data["code"]).first()
                    if hidden is not None:
                        access.request_access_quietly(
                            actor=request.user,
                            dataset=hidden,
                            organisation=data["organisation"],
                            reason=data["reason"],
                        )
            except ValidationError as error:
                apply_service_error(form, error)
            else:
                messages.success(
                    request,
                    _(
                        "Đã ghi nhận đề nghị. Nếu mã bộ dữ liệu đúng, cơ quan chủ quản sẽ xem "
                        "xét và trả lời; khi được cấp quyền, bộ dữ liệu hiện trong danh sách."
                    ),
                )
                return redirect("dataset-request-access")
    else:
        form = RequestByCodeForm(organisations=organisations)
    decided = (
        AccessRequest.objects.filter(organisation__in=organisations)
        .exclude(status=AccessRequestStatus.PENDING)
        .select_related("dataset", "organisation")
        .order_by("-decided_at", "-id")[:20]
    )
    context = {"form": form, "decided": decided, "has_organisation": organisations.exists()}
    return render(request, "indicators/dataset_request_access.html", context)


def _decidable_request(request, pk: int) -> AccessRequest:
    found = (
        AccessRequest.objects.filter(
            pk=pk, dataset__in=datasets_where(request.user, Action.APPROVE)
        )
        .select_related("dataset", "dataset__owner", "organisation")
        .first()
    )
    if found is None:
        raise _not_found()
    return found


def _decision_view(decide, success):
    @login_required
    @refusals_as_403
    @require_POST
    @functools.wraps(decide)
    def view(request, pk: int):
        req = _decidable_request(request, pk)
        try:
            decide(actor=request.user, access_request=req, reason=request.POST.get("reason", ""))
        except ValidationError as error:
            _report_errors(request, error)
        else:
            messages.success(request, success % {"org": req.organisation})
        return redirect(_back(request, reverse("dataset-detail", args=[req.dataset.code])))

    return view


access_request_grant = _decision_view(
    access.grant_access, gettext_lazy("Đã cấp quyền xem cho %(org)s.")
)
access_request_refuse = _decision_view(
    access.refuse_access, gettext_lazy("Đã từ chối đề nghị của %(org)s.")
)


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
        approver = batch.dataset_id in approvable
        status = batch.status
        cards.append(
            {
                "batch": batch,
                "counts": counts[batch.pk],
                "changes": rows,
                "more_cursor": encode_cursor([rows[-1].row_number, rows[-1].pk]) if more else None,
                "actions": {
                    "submit": status == BatchStatus.DRAFT and batch.dataset_id in editable,
                    "approve": status == BatchStatus.SUBMITTED and approver and not own,
                    "own": status == BatchStatus.SUBMITTED and own,
                    "reject": status in (BatchStatus.SUBMITTED, BatchStatus.APPROVED) and approver,
                    "publish": status == BatchStatus.APPROVED and approver,
                },
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
    page = keyset_page(
        staged_values(batch, changes_only=True),
        order=("row_number", "id"),
        kinds=(int, int),
        after=request.GET.get("after") or None,
        limit=PREVIEW_SIZE,
        lenient=True,
    )
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
        page = keyset_page(
            staged_values(batch, changes_only=True),
            order=("row_number", "id"),
            kinds=(int, int),
            after=request.GET.get("after") or None,
            limit=PREVIEW_SIZE,
            lenient=True,
        )
        context["counts"] = change_counts([batch.pk])[batch.pk]
        context["changes"] = page.rows
        context["more_cursor"] = page.next_cursor
    context["actions"] = _actions(request.user, batch)
    return render(request, "indicators/review_batch_detail.html", context)


def _actions(user, batch: ImportBatch) -> dict:
    """Which workflow buttons to show; the services decide again when pressed."""
    dataset = batch.dataset
    approver = can(user, Action.APPROVE, dataset)
    own = user.pk in workflow.authors_of(batch) if batch.status == BatchStatus.SUBMITTED else False
    return {
        "submit": batch.status == BatchStatus.DRAFT and can(user, Action.EDIT, dataset),
        "approve": batch.status == BatchStatus.SUBMITTED and approver and not own,
        "own": own,
        "reject": batch.status in (BatchStatus.SUBMITTED, BatchStatus.APPROVED) and approver,
        "publish": batch.status == BatchStatus.APPROVED and approver,
    }


def _step_view(step, success):
    @login_required
    @refusals_as_403
    @require_POST
    @functools.wraps(step)
    def view(request, pk: int):
        batch = _visible_batch(request, pk)
        kwargs = {"reason": request.POST.get("reason", "")} if step is workflow.reject_batch else {}
        try:
            step(actor=request.user, batch=batch, **kwargs)
        except ValidationError as error:
            _report_errors(request, error)
        else:
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
        return redirect(_back(request, reverse("review-batch-detail", args=[batch.pk])))

    return view


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%H:%M %d/%m/%Y")


batch_submit = _step_view(workflow.submit_batch, gettext_lazy("Đã gửi duyệt lô #%(id)s."))
batch_approve = _step_view(workflow.approve_batch, gettext_lazy("Đã phê duyệt lô #%(id)s."))
batch_reject = _step_view(workflow.reject_batch, gettext_lazy("Đã trả lại lô #%(id)s."))
batch_publish = _step_view(workflow.publish_batch_now, gettext_lazy("Đã công bố lô #%(id)s."))
