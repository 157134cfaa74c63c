"""Reference organisations: central bodies, regional councils and the 34 People's Committees.

Loaded by ``regionlink setup``; idempotent. Organisations are data: the list lives in
``data/reference_organisations.csv`` and the People's Committees follow the provinces valid today.
"""

from __future__ import annotations

import csv
from pathlib import Path

from django.db import transaction

from regionlink.audit import services as audit
from regionlink.core.text import fold, nfc
from regionlink.geography.models import Level, Region
from regionlink.geography.queries import today, units_on
from regionlink.organisations.models import JurisdictionScope, Organisation, OrganisationKind

DATA = Path(__file__).resolve().parent / "data"
PEOPLES_COMMITTEE_BASIS = (
    "Nghị quyết 202/2025/QH15; Luật Tổ chức chính quyền địa phương 72/2025/QH15"
)


def _rows() -> list[dict]:
    with (DATA / "reference_organisations.csv").open(encoding="utf-8", newline="") as handle:
        return [{k: nfc(v) for k, v in row.items()} for row in csv.DictReader(handle)]


def _upsert(values: dict, regions=(), provinces=()) -> str:
    org = Organisation.objects.filter(code=values["code"]).first()
    values = {**values, "search_key": fold(f"{values['name']} {values.get('short_name', '')}")}
    if org is None:
        org = Organisation.objects.create(**values)
        outcome = "created"
    else:
        dirty = {k: v for k, v in values.items() if getattr(org, k) != v}
        for key, value in dirty.items():
            setattr(org, key, value)
        if dirty:
            org.save()
        outcome = "updated" if dirty else "unchanged"
    if {r.pk for r in org.regions.all()} != {r.pk for r in regions}:
        org.regions.set(regions)
        outcome = "updated" if outcome == "unchanged" else outcome
    if {p.pk for p in org.provinces.all()} != {p.pk for p in provinces}:
        org.provinces.set(provinces)
        outcome = "updated" if outcome == "unchanged" else outcome
    return outcome


@transaction.atomic
def load_reference_organisations() -> dict[str, int]:
    """Create or update the reference organisations; returns counts by outcome."""
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    by_code: dict[str, Organisation] = {}
    for row in _rows():
        parent = Organisation.objects.get(code=row["parent"]) if row["parent"] else None
        regions = list(Region.objects.filter(code__in=[c for c in row["regions"].split(";") if c]))
        values = {
            "code": row["code"],
            "name": row["name"],
            "name_en": row["name_en"],
            "short_name": row["short_name"],
            "kind": row["kind"],
            "parent": parent,
            "scope": row["scope"],
            "legal_basis": row["legal_basis"],
        }
        counts[_upsert(values, regions=regions)] += 1
        by_code[row["code"]] = Organisation.objects.get(code=row["code"])
    for province in units_on(today(), Level.PROVINCE).order_by("code"):
        values = {
            "code": f"ubnd-{province.code}",
            "name": f"Ủy ban nhân dân {province.name[0].lower()}{province.name[1:]}",
            "name_en": f"People's Committee of {province.name_en}",
            "short_name": f"UBND {province.short_name}",
            "kind": OrganisationKind.PEOPLES_COMMITTEE,
            "parent": None,
            "scope": JurisdictionScope.PROVINCES,
            "legal_basis": PEOPLES_COMMITTEE_BASIS,
        }
        counts[_upsert(values, provinces=[province])] += 1
    if counts["created"] or counts["updated"]:
        audit.record(
            actor="regionlink setup",
            action="organisation.load_reference",
            object_type="organisations.organisation",
            object_repr="Danh mục cơ quan tham chiếu",
            after=counts,
        )
    return counts
