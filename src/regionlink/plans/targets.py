"""Targets (chỉ tiêu) of a plan: an indicator of the data hub, a territory, a year, a comparator.

Every write checks what a person can fix and says how: the indicator exists, a percentage
lies in 0–100, a range has its upper bound, the year lies in the plan's period (or is its
vision year), the territory lies inside the plan's, a growth rate has its base year, and no
second target says the same thing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from django.db import transaction
from django.utils.translation import gettext as _

from regionlink.audit import services as audit
from regionlink.geography.models import AdministrativeUnit, Region, RegionMembership
from regionlink.indicators.models import Indicator
from regionlink.plans import permissions
from regionlink.plans.errors import PlanError
from regionlink.plans.law import TERRITORY_OF_LEVEL, Territory
from regionlink.plans.models import Comparator, Plan, PlanTarget

EDITABLE = (
    "indicator",
    "target_year",
    "comparator",
    "value",
    "value_max",
    "region",
    "province",
    "base_year",
    "wording",
)


class TargetErrorCode(StrEnum):
    UNKNOWN_FIELD = "target_unknown_field"
    UNKNOWN_INDICATOR = "unknown_indicator"
    COMPARATOR = "comparator"
    VALUE = "value"
    PERCENT_RANGE = "percent_range"
    RANGE_MAX_REQUIRED = "range_max_required"
    RANGE_ORDER = "range_order"
    MAX_NOT_ALLOWED = "max_not_allowed"
    YEAR_OUTSIDE_PERIOD = "year_outside_period"
    TERRITORY_BOTH = "territory_both"
    TERRITORY_OUTSIDE = "territory_outside"
    BASE_YEAR = "base_year"
    DUPLICATE = "duplicate_target"


class TargetError(PlanError):
    """A refused target; ``field`` names the form field or import column to fix."""

    def __init__(self, code: TargetErrorCode | str, message: str, field: str | None = None):
        Exception.__init__(self, message)
        self.code = TargetErrorCode(code)
        self.message = str(message)
        self.field = field


def is_growth(indicator: Indicator) -> bool:
    """Average annual growth rates need a base year; the catalogue names them so."""
    unit = (indicator.unit_of_measure or "").replace(" ", "")
    return (
        indicator.code.endswith("_GROWTH")
        or unit == "%/năm"
        or indicator.name.startswith("Tốc độ tăng")
    )


def is_percent(indicator: Indicator) -> bool:
    return indicator.is_percentage or (indicator.unit_of_measure or "").strip() == "%"


def resolve_indicator(indicator) -> Indicator:
    if isinstance(indicator, Indicator):
        return indicator
    found = Indicator.objects.filter(code=str(indicator or "").strip().upper()).first()
    if found is None:
        raise TargetError(
            TargetErrorCode.UNKNOWN_INDICATOR,
            _(
                "Không có chỉ tiêu mã “%(code)s” trong danh mục của kho dữ liệu; chọn một mã "
                "trong danh mục chỉ tiêu (ví dụ URBANISATION_RATE)."
            )
            % {"code": indicator},
            "indicator",
        )
    return found


def _decimal(value, field: str) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise TargetError(
            TargetErrorCode.VALUE,
            _("Giá trị “%(value)s” không phải là số; nhập số, ví dụ 55 hoặc 1.234,5.")
            % {"value": value},
            field,
        ) from None


def plan_span(plan: Plan) -> tuple[dt.date, dt.date]:
    """The plan's dates: its period, on which its territory is read."""
    return dt.date(plan.period_start, 1, 1), dt.date(plan.period_end, 12, 31)


def _territory_ok(plan: Plan, region: Region | None, province: AdministrativeUnit | None) -> bool:
    start, end = plan_span(plan)
    if province is not None and not (
        (province.valid_from is None or province.valid_from <= end)
        and (province.valid_to is None or province.valid_to >= start)
    ):
        return False
    kind = TERRITORY_OF_LEVEL.get(plan.level, Territory.COUNTRY)
    if kind == Territory.COUNTRY and not plan.region_id and not plan.province_id:
        if region is not None:
            return (region.valid_from is None or region.valid_from <= end) and (
                region.valid_to is None or region.valid_to >= start
            )
        return True
    if region is not None:
        return False  # a regional plan names provinces; a provincial plan only itself
    if plan.province_id:
        return province.pk == plan.province_id
    # A province of the region at some time during the plan's period.
    members = RegionMembership.objects.filter(region_id=plan.region_id, unit=province)
    members = members.exclude(valid_from__gt=end).exclude(valid_to__lt=start)
    return members.exists()


def clean(plan: Plan, data: dict, exclude_pk: int | None = None) -> dict:
    """The validated, normalised fields of a target; raises TargetError naming the fix."""
    indicator = resolve_indicator(data.get("indicator"))
    comparator = str(data.get("comparator") or "")
    if comparator not in Comparator.values:
        raise TargetError(
            TargetErrorCode.COMPARATOR,
            _("Phép so sánh “%(value)s” không hợp lệ; dùng ≥ (ge), ≤ (le), = (eq) hoặc khoảng.")
            % {"value": comparator},
            "comparator",
        )
    value = _decimal(data.get("value"), "value")
    if value is None:
        raise TargetError(TargetErrorCode.VALUE, _("Nhập giá trị chỉ tiêu."), "value")
    value_max = _decimal(data.get("value_max"), "value_max")
    if comparator == Comparator.RANGE:
        if value_max is None:
            raise TargetError(
                TargetErrorCode.RANGE_MAX_REQUIRED,
                _("Chỉ tiêu dạng khoảng cần giá trị tối đa; nhập cận trên, ví dụ 52 cho 48–52."),
                "value_max",
            )
        if value > value_max:
            raise TargetError(
                TargetErrorCode.RANGE_ORDER,
                _(
                    "Giá trị tối đa %(max)s nhỏ hơn giá trị %(min)s; đổi chỗ hai giá trị để "
                    "cận dưới đứng trước."
                )
                % {"max": value_max, "min": value},
                "value_max",
            )
    elif value_max is not None:
        raise TargetError(
            TargetErrorCode.MAX_NOT_ALLOWED,
            _("Chỉ nhập giá trị tối đa khi phép so sánh là “trong khoảng”; xóa giá trị tối đa."),
            "value_max",
        )
    growth = is_growth(indicator)
    if is_percent(indicator) and not growth:
        for field, number in (("value", value), ("value_max", value_max)):
            if number is not None and not Decimal(0) <= number <= Decimal(100):
                raise TargetError(
                    TargetErrorCode.PERCENT_RANGE,
                    _(
                        "Chỉ tiêu %(code)s tính bằng %%: giá trị %(value)s phải nằm trong "
                        "khoảng 0–100."
                    )
                    % {"code": indicator.code, "value": number},
                    field,
                )
    year = int(data.get("target_year") or 0)
    if not (plan.period_start <= year <= plan.period_end or year == plan.vision_year):
        vision = _(" hoặc năm tầm nhìn %(year)s") % {"year": plan.vision_year}
        raise TargetError(
            TargetErrorCode.YEAR_OUTSIDE_PERIOD,
            _(
                "Năm mục tiêu %(year)s nằm ngoài thời kỳ %(start)s–%(end)s%(vision)s; chọn một năm "
                "trong thời kỳ quy hoạch."
            )
            % {
                "year": year,
                "start": plan.period_start,
                "end": plan.period_end,
                "vision": vision if plan.vision_year else "",
            },
            "target_year",
        )
    region, province = data.get("region"), data.get("province")
    if region is not None and province is not None:
        raise TargetError(
            TargetErrorCode.TERRITORY_BOTH,
            _("Chọn một địa bàn: vùng hoặc tỉnh, không chọn cả hai."),
            "province",
        )
    # The plan's own territory is stored as "none" so one target cannot be entered twice.
    if region is not None and region.pk == plan.region_id:
        region = None
    if province is not None and province.pk == plan.province_id:
        province = None
    if (region or province) is not None and not _territory_ok(plan, region, province):
        raise TargetError(
            TargetErrorCode.TERRITORY_OUTSIDE,
            _(
                "Địa bàn “%(territory)s” không thuộc địa bàn của quy hoạch “%(plan)s” trong thời "
                "kỳ %(start)s–%(end)s; để trống để dùng địa bàn của quy hoạch, hoặc chọn một tỉnh "
                "thuộc địa bàn đó."
            )
            % {
                "territory": (region or province).name,
                "plan": plan.name,
                "start": plan.period_start,
                "end": plan.period_end,
            },
            "province" if province is not None else "region",
        )
    base_year = data.get("base_year")
    base_year = int(base_year) if base_year not in (None, "") else None
    if growth and base_year is None:
        base_year = plan.period_start - 1  # the year before the period: the usual base
    if base_year is not None and base_year >= year:
        raise TargetError(
            TargetErrorCode.BASE_YEAR,
            _("Năm gốc %(base)s phải trước năm mục tiêu %(year)s; nhập năm gốc, ví dụ %(hint)s.")
            % {"base": base_year, "year": year, "hint": plan.period_start - 1},
            "base_year",
        )
    duplicate = PlanTarget.objects.filter(
        plan=plan, indicator=indicator, target_year=year, region=region, province=province
    ).exclude(pk=exclude_pk)
    if duplicate.exists():
        raise TargetError(
            TargetErrorCode.DUPLICATE,
            _(
                "Quy hoạch đã có chỉ tiêu %(code)s năm %(year)s cho địa bàn này; sửa chỉ tiêu "
                "đó thay vì thêm mới."
            )
            % {"code": indicator.code, "year": year},
            "indicator",
        )
    return {
        "indicator": indicator,
        "target_year": year,
        "comparator": comparator,
        "value": value,
        "value_max": value_max,
        "region": region,
        "province": province,
        "base_year": base_year,
        "wording": str(data.get("wording") or "").strip(),
    }


def snapshot(target: PlanTarget) -> dict:
    return {
        "indicator": target.indicator.code,
        "target_year": target.target_year,
        "comparator": target.comparator,
        "value": target.value,
        "value_max": target.value_max,
        "region": target.region.code if target.region_id else None,
        "province": target.province.code if target.province_id else None,
        "base_year": target.base_year,
        "wording": target.wording,
    }


def _check(actor, plan: Plan) -> None:
    if not isinstance(actor, str):  # a string actor is a set-up step (demo, fixtures)
        permissions.check(actor, permissions.Action.EDIT, plan)


@transaction.atomic
def add_target(
    *,
    actor,
    plan,
    indicator,
    target_year,
    comparator,
    value,
    value_max=None,
    region=None,
    province=None,
    base_year=None,
    wording="",
) -> PlanTarget:
    """Add a target to a plan's current version."""
    _check(actor, plan)
    fields = clean(plan, {k: v for k, v in locals().items() if k in EDITABLE})
    target = PlanTarget.objects.create(plan=plan, version=plan.current_version(), **fields)
    audit.record(actor=actor, action="plans.target_add", obj=target, after=snapshot(target))
    return target


@transaction.atomic
def update_target(*, actor, target: PlanTarget, **fields) -> PlanTarget:
    """Change a target's fields; the whole target is validated again."""
    unknown = sorted(set(fields) - set(EDITABLE))
    if unknown:
        raise TargetError(
            TargetErrorCode.UNKNOWN_FIELD,
            _("Không sửa được trường %(fields)s của chỉ tiêu.") % {"fields": ", ".join(unknown)},
            unknown[0],
        )
    _check(actor, target.plan)
    before = snapshot(target)
    current = {name: getattr(target, name) for name in EDITABLE}
    cleaned = clean(target.plan, {**current, **fields}, exclude_pk=target.pk)
    for name, value in cleaned.items():
        setattr(target, name, value)
    target.save()
    old, new = audit.changes(before, snapshot(target))
    if new:
        audit.record(actor=actor, action="plans.target_update", obj=target, before=old, after=new)
    return target


@transaction.atomic
def delete_target(*, actor, target: PlanTarget) -> None:
    """Delete a target (its findings keep their text; the link to it goes)."""
    _check(actor, target.plan)
    before = snapshot(target)
    audit.record(actor=actor, action="plans.target_delete", obj=target, before=before)
    target.delete()
