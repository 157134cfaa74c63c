"""What a plan's registry fields must satisfy under the Planning Law in force.

Returns every problem at once (a form shows them all); services raise the first.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from regionlink.core.text import nfc
from regionlink.plans import law
from regionlink.plans.errors import PlanError
from regionlink.plans.errors import PlanErrorCode as Code
from regionlink.plans.law import PlanLevel, Rule, Territory

# Levels whose period is ten years from a year ending in 1 (2017 Law Art. 7).
TEN_YEAR_LEVELS = frozenset({*law.NATIONAL_LEVELS, PlanLevel.REGIONAL, PlanLevel.PROVINCIAL})
SECTORAL_LEVELS = frozenset({PlanLevel.NATIONAL_SECTORAL, PlanLevel.DETAILED_SECTORAL})


def _covers_period(unit, start: int, end: int) -> bool:
    """Whether a dated territory existed at some time during the plan's period."""
    first, last = dt.date(start, 1, 1), dt.date(end, 12, 31)
    return (unit.valid_from is None or unit.valid_from <= last) and (
        unit.valid_to is None or unit.valid_to >= first
    )


def _territory(level, region, province, start, end) -> list[PlanError]:
    kind = law.TERRITORY_OF_LEVEL[PlanLevel(level)]
    params = {"level": PlanLevel(level).label, "start": start, "end": end}
    found = []
    if kind == Territory.COUNTRY and (region is not None or province is not None):
        text = _("%(level)s có phạm vi cả nước: bỏ chọn vùng và tỉnh.")
        field = "region" if region is not None else "province"
        found.append((Code.TERRITORY_NOT_ALLOWED, text, field))
    if kind == Territory.REGION and region is None:
        text = _("%(level)s phải gắn với một vùng: chọn vùng của quy hoạch.")
        found.append((Code.REGION_REQUIRED, text, "region"))
    if kind == Territory.REGION and province is not None:
        text = _("%(level)s có phạm vi cả vùng: bỏ chọn tỉnh.")
        found.append((Code.TERRITORY_NOT_ALLOWED, text, "province"))
    if kind == Territory.PROVINCE and province is None:
        text = _("%(level)s phải gắn với một tỉnh, thành phố: chọn tỉnh của quy hoạch.")
        found.append((Code.PROVINCE_REQUIRED, text, "province"))
    if kind == Territory.PROVINCE and region is not None:
        text = _("%(level)s có phạm vi một tỉnh: bỏ chọn vùng (vùng suy ra từ tỉnh).")
        found.append((Code.TERRITORY_NOT_ALLOWED, text, "region"))
    if province is not None and (
        province.level != "province" or not _covers_period(province, start, end)
    ):
        params["unit"] = province.name
        text = _(
            "“%(unit)s” không phải là tỉnh, thành phố có hiệu lực trong thời kỳ "
            "%(start)s–%(end)s: chọn tỉnh theo bản đồ hành chính của thời kỳ quy hoạch."
        )
        found.append((Code.PROVINCE_NOT_VALID, text, "province"))
    if region is not None and not _covers_period(region, start, end):
        params["region"] = region.name
        text = _("Vùng “%(region)s” không có hiệu lực trong thời kỳ %(start)s–%(end)s.")
        found.append((Code.PROVINCE_NOT_VALID, text, "region"))
    return [PlanError(code, text % params, field) for code, text, field in found]


def _period(level, start, end, vision_year, on: dt.date) -> list[PlanError]:
    params = {
        "start": start,
        "end": end,
        "expected": start + 9,
        "vision": vision_year,
        "basis": law.cite(Rule.PERIOD, on=on),
    }
    found = []
    if start >= end:
        text = _("Năm bắt đầu thời kỳ (%(start)s) phải nhỏ hơn năm kết thúc (%(end)s).")
        found.append((Code.PERIOD_ORDER, text, "period_end"))
    elif level in TEN_YEAR_LEVELS and start % 10 != 1:
        text = _(
            "Thời kỳ quy hoạch bắt đầu từ năm có số cuối là 1 (ví dụ 2021), "
            "không phải %(start)s (%(basis)s)."
        )
        found.append((Code.PERIOD_START, text, "period_start"))
    elif level in TEN_YEAR_LEVELS and end != start + 9:
        text = _(
            "Thời kỳ quy hoạch là 10 năm: bắt đầu năm %(start)s thì kết thúc năm "
            "%(expected)s (%(basis)s)."
        )
        found.append((Code.PERIOD_LENGTH, text, "period_end"))
    if vision_year is not None and vision_year <= end:
        text = _("Năm tầm nhìn (%(vision)s) phải sau năm kết thúc thời kỳ (%(end)s), ví dụ 2050.")
        found.append((Code.VISION_YEAR, text, "vision_year"))
    return [PlanError(code, text % params, field) for code, text, field in found]


def validate_plan(
    *, level, region, province, period_start, period_end, vision_year, sector, on: dt.date
) -> list[PlanError]:
    """Every problem of a plan's level, territory, period and sector (empty when valid)."""
    if level not in PlanLevel.values:
        text = _("Cấp quy hoạch “%(level)s” không có trong hệ thống quy hoạch quốc gia.")
        return [PlanError(Code.LEVEL_NOT_IN_FORCE, text % {"level": level}, "level")]
    errors = []
    planning_law = law.law_in_force(on)
    if level not in planning_law.levels:
        text = _(
            "%(level)s không có trong %(law)s, đang có hiệu lực ngày %(date)s; chỉ lập được "
            "theo Luật Quy hoạch 112/2025/QH15 từ ngày 01/03/2026 (%(basis)s)."
        )
        params = {
            "level": PlanLevel(level).label,
            "law": planning_law.instrument,
            "date": on.strftime("%d/%m/%Y"),
            "basis": law.cite(Rule.LEVELS, on=on),
        }
        errors.append(PlanError(Code.LEVEL_NOT_IN_FORCE, text % params, "level"))
    errors += _territory(level, region, province, period_start, period_end)
    errors += _period(level, period_start, period_end, vision_year, on)
    if level in SECTORAL_LEVELS and not nfc(sector):
        text = _("%(level)s phải ghi ngành, lĩnh vực (ví dụ “Giao thông vận tải”).")
        errors.append(
            PlanError(Code.SECTOR_REQUIRED, text % {"level": PlanLevel(level).label}, "sector")
        )
    return errors
