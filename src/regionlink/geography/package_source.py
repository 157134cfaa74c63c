"""The PyPI package ``vietnamadminunits`` (MIT) as a territory source.

It holds the 63-province units with districts and communes as they stood before 01/07/2025,
the 34 provinces and 3,321 communes after, and its old→new commune converter.
"""

from __future__ import annotations

import json
import sqlite3
from functools import cached_property
from pathlib import Path

import vietnamadminunits

PACKAGE_DATA = Path(vietnamadminunits.__file__).resolve().parent / "data"
PACKAGE_SOURCE = "vietnamadminunits (MIT)"

# The package keeps a draft code for one 2025 commune; the official 3,321-code list (checked in
# tests against ../shared/reference) gives another. Applied to 2025 communes and successions.
COMMUNE_CODE_CORRECTIONS_2025 = {"06970": "06978"}  # Xã Ba Chẽ, Quảng Ninh


def official_commune_code(code: str) -> str:
    return COMMUNE_CODE_CORRECTIONS_2025.get(code, code)


class PackageSource:
    """The ``vietnamadminunits`` data set: legacy (to 30/06/2025) and 2025 units."""

    def __init__(self, data_dir: Path = PACKAGE_DATA):
        self.data_dir = data_dir

    def _query(self, sql: str) -> list[dict]:
        with sqlite3.connect(self.data_dir / "dataset.db") as conn:
            conn.row_factory = sqlite3.Row
            return [dict(r) for r in conn.execute(sql)]

    @cached_property
    def legacy(self) -> list[dict]:
        return self._query("SELECT * FROM admin_units_legacy ORDER BY wardCode")

    @cached_property
    def current(self) -> list[dict]:
        return self._query("SELECT * FROM admin_units ORDER BY wardCode")

    @cached_property
    def converter(self) -> dict:
        return json.loads((self.data_dir / "converter_2025.json").read_text(encoding="utf-8"))

    @staticmethod
    def _aliases(raw: str | None) -> list[str]:
        return json.loads(raw) if raw else []

    def legacy_provinces(self) -> dict[str, dict]:
        provinces = {}
        for row in self.legacy:
            provinces.setdefault(row["provinceCode"], row)
        return provinces

    def current_provinces(self) -> dict[str, dict]:
        provinces: dict[str, dict] = {}
        for row in self.current:
            provinces.setdefault(row["provinceCode"], row)
        return provinces

    def legacy_districts(self) -> dict[str, dict]:
        districts = {}
        for row in self.legacy:
            districts.setdefault(row["districtCode"], row)
        return districts

    def legacy_communes(self) -> list[dict]:
        return [row for row in self.legacy if row["wardCode"]]

    def commune_links(self) -> list[tuple[str, str, bool]]:
        """(old commune or commune-less district code, new commune code, whole?), 2025 converter."""
        # A district without communes (e.g. Hoàng Sa, Bạch Long Vĩ) is keyed "province_district_".
        old_by_key = {
            f"{r['provinceKey']}_{r['districtKey']}_{r['wardKey'] or ''}": r["wardCode"]
            or r["districtCode"]
            for r in self.legacy
        }
        new_by_key = {
            (r["provinceKey"], r["wardKey"]): official_commune_code(r["wardCode"])
            for r in self.current
        }
        links: list[tuple[str, str, bool]] = []
        for province_key, wards in self.converter["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
            for new_key, old_keys in wards.items():
                for old_key in old_keys:
                    links.append((old_by_key[old_key], new_by_key[(province_key, new_key)], True))
        for province_key, olds in self.converter["DICT_PROVINCE_WARD_DIVIDED"].items():
            for old_key, targets in olds.items():
                for target in targets:
                    new_code = new_by_key[(province_key, target["newWardKey"])]
                    links.append((old_by_key[old_key], new_code, False))
        return links
