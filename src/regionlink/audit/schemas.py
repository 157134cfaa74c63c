"""Shapes of the audit API."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError


def _moment(value):
    """An ISO date or date-time; a date stays a date so the handler can take the whole day."""
    if value is None or value == "" or isinstance(value, dt.date):
        return value or None
    text = str(value)
    try:
        if len(text) == 10:
            return dt.date.fromisoformat(text)
        return dt.datetime.fromisoformat(text)
    except ValueError:
        message = _(
            "“%(value)s” không phải thời điểm hợp lệ; dùng ngày YYYY-MM-DD hoặc "
            "YYYY-MM-DDTHH:MM:SS+07:00, ví dụ 2026-01-31."
        ) % {"value": value}
        raise PydanticCustomError("invalid_datetime", message) from None


Moment = Annotated[dt.datetime | dt.date, BeforeValidator(_moment)]


class AuditEventOut(Schema):
    id: int
    occurred_at: dt.datetime
    actor: str | None
    actor_label: str
    action: str
    object_type: str
    object_id: str
    object_repr: str
    before: Any = None
    after: Any = None
    request_id: str


class AuditPage(Schema):
    items: list[AuditEventOut]
    next: str | None
