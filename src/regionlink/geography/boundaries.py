"""Map outlines: province boundaries by date and region outlines dissolved from provinces.

Boundaries derive from Natural Earth 10m admin-1 (public domain). The 34-province file puts
the Hoàng Sa (Paracel) archipelago in Đà Nẵng and Trường Sa (Spratly) in Khánh Hòa.
"""

from __future__ import annotations

import datetime as dt

from shapely.geometry import mapping, shape
from shapely.ops import unary_union

from regionlink.geography.models import Region, RegionMembership, UnitBoundary

ATTRIBUTION = (
    "Ranh giới: Natural Earth (public domain), đơn giản hóa; không dùng để xác định địa giới."
)
# One outline per regional scheme: before and after Resolution 306/NQ-CP took effect.
SCHEME_DATES = (dt.date(2025, 6, 30), dt.date(2025, 7, 1))
# Archipelagos shown and labelled on the maps: (label, English label, province code, lon, lat).
ARCHIPELAGOS = (
    ("Quần đảo Hoàng Sa", "Hoang Sa (Paracel) Islands", "48", 112.0, 16.5),
    ("Quần đảo Trường Sa", "Truong Sa (Spratly) Islands", "56", 114.3, 10.0),
)


def _round(coords, ndigits: int = 4):
    if isinstance(coords, list | tuple) and coords and isinstance(coords[0], int | float):
        return [round(c, ndigits) for c in coords]
    return [_round(c, ndigits) for c in coords]


def dissolve_regions() -> list[dict]:
    """Outline of every region in each scheme, as the union of its member provinces."""
    outlines = []
    shapes = {b.unit_id: shape(b.geometry) for b in UnitBoundary.objects.all()}
    for on in SCHEME_DATES:
        memberships = RegionMembership.objects.valid_on(on).select_related("region")
        members: dict[Region, list[int]] = {}
        bounds: dict[Region, tuple] = {}
        for m in memberships:
            members.setdefault(m.region, []).append(m.unit_id)
            bounds[m.region] = (m.valid_from, m.valid_to)
        for region, unit_ids in members.items():
            parts = [shapes[u].buffer(0) for u in unit_ids if u in shapes]
            if not parts:
                continue
            union = unary_union(parts).simplify(0.002, preserve_topology=True)
            geometry = mapping(union)
            outlines.append(
                {
                    "region_id": region.pk,
                    "valid_from": bounds[region][0],
                    "valid_to": bounds[region][1],
                    "geometry": {
                        "type": geometry["type"],
                        "coordinates": _round(geometry["coordinates"]),
                    },
                    "source": "Natural Earth 10m admin-1 (public domain), dissolved by region",
                    "legal_basis": region.legal_basis,
                }
            )
    return outlines
