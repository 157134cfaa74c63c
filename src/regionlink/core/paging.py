"""Keyset paging for pages and API alike: opaque cursors, ascending and newest-first pages.

Keyset paging never counts the whole table and stays stable while rows are added. A cursor is
the sort key of the last row shown, as URL-safe base64 JSON; its values are checked against
the kinds the order expects before they reach SQL.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Sequence
from typing import NamedTuple

from django.db.models import Q
from django.utils import timezone


class InvalidCursor(ValueError):
    """A cursor that is not one of ours (tampered, truncated, or from another list)."""


class Page(NamedTuple):
    """One keyset page: the rows and the cursor of the next page (None on the last one)."""

    rows: list
    next_cursor: str | None


def encode_cursor(values: Sequence) -> str:
    raw = json.dumps(list(values), separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, kinds: Sequence[type] | None = None) -> list:
    """The values in ``cursor``, one of each of ``kinds`` when given.

    ``dt.date`` and ``dt.datetime`` values travel as ISO text and come back parsed; a date-time
    must carry its offset. Anything else raises InvalidCursor.
    """
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except ValueError as exc:  # binascii, JSON and Unicode errors are all ValueErrors
        raise InvalidCursor(cursor) from exc
    if not isinstance(values, list):
        raise InvalidCursor(cursor)
    if kinds is None:
        return values
    if len(values) != len(kinds):
        raise InvalidCursor(cursor)
    return [_checked(value, kind, cursor) for value, kind in zip(values, kinds, strict=True)]


def _checked(value, kind: type, cursor: str):
    if kind in (dt.date, dt.datetime):
        try:
            parsed = kind.fromisoformat(value)
        except (TypeError, ValueError):
            raise InvalidCursor(cursor) from None
        if kind is dt.datetime and timezone.is_naive(parsed):
            raise InvalidCursor(cursor)
        return parsed
    if not isinstance(value, kind) or isinstance(value, bool):
        raise InvalidCursor(cursor)
    return value


def _first_page_if_invalid(cursor: str | None, kinds: Sequence[type], lenient: bool):
    """Decoded cursor values; None for no cursor, or for a bad one when ``lenient``."""
    if not cursor:
        return None
    try:
        return decode_cursor(cursor, kinds)
    except InvalidCursor:
        if lenient:
            return None
        raise


def _page(qs, limit: int, key) -> Page:
    rows = list(qs[: limit + 1])
    if len(rows) <= limit:
        return Page(rows, None)
    rows = rows[:limit]
    return Page(rows, encode_cursor(key(rows[-1])))


def keyset_page(
    queryset,
    *,
    order: Sequence[str],
    after: str | None,
    limit: int,
    kinds: Sequence[type] | None = None,
    lenient: bool = False,
) -> Page:
    """Rows after the cursor in ``order`` (all ascending, unique together) and the next cursor.

    ``kinds`` names the type of each key; without it the cursor is only checked for length.
    ``lenient`` (pages): a bad cursor starts again at the first page instead of raising.
    """
    qs = queryset.order_by(*order)
    values = _first_page_if_invalid(after, kinds or [object] * len(order), lenient)
    if values is not None:
        condition = Q()
        for i, field in enumerate(order):
            step = Q(**{f"{field}__gt": values[i]})
            for prior, value in zip(order[:i], values[:i], strict=True):
                step &= Q(**{prior: value})
            condition |= step
        qs = qs.filter(condition)
    return _page(qs, limit, lambda row: [_attr(row, f) for f in order])


def newest_first_page(
    queryset, *, after: str | None, limit: int, moment: str = "occurred_at", lenient: bool = False
) -> Page:
    """Rows strictly older than the cursor on (-``moment``, -id), newest first.

    ``lenient`` (pages): a bad cursor starts again at the newest rows instead of raising.
    """
    qs = queryset.order_by(f"-{moment}", "-id")
    values = _first_page_if_invalid(after, (dt.datetime, int), lenient)
    if values is not None:
        at, pk = values
        qs = qs.filter(Q(**{f"{moment}__lt": at}) | Q(**{moment: at, "id__lt": pk}))
    return _page(qs, limit, lambda row: [getattr(row, moment).isoformat(), row.pk])


def _attr(obj, dotted: str):
    value = obj
    for part in dotted.split("__"):
        value = getattr(value, part)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def next_page_url(request, cursor: str | None, param: str = "cursor") -> str | None:
    """This page's address with its filters kept and ``param`` set to ``cursor``."""
    if not cursor:
        return None
    params = request.GET.copy()
    params[param] = cursor
    return "?" + params.urlencode()
