"""Load the territory into the database: idempotent, all or nothing, with counts.

A second run with the same sources changes nothing and reports every row unchanged.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction

from regionlink.audit import services as audit
from regionlink.core.text import fold
from regionlink.geography import boundaries, name_index
from regionlink.geography.models import (
    AdministrativeUnit,
    Region,
    RegionMembership,
    RegionOutline,
    Succession,
    UnitBoundary,
)
from regionlink.geography.sources import DATA_DIR, TerritorySource, UnitRow, parse_date, read_csv

LEVEL_ORDER = {"province": 0, "district": 1, "commune": 2}


@dataclass
class LoadReport:
    counts: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))

    def add(self, kind: str, outcome: str, n: int = 1) -> None:
        self.counts[kind][outcome] += n

    @property
    def changed(self) -> bool:
        return any(c["created"] or c["updated"] or c["deleted"] for c in self.counts.values())

    def as_dict(self) -> dict[str, dict[str, int]]:
        return {kind: dict(counter) for kind, counter in self.counts.items()}

    def lines(self) -> list[str]:
        out = []
        for kind, c in self.counts.items():
            out.append(
                f"{kind}: {c['created']} mới, {c['updated']} cập nhật, "
                f"{c['unchanged']} không đổi, {c['deleted']} xóa"
            )
        return out


def _sync(model, existing: dict, desired: dict, fields: list[str], report, kind: str):
    """Create missing rows, update changed ones; returns the key → instance map."""
    to_create, to_update = [], []
    for key, values in desired.items():
        obj = existing.get(key)
        if obj is None:
            obj = model(**values)
            to_create.append(obj)
            existing[key] = obj
            continue
        dirty = [f for f in fields if _differs(getattr(obj, f), values[f])]
        if dirty:
            for f in fields:
                setattr(obj, f, values[f])
            to_update.append(obj)
        else:
            report.add(kind, "unchanged")
    model.objects.bulk_create(to_create, batch_size=1000)
    if to_update:
        model.objects.bulk_update(to_update, fields, batch_size=500)
    report.add(kind, "created", len(to_create))
    report.add(kind, "updated", len(to_update))
    return existing


def _differs(current, wanted) -> bool:
    if isinstance(wanted, Decimal) and current is not None:
        return Decimal(current) != wanted
    if isinstance(wanted, float) and current is not None:
        return abs(current - wanted) > 1e-9
    return current != wanted


def _regions(report: LoadReport) -> dict[str, Region]:
    desired = {}
    for i, row in enumerate(read_csv("regions.csv")):
        desired[row["code"]] = {
            "code": row["code"],
            "name": row["name_vi"],
            "name_en": row["name_en"],
            "valid_from": parse_date(row["valid_from"]),
            "valid_to": parse_date(row["valid_to"]),
            "legal_basis": row["legal_basis"],
            "sort_order": i + 1,
        }
    existing = {r.code: r for r in Region.objects.all()}
    fields = ["name", "name_en", "valid_from", "valid_to", "legal_basis", "sort_order"]
    return _sync(Region, existing, desired, fields, report, "regions")


UNIT_FIELDS = [
    "level",
    "unit_type",
    "name",
    "short_name",
    "name_en",
    "valid_to",
    "legal_basis",
    "parent_id",
    "area_km2",
    "latitude",
    "longitude",
    "search_key",
    "aliases",
]


def _units(source: TerritorySource, report: LoadReport) -> dict:
    rows: list[UnitRow] = [*source.provinces(), *source.districts(), *source.communes()]
    rows.sort(key=lambda r: LEVEL_ORDER[r.level])
    existing = {(u.code, u.valid_from): u for u in AdministrativeUnit.objects.all()}
    for level in ("province", "district", "commune"):
        desired = {}
        for row in rows:
            if row.level != level:
                continue
            parent = existing[row.parent_key] if row.parent_key else None
            area = row.area_km2.quantize(Decimal("0.01")) if row.area_km2 is not None else None
            desired[row.key] = {
                "code": row.code,
                "valid_from": row.valid_from,
                "valid_to": row.valid_to,
                "level": row.level,
                "unit_type": row.unit_type,
                "name": row.name,
                "short_name": row.short_name,
                "name_en": row.name_en,
                "legal_basis": row.legal_basis,
                "parent_id": parent.pk if parent else None,
                "area_km2": area,
                "latitude": row.latitude,
                "longitude": row.longitude,
                "search_key": fold(row.short_name),
                "aliases": row.aliases,
            }
        existing = _sync(AdministrativeUnit, existing, desired, UNIT_FIELDS, report, "units")
    return existing


def _successions(source: TerritorySource, units: dict, report: LoadReport) -> None:
    desired = {}
    for row in source.successions():
        pred, succ = units[row.predecessor], units[row.successor]
        desired[(pred.pk, succ.pk, row.effective_date)] = {
            "predecessor_id": pred.pk,
            "successor_id": succ.pk,
            "effective_date": row.effective_date,
            "kind": row.kind,
            "share": row.share,
            "share_basis": row.share_basis,
            "legal_basis": row.legal_basis,
            "note": row.note,
        }
    existing = {
        (s.predecessor_id, s.successor_id, s.effective_date): s for s in Succession.objects.all()
    }
    stale = [s.pk for key, s in existing.items() if key not in desired]
    if stale:
        Succession.objects.filter(pk__in=stale).delete()
        report.add("successions", "deleted", len(stale))
        existing = {k: v for k, v in existing.items() if k in desired}
    fields = ["kind", "share", "share_basis", "legal_basis", "note"]
    _sync(Succession, existing, desired, fields, report, "successions")


def _memberships(source: TerritorySource, regions: dict, units: dict, report) -> None:
    desired = {}
    for row in source.memberships():
        unit = units[row.unit]
        # A membership cannot start before its unit exists (e.g. Đắk Nông from 2004).
        valid_from = row.valid_from
        if unit.valid_from and (valid_from is None or valid_from < unit.valid_from):
            valid_from = unit.valid_from
        region = regions[row.region_code]
        desired[(region.pk, unit.pk, valid_from)] = {
            "region_id": region.pk,
            "unit_id": unit.pk,
            "valid_from": valid_from,
            "valid_to": row.valid_to,
            "legal_basis": row.legal_basis,
        }
    existing = {(m.region_id, m.unit_id, m.valid_from): m for m in RegionMembership.objects.all()}
    stale = [m.pk for key, m in existing.items() if key not in desired]
    if stale:
        RegionMembership.objects.filter(pk__in=stale).delete()
        report.add("memberships", "deleted", len(stale))
        existing = {k: v for k, v in existing.items() if k in desired}
    _sync(RegionMembership, existing, desired, ["valid_to", "legal_basis"], report, "memberships")


# Since Hà Tây joined Hà Nội (01/08/2008) province outlines have not changed until 2025, so the
# 63-province outline also serves a same-code unit that ended in between (Thừa Thiên Huế 2024).
OUTLINES_STABLE_FROM = dt.date(2008, 8, 1)


def _outlined_units(units: dict, code: str, on: dt.date, *, earlier: bool) -> list:
    """Provinces with ``code`` valid on ``on`` and, with ``earlier``, same-code ones ended since."""
    return [
        u
        for (c, _), u in units.items()
        if c == code
        and u.level == "province"
        and (
            u.is_valid_on(on)
            or (earlier and u.valid_to is not None and OUTLINES_STABLE_FROM <= u.valid_to <= on)
        )
    ]


def _unit_boundaries(units: dict, report: LoadReport) -> None:
    desired = {}
    # The 63-province file first; the 34-province file wins for units that continue.
    for filename, on in (
        ("provinces_63.geojson", dt.date(2025, 6, 30)),
        ("provinces_34.geojson", dt.date(2025, 7, 1)),
    ):
        collection = json.loads((DATA_DIR / "boundaries" / filename).read_text(encoding="utf-8"))
        for feature in collection["features"]:
            code = feature["properties"]["code"]
            for unit in _outlined_units(
                units, code, on, earlier=filename == "provinces_63.geojson"
            ):
                desired[unit.pk] = {
                    "unit_id": unit.pk,
                    "geometry": feature["geometry"],
                    "source": feature["properties"]["source"],
                }
    existing = {b.unit_id: b for b in UnitBoundary.objects.all()}
    _sync(UnitBoundary, existing, desired, ["geometry", "source"], report, "boundaries")


def _region_outlines(report: LoadReport) -> None:
    desired = {}
    for outline in boundaries.dissolve_regions():
        key = (outline["region_id"], outline["valid_from"])
        desired[key] = outline
    existing = {(o.region_id, o.valid_from): o for o in RegionOutline.objects.all()}
    stale = [o.pk for key, o in existing.items() if key not in desired]
    if stale:
        RegionOutline.objects.filter(pk__in=stale).delete()
        report.add("region_outlines", "deleted", len(stale))
        existing = {k: v for k, v in existing.items() if k in desired}
    fields = ["valid_to", "geometry", "source", "legal_basis"]
    _sync(RegionOutline, existing, desired, fields, report, "region_outlines")


@transaction.atomic
def load_territory(*, actor=None, source: TerritorySource | None = None) -> LoadReport:
    """Load regions, units, successions, memberships and boundaries; all or nothing."""
    source = source or TerritorySource()
    report = LoadReport()
    regions = _regions(report)
    units = _units(source, report)
    _successions(source, units, report)
    _memberships(source, regions, units, report)
    _unit_boundaries(units, report)
    _region_outlines(report)
    if report.changed:
        # Renames in place escape the name index's cheap change check; rebuild it.
        transaction.on_commit(name_index.invalidate)
        audit.record(
            actor=actor or "regionlink geography load",
            action="geography.load",
            object_type="geography.territory",
            object_repr="Địa giới hành chính và vùng",
            after=report.as_dict(),
        )
    return report
