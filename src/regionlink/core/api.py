"""Shared API plumbing: stable JSON errors, query-parameter types, auth and CSV/XLSX output.

Keyset paging lives in ``core.paging``; a bad cursor is answered 400 by ``regionlink.api``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable, Sequence
from typing import Annotated

from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.errors import AuthenticationError
from ninja.security import SessionAuth
from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError


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


# Every API error: a stable code, a Vietnamese message, and the parameter to fix.
class ErrorBody(Schema):
    code: str
    message: str
    field: str | None = None


# --- Query-parameter types -------------------------------------------------------------------
# Pydantic's own messages are English; these validators give the 422 body a Vietnamese
# message that names the accepted form, so a planner can fix the URL without reading docs.


def _iso_date(value):
    if value is None or value == "" or isinstance(value, dt.date):
        return value or None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        message = _(
            "“%(value)s” không phải ngày hợp lệ; dùng dạng YYYY-MM-DD, ví dụ 2026-01-01."
        ) % {"value": value}
        raise PydanticCustomError("invalid_date", message) from None


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]


def limit_param(value):
    """Accept 1..1000 rows per page, with a message that says so."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 0
    if not 1 <= number <= 1000:
        message = _("limit phải là số nguyên từ 1 đến 1000 (mặc định 100); nhận “%(value)s”.") % {
            "value": value
        }
        raise PydanticCustomError("invalid_limit", message)
    return number


Limit = Annotated[int, BeforeValidator(limit_param)]


# --- Who is calling --------------------------------------------------------------------------


class SignedInSessionAuth(SessionAuth):
    """Session auth that checks CSRF only when a session actually signs the caller in.

    Ninja's SessionAuth checks CSRF first, so an anonymous or bad-token PATCH was answered
    403 "CSRF check Failed" instead of 401. CSRF protects session users only; a caller with no
    session has no rights a forged request could borrow.
    """

    def _get_key(self, request):
        if not request.user.is_authenticated:
            return None
        return super()._get_key(request)


def require_user(request):
    """The signed-in caller; anonymous visitors get 401 (they pass the API-wide OptionalAuth)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        raise AuthenticationError()
    return user


# --- Downloads -------------------------------------------------------------------------------


def validation_error(exc, *, name_fields: bool = True) -> ApiError:
    """A model or service ValidationError as a 400 naming the field to fix (``name_fields``:
    each message prefixed with its field, for forms with several)."""
    code = getattr(exc, "error_code", None) or "invalid"
    if hasattr(exc, "error_dict"):
        fields = [name for name in exc.message_dict if name != "__all__"]
        message = " ".join(
            (f"{name}: " if name_fields and name != "__all__" else "") + " ".join(messages)
            for name, messages in exc.message_dict.items()
        )
        return ApiError(code, message, status=400, field=fields[0] if fields else None)
    return ApiError(code, " ".join(exc.messages), status=400)


# Text a spreadsheet would run as a formula ("=HYPERLINK(…)" typed into a plan's name).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def inert(value):
    """``value`` as a spreadsheet shows it, never as a formula (OWASP CSV injection)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _numeric(value):
        return "'" + value
    return value


def _numeric(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def tabular_response(
    rows: Iterable[dict], columns: Sequence[str], *, fmt: str, filename: str
) -> HttpResponse:
    """Render flat rows as CSV (UTF-8 with BOM, for Excel) or XLSX."""
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(columns), extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow({c: inert(row.get(c)) for c in columns})
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
            sheet.append([inert(row.get(c)) for c in columns])
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
        return response
    raise ApiError(
        "invalid_format", _("Định dạng không hỗ trợ: dùng json, csv hoặc xlsx."), field="format"
    )


Renderer = Callable[..., HttpResponse]
