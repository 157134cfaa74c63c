"""A province's planning official enters targets; each refusal names the field and the fix."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from regionlink.audit.models import AuditEvent
from regionlink.geography.models import AdministrativeUnit, Region, valid_on_q
from regionlink.organisations import services as org_services
from regionlink.organisations.models import Role, User
from regionlink.plans import services, targets
from regionlink.plans.targets import TargetError, TargetErrorCode

FIXTURE = "test fixture"


def province(code: str, on: str = "2024-12-31") -> AdministrativeUnit:
    return AdministrativeUnit.objects.get(valid_on_q(dt.date.fromisoformat(on)), code=code)


@pytest.fixture
def delta_plan(reference_organisations):
    """The Red River Delta regional plan 2021–2030 (territory as of 2024)."""
    return services.create_plan(
        actor=FIXTURE,
        code="vung-dbsh",
        name="Quy hoạch vùng Đồng bằng sông Hồng",
        level="regional",
        region=Region.objects.get(code="DBSH"),
        period_start=2021,
        period_end=2030,
        vision_year=2050,
        organising_body=reference_organisations["btc-vu-quan-ly-quy-hoach"],
        on=dt.date(2024, 5, 4),
    )


@pytest.fixture
def hanoi_plan(reference_organisations):
    return services.create_plan(
        actor=FIXTURE,
        code="thu-do",
        name="Quy hoạch Thủ đô Hà Nội",
        level="provincial",
        province=province("01"),
        period_start=2021,
        period_end=2030,
        vision_year=2050,
        organising_body=reference_organisations["ubnd-01"],
        on=dt.date(2024, 12, 31),
    )


@pytest.fixture
def hanoi_editor(reference_organisations):
    """An editor at the Hà Nội People's Committee."""
    user = User.objects.create_user("bientap.hanoi", "bt@hanoi.gov.vn", "mat-khau-du-dai-2025")
    org_services.add_member(
        actor=FIXTURE, organisation=reference_organisations["ubnd-01"], user=user, role=Role.EDITOR
    )
    return user


def refusal(plan, **fields) -> TargetError:
    base = {"indicator": "URBANISATION_RATE", "target_year": 2030, "comparator": "ge", "value": 55}
    with pytest.raises(TargetError) as caught:
        targets.add_target(actor=FIXTURE, plan=plan, **{**base, **fields})
    return caught.value


def test_an_editor_adds_a_target_and_it_is_audited(hanoi_plan, hanoi_editor):
    target = targets.add_target(
        actor=hanoi_editor,
        plan=hanoi_plan,
        indicator="URBANISATION_RATE",
        target_year=2030,
        comparator="ge",
        value=Decimal("58"),
        wording="Tỷ lệ đô thị hóa từ 58%.",
    )
    assert target.version == hanoi_plan.current_version()
    assert target.province is None  # the plan's own territory
    event = AuditEvent.objects.get(action="plans.target_add")
    assert event.after["indicator"] == "URBANISATION_RATE" and event.actor == hanoi_editor


def test_a_person_of_another_province_may_not_add_targets(hanoi_plan, official):
    with pytest.raises(PermissionDenied):
        targets.add_target(
            actor=official,
            plan=hanoi_plan,
            indicator="POP_AVG",
            target_year=2030,
            comparator="eq",
            value=9500,
        )


def test_an_unknown_indicator_is_named(hanoi_plan):
    error = refusal(hanoi_plan, indicator="DO_THI")
    assert (error.code, error.field) == (TargetErrorCode.UNKNOWN_INDICATOR, "indicator")
    assert "DO_THI" in error.message


def test_a_percentage_must_lie_between_0_and_100(hanoi_plan):
    error = refusal(hanoi_plan, value=155)
    assert (error.code, error.field) == (TargetErrorCode.PERCENT_RANGE, "value")
    assert "0–100" in error.message


def test_a_range_needs_its_upper_bound_in_order(hanoi_plan):
    assert refusal(hanoi_plan, comparator="range").field == "value_max"
    error = refusal(hanoi_plan, comparator="range", value=52, value_max=48)
    assert error.code == TargetErrorCode.RANGE_ORDER and "đổi chỗ" in error.message
    error = refusal(hanoi_plan, comparator="ge", value_max=60)
    assert error.code == TargetErrorCode.MAX_NOT_ALLOWED


def test_the_year_lies_in_the_period_or_is_the_vision_year(hanoi_plan):
    error = refusal(hanoi_plan, target_year=2035)
    assert (error.code, error.field) == (TargetErrorCode.YEAR_OUTSIDE_PERIOD, "target_year")
    assert "2021–2030" in error.message and "2050" in error.message
    targets.add_target(
        actor=FIXTURE,
        plan=hanoi_plan,
        indicator="URBANISATION_RATE",
        target_year=2050,
        comparator="ge",
        value=70,
    )


def test_a_regional_plan_names_provinces_of_its_region_on_its_dates(delta_plan):
    old_bac_ninh = province("27")
    target = targets.add_target(
        actor=FIXTURE,
        plan=delta_plan,
        indicator="POP_AVG",
        target_year=2030,
        comparator="eq",
        value=1720,
        province=old_bac_ninh,
    )
    assert target.province == old_bac_ninh
    error = refusal(delta_plan, province=province("38"))  # Thanh Hóa: another region
    assert (error.code, error.field) == (TargetErrorCode.TERRITORY_OUTSIDE, "province")
    assert "Thanh Hóa" in error.message


def test_a_provincial_plan_has_no_regional_target(hanoi_plan):
    error = refusal(hanoi_plan, region=Region.objects.get(code="DBSH"))
    assert error.code == TargetErrorCode.TERRITORY_OUTSIDE


def test_a_growth_rate_gets_the_year_before_the_period_as_base(hanoi_plan):
    target = targets.add_target(
        actor=FIXTURE,
        plan=hanoi_plan,
        indicator="GRDP_GROWTH",
        target_year=2030,
        comparator="range",
        value=8,
        value_max=9,
    )
    assert target.base_year == 2020
    error = refusal(hanoi_plan, indicator="GRDP_GROWTH", comparator="eq", value=9, base_year=2031)
    assert (error.code, error.field) == (TargetErrorCode.BASE_YEAR, "base_year")


def test_the_same_target_cannot_be_entered_twice(hanoi_plan):
    targets.add_target(
        actor=FIXTURE,
        plan=hanoi_plan,
        indicator="URBANISATION_RATE",
        target_year=2030,
        comparator="ge",
        value=58,
    )
    # Naming the plan's own province is the same territory as leaving it blank.
    error = refusal(hanoi_plan, province=province("01"))
    assert error.code == TargetErrorCode.DUPLICATE and "sửa chỉ tiêu" in error.message


def test_an_update_is_validated_and_a_delete_is_audited(hanoi_plan, hanoi_editor):
    target = targets.add_target(
        actor=FIXTURE,
        plan=hanoi_plan,
        indicator="URBANISATION_RATE",
        target_year=2030,
        comparator="ge",
        value=58,
    )
    targets.update_target(actor=hanoi_editor, target=target, value=60)
    target.refresh_from_db()
    assert target.value == 60
    assert AuditEvent.objects.get(action="plans.target_update").after == {"value": "60"}
    with pytest.raises(TargetError) as caught:
        targets.update_target(actor=hanoi_editor, target=target, value=160)
    assert caught.value.field == "value"
    with pytest.raises(TargetError):
        targets.update_target(actor=hanoi_editor, target=target, colour="red")
    targets.delete_target(actor=hanoi_editor, target=target)
    assert not hanoi_plan.targets.exists()
    assert AuditEvent.objects.filter(action="plans.target_delete").count() == 1
