"""Audit API: the append-only trail, newest first, for those allowed to read it.

Who sees which events, and what the filters mean, is ``audit.selectors``: the same answer as
the audit pages.
"""

from __future__ import annotations

from django.db.models import F
from django.utils import timezone
from ninja import Router

from regionlink.audit import selectors
from regionlink.audit.schemas import AuditPage, Moment
from regionlink.core.api import ErrorBody, Limit, require_user
from regionlink.core.paging import newest_first_page
from regionlink.organisations.permissions import check_view_audit
from regionlink.organisations.tokens import SIGNED_IN

router = Router(tags=["audit"])


@router.get(
    "/audit",
    auth=SIGNED_IN,
    response={200: AuditPage, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody},
    summary="Nhật ký hệ thống (chỉ quản trị)",
    description=(
        "Audit events, newest first, with keyset paging (pass `next` as `after`). System "
        "administrators see every event; organisation administrators see events about the "
        "organisations they administer (and those below them), about their memberships and "
        "members, and events done by their members: the same part as on the audit pages. "
        "Filters: `action` (an action or its beginning, e.g. `membership.`), `object_type`, "
        "`object_id`, `actor` (username or actor label, case ignored), `since` and `until` "
        "(ISO date or date-time; a date means that whole day in Asia/Ho_Chi_Minh, both ends "
        "included). Anonymous callers get 401, others 403."
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
    check_view_audit(user)
    events = selectors.matching_events(
        user,
        action=action or "",
        object_type=object_type or "",
        object_id=object_id or "",
        actor=actor or "",
        since=since,
        until=until,
    )
    page = newest_first_page(
        events.annotate(actor_username=F("actor__username")), after=after, limit=limit
    )
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
        for e in page.rows
    ]
    return {"items": items, "next": page.next_cursor}
