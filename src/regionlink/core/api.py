"""Shared API plumbing: stable JSON errors, keyset pages and CSV/XLSX output."""

from __future__ import annotations

import base64
import csv
import io
import json
from collections.abc import Callable, Iterable, Sequence

from django.http import HttpResponse
from ninja import Schema


class ApiError(Exception):
    """An error the client can act on: a stable code, a message and an HTTP status."""

    def __init__(self, code: str, message: str, status: int = 400, field: str | None = None):
        super().__init__(message)
        self.code = code
        self.message = str(message)
        self.status = status
        self.field = field

    def payload(self) -> dict:
        body = {"code": self.code, "message": self.message}
        if self.field:
            body["field"] = self.field
        return body


class ErrorOut(Schema):
    code: str
    message: str
    field: str | None = None


def encode_cursor(values: Sequence) -> str:
    raw = json.dumps(list(values), separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> list:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, json.JSONDecodeError) as exc:
        raise ApiError(
            "invalid_cursor", "Con trỏ trang không hợp lệ (after).", field="after"
        ) from exc
    if not isinstance(values, list):
        raise ApiError("invalid_cursor", "Con trỏ trang không hợp lệ (after).", field="after")
    return values


def keyset_page(queryset, *, order: Sequence[str], after: str | None, limit: int):
    """Rows after the cursor in ``order`` (all ascending, unique together) and the next cursor.

    Keyset paging never counts the whole table and stays stable while rows are added.
    """
    from django.db.models import Q

    qs = queryset.order_by(*order)
    if after:
        values = decode_cursor(after)
        if len(values) != len(order):
            raise ApiError("invalid_cursor", "Con trỏ trang không hợp lệ (after).", field="after")
        condition = Q()
        for i, field in enumerate(order):
            step = Q(**{f"{field}__gt": values[i]})
            for prior, value in zip(order[:i], values[:i], strict=True):
                step &= Q(**{prior: value})
            condition |= step
        qs = qs.filter(condition)
    rows = list(qs[: limit + 1])
    has_more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = None
    if has_more and rows:
        last = rows[-1]
        next_cursor = encode_cursor([_attr(last, f) for f in order])
    return rows, next_cursor


def _attr(obj, dotted: str):
    value = obj
    for part in dotted.split("__"):
        value = getattr(value, part)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def tabular_response(
    rows: Iterable[dict], columns: Sequence[str], *, fmt: str, filename: str
) -> HttpResponse:
    """Render flat rows as CSV (UTF-8 with BOM, for Excel) or XLSX."""
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(columns), extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow(row)
        response = HttpResponse(
            "\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
        return response
    if fmt == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(filename[:31])
        sheet.append(list(columns))
        for row in rows:
            sheet.append([row.get(c) for c in columns])
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
        return response
    raise ApiError(
        "invalid_format", "Định dạng không hỗ trợ: dùng json, csv hoặc xlsx.", field="format"
    )


Renderer = Callable[..., HttpResponse]
