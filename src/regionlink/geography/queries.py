"""Territory questions for any date: members of a region, what a unit became or was made of."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from regionlink.geography.models import (
    AdministrativeUnit,
    Level,
    Region,
    RegionMembership,
    RegionOutline,
    Succession,
    valid_on_q,
)


def today() -> dt.date:
    return timezone.localdate()


def regions_on(date: dt.date) -> QuerySet[Region]:
    """Regions valid on ``date``, each with ``members`` (its provinces on that date) prefetched."""
    memberships = (
        RegionMembership.objects.valid_on(date).select_related("unit").order_by("unit__code")
    )
    return (
        Region.objects.valid_on(date)
        .prefetch_related(Prefetch("memberships", queryset=memberships, to_attr="members_on"))
        .order_by("sort_order")
    )


def region_by_code(code: str) -> Region:
    region = Region.objects.filter(code__iexact=code).first()
    if region is None:
        raise Http404(_("Không có vùng mã “%(code)s”.") % {"code": code})
    return region


def units_of_region(region: Region, date: dt.date) -> QuerySet[AdministrativeUnit]:
    """Provinces that belong to ``region`` on ``date``."""
    ids = RegionMembership.objects.valid_on(date).filter(region=region).values("unit_id")
    return AdministrativeUnit.objects.valid_on(date).filter(pk__in=ids).order_by("code")


def region_of(unit: AdministrativeUnit, date: dt.date) -> Region | None:
    province = province_of(unit)
    membership = (
        RegionMembership.objects.valid_on(date)
        .filter(unit=province)
        .select_related("region")
        .first()
    )
    return membership.region if membership else None


def province_of(unit: AdministrativeUnit) -> AdministrativeUnit:
    node = unit
    while node.level != Level.PROVINCE and node.parent_id is not None:
        node = node.parent
    return node


def units_on(date: dt.date, level: str | None = None) -> QuerySet[AdministrativeUnit]:
    qs = AdministrativeUnit.objects.valid_on(date)
    return qs.filter(level=level) if level else qs


def unit_on(code: str, date: dt.date | None = None) -> AdministrativeUnit:
    """The unit with ``code`` valid on ``date`` (today by default), else the latest with it."""
    date = date or today()
    qs = AdministrativeUnit.objects.filter(code=code)
    unit = qs.filter(valid_on_q(date)).first()
    if unit is None:
        unit = qs.order_by("-valid_from").first()
    if unit is None:
        raise Http404(_("Không có đơn vị hành chính mã “%(code)s”.") % {"code": code})
    return unit


@dataclass(frozen=True)
class Step:
    """One succession on the path from a unit to what it became (or was made of)."""

    succession: Succession
    unit: AdministrativeUnit


def became(unit: AdministrativeUnit, date: dt.date | None = None) -> list[list[Step]]:
    """Paths from ``unit`` forward to the units valid on ``date`` that took its territory.

    A unit still valid on ``date`` gives one empty path. Shares are on each step.
    """
    date = date or today()
    paths: list[list[Step]] = []

    def walk(node: AdministrativeUnit, path: list[Step], seen: set[int]) -> None:
        forward = [
            s
            for s in node.successions_out.select_related("successor")
            if s.effective_date <= date and s.successor_id not in seen
        ]
        if node.is_valid_on(date):
            paths.append(path)
            # A unit that survived a partial transfer also continues in itself.
        for s in forward:
            walk(s.successor, [*path, Step(s, s.successor)], seen | {s.successor_id})

    walk(unit, [], {unit.pk})
    return paths


def successors(unit: AdministrativeUnit) -> QuerySet[Succession]:
    return unit.successions_out.select_related("successor").order_by(
        "effective_date", "successor__code"
    )


def predecessors(unit: AdministrativeUnit) -> QuerySet[Succession]:
    """What ``unit`` was made of: the successions into it, with their dates and legal basis."""
    return unit.successions_in.select_related("predecessor").order_by(
        "effective_date", "predecessor__code"
    )


def successions_between(
    date_from: dt.date | None = None, date_to: dt.date | None = None, level: str | None = None
) -> QuerySet[Succession]:
    qs = Succession.objects.select_related("predecessor", "successor")
    if date_from:
        qs = qs.filter(effective_date__gte=date_from)
    if date_to:
        qs = qs.filter(effective_date__lte=date_to)
    if level:
        qs = qs.filter(predecessor__level=level)
    return qs.order_by("effective_date", "predecessor__code", "successor__code")


def outlines_on(date: dt.date) -> QuerySet[RegionOutline]:
    return RegionOutline.objects.valid_on(date).select_related("region")
