"""Record audit events. Every service that writes calls :func:`record` in its transaction."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid

from django.db import models
from django.forms.models import model_to_dict
from django.utils import timezone

from regionlink.audit.models import AuditEvent
from regionlink.core.middleware import current_request_id


def _jsonable(value):
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    return value


def snapshot(obj: models.Model, fields: list[str] | None = None, exclude=()) -> dict:
    """A JSON-safe dict of a model instance's concrete and many-to-many fields."""
    data = model_to_dict(obj, fields=fields, exclude=list(exclude))
    return _jsonable(data)


def record(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    before: dict | None = None,
    after: dict | None = None,
    ip_address: str | None = None,
) -> AuditEvent:
    """Append one audit event; call inside the transaction of the write it describes."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:250]
    is_person = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEvent.objects.create(
        occurred_at=timezone.now(),
        actor=actor if is_person else None,
        actor_label=(str(actor) if is_person else (actor if isinstance(actor, str) else "system"))[
            :150
        ],
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr,
        before=_jsonable(before),
        after=_jsonable(after),
        request_id=current_request_id(),
        ip_address=ip_address,
    )


def changes(before: dict, after: dict) -> tuple[dict, dict]:
    """Only the keys whose values differ, for compact before/after records."""
    keys = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
    return {k: before.get(k) for k in keys}, {k: after.get(k) for k in keys}
