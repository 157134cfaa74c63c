"""Data sets, their sharing, access requests and the approval workflow of import batches.

Reads go through ``indicators.sharing``: a data set outside ``readable_datasets`` and a batch
outside ``visible_batches`` answer 404, the same as one that does not exist, so a restricted
data set or an unpublished batch is never revealed. Writes go through the services
(``datasets``, ``access``, ``workflow``), which check the caller's role and audit the change.
"""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, Router, Schema, Status

from regionlink.core.api import ApiError, ErrorBody, Limit, require_user, validation_error
from regionlink.core.paging import keyset_page, newest_first_page
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
    change_kind,
    datasets_where,
    may_see_staged,
    readable_datasets,
    staged_values,
    visible_batches,
)
from regionlink.organisations.models import ROLE_RANK, Organisation, Role
from regionlink.organisations.permissions import Action, can, principal_for
from regionlink.organisations.tokens import SIGNED_IN

router = Router(tags=["data sets"])

READ_ERRORS = {400: ErrorBody, 401: ErrorBody, 404: ErrorBody}
WRITE_ERRORS = {400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody}


# --- Shapes ----------------------------------------------------------------------------------


class OrganisationRef(Schema):
    code: str
    name: str


class AccessRequestOut(Schema):
    id: int
    dataset: str
    organisation: OrganisationRef
    requested_by: str
    reason: str
    status: str
    status_label: str
    created_at: dt.datetime
    decided_at: dt.datetime | None = None
    decision_reason: str = ""


class DataSetOut(Schema):
    code: str
    name: str
    name_en: str
    description: str
    owner: OrganisationRef
    visibility: str
    visibility_label: str
    embargo_until: dt.datetime | None
    released: bool = Field(description="False while the embargo lasts.")
    is_demo: bool = Field(description="Dữ liệu minh họa: show the label to users when true.")


class DataSetDetailOut(DataSetOut):
    indicators: list[str] = Field(description="Codes of the indicators with published values.")
    shared_with: list[OrganisationRef] | None = Field(
        None, description="Named organisations; only for the owner's hierarchy."
    )
    may_manage: bool = Field(False, description="The caller may change sharing and decide.")
    pending_requests: list[AccessRequestOut] | None = Field(
        None, description="Pending access requests; only for those who may decide them."
    )


class DataSetPage(Schema):
    items: list[DataSetOut]
    next: str | None


class DataSetIn(Schema):
    code: str
    name: str
    owner: str = Field(description="Code of the owning organisation.")
    name_en: str = ""
    description: str = ""
    visibility: str = Visibility.OWNER
    shared_with: list[str] = Field(default_factory=list)
    embargo_until: dt.datetime | None = None
    is_demo: bool = False


class SharingPatch(Schema):
    visibility: str | None = None
    shared_with: list[str] | None = None
    embargo_until: dt.datetime | None = None


class AccessRequestIn(Schema):
    reason: str
    organisation: str | None = Field(
        None, description="Code of the asking organisation; optional if you belong to one."
    )


class AcceptedOut(Schema):
    code: str
    message: str


class ReasonIn(Schema):
    reason: str = ""


class BatchOut(Schema):
    id: int
    dataset: str
    status: str
    status_label: str
    source: str
    file_name: str
    file_format: str
    rows_total: int
    rows_done: int
    progress_percent: int
    created_at: dt.datetime
    finished_at: dt.datetime | None
    submitted_by: str | None
    decided_by: str | None
    decided_at: dt.datetime | None
    decision_reason: str


class BatchPage(Schema):
    items: list[BatchOut]
    next: str | None


class StagedValueOut(Schema):
    row: int
    indicator: str
    unit: str
    period: str
    disaggregation: str
    value: str
    status: str
    current_value: str | None
    current_status: str | None
    change: str = Field(description="new, changed or unchanged against the published value.")


class StagedPage(Schema):
    items: list[StagedValueOut]
    next: str | None


class BatchDetailOut(BatchOut):
    report: dict[str, Any]
    counts: dict[str, int] | None = Field(
        None, description="new/changed/unchanged/total, for reviewers, before publication."
    )
    staged: StagedPage | None = Field(
        None, description="Staged values (keyset paged), only for those who may review."
    )


# --- Helpers ---------------------------------------------------------------------------------


@contextmanager
def _service_errors():
    """A service's refusal (ValidationError) answered as a 400 naming the field to fix."""
    try:
        yield
    except ValidationError as exc:
        raise validation_error(exc, name_fields=False) from exc


def _aware(moment: dt.datetime | None) -> dt.datetime | None:
    """A date-time without offset is read in Asia/Ho_Chi_Minh, as the pages show it."""
    if moment is not None and timezone.is_naive(moment):
        return timezone.make_aware(moment)
    return moment


def _organisations(codes: list[str], field: str) -> list[Organisation]:
    found = {o.code: o for o in Organisation.objects.filter(code__in=codes)}
    missing = [c for c in codes if c not in found]
    if missing:
        raise ApiError(
            "unknown_organisation",
            _("Không có cơ quan mã %(codes)s; xem danh bạ tại /api/v1/organisations.")
            % {"codes": ", ".join(missing)},
            field=field,
        )
    return [found[c] for c in codes]


def _dataset(request, code: str) -> DataSet:
    found = readable_datasets(request.user).select_related("owner").filter(code=code).first()
    if found is None:
        raise Http404(_("Không có bộ dữ liệu mã “%(code)s” mà bạn được xem.") % {"code": code})
    return found


def _ref(org: Organisation) -> dict:
    return {"code": org.code, "name": org.name}


def _dataset_out(ds: DataSet) -> dict:
    return {
        "code": ds.code,
        "name": ds.name,
        "name_en": ds.name_en,
        "description": ds.description,
        "owner": _ref(ds.owner),
        "visibility": ds.visibility,
        "visibility_label": str(Visibility(ds.visibility).label),
        "embargo_until": ds.embargo_until,
        "released": ds.is_released(),
        "is_demo": ds.is_demo,
    }


def on_owner_side(user, ds: DataSet) -> bool:
    """Members of the owner or an organisation above it, and system admins."""
    who = principal_for(user)
    return who.is_system_admin or who.rank_in(ds.owner) >= ROLE_RANK[Role.VIEWER]


def _request_out(req: AccessRequest) -> dict:
    return {
        "id": req.pk,
        "dataset": req.dataset.code,
        "organisation": _ref(req.organisation),
        "requested_by": req.requested_by.username,
        "reason": req.reason,
        "status": req.status,
        "status_label": str(AccessRequestStatus(req.status).label),
        "created_at": req.created_at,
        "decided_at": req.decided_at,
        "decision_reason": req.decision_reason,
    }


def _dataset_detail(request, ds: DataSet) -> dict:
    body = _dataset_out(ds)
    body["indicators"] = list(
        Indicator.objects.filter(values__dataset=ds)
        .distinct()
        .order_by("code")
        .values_list("code", flat=True)
    )
    if on_owner_side(request.user, ds):
        body["shared_with"] = [_ref(o) for o in ds.shared_with.order_by("code")]
    if can(request.user, Action.APPROVE, ds):
        body["may_manage"] = True
        pending = ds.access_requests.filter(status=AccessRequestStatus.PENDING).select_related(
            "dataset", "organisation", "requested_by"
        )
        body["pending_requests"] = [_request_out(r) for r in pending]
    return body


def _batch(request, batch_id: int) -> ImportBatch:
    found = (
        visible_batches(require_user(request))
        .select_related("dataset", "dataset__owner", "submitted_by", "decided_by")
        .filter(pk=batch_id)
        .first()
    )
    if found is None:
        raise Http404(_("Không có lô dữ liệu #%(id)s mà bạn được xem.") % {"id": batch_id})
    return found


def _batch_out(batch: ImportBatch) -> dict:
    return {
        "id": batch.pk,
        "dataset": batch.dataset.code,
        "status": batch.status,
        "status_label": str(BatchStatus(batch.status).label),
        "source": batch.source,
        "file_name": batch.file_name,
        "file_format": batch.file_format,
        "rows_total": batch.rows_total,
        "rows_done": batch.rows_done,
        "progress_percent": batch.progress_percent,
        "created_at": batch.created_at,
        "finished_at": batch.finished_at,
        "submitted_by": batch.submitted_by.username if batch.submitted_by_id else None,
        "decided_by": batch.decided_by.username if batch.decided_by_id else None,
        "decided_at": batch.decided_at,
        "decision_reason": batch.decision_reason,
    }


def _staged_out(staged) -> dict:
    return {
        "row": staged.row_number,
        "indicator": staged.indicator.code,
        "unit": staged.unit.code,
        "period": staged.period,
        "disaggregation": staged.disaggregation,
        "value": str(staged.value),
        "status": staged.status,
        "current_value": None if staged.current_value is None else str(staged.current_value),
        "current_status": staged.current_status,
        "change": change_kind(staged),
    }


# --- Data sets -------------------------------------------------------------------------------


@router.get(
    "/datasets",
    response={200: DataSetPage, **READ_ERRORS},
    summary="Danh sách bộ dữ liệu được xem",
    description=(
        "Data sets whose values the caller may read now: public ones after their embargo, "
        "those of the caller's organisations (and below), those shared with them by name. "
        "Ordered by code, keyset paged (pass `next` as `after`). Filters: `owner` "
        "(organisation code), `visibility` (public, named, owner)."
    ),
)
def list_datasets(
    request,
    owner: str | None = None,
    visibility: str | None = None,
    after: str | None = None,
    limit: Limit = 100,
):
    qs = readable_datasets(request.user).select_related("owner")
    if owner:
        qs = qs.filter(owner__code=owner)
    if visibility:
        qs = qs.filter(visibility=visibility)
    rows, next_cursor = keyset_page(qs, order=("code",), kinds=(str,), after=after, limit=limit)
    return {"items": [_dataset_out(d) for d in rows], "next": next_cursor}


@router.post(
    "/datasets",
    auth=SIGNED_IN,
    response={201: DataSetDetailOut, **WRITE_ERRORS},
    exclude_unset=True,
    summary="Tạo bộ dữ liệu",
    description=(
        "Create a data set of an organisation (editor there or above). It starts visible to "
        "the owner only; any other visibility, named organisations or an embargo needs the "
        "approver role. Audited."
    ),
)
def create_dataset(request, payload: DataSetIn):
    user = require_user(request)
    owner = _organisations([payload.owner], "owner")[0]
    with _service_errors():
        ds = datasets.create_dataset(
            actor=user,
            owner=owner,
            code=payload.code,
            name=payload.name,
            name_en=payload.name_en,
            description=payload.description,
            visibility=payload.visibility,
            shared_with=_organisations(payload.shared_with, "shared_with"),
            embargo_until=_aware(payload.embargo_until),
            is_demo=payload.is_demo,
        )
    return Status(201, _dataset_detail(request, ds))


@router.get(
    "/datasets/{code}",
    response={200: DataSetDetailOut, **READ_ERRORS},
    exclude_unset=True,
    summary="Thông tin một bộ dữ liệu",
    description=(
        "One data set the caller may read (404 otherwise, as for an unknown code). "
        "`shared_with` is given to the owner's hierarchy; `pending_requests` to those who may "
        "grant or refuse them (the owner's approvers and admins)."
    ),
)
def get_dataset(request, code: str):
    return _dataset_detail(request, _dataset(request, code))


@router.patch(
    "/datasets/{code}/sharing",
    auth=SIGNED_IN,
    response={200: DataSetDetailOut, **WRITE_ERRORS},
    exclude_unset=True,
    summary="Đổi phạm vi chia sẻ của bộ dữ liệu",
    description=(
        "Change `visibility` (public, named, owner), `shared_with` (organisation codes) and "
        "`embargo_until` (ISO date-time; null lifts the embargo); send only what changes. "
        "Needs the approver role in the owner's hierarchy. Setting visibility to owner empties "
        "the named list. Audited with before and after."
    ),
)
def patch_sharing(request, code: str, payload: SharingPatch):
    user = require_user(request)
    ds = _dataset(request, code)
    sent = payload.model_dump(exclude_unset=True)
    changes: dict[str, Any] = {}
    if sent.get("visibility") is not None:
        changes["visibility"] = sent["visibility"]
    if sent.get("shared_with") is not None:
        changes["shared_with"] = _organisations(sent["shared_with"], "shared_with")
    if "embargo_until" in sent:
        changes["embargo_until"] = _aware(sent["embargo_until"])
    with _service_errors():
        datasets.update_dataset_sharing(actor=user, dataset=ds, **changes)
    return _dataset_detail(request, ds)


# --- Access requests -------------------------------------------------------------------------


def asking_organisation(user, code: str | None) -> Organisation:
    """The organisation named by ``code``, or the caller's only one."""
    if code:
        return _organisations([code], "organisation")[0]
    orgs = {m.organisation_id: m.organisation for m in principal_for(user).memberships}
    if len(orgs) != 1:
        raise ApiError(
            "organisation_required",
            _("Bạn thuộc %(n)s cơ quan; ghi mã cơ quan đề nghị vào trường organisation.")
            % {"n": len(orgs)},
            field="organisation",
        )
    return next(iter(orgs.values()))


ACCEPTED_MESSAGE = gettext_lazy(
    "Đã ghi nhận đề nghị. Nếu mã bộ dữ liệu đúng, cơ quan chủ quản sẽ xem xét và trả lời; "
    "khi được cấp quyền, bộ dữ liệu hiện trong danh sách của bạn."
)


@router.post(
    "/datasets/{code}/access-requests",
    auth=SIGNED_IN,
    response={201: AccessRequestOut, 202: AcceptedOut, **WRITE_ERRORS},
    summary="Đề nghị được xem một bộ dữ liệu",
    description=(
        "A member of an organisation asks the owner for access, with a reason. For a data set "
        "the caller already sees, the answer is 201 with the request; for a code the caller "
        "does not see, 202 with the same message whether or not it exists (a restricted data "
        "set is never revealed). One pending request per organisation and data set."
    ),
)
def create_access_request(request, code: str, payload: AccessRequestIn):
    user = require_user(request)
    organisation = asking_organisation(user, payload.organisation)
    with _service_errors():
        access.check_request(actor=user, organisation=organisation, reason=payload.reason)
        visible = readable_datasets(user).filter(code=code).first()
        if visible is None:
            hidden = DataSet.objects.filter(code=code).first()
            if hidden is not None:
                access.request_access_quietly(
                    actor=user, dataset=hidden, organisation=organisation, reason=payload.reason
                )
            return Status(202, {"code": "accepted", "message": str(ACCEPTED_MESSAGE)})
        req = access.request_access(
            actor=user, dataset=visible, organisation=organisation, reason=payload.reason
        )
    return Status(201, _request_out(req))


def _decidable_request(request, request_id: int) -> AccessRequest:
    user = require_user(request)
    found = (
        AccessRequest.objects.filter(
            pk=request_id, dataset__in=datasets_where(user, Action.APPROVE)
        )
        .select_related("dataset", "dataset__owner", "organisation", "requested_by")
        .first()
    )
    if found is None:
        raise Http404(
            _("Không có đề nghị truy cập #%(id)s mà bạn được quyết định.") % {"id": request_id}
        )
    return found


@router.post(
    "/access-requests/{request_id}/grant",
    auth=SIGNED_IN,
    response={200: AccessRequestOut, **WRITE_ERRORS},
    summary="Cấp quyền xem theo đề nghị",
    description=(
        "The owner's approver grants a pending request: the organisation joins the named "
        "organisations; an owner-only data set becomes named. `reason` is optional. Audited."
    ),
)
def grant_access_request(request, request_id: int, payload: ReasonIn):
    req = _decidable_request(request, request_id)
    with _service_errors():
        access.grant_access(actor=request.user, access_request=req, reason=payload.reason)
    return _request_out(req)


@router.post(
    "/access-requests/{request_id}/refuse",
    auth=SIGNED_IN,
    response={200: AccessRequestOut, **WRITE_ERRORS},
    summary="Từ chối đề nghị truy cập",
    description="The owner's approver refuses a pending request; `reason` is required. Audited.",
)
def refuse_access_request(request, request_id: int, payload: ReasonIn):
    req = _decidable_request(request, request_id)
    with _service_errors():
        access.refuse_access(actor=request.user, access_request=req, reason=payload.reason)
    return _request_out(req)


# --- Batches and the approval workflow -------------------------------------------------------


@router.get(
    "/batches",
    auth=SIGNED_IN,
    response={200: BatchPage, **READ_ERRORS},
    summary="Các lô dữ liệu (nhập, duyệt, công bố)",
    description=(
        "Import batches the caller may see: those of data sets owned in the caller's "
        "hierarchy, and those the caller sent. Newest first, keyset paged. Filters: `status` "
        "(pending, running, failed, checked, draft, submitted, approved, published, rejected) "
        "and `dataset` (code)."
    ),
)
def list_batches(
    request,
    status: str | None = None,
    dataset: str | None = None,
    after: str | None = None,
    limit: Limit = 100,
):
    user = require_user(request)
    qs = visible_batches(user).select_related("dataset", "submitted_by", "decided_by")
    if status:
        if status not in BatchStatus.values:
            raise ApiError(
                "invalid_status",
                _("Trạng thái “%(value)s” không hợp lệ; dùng một trong: %(allowed)s.")
                % {"value": status, "allowed": ", ".join(BatchStatus.values)},
                field="status",
            )
        qs = qs.filter(status=status)
    if dataset:
        qs = qs.filter(dataset__code=dataset)
    rows, next_cursor = newest_first_page(qs, after=after, limit=limit, moment="created_at")
    return {"items": [_batch_out(b) for b in rows], "next": next_cursor}


@router.get(
    "/batches/{batch_id}",
    auth=SIGNED_IN,
    response={200: BatchDetailOut, **READ_ERRORS},
    exclude_unset=True,
    summary="Một lô dữ liệu: tiến độ, báo cáo kiểm tra, giá trị chờ duyệt",
    description=(
        "Status, progress and the validation report. For those who may review the batch "
        "(editors and approvers of the owner, the sender): `counts` (new, changed, unchanged "
        "against the published values) and `staged`, the staged values in file order with "
        "the value each replaces, keyset paged (`after`, `limit`; `changes_only=true` skips "
        "unchanged values)."
    ),
)
def get_batch(
    request,
    batch_id: int,
    after: str | None = None,
    limit: Limit = 100,
    changes_only: bool = False,
):
    batch = _batch(request, batch_id)
    body = {**_batch_out(batch), "report": batch.report or {}}
    if may_see_staged(request.user, batch):
        if batch.status != BatchStatus.PUBLISHED:
            body["counts"] = change_counts([batch.pk])[batch.pk]
        rows, next_cursor = keyset_page(
            staged_values(batch, changes_only=changes_only),
            order=("row_number", "id"),
            kinds=(int, int),
            after=after,
            limit=limit,
        )
        body["staged"] = {"items": [_staged_out(s) for s in rows], "next": next_cursor}
    return body


def _step(request, batch_id: int, service, **kwargs) -> dict:
    batch = _batch(request, batch_id)
    with _service_errors():
        service(actor=request.user, batch=batch, **kwargs)
    return _batch_out(batch)


@router.post(
    "/batches/{batch_id}/submit",
    auth=SIGNED_IN,
    response={200: BatchOut, **WRITE_ERRORS},
    summary="Gửi duyệt một lô bản nháp",
    description="Draft → submitted; an editor of the data set's owner. Audited.",
)
def submit_batch(request, batch_id: int):
    return _step(request, batch_id, workflow.submit_batch)


@router.post(
    "/batches/{batch_id}/approve",
    auth=SIGNED_IN,
    response={200: BatchOut, **WRITE_ERRORS},
    summary="Phê duyệt một lô",
    description=(
        "Submitted → approved; an approver of the owner who neither prepared nor submitted "
        "the batch (four eyes, system admins included). Audited."
    ),
)
def approve_batch(request, batch_id: int):
    return _step(request, batch_id, workflow.approve_batch)


@router.post(
    "/batches/{batch_id}/reject",
    auth=SIGNED_IN,
    response={200: BatchOut, **WRITE_ERRORS},
    summary="Trả lại một lô",
    description="Submitted or approved → rejected, with a required `reason`. Audited.",
)
def reject_batch(request, batch_id: int, payload: ReasonIn):
    return _step(request, batch_id, workflow.reject_batch, reason=payload.reason)


@router.post(
    "/batches/{batch_id}/publish",
    auth=SIGNED_IN,
    response={200: BatchOut, **WRITE_ERRORS},
    summary="Công bố một lô đã phê duyệt",
    description=(
        "Approved → published: the values become current (older ones kept as revisions). "
        "Under an embargo they stay hidden from everyone outside the owner's hierarchy until "
        "`embargo_until`. An approver of the owner. Audited."
    ),
)
def publish_batch(request, batch_id: int):
    return _step(request, batch_id, workflow.publish_batch_now)
