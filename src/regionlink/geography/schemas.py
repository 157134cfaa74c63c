"""Shapes of the territory API, and its level parameter whose error speaks Vietnamese."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import BeforeValidator, Field
from pydantic_core import PydanticCustomError

from regionlink.geography.models import Level

# --- Query-parameter types -------------------------------------------------------------------
# The generic ones (IsoDate, Limit) and ErrorBody live in ``core.api``; this one names the
# accepted territory levels in its Vietnamese 422 message.

LEVELS = tuple(Level.values)


def level_validator(allowed: tuple[str, ...], *, default: str | None = None):
    """Blank gives ``default``; a level not in ``allowed`` is refused, listing the allowed ones."""

    def check(value):
        if value is None or value == "":
            return default
        if value not in allowed:
            message = _("Cấp “%(value)s” không hợp lệ; dùng một trong: %(allowed)s.") % {
                "value": value,
                "allowed": ", ".join(allowed),
            }
            raise PydanticCustomError("invalid_level", message)
        return value

    return check


LevelParam = Annotated[
    Literal["province", "district", "commune"], BeforeValidator(level_validator(LEVELS))
]


# --- Output ----------------------------------------------------------------------------------


class UnitRef(Schema):
    code: str
    name: str
    name_en: str


class _NamedPeriod(Schema):
    # A region, or a province's membership of one: names, the days it held, and why.
    code: str
    name: str
    name_en: str
    valid_from: dt.date | None
    valid_to: dt.date | None
    legal_basis: str


class RegionOut(_NamedPeriod):
    members: list[UnitRef]


class MembershipPeriod(_NamedPeriod):
    """One province's time in a region."""


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


class ResolutionNotFound(ResolutionOut):
    code: str = "not_found"
