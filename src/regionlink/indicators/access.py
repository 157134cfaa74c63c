"""Access requests: an organisation asks a data set's owner for access; the owner decides.

A member of the organisation asks, with a reason; the owner's approver (or organisation
admin) grants — the organisation joins the named organisations and an "owner only" data set
becomes "named" — or refuses with a reason. One request per organisation and data set may be
pending at a time. Every step is audited.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from regionlink.audit import services as audit
from regionlink.indicators.datasets import DataHubErrorCode as Code
from regionlink.indicators.datasets import invalid, sharing_snapshot
from regionlink.indicators.models import (
    AccessRequest,
    AccessRequestStatus,
    DataSet,
    Visibility,
)
from regionlink.indicators.sharing import organisation_reads
from regionlink.organisations.models import ROLE_RANK, Organisation, Role
from regionlink.organisations.permissions import Action, check, principal_for


def _check_member(actor, organisation: Organisation) -> None:
    who = principal_for(actor)
    if who.is_system_admin:
        return
    if not who.is_authenticated:
        raise PermissionDenied(_("Cần đăng nhập để gửi đề nghị truy cập."))
    if who.rank_in(organisation) < ROLE_RANK[Role.VIEWER]:
        raise invalid(
            Code.NOT_A_MEMBER,
            _(
                "Bạn không thuộc %(org)s nên không đề nghị thay cho cơ quan này được; chọn "
                "cơ quan bạn là thành viên."
            )
            % {"org": organisation},
            "organisation",
        )


def _pending_message(request: AccessRequest) -> str:
    return _(
        "%(org)s đã có đề nghị truy cập “%(dataset)s” đang chờ (gửi lúc %(when)s); hãy chờ "
        "cơ quan chủ quản trả lời trước khi gửi đề nghị mới."
    ) % {
        "org": request.organisation,
        "dataset": request.dataset,
        "when": timezone.localtime(request.created_at).strftime("%H:%M %d/%m/%Y"),
    }


def _require_reason(reason: str, message: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise invalid(Code.REASON_REQUIRED, message, "reason")
    return reason


def check_request(*, actor, organisation: Organisation, reason: str) -> str:
    """The checks of a request that do not depend on the data set; the cleaned reason."""
    _check_member(actor, organisation)
    return _require_reason(
        reason,
        _(
            "Cần ghi lý do đề nghị (dùng số liệu vào việc gì), ví dụ “Lập báo cáo đánh giá "
            "thực hiện quy hoạch vùng năm 2025”."
        ),
    )


@transaction.atomic
def request_access(
    *, actor, dataset: DataSet, organisation: Organisation, reason: str
) -> AccessRequest:
    """Ask, on behalf of ``organisation``, to read ``dataset``."""
    reason = check_request(actor=actor, organisation=organisation, reason=reason)
    if organisation_reads(dataset, organisation):
        raise invalid(
            Code.ALREADY_READS,
            _("%(org)s đã được xem “%(dataset)s”; không cần đề nghị.")
            % {"org": organisation, "dataset": dataset},
            "organisation",
        )
    pending = AccessRequest.objects.filter(
        dataset=dataset, organisation=organisation, status=AccessRequestStatus.PENDING
    ).first()
    if pending is not None:
        raise invalid(Code.REQUEST_PENDING, _pending_message(pending), "organisation")
    try:
        with transaction.atomic():  # the unique constraint settles a race between two askers
            request = AccessRequest.objects.create(
                dataset=dataset, organisation=organisation, requested_by=actor, reason=reason
            )
    except IntegrityError:
        pending = AccessRequest.objects.get(
            dataset=dataset, organisation=organisation, status=AccessRequestStatus.PENDING
        )
        raise invalid(Code.REQUEST_PENDING, _pending_message(pending), "organisation") from None
    audit.record(
        actor=actor,
        action="access_request.create",
        obj=request,
        after={
            "dataset": dataset.code,
            "organisation": organisation.code,
            "reason": reason,
            "status": request.status,
        },
    )
    return request


def request_access_quietly(
    *, actor, dataset: DataSet, organisation: Organisation, reason: str
) -> AccessRequest | None:
    """``request_access`` for a data set the asker cannot see: a refusal (already pending)
    is not reported, so the answer never tells whether the code exists."""
    try:
        with transaction.atomic():
            return request_access(
                actor=actor, dataset=dataset, organisation=organisation, reason=reason
            )
    except ValidationError:
        return None


def _decide(actor, request: AccessRequest, status: str, reason: str) -> None:
    """Lock the request, check it is still pending, then record the decision."""
    request.status = (
        AccessRequest.objects.select_for_update()
        .values_list("status", flat=True)
        .get(pk=request.pk)
    )
    if request.status != AccessRequestStatus.PENDING:
        raise invalid(
            Code.REQUEST_DECIDED,
            _("Đề nghị #%(id)s đã được trả lời (%(status)s); không quyết định lại được.")
            % {"id": request.pk, "status": AccessRequestStatus(request.status).label},
        )
    request.status = status
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.decision_reason = reason
    request.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])


@transaction.atomic
def grant_access(*, actor, access_request: AccessRequest, reason: str = "") -> AccessRequest:
    """Grant a pending request: the organisation is named, "owner only" becomes "named"."""
    dataset = access_request.dataset
    check(actor, Action.APPROVE, dataset)
    reason = (reason or "").strip()
    _decide(actor, access_request, AccessRequestStatus.GRANTED, reason)
    before = sharing_snapshot(dataset)
    if dataset.visibility == Visibility.OWNER:
        dataset.visibility = Visibility.NAMED
        dataset.save(update_fields=["visibility"])
    dataset.shared_with.add(access_request.organisation)
    old, new = audit.changes(before, sharing_snapshot(dataset))
    audit.record(
        actor=actor,
        action="access_request.grant",
        obj=access_request,
        before={"status": AccessRequestStatus.PENDING},
        after={"status": AccessRequestStatus.GRANTED, "reason": reason},
    )
    if new:
        audit.record(
            actor=actor, action="dataset.sharing.update", obj=dataset, before=old, after=new
        )
    return access_request


@transaction.atomic
def refuse_access(*, actor, access_request: AccessRequest, reason: str) -> AccessRequest:
    """Refuse a pending request, with the reason the organisation is told."""
    check(actor, Action.APPROVE, access_request.dataset)
    reason = _require_reason(
        reason,
        _(
            "Cần ghi lý do từ chối đề nghị #%(id)s để cơ quan đề nghị biết, ví dụ “Số liệu "
            "đang được hiệu chỉnh, sẽ công khai sau ngày 15/01”."
        )
        % {"id": access_request.pk},
    )
    _decide(actor, access_request, AccessRequestStatus.REFUSED, reason)
    audit.record(
        actor=actor,
        action="access_request.refuse",
        obj=access_request,
        before={"status": AccessRequestStatus.PENDING},
        after={"status": AccessRequestStatus.REFUSED, "reason": reason},
    )
    return access_request
