"""The indicator catalogue: 20 groups, dimensions and ~50 core regional indicators.

Loaded from ``data/*.csv`` by ``regionlink setup``; idempotent (a second run changes nothing).
Definitions follow Decree 94/2022/NĐ-CP's fields; rules say how values combine.
"""

from __future__ import annotations

import csv
import threading
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from regionlink.audit import services as audit
from regionlink.core.text import fold, nfc
from regionlink.indicators import disaggregation as dis
from regionlink.indicators.models import Dimension, DimensionMember, Indicator, IndicatorGroup

DATA = Path(__file__).resolve().parent / "data"


def _read(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return [{k: nfc(v) for k, v in row.items()} for row in csv.DictReader(handle)]


def _upsert(model, lookup: dict, values: dict, counts: dict) -> object:
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model.objects.create(**lookup, **values)
        counts["created"] += 1
        return obj
    dirty = {k: v for k, v in values.items() if getattr(obj, k) != v}
    if dirty:
        for key, value in dirty.items():
            setattr(obj, key, value)
        obj.save(update_fields=list(dirty))
        counts["updated"] += 1
    else:
        counts["unchanged"] += 1
    return obj


def _decimal(text: str) -> Decimal | None:
    return Decimal(text) if text else None


def _indicator_values(row: dict, groups: dict) -> dict:
    return {
        "group": groups[row["group"]],
        "name": row["name"],
        "name_en": row["name_en"],
        "unit_of_measure": row["unit"],
        "unit_of_measure_en": row["unit_en"],
        "spatial_rule": row["spatial"],
        "temporal_rule": row["temporal"],
        "numerator_disaggregation": row["numerator_disagg"],
        "denominator_disaggregation": row["denominator_disagg"],
        "scale": Decimal(row["scale"] or "1"),
        "formula": row["formula"],
        "min_value": _decimal(row["min"]),
        "max_value": _decimal(row["max"]),
        "is_percentage": row["pct"] == "1",
        "decimals": int(row["decimals"] or 1),
        "concept": row["concept"],
        "calculation_method": row["method"],
        "data_source": row["source"],
        "responsible_agency": row["agency"],
        "not_aggregable_reason": row["not_aggregable"],
        "search_key": fold(f"{row['code']} {row['name']} {row['name_en']}"),
    }


def _in_dependency_order(rows: list[dict]) -> list[dict]:
    """Rows ordered so each indicator comes after its weight, numerator and denominator."""
    by_code = {row["code"]: row for row in rows}
    ordered: list[dict] = []
    placed: set[str] = set()

    def place(code: str, trail: tuple[str, ...] = ()) -> None:
        if code in placed:
            return
        if code in trail:
            raise ValueError(f"Indicator references form a cycle: {' → '.join((*trail, code))}")
        row = by_code[code]
        for field in ("weight", "numerator", "denominator"):
            if row[field]:
                place(row[field], (*trail, code))
        placed.add(code)
        ordered.append(row)

    for row in rows:
        place(row["code"])
    return ordered


def _check_ratio_dimensions(row: dict, by_code: dict[str, dict]) -> None:
    """A ratio may declare only dimensions both components carry and neither fixes."""
    if row["spatial"] != "ratio":
        return
    parts = [
        (row["numerator"], row["numerator_disagg"]),
        (row["denominator"], row["denominator_disagg"]),
    ]
    for dimension in (c for c in row["dimensions"].split(";") if c):
        unfit = [
            code
            for code, fixed in parts
            if dimension not in by_code[code]["dimensions"].split(";")
            or dimension in dis.parse(fixed)
        ]
        if unfit:
            raise ValueError(
                _(
                    "Danh mục chỉ tiêu: tỷ số %(code)s khai báo chiều %(dimension)s nhưng "
                    "%(components)s không có (hoặc đã cố định) chiều này. Bỏ %(dimension)s khỏi "
                    "cột dimensions của %(code)s, hoặc khai báo chiều đó cho %(components)s."
                )
                % {
                    "code": row["code"],
                    "dimension": dimension,
                    "components": ", ".join(dict.fromkeys(unfit)),
                }
            )


@transaction.atomic
def load_catalogue() -> dict[str, int]:
    """Create or update groups, dimensions and indicators; returns counts by outcome."""
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    groups = {}
    for i, row in enumerate(_read("groups.csv"), start=1):
        values = {"name": row["name"], "name_en": row["name_en"], "sort_order": i}
        groups[row["code"]] = _upsert(IndicatorGroup, {"code": row["code"]}, values, counts)
    dimensions = {}
    for i, row in enumerate(_read("dimensions.csv"), start=1):
        dim_values = {"name": row["dimension_name"], "name_en": row["dimension_name_en"]}
        if row["dimension"] not in dimensions:
            dimensions[row["dimension"]] = _upsert(
                Dimension, {"code": row["dimension"]}, dim_values, counts
            )
        member_values = {"name": row["name"], "name_en": row["name_en"], "sort_order": i}
        lookup = {"dimension": dimensions[row["dimension"]], "code": row["member"]}
        _upsert(DimensionMember, lookup, member_values, counts)
    indicators: dict[str, Indicator] = {}
    regrouped = False
    rows = _read("indicators.csv")
    by_code = {row["code"]: row for row in rows}
    for row in _in_dependency_order(rows):
        _check_ratio_dimensions(row, by_code)
        values = _indicator_values(row, groups)
        # Components exist already (dependency order), so rule constraints hold on insert.
        for field in ("weight", "numerator", "denominator"):
            values[field] = indicators.get(row[field])
        indicator = _upsert(Indicator, {"code": row["code"]}, values, counts)
        indicators[row["code"]] = indicator
        wanted = {dimensions[c] for c in row["dimensions"].split(";") if c}
        if set(indicator.dimensions.all()) != wanted:
            indicator.dimensions.set(wanted)
            regrouped = True
    # Audited whenever anything changed: data_versions reads the audit to see edits in place.
    if counts["created"] or counts["updated"] or regrouped:
        audit.record(
            actor="regionlink setup",
            action="indicator.load_catalogue",
            object_type="indicators.indicator",
            object_repr="Danh mục chỉ tiêu",
            after=counts,
        )
    return counts


# --- The catalogue as read by every data query ----------------------------------------------


@dataclass(frozen=True)
class CatalogueSnapshot:
    """Every indicator with its dimensions and their members, as of one catalogue version.

    Shared by the threads of a process and never changed: callers only read it.
    """

    version: tuple
    by_code: dict[str, Indicator]
    allowed: dict[str, dict[str, set[str]]]  # indicator code → dimension → member codes
    rules: object  # aggregation_rules.Catalogue, built once (~2 ms a call otherwise)


def _load_snapshot(version: tuple) -> CatalogueSnapshot:
    from regionlink.indicators.aggregation_rules import Catalogue

    indicators = list(Indicator.objects.order_by("pk").prefetch_related("dimensions__members"))
    return CatalogueSnapshot(
        version=version,
        by_code={i.code: i for i in indicators},
        rules=Catalogue(indicators),
        allowed={
            i.code: {d.code: {m.code for m in d.members.all()} for d in i.dimensions.all()}
            for i in indicators
        },
    )


_lock = threading.Lock()
_current: CatalogueSnapshot | None = None


def snapshot(version: tuple | None = None) -> CatalogueSnapshot:
    """The catalogue as of ``version`` (read now when not given), loaded once per process and
    version (three queries); ``data_versions`` sees every change ``load_catalogue`` makes."""
    global _current
    if version is None:
        from regionlink.indicators import data_versions

        version = data_versions.read(()).catalogue
    current = _current
    if current is not None and current.version == version:
        return current
    with _lock:
        if _current is None or _current.version != version:
            _current = _load_snapshot(version)
        return _current
