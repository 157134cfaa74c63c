"""Reads of the audit trail: who may see which events, filters, and keyset pages."""

from __future__ import annotations

import datetime as dt
import json

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from regionlink.audit.models import AuditEvent
from regionlink.organisations.models import Membership, Organisation
from regionlink.organisations.permissions import principal_for
from regionlink.organisations.selectors import (
    Page,
    administered_organisation_ids,
    decode_cursor,
    encode_cursor,
)

AUDIT_PAGE_SIZE = 50
ORGANISATION = "organisations.organisation"
MEMBERSHIP = "organisations.membership"
USER = "organisations.user"


def visible_events(user) -> QuerySet[AuditEvent]:
    """System admins: every event. Organisation admins: events on their organisations (and
    those below), on their memberships and members, and everything their members did."""
    who = principal_for(user)
    if who.is_system_admin:
        return AuditEvent.objects.all()
    organisation_ids = administered_organisation_ids(user)
    if not organisation_ids:
        return AuditEvent.objects.none()
    codes = list(
        Organisation.objects.filter(pk__in=organisation_ids)
        .order_by()
        .values_list("code", flat=True)
    )
    member_ids = list(
        Membership.objects.filter(organisation_id__in=organisation_ids)
        .order_by()
        .values_list("user_id", flat=True)
        .distinct()
    )
    return AuditEvent.objects.filter(
        Q(object_type=ORGANISATION, object_id__in=[str(pk) for pk in organisation_ids])
        # Membership events name the organisation by code; a removed one only in ``before``.
        | Q(object_type=MEMBERSHIP, after__organisation__in=codes)
        | Q(object_type=MEMBERSHIP, before__organisation__in=codes)
        | Q(object_type=USER, object_id__in=[str(pk) for pk in member_ids])
        | Q(actor_id__in=member_ids)
    )


def _start_of(day: dt.date) -> dt.datetime:
    """Local midnight (Asia/Ho_Chi_Minh) as an aware datetime."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def audit_page(
    *,
    user,
    action: str = "",
    object_type: str = "",
    actor: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    object_id: str = "",
    cursor: str | None = None,
    limit: int = AUDIT_PAGE_SIZE,
) -> Page:
    """Newest first, keyset-paged on (occurred_at, id) so no page counts the whole table."""
    events = visible_events(user)
    if action:
        events = events.filter(action__startswith=action)
    if object_type:
        events = events.filter(object_type=object_type)
    if actor:
        events = events.filter(Q(actor__username__iexact=actor) | Q(actor_label__iexact=actor))
    if date_from:
        events = events.filter(occurred_at__gte=_start_of(date_from))
    if date_to:
        events = events.filter(occurred_at__lt=_start_of(date_to + dt.timedelta(days=1)))
    if object_id:
        events = events.filter(object_id=object_id)
    after = decode_cursor(cursor, 2)
    if after is not None:
        try:
            moment, pk = dt.datetime.fromisoformat(after[0]), int(after[1])
        except (TypeError, ValueError):
            moment = None
        if moment is not None:
            events = events.filter(Q(occurred_at__lt=moment) | Q(occurred_at=moment, pk__lt=pk))
    rows = list(events.order_by("-occurred_at", "-pk")[: limit + 1])
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        next_cursor = encode_cursor(rows[-1].occurred_at.isoformat(), rows[-1].pk)
    return Page(rows=with_pretty_json(rows), next_cursor=next_cursor)


def event_for(user, pk: int) -> AuditEvent:
    """One event the user may see; any other is 'not found', so ids reveal nothing."""
    event = visible_events(user).filter(pk=pk).first()
    if event is None:
        raise Http404(_("Không có sự kiện nhật ký này hoặc bạn không được xem."))
    return with_pretty_json([event])[0]


def pretty_json(value) -> str:
    if value is None:
        return ""
    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True)


def with_pretty_json(events: list[AuditEvent]) -> list[AuditEvent]:
    """Attach ``before_json`` and ``after_json``: indented, Vietnamese left readable."""
    for event in events:
        event.before_json = pretty_json(event.before)
        event.after_json = pretty_json(event.after)
    return events
