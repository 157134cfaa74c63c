"""Reads of the audit trail, for the pages and the API alike: who may see which events, the
filters, and newest-first keyset pages."""

from __future__ import annotations

import datetime as dt
import json

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from regionlink.audit.models import AuditEvent
from regionlink.core.paging import Page, newest_first_page
from regionlink.organisations.models import Membership, Organisation
from regionlink.organisations.permissions import principal_for
from regionlink.organisations.selectors import administered_organisation_ids

AUDIT_PAGE_SIZE = 50
ORGANISATION = "organisations.organisation"
MEMBERSHIP = "organisations.membership"
USER = "organisations.user"


def visible_events(user) -> QuerySet[AuditEvent]:
    """System admins: every event. Organisation admins: events on their organisations (and
    those below), on their memberships and members, and everything their members did.
    Anyone else: nothing."""
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


def _aware(moment: dt.datetime | dt.date) -> dt.datetime:
    """A date as its local midnight (Asia/Ho_Chi_Minh); a naive date-time as local time."""
    if not isinstance(moment, dt.datetime):
        moment = dt.datetime.combine(moment, dt.time.min)
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def matching_events(
    user,
    *,
    action: str = "",
    object_type: str = "",
    object_id: str = "",
    actor: str = "",
    since: dt.date | dt.datetime | None = None,
    until: dt.date | dt.datetime | None = None,
) -> QuerySet[AuditEvent]:
    """The events ``user`` may see that match every filter given.

    ``action`` matches its beginning too ("membership." finds every membership change);
    ``actor`` is a user name or actor label, case ignored; ``since`` and ``until`` include
    their bounds, and a date means that whole local day.
    """
    events = visible_events(user)
    if action:
        events = events.filter(action__startswith=action)
    if object_type:
        events = events.filter(object_type=object_type)
    if object_id:
        events = events.filter(object_id=object_id)
    if actor:
        events = events.filter(Q(actor__username__iexact=actor) | Q(actor_label__iexact=actor))
    if since:
        events = events.filter(occurred_at__gte=_aware(since))
    if until:
        if isinstance(until, dt.datetime):
            events = events.filter(occurred_at__lte=_aware(until))
        else:
            events = events.filter(occurred_at__lt=_aware(until + dt.timedelta(days=1)))
    return events


def audit_page(*, user, cursor: str | None = None, limit: int = AUDIT_PAGE_SIZE, **filters) -> Page:
    """One page of the audit pages' list, newest first; a bad cursor starts again at the top."""
    page = newest_first_page(
        matching_events(user, **filters), after=cursor, limit=limit, lenient=True
    )
    return Page(with_pretty_json(page.rows), page.next_cursor)


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
