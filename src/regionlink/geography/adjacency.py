"""Which provinces border which, computed from the stored province outlines.

Regional and provincial plans must be sent to the adjacent provinces for comment (Planning
Law 21/2017 Art. 19), so the software must know the neighbours on the plan's map: the 63
provinces before 01/07/2025, the 34 after. The outlines are Natural Earth's generalised
boundaries: neighbours may not touch exactly, hence a tolerance of about one kilometre.
Offshore parts (Hoàng Sa, Trường Sa, Phú Quốc) count like the mainland: an island
province simply has no neighbour unless another outline comes within the tolerance.
Units without a stored outline (some before 2008) have no computed neighbours.
"""

from __future__ import annotations

import datetime as dt
import threading

from shapely.geometry import shape
from shapely.strtree import STRtree

from regionlink.geography.models import AdministrativeUnit, Level, UnitBoundary, valid_on_q

# Degrees (≈ 1.1 km at the equator): wider than Natural Earth's gaps between neighbours,
# narrower than the narrowest sea strait between provinces in the data.
TOLERANCE_DEGREES = 0.01

_lock = threading.Lock()
_cache: dict[frozenset[int], dict[int, frozenset[int]]] = {}


def _compute(unit_ids: frozenset[int]) -> dict[int, frozenset[int]]:
    outlines = {
        b.unit_id: shape(b.geometry).buffer(0)
        for b in UnitBoundary.objects.filter(unit_id__in=unit_ids)
    }
    ids = list(outlines)
    geometries = [outlines[i] for i in ids]
    tree = STRtree(geometries)
    result: dict[int, set[int]] = {i: set() for i in unit_ids}
    for index, geometry in zip(ids, geometries, strict=True):
        for other in tree.query(geometry, predicate="dwithin", distance=TOLERANCE_DEGREES):
            if ids[other] != index:
                result[index].add(ids[other])
    return {i: frozenset(n) for i, n in result.items()}


def adjacency(on: dt.date) -> dict[int, frozenset[int]]:
    """Province id → ids of its neighbours, for the provinces valid on ``on`` (cached)."""
    unit_ids = frozenset(
        AdministrativeUnit.objects.filter(valid_on_q(on), level=Level.PROVINCE).values_list(
            "pk", flat=True
        )
    )
    with _lock:
        if unit_ids not in _cache:
            _cache[unit_ids] = _compute(unit_ids)
        return _cache[unit_ids]


def neighbours(unit: AdministrativeUnit, *, on: dt.date) -> list[AdministrativeUnit]:
    """The provinces bordering ``unit`` on ``on``, by code; none if it was not valid then."""
    ids = adjacency(on).get(unit.pk, frozenset())
    return list(AdministrativeUnit.objects.filter(pk__in=ids).order_by("code"))


def neighbours_of_group(units, *, on: dt.date) -> list[AdministrativeUnit]:
    """Provinces outside ``units`` that border any of them (a region's neighbours)."""
    table = adjacency(on)
    inside = {u.pk for u in units}
    ids = set().union(set(), *(table.get(pk, frozenset()) for pk in inside)) - inside
    return list(AdministrativeUnit.objects.filter(pk__in=ids).order_by("code"))


def clear_cache() -> None:
    """Forget computed neighbours (after the boundaries are reloaded)."""
    with _lock:
        _cache.clear()
