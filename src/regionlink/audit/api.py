"""Audit API: the append-only trail, newest first, for those allowed to read it.

System administrators read everything. An organisation administrator reads the events about
the organisations they administer (and those below them) and the events done by their
members; nobody else reads the trail.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router

from regionlink.audit.models import AuditEvent
from regionlink.audit.schemas import AuditPage, Moment
from regionlink.core.api import ApiError, decode_cursor, encode_cursor
from regionlink.geography.schemas import ErrorBody, Limit
from regionlink.organisations.api import SIGNED_IN, require_user
from regionlink.organisations.models import Membership, Organisation, Role
from regionlink.organisations.permissions import can_view_audit, principal_for

router = Router(tags=["audit"])

ORGANISATION_TYPE = "organisations.organisation"


def _invalid_cursor() -> ApiError:
    return ApiError(
        "invalid_cursor",
        _("Con trỏ trang (after) không hợp lệ; dùng nguyên giá trị “next” của trang trước."),
        field="after",
    )


def newest_first_page(queryset, *, after: str | None, limit: int):
    """Keyset page on (-occurred_at, -id): rows strictly older than the cursor, and the next cursor.

    ``core.api.keyset_page`` walks ascending orders only; the trail is read newest first.
    """
    qs = queryset.order_by("-occurred_at", "-id")
    if after:
        values = decode_cursor(after)
        try:
            moment_text, pk = values
            moment = dt.datetime.fromisoformat(moment_text)
        except (TypeError, ValueError):
            raise _invalid_cursor() from None
        if timezone.is_naive(moment) or not isinstance(pk, int) or isinstance(pk, bool):
            raise _invalid_cursor()
        qs = qs.filter(Q(occurred_at__lt=moment) | Q(occurred_at=moment, id__lt=pk))
    rows = list(qs[: limit + 1])
    has_more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = None
    if has_more and rows:
        last = rows[-1]
        next_cursor = encode_cursor([last.occurred_at.isoformat(), last.pk])
    return rows, next_cursor


def administered_organisation_ids(user) -> set[int]:
    """Organisations where ``user`` is an organisation admin, and all below them."""
    ids = {m.organisation_id for m in principal_for(user).memberships if m.role == Role.ORG_ADMIN}
    frontier = set(ids)
    while frontier:
        frontier = set(
            Organisation.objects.filter(parent_id__in=frontier)
            .exclude(pk__in=ids)
            .values_list("pk", flat=True)
        )
        ids |= frontier
    return ids


def _visible_to(user) -> Q | None:
    """None for the whole trail; otherwise the part an organisation admin may read."""
    if principal_for(user).is_system_admin:
        return None
    ids = administered_organisation_ids(user)
    members = Membership.objects.filter(organisation_id__in=ids).values("user_id")
    return Q(object_type=ORGANISATION_TYPE, object_id__in=[str(pk) for pk in ids]) | Q(
        actor_id__in=members
    )


def _start(moment: dt.datetime | dt.date) -> dt.datetime:
    if isinstance(moment, dt.datetime):
        return moment if timezone.is_aware(moment) else timezone.make_aware(moment)
    return timezone.make_aware(dt.datetime.combine(moment, dt.time.min))


@router.get(
    "/audit",
    auth=SIGNED_IN,
    response={200: AuditPage, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody},
    summary="Nhật ký hệ thống (chỉ quản trị)",
    description=(
        "Audit events, newest first, with keyset paging (pass `next` as `after`). System "
        "administrators see every event; organisation administrators see events about the "
        "organisations they administer (and those below them) and events done by their "
        "members. Filters: `action`, `object_type`, `object_id`, `actor` (username or actor "
        "label), `since` and `until` (ISO date or date-time; a date means that whole day in "
        "Asia/Ho_Chi_Minh, both ends included). Anonymous callers get 401, others 403."
    ),
)
def list_audit_events(
    request,
    action: str | None = None,
    object_type: str | None = None,
    object_id: str | None = None,
    actor: str | None = None,
    since: Moment | None = None,
    until: Moment | None = None,
    after: str | None = None,
    limit: Limit = 100,
):
    user = require_user(request)
    if not can_view_audit(user):
        raise PermissionDenied(
            _(
                "Chỉ quản trị hệ thống hoặc quản trị cơ quan được xem nhật ký hệ thống; liên hệ "
                "quản trị cơ quan của bạn nếu cần."
            )
        )
    qs = AuditEvent.objects.annotate(actor_username=F("actor__username"))
    visible = _visible_to(user)
    if visible is not None:
        qs = qs.filter(visible)
    if action:
        qs = qs.filter(action=action)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if object_id:
        qs = qs.filter(object_id=object_id)
    if actor:
        qs = qs.filter(Q(actor__username=actor) | Q(actor_label=actor))
    if since:
        qs = qs.filter(occurred_at__gte=_start(since))
    if until:
        if isinstance(until, dt.datetime):
            qs = qs.filter(occurred_at__lte=_start(until))
        else:
            qs = qs.filter(occurred_at__lt=_start(until + dt.timedelta(days=1)))
    rows, next_cursor = newest_first_page(qs, after=after, limit=limit)
    items = [
        {
            "id": e.pk,
            "occurred_at": timezone.localtime(e.occurred_at),
            "actor": e.actor_username,
            "actor_label": e.actor_label,
            "action": e.action,
            "object_type": e.object_type,
            "object_id": e.object_id,
            "object_repr": e.object_repr,
            "before": e.before,
            "after": e.after,
            "request_id": e.request_id,
        }
        for e in rows
    ]
    return {"items": items, "next": next_cursor}
