"""Readers for each territory source, yielding plain rows for the loader.

Sources: the PyPI package ``vietnamadminunits`` (MIT: 63-province legacy units with districts,
the 34 provinces and 3,321 communes of 2025, and its old→new commune converter) and the
facts shipped in ``data/`` (regions, memberships, the 63→34 province mapping of
Resolution 202/2025/QH15, and earlier changes from 2004 and 2008).
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from pathlib import Path

from regionlink.core.text import compact, nfc, strip_diacritics
from regionlink.geography.package_source import PackageSource, official_commune_code

DATA_DIR = Path(__file__).resolve().parent / "data"

REORGANISATION_DATE = dt.date(2025, 7, 1)
LAST_DAY_BEFORE = dt.date(2025, 6, 30)
PROVINCE_MERGER_BASIS = "Nghị quyết 202/2025/QH15"
COMMUNE_BASIS = (
    "Nghị quyết 202/2025/QH15; các nghị quyết của UBTVQH về sắp xếp đơn vị hành chính cấp xã 2025"
)
DISTRICT_END_BASIS = "Nghị quyết 203/2025/QH15; Luật Tổ chức chính quyền địa phương 72/2025/QH15"

_TYPE_BY_PREFIX = {
    "Thành phố": "thanh_pho",
    "Tỉnh": "tinh",
    "Quận": "quan",
    "Huyện": "huyen",
    "Thị xã": "thi_xa",
    "Xã": "xa",
    "Phường": "phuong",
    "Thị trấn": "thi_tran",
    "Đặc khu": "dac_khu",
}
_TYPE_EN = {
    "quan": "Urban District",
    "huyen": "District",
    "thi_xa": "Town",
    "thanh_pho": "City",
    "xa": "Commune",
    "phuong": "Ward",
    "thi_tran": "Township",
    "dac_khu": "Special Zone",
}
# English names in common official use; the rest are the short name without diacritics.
_PROVINCE_EN = {
    "01": "Hanoi",
    "79": "Ho Chi Minh City",
    "46": "Hue",
    "48": "Da Nang",
    "31": "Hai Phong",
    "92": "Can Tho",
}


@dataclass
class UnitRow:
    code: str
    level: str
    unit_type: str
    name: str
    short_name: str
    name_en: str
    valid_from: dt.date | None
    valid_to: dt.date | None
    legal_basis: str = ""
    parent_key: tuple[str, dt.date | None] | None = None
    area_km2: Decimal | None = None
    latitude: float | None = None
    longitude: float | None = None
    aliases: list[str] = field(default_factory=list)

    @property
    def key(self) -> tuple[str, dt.date | None]:
        return (self.code, self.valid_from)


@dataclass
class SuccessionRow:
    predecessor: tuple[str, dt.date | None]
    successor: tuple[str, dt.date | None]
    effective_date: dt.date
    kind: str
    share: Decimal | None = None
    share_basis: str = ""
    legal_basis: str = ""
    note: str = ""


@dataclass
class MembershipRow:
    region_code: str
    unit: tuple[str, dt.date | None]
    valid_from: dt.date | None
    valid_to: dt.date | None
    legal_basis: str


def parse_date(value: str | None) -> dt.date | None:
    value = (value or "").strip()
    return dt.date.fromisoformat(value) if value else None


def read_csv(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8-sig", newline="") as handle:
        return [{k: nfc(v) for k, v in row.items()} for row in csv.DictReader(handle)]


def unit_type_of(full_name: str, level: str) -> str:
    for prefix, unit_type in _TYPE_BY_PREFIX.items():
        if full_name.lower().startswith(prefix.lower() + " "):
            if level == "province" and unit_type == "thanh_pho":
                return "thanh_pho_tw"
            return unit_type
    raise ValueError(f"Unknown unit type in {full_name!r}")


def tidy_name(full_name: str) -> str:
    """Fix the type prefix's capitals ("Thành Phố Bắc Kạn" → "Thành phố Bắc Kạn")."""
    name = nfc(full_name)
    for prefix in _TYPE_BY_PREFIX:
        if name.lower().startswith(prefix.lower() + " "):
            return prefix + name[len(prefix) :]
    return name


def english_name(short_name: str, unit_type: str, code: str, level: str) -> str:
    ascii_name = strip_diacritics(short_name)
    if level == "province":
        return _PROVINCE_EN.get(code, ascii_name)
    return f"{ascii_name} {_TYPE_EN[unit_type]}"


class TerritorySource:
    """Builds every unit, succession and membership row from the package and shipped facts."""

    def __init__(self, package: PackageSource | None = None):
        self.package = package or PackageSource()

    @cached_property
    def province_mapping(self) -> dict[str, str]:
        return {r["old_code"]: r["new_code"] for r in read_csv("province_succession_2025.csv")}

    @cached_property
    def continuing_codes(self) -> set[str]:
        """Provinces untouched by the 2025 merger: they continue as the same unit."""
        by_new: dict[str, set[str]] = {}
        for old, new in self.province_mapping.items():
            by_new.setdefault(new, set()).add(old)
        return {new for new, olds in by_new.items() if olds == {new}}

    @cached_property
    def created(self) -> dict[str, tuple[dt.date, str]]:
        return {
            r["code"]: (parse_date(r["valid_from"]), r["legal_basis"])
            for r in read_csv("province_created.csv")
        }

    @cached_property
    def aliases(self) -> dict[str, list[str]]:
        result: dict[str, list[str]] = {}
        for row in read_csv("name_aliases.csv"):
            result.setdefault(row["code"], []).append(row["alias"])
        return result

    def _province_aliases(self, code: str, package_aliases: list[str]) -> list[str]:
        values = {compact(a) for a in [*package_aliases, *self.aliases.get(code, [])]}
        return sorted(v for v in values if v)

    def old_province_key(self, code: str) -> tuple[str, dt.date | None]:
        """Key of a province of the 63 (most have no known start date)."""
        return (code, self.created.get(code, (None, ""))[0])

    def new_province_key(self, code: str) -> tuple[str, dt.date | None]:
        if code in self.continuing_codes:
            return self.old_province_key(code)
        return (code, REORGANISATION_DATE)

    def provinces(self) -> list[UnitRow]:
        rows: list[UnitRow] = []
        current = self.package.current_provinces()
        areas: dict[str, Decimal] = {}
        for ward in self.package.current:
            area = Decimal(str(ward["wardAreaKm2"] or 0))
            areas[ward["provinceCode"]] = areas.get(ward["provinceCode"], Decimal(0)) + area
        for code, row in sorted(self.package.legacy_provinces().items()):
            created_on, created_basis = self.created.get(code, (None, ""))
            continuing = code in self.continuing_codes
            name, short = tidy_name(row["province"]), nfc(row["provinceShort"])
            unit_type = unit_type_of(name, "province")
            rows.append(
                UnitRow(
                    code=code,
                    level="province",
                    unit_type=unit_type,
                    name=name,
                    short_name=short,
                    name_en=english_name(short, unit_type, code, "province"),
                    valid_from=created_on,
                    valid_to=None if continuing else LAST_DAY_BEFORE,
                    legal_basis=created_basis if continuing else PROVINCE_MERGER_BASIS,
                    area_km2=areas.get(code) if continuing else None,
                    latitude=row["provinceLat"],
                    longitude=row["provinceLon"],
                    aliases=self._province_aliases(
                        code, self.package._aliases(row["provinceAlias"])
                    ),
                )
            )
        for code, row in sorted(current.items()):
            if code in self.continuing_codes:
                continue
            name, short = tidy_name(row["province"]), nfc(row["provinceShort"])
            unit_type = unit_type_of(name, "province")
            rows.append(
                UnitRow(
                    code=code,
                    level="province",
                    unit_type=unit_type,
                    name=name,
                    short_name=short,
                    name_en=english_name(short, unit_type, code, "province"),
                    valid_from=REORGANISATION_DATE,
                    valid_to=None,
                    legal_basis=PROVINCE_MERGER_BASIS,
                    area_km2=areas.get(code),
                    latitude=row["provinceLat"],
                    longitude=row["provinceLon"],
                    aliases=self._province_aliases(
                        code, self.package._aliases(row["provinceAlias"])
                    ),
                )
            )
        for row in read_csv("historic_units.csv"):
            rows.append(
                UnitRow(
                    code=row["code"],
                    level=row["level"],
                    unit_type=row["unit_type"],
                    name=row["name"],
                    short_name=row["short_name"],
                    name_en=row["name_en"],
                    valid_from=parse_date(row["valid_from"]),
                    valid_to=parse_date(row["valid_to"]),
                    legal_basis=row["legal_basis"],
                    aliases=self._province_aliases(row["code"], []),
                )
            )
        return rows

    def districts(self) -> list[UnitRow]:
        rows = []
        for code, row in sorted(self.package.legacy_districts().items()):
            name, short = tidy_name(row["district"]), nfc(row["districtShort"])
            unit_type = unit_type_of(name, "district")
            rows.append(
                UnitRow(
                    code=code,
                    level="district",
                    unit_type=unit_type,
                    name=name,
                    short_name=short,
                    name_en=english_name(short, unit_type, code, "district"),
                    valid_from=None,
                    valid_to=LAST_DAY_BEFORE,
                    legal_basis=DISTRICT_END_BASIS,
                    parent_key=self.old_province_key(row["provinceCode"]),
                    latitude=row["districtLat"],
                    longitude=row["districtLon"],
                )
            )
        return rows

    def communes(self) -> list[UnitRow]:
        rows = []
        for row in self.package.legacy_communes():
            name, short = tidy_name(row["ward"]), nfc(row["wardShort"])
            unit_type = unit_type_of(name, "commune")
            rows.append(
                UnitRow(
                    code=row["wardCode"],
                    level="commune",
                    unit_type=unit_type,
                    name=name,
                    short_name=short,
                    name_en=english_name(short, unit_type, row["wardCode"], "commune"),
                    valid_from=None,
                    valid_to=LAST_DAY_BEFORE,
                    legal_basis=COMMUNE_BASIS,
                    parent_key=(row["districtCode"], None),
                    latitude=row["wardLat"],
                    longitude=row["wardLon"],
                )
            )
        for row in self.package.current:
            name, short = tidy_name(row["ward"]), nfc(row["wardShort"])
            unit_type = unit_type_of(name, "commune")
            area = row["wardAreaKm2"]
            code = official_commune_code(row["wardCode"])
            rows.append(
                UnitRow(
                    code=code,
                    level="commune",
                    unit_type=unit_type,
                    name=name,
                    short_name=short,
                    name_en=english_name(short, unit_type, code, "commune"),
                    valid_from=REORGANISATION_DATE,
                    valid_to=None,
                    legal_basis=COMMUNE_BASIS,
                    parent_key=self.new_province_key(row["provinceCode"]),
                    area_km2=Decimal(str(area)) if area is not None else None,
                    latitude=row["wardLat"],
                    longitude=row["wardLon"],
                )
            )
        return rows

    def successions(self) -> list[SuccessionRow]:
        rows = []
        for old, new in sorted(self.province_mapping.items()):
            if new in self.continuing_codes:
                continue
            rows.append(
                SuccessionRow(
                    predecessor=self.old_province_key(old),
                    successor=self.new_province_key(new),
                    effective_date=REORGANISATION_DATE,
                    kind="whole",
                    share=Decimal(1),
                    share_basis="territory",
                    legal_basis=PROVINCE_MERGER_BASIS,
                )
            )
        for old_code, new_code, whole in self.package.commune_links():
            rows.append(
                SuccessionRow(
                    predecessor=(old_code, None),
                    successor=(new_code, REORGANISATION_DATE),
                    effective_date=REORGANISATION_DATE,
                    kind="whole" if whole else "partial",
                    legal_basis=COMMUNE_BASIS,
                )
            )
        for row in read_csv("historic_successions.csv"):
            rows.append(
                SuccessionRow(
                    predecessor=self._key_on(row["predecessor_code"], row["predecessor_on"]),
                    successor=self._key_on(row["successor_code"], row["successor_on"]),
                    effective_date=parse_date(row["effective_date"]),
                    kind=row["kind"],
                    share=Decimal(row["share"]) if row["share"] else None,
                    share_basis=row["share_basis"],
                    legal_basis=row["legal_basis"],
                    note=row["note"],
                )
            )
        return rows

    @cached_property
    def _province_rows(self) -> list[UnitRow]:
        return self.provinces()

    def _key_on(self, code: str, on: str) -> tuple[str, dt.date | None]:
        """The key of the province with ``code`` valid on the ISO date ``on``."""
        date = parse_date(on)
        for row in self._province_rows:
            if row.code != code:
                continue
            if (row.valid_from is None or row.valid_from <= date) and (
                row.valid_to is None or row.valid_to >= date
            ):
                return row.key
        raise ValueError(f"No province {code} valid on {on}")

    def memberships(self) -> list[MembershipRow]:
        rows = []
        for row in read_csv("region_membership.csv"):
            valid_from, valid_to = parse_date(row["valid_from"]), parse_date(row["valid_to"])
            on = valid_to or valid_from or REORGANISATION_DATE
            unit = self._key_on(row["province_code"], on.isoformat())
            rows.append(
                MembershipRow(row["region_code"], unit, valid_from, valid_to, row["legal_basis"])
            )
        for row in read_csv("historic_units.csv"):
            if row["region_code"]:
                unit = (row["code"], parse_date(row["valid_from"]))
                rows.append(
                    MembershipRow(
                        row["region_code"],
                        unit,
                        None,
                        parse_date(row["valid_to"]),
                        "NQ 81/2023/QH15 (áp dụng cho chuỗi số liệu lịch sử)",
                    )
                )
        return rows
