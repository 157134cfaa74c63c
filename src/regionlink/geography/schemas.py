"""Shapes of the territory API, and query-parameter types whose errors speak Vietnamese."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import BeforeValidator, Field
from pydantic_core import PydanticCustomError

from regionlink.geography.models import Level

# --- Query-parameter types -------------------------------------------------------------------
# Pydantic's own messages are English; these validators give the 422 body a Vietnamese
# message that names the accepted form, so a planner can fix the URL without reading docs.

LEVELS = tuple(Level.values)


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


def _level(value):
    if value is None or value == "":
        return None
    if value not in LEVELS:
        message = _("Cấp “%(value)s” không hợp lệ; dùng một trong: %(allowed)s.") % {
            "value": value,
            "allowed": ", ".join(LEVELS),
        }
        raise PydanticCustomError("invalid_level", message)
    return value


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]
LevelParam = Annotated[Literal["province", "district", "commune"], BeforeValidator(_level)]


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


# --- Output ----------------------------------------------------------------------------------


class UnitRef(Schema):
    code: str
    name: str
    name_en: str


class RegionOut(Schema):
    code: str
    name: str
    name_en: str
    valid_from: dt.date | None
    valid_to: dt.date | None
    legal_basis: str
    members: list[UnitRef]


class MembershipPeriod(Schema):
    """One province's time in a region."""

    code: str
    name: str
    name_en: str
    valid_from: dt.date | None
    valid_to: dt.date | None
    legal_basis: str


class RegionDetailOut(RegionOut):
    date: dt.date
    history: list[MembershipPeriod]


class UnitOut(Schema):
    code: str
    name: str
    short_name: str
    name_en: str
    level: str
    unit_type: str
    unit_type_label: str
    parent_code: str | None
    valid_from: dt.date | None
    valid_to: dt.date | None
    area_km2: float | None
    latitude: float | None
    longitude: float | None
    region_code: str | None


class UnitPage(Schema):
    items: list[UnitOut]
    next: str | None


class RegionRef(Schema):
    code: str
    name: str
    name_en: str


class SuccessionLink(Schema):
    """A unit on the other side of a succession, with the succession's date and basis."""

    code: str
    name: str
    valid_from: dt.date | None
    valid_to: dt.date | None
    effective_date: dt.date
    kind: str
    share: float | None
    legal_basis: str
    note: str


class UnitDetailOut(UnitOut):
    region: RegionRef | None
    made_of: list[SuccessionLink]
    became: list[SuccessionLink]
    children_count: int


class SuccessionSide(Schema):
    code: str
    name: str
    valid_from: dt.date | None
    valid_to: dt.date | None


class SuccessionOut(Schema):
    predecessor: SuccessionSide
    successor: SuccessionSide
    effective_date: dt.date
    kind: str
    share: float | None
    share_basis: str
    legal_basis: str
    note: str


class SuccessionPage(Schema):
    items: list[SuccessionOut]
    next: str | None


class ResolutionOut(Schema):
    """The name resolver's answer (``names.Resolution.as_dict()``), passed through as it is."""

    query: str
    date: dt.date
    level: str | None = None
    status: str = Field(description="resolved, ambiguous or not_found")
    message: str = ""
    suggestions: list[str] = []
    notes: list[str] = []
    matches: list[dict[str, Any]] = Field(
        default_factory=list,
        description="Best first: unit, confidence (0..1), matched_on, explanation, via, province.",
    )


class ErrorBody(Schema):
    code: str
    message: str
    field: str | None = None


class ResolutionNotFound(ResolutionOut):
    code: str = "not_found"
