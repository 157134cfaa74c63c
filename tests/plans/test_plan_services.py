"""Registering a plan checks its level, territory, period and sector against the Planning Law."""

import datetime as dt

import pytest
import test_plan_lifecycle_world as world
from django.core.exceptions import PermissionDenied

from regionlink.audit.models import AuditEvent
from regionlink.geography.models import Region
from regionlink.organisations.models import Organisation
from regionlink.plans import services
from regionlink.plans.errors import PlanError, PlanErrorCode
from regionlink.plans.law import PlanLevel
from regionlink.plans.models import Plan, Stage, VersionKind


@pytest.fixture
def people(reference_organisations):
    return world.build_people()


@pytest.fixture
def ministry(reference_organisations):
    return Organisation.objects.get(code="bo-tai-chinh")


def test_a_provincial_editor_registers_her_provinces_plan_with_version_1(people):
    plan = world.provincial_plan(people.lamdong_editor)

    assert plan.stage == Stage.OUTLINE
    assert "quy hoach tinh lam dong" in plan.search_key
    version = plan.current_version()
    assert (version.number, version.kind) == (1, VersionKind.ORIGINAL)
    event = plan.stage_events.get()
    assert (event.from_stage, event.to_stage, event.actor) == (
        "",
        Stage.OUTLINE,
        people.lamdong_editor,
    )
    assert AuditEvent.objects.filter(action="plans.create", object_id=str(plan.pk)).count() == 1


def test_plans_are_found_without_diacritics(people):
    world.provincial_plan(people.lamdong_editor)
    assert Plan.objects.filter(search_key__contains="lam dong").count() == 1


def test_the_editor_of_lam_dong_cannot_register_a_plan_for_ha_noi(people):
    with pytest.raises(PermissionDenied, match=r"tạo mới.*Ủy ban nhân dân thành phố Hà Nội"):
        world.provincial_plan(people.lamdong_editor, code="01")
    assert not Plan.objects.exists()


def test_a_viewer_cannot_register_a_plan(people):
    with pytest.raises(PermissionDenied, match=r"[Bb]iên tập"):
        world.provincial_plan(people.lamdong_viewer)


def _refusal(people, **changes) -> PlanError:
    with pytest.raises(PlanError) as refused:
        world.provincial_plan(people.lamdong_editor, **changes)
    assert not Plan.objects.exists()
    return refused.value


@pytest.mark.parametrize(
    ("changes", "code", "field", "words"),
    [
        ({"period_start": 2031, "period_end": 2030}, "period_order", "period_end", "nhỏ hơn"),
        (
            {"period_start": 2020, "period_end": 2029},
            "period_start",
            "period_start",
            "số cuối là 1",
        ),
        ({"period_end": 2035}, "period_length", "period_end", "kết thúc năm 2030"),
        ({"vision_year": 2030}, "vision_year", "vision_year", "tầm nhìn"),
        ({"province": None}, "province_required", "province", "chọn tỉnh"),
    ],
)
def test_each_wrong_field_is_named_with_its_fix(people, changes, code, field, words):
    error = _refusal(people, **changes)
    assert (error.code, error.field) == (code, field)
    assert words in error.message


def test_the_ten_year_period_cites_article_7_of_the_2017_law(people):
    error = _refusal(people, period_end=2035, on=dt.date(2024, 5, 1))
    assert "Điều 7 Luật Quy hoạch 21/2017/QH14" in error.message


def test_a_provincial_plan_cannot_name_a_region(people):
    error = _refusal(people, region=Region.objects.first())
    assert (error.code, error.field) == (PlanErrorCode.TERRITORY_NOT_ALLOWED, "region")


def test_a_province_of_the_63_province_map_is_accepted_for_2021_2030(people):
    old = world.province("68", on=dt.date(2024, 1, 1))
    plan = world.provincial_plan(people.lamdong_editor, province=old)
    assert plan.province == old


def test_detailed_sectoral_plans_wait_for_the_2025_law(ministry, system_admin):
    values = {
        "actor": system_admin,
        "code": "qhct-dien",
        "name": "Quy hoạch chi tiết ngành điện",
        "level": PlanLevel.DETAILED_SECTORAL,
        "sector": "Năng lượng",
        "period_start": 2026,
        "period_end": 2030,
        "organising_body": ministry,
    }
    with pytest.raises(PlanError) as refused:
        services.create_plan(**values, on=dt.date(2026, 2, 28))
    assert refused.value.code == PlanErrorCode.LEVEL_NOT_IN_FORCE
    assert "Luật Quy hoạch 21/2017/QH14" in refused.value.message

    plan = services.create_plan(**values, on=dt.date(2026, 3, 1))
    assert plan.level == PlanLevel.DETAILED_SECTORAL


def test_a_national_sectoral_plan_needs_its_sector_and_no_province(ministry, system_admin):
    values = {
        "actor": system_admin,
        "code": "qh-nganh-gtvt",
        "name": "Quy hoạch mạng lưới đường bộ",
        "level": PlanLevel.NATIONAL_SECTORAL,
        "period_start": 2021,
        "period_end": 2030,
        "organising_body": ministry,
    }
    with pytest.raises(PlanError) as refused:
        services.create_plan(**values)
    assert (refused.value.code, refused.value.field) == ("sector_required", "sector")
    with pytest.raises(PlanError) as refused:
        services.create_plan(**values, sector="Giao thông", province=world.province("68"))
    assert (refused.value.code, refused.value.field) == ("territory_not_allowed", "province")


def test_a_regional_plan_needs_its_region(ministry, system_admin):
    with pytest.raises(PlanError) as refused:
        services.create_plan(
            actor=system_admin,
            code="qh-vung",
            name="Quy hoạch vùng Tây Nguyên",
            level=PlanLevel.REGIONAL,
            period_start=2021,
            period_end=2030,
            organising_body=ministry,
        )
    assert (refused.value.code, refused.value.field) == ("region_required", "region")


def test_codes_are_unique(people):
    world.provincial_plan(people.lamdong_editor)
    error = _refusal_after_first(people)
    assert (error.code, error.field) == (PlanErrorCode.DUPLICATE_CODE, "code")


def _refusal_after_first(people) -> PlanError:
    with pytest.raises(PlanError) as refused:
        world.provincial_plan(people.lamdong_editor)
    return refused.value


def test_update_changes_fields_audits_and_refuses_bad_values(people):
    plan = world.provincial_plan(people.lamdong_editor)
    services.update_plan(actor=people.lamdong_editor, plan=plan, name_en="Lam Dong plan")
    event = AuditEvent.objects.get(action="plans.update")
    assert event.after == {"name_en": "Lam Dong plan"}
    assert "lam dong plan" in plan.search_key

    with pytest.raises(PlanError) as refused:
        services.update_plan(actor=people.lamdong_editor, plan=plan, vision_year=2029)
    assert refused.value.field == "vision_year"
    plan.refresh_from_db()
    assert plan.vision_year == 2050
    with pytest.raises(PlanError) as refused:
        services.update_plan(actor=people.lamdong_editor, plan=plan, stage=Stage.APPROVAL)
    assert refused.value.code == PlanErrorCode.UNKNOWN_FIELD
    with pytest.raises(PermissionDenied):
        services.update_plan(actor=people.lamdong_viewer, plan=plan, name_en="x")
    with pytest.raises(PermissionDenied):
        services.update_plan(actor=people.hanoi_editor, plan=plan, name_en="x")
