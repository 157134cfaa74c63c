"""Page-specific territory reads: map outlines for a date, region histories, unit pages.

Each function does a bounded number of queries whatever the size of the answer, so list
pages and the boundaries API stay free of N+1 queries.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from regionlink.core.text import fold
from regionlink.geography import queries
from regionlink.geography.boundaries import ARCHIPELAGOS, ATTRIBUTION
from regionlink.geography.models import (
    AdministrativeUnit,
    Level,
    Region,
    RegionMembership,
    Succession,
)

# The last day of the 63 provinces and six regions of Resolution 81/2023/QH15.
LAST_DAY_BEFORE_REORGANISATION = dt.date(2025, 6, 30)
REORGANISATION_DATE = dt.date(2025, 7, 1)
COMMUNES_PAGE_SIZE = 50
_DAY = dt.timedelta(days=1)


# --- Map outlines -------------------------------------------------------------------------


def province_features(date: dt.date) -> list[dict]:
    """GeoJSON features of the provinces valid on ``date`` that have an outline, with regions."""
    provinces = (
        queries.units_on(date, Level.PROVINCE)
        .filter(boundary__isnull=False)
        .select_related("boundary")
        .order_by("code")
    )
    region_by_unit = {
        m.unit_id: m.region
        for m in RegionMembership.objects.valid_on(date)
        .filter(unit__level=Level.PROVINCE)
        .select_related("region")
    }
    features = []
    for unit in provinces:
        region = region_by_unit.get(unit.pk)
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "code": unit.code,
                    "name": unit.name,
                    "short_name": unit.short_name,
                    "name_en": unit.name_en,
                    "region_code": region.code if region else None,
                    "region_name": region.name if region else None,
                    "region_name_en": region.name_en if region else None,
                },
                "geometry": unit.boundary.geometry,
            }
        )
    return features


def region_features(date: dt.date) -> list[dict]:
    """GeoJSON features of the region outlines valid on ``date``."""
    return [
        {
            "type": "Feature",
            "properties": {
                "code": outline.region.code,
                "name": outline.region.name,
                "name_en": outline.region.name_en,
            },
            "geometry": outline.geometry,
        }
        for outline in queries.outlines_on(date).order_by("region__sort_order")
    ]


def archipelagos_on(date: dt.date) -> list[dict]:
    """Hoàng Sa (Đà Nẵng) and Trường Sa (Khánh Hòa) with the province holding each on ``date``.

    Both belong to Vietnam in every era we show; only the 34-province outlines draw the islands,
    so the labels are what shows them on the 63-province map.
    """
    codes = [code for _, _, code, _, _ in ARCHIPELAGOS]
    holders = {u.code: u for u in queries.units_on(date, Level.PROVINCE).filter(code__in=codes)}
    return [
        {
            "name": name,
            "name_en": name_en,
            "province_code": code,
            "province_name": holders[code].short_name,
            "province_name_en": holders[code].name_en,
            "lon": lon,
            "lat": lat,
        }
        for name, name_en, code, lon, lat in ARCHIPELAGOS
        if code in holders
    ]


def boundary_collection(date: dt.date, level: str = Level.PROVINCE) -> dict:
    """A FeatureCollection of provinces (or region outlines) on ``date``, with attribution."""
    features = region_features(date) if level == "region" else province_features(date)
    return {
        "type": "FeatureCollection",
        "date": date.isoformat(),
        "level": level,
        "attribution": ATTRIBUTION,
        "archipelagos": archipelagos_on(date),
        "features": features,
    }


# --- Regions ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RegionPeriod:
    """One stretch of time over which a region kept the same members."""

    valid_from: dt.date | None
    valid_to: dt.date | None
    members: tuple[AdministrativeUnit, ...]
    joined: tuple[AdministrativeUnit, ...] = ()
    left: tuple[AdministrativeUnit, ...] = ()


def regions_valid_on(date: dt.date) -> QuerySet[Region]:
    """Regions valid on ``date`` in their order, without their members."""
    return Region.objects.valid_on(date).order_by("sort_order")


def regions_ended_before(date: dt.date) -> QuerySet[Region]:
    return Region.objects.filter(valid_to__lt=date).order_by("sort_order")


def regions_begun_after(date: dt.date) -> QuerySet[Region]:
    return Region.objects.filter(valid_from__gt=date).order_by("sort_order")


def membership_history(region: Region) -> list[RegionPeriod]:
    """The region's member lists over time, newest first, with who joined and left each time."""
    memberships = list(
        RegionMembership.objects.filter(region=region)
        .select_related("unit")
        .order_by("unit__code", "valid_from")
    )
    if not memberships:
        return []
    starts = {m.valid_from for m in memberships} | {
        m.valid_to + _DAY for m in memberships if m.valid_to
    }
    ordered = sorted(starts, key=lambda d: d or dt.date.min)
    periods: list[RegionPeriod] = []
    previous: tuple[AdministrativeUnit, ...] = ()
    for i, start in enumerate(ordered):
        end = ordered[i + 1] - _DAY if i + 1 < len(ordered) else None
        probe = start or dt.date.min
        members = tuple(m.unit for m in memberships if m.is_valid_on(probe))
        if not members:
            previous = ()
            continue
        before = {u.pk for u in previous}
        now = {u.pk for u in members}
        periods.append(
            RegionPeriod(
                valid_from=start,
                valid_to=end,
                members=members,
                joined=tuple(u for u in members if u.pk not in before) if previous else (),
                left=tuple(u for u in previous if u.pk not in now),
            )
        )
        previous = members
    return list(reversed(periods))


@dataclass(frozen=True)
class Area:
    total: Decimal | None
    known: int
    count: int

    @property
    def complete(self) -> bool:
        return self.count > 0 and self.known == self.count


def total_area(units) -> Area:
    """Sum of the known member areas; ``known`` says how many members had one."""
    units = list(units)
    areas = [u.area_km2 for u in units if u.area_km2 is not None]
    return Area(total=sum(areas, Decimal(0)) if areas else None, known=len(areas), count=len(units))


# --- Units --------------------------------------------------------------------------------


@dataclass
class UnitPage:
    """Everything the unit page shows for one unit and date, read in a bounded set of queries."""

    unit: AdministrativeUnit
    requested: dt.date
    shown_on: dt.date
    region: Region | None
    made_of: list[Succession]
    became: list[Succession]
    became_by_date: list[list[queries.Step]] = field(default_factory=list)
    same_code: list[AdministrativeUnit] = field(default_factory=list)

    @property
    def valid_on_requested(self) -> bool:
        return self.unit.is_valid_on(self.requested)

    @property
    def has_communes(self) -> bool:
        return self.unit.level in (Level.PROVINCE, Level.DISTRICT)


def _day_within(unit: AdministrativeUnit, date: dt.date) -> dt.date:
    """``date`` if the unit is valid then, else the nearest day on which it was."""
    if unit.is_valid_on(date):
        return date
    if unit.valid_to and unit.valid_to < date:
        return unit.valid_to
    return unit.valid_from or date


def unit_page(code: str, date: dt.date) -> UnitPage:
    """The unit with ``code`` on ``date`` (else its latest record) and its history; 404 if none."""
    records = sorted(
        AdministrativeUnit.objects.filter(code=code).select_related("parent", "parent__parent"),
        key=lambda u: u.valid_from or dt.date.min,
    )
    if not records:
        raise Http404(_("Không có đơn vị hành chính mã %(code)s.") % {"code": code})
    unit = next((u for u in records if u.is_valid_on(date)), records[-1])
    shown_on = _day_within(unit, date)
    page = UnitPage(
        unit=unit,
        requested=date,
        shown_on=shown_on,
        # The unit's parent and grandparent are already loaded: no further queries.
        region=queries.region_of(unit, shown_on),
        made_of=_with_percent(queries.predecessors(unit)),
        became=_with_percent(queries.successors(unit)),
        same_code=[u for u in records if u.pk != unit.pk],
    )
    if not unit.is_valid_on(date) and unit.valid_to and unit.valid_to < date:
        page.became_by_date = [path for path in queries.became(unit, date) if path]
    return page


def _with_percent(successions) -> list[Succession]:
    """The successions, each with ``share_percent`` (share × 100, or None when unknown)."""
    rows = list(successions)
    for s in rows:
        s.share_percent = s.share * 100 if s.share is not None else None
    return rows


@dataclass(frozen=True)
class CommunePage:
    communes: list[AdministrativeUnit]
    query: str
    after: str
    next_after: str | None


def communes_of(
    unit: AdministrativeUnit, date: dt.date, *, query: str = "", after: str = ""
) -> CommunePage:
    """Communes under ``unit`` on ``date``, by code, matching ``query`` without diacritics.

    Keyset paging on the code: ``after`` is the last code of the previous page.
    """
    qs = (
        AdministrativeUnit.objects.valid_on(date)
        .filter(level=Level.COMMUNE)
        .filter(Q(parent=unit) | Q(parent__parent=unit))
        .select_related("parent")
    )
    key = fold(query)
    if key:
        qs = qs.filter(Q(search_key__contains=key) | Q(code=query.strip()))
    if after:
        qs = qs.filter(code__gt=after)
    rows = list(qs.order_by("code")[: COMMUNES_PAGE_SIZE + 1])
    more = len(rows) > COMMUNES_PAGE_SIZE
    rows = rows[:COMMUNES_PAGE_SIZE]
    return CommunePage(
        communes=rows,
        query=query,
        after=after,
        next_after=rows[-1].code if more else None,
    )


def provinces_without_region(date: dt.date) -> QuerySet[AdministrativeUnit]:
    """Provinces valid on ``date`` that belong to no region then (normally none)."""
    members = RegionMembership.objects.valid_on(date).values("unit_id")
    return queries.units_on(date, Level.PROVINCE).exclude(pk__in=members).order_by("code")
