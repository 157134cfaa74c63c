"""The plan page's "latest actual" reads the data hub as the reader may read it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser

from regionlink.geography.models import AdministrativeUnit, Region, valid_on_q
from regionlink.indicators.models import (
    BatchStatus,
    DataSet,
    DataValue,
    ImportBatch,
    Indicator,
    Visibility,
)
from regionlink.organisations import services as org_services
from regionlink.organisations.models import Role, User
from regionlink.plans import services, targets
from regionlink.plans.actuals import latest_actuals

FIXTURE = "test fixture"
DELTA_2024 = ("01", "22", "26", "27", "30", "31", "33", "34", "35", "36", "37")


def unit(code: str, year: int) -> AdministrativeUnit:
    return AdministrativeUnit.objects.get(valid_on_q(dt.date(year, 12, 31)), code=code)


def publish(owner, rows, *, visibility=Visibility.PUBLIC, is_demo=False, code="so-lieu"):
    """Published values (indicator, unit code, year, value) in a new data set."""
    dataset = DataSet.objects.create(
        code=code, name=code, owner=owner, visibility=visibility, is_demo=is_demo
    )
    batch = ImportBatch.objects.create(dataset=dataset, status=BatchStatus.PUBLISHED)
    indicators = {i.code: i for i in Indicator.objects.all()}
    DataValue.objects.bulk_create(
        DataValue(
            indicator=indicators[ind],
            unit=unit(code_, year),
            period=str(year),
            period_start=dt.date(year, 1, 1),
            period_end=dt.date(year, 12, 31),
            value=Decimal(value),
            dataset=dataset,
            batch=batch,
        )
        for ind, code_, year, value in rows
    )
    return dataset


def provincial_plan(orgs, code: str, year: int, stage="implementation"):
    province = unit(code, year)
    return services.create_plan(
        actor=FIXTURE,
        code=f"qh-{code}-{year}",
        name=f"Quy hoạch {province.name}",
        level="provincial",
        province=province,
        period_start=2021,
        period_end=2030,
        organising_body=orgs[f"ubnd-{code}"],
        stage=stage,
        on=dt.date(year, 12, 31),
    )


def population_target(plan, **extra):
    return targets.add_target(
        actor=FIXTURE,
        plan=plan,
        indicator="POP_AVG",
        target_year=2030,
        comparator="eq",
        value=1000,
        **extra,
    )


@pytest.fixture
def office(reference_organisations):
    return reference_organisations["btc-cuc-thong-ke"]


@pytest.fixture
def office_reader(office):
    user = User.objects.create_user("doc.thongke", "doc@gso.gov.vn", "mat-khau-du-dai-2025")
    org_services.add_member(actor=FIXTURE, organisation=office, user=user, role=Role.VIEWER)
    return user


def test_a_restricted_value_is_not_shown_to_the_public(
    reference_organisations, office, office_reader
):
    publish(office, [("POP_AVG", "01", 2023, "8600")])
    publish(office, [("POP_AVG", "01", 2024, "8718")], visibility=Visibility.OWNER, code="noi-bo")
    target = population_target(provincial_plan(reference_organisations, "01", 2024))
    public = latest_actuals(AnonymousUser(), [target])[target.pk]
    assert (public.value, public.year, public.status) == (Decimal("8600"), 2023, "official")
    assert not public.illustrative and public.note == ""
    insider = latest_actuals(office_reader, [target])[target.pk]
    assert (insider.value, insider.year) == (Decimal("8718"), 2024)


def test_nothing_is_shown_when_the_reader_may_read_nothing(reference_organisations, office):
    publish(office, [("POP_AVG", "01", 2024, "8718")], visibility=Visibility.OWNER)
    target = population_target(provincial_plan(reference_organisations, "01", 2024))
    assert latest_actuals(AnonymousUser(), [target]) == {}


def test_an_old_province_never_reads_its_successor_under_the_same_code(
    reference_organisations, office
):
    """Tuyên Quang (08) before the merger and the new Tuyên Quang (08) after it."""
    publish(office, [("POP_AVG", "08", 2024, "812"), ("POP_AVG", "08", 2025, "1865")])
    old = population_target(provincial_plan(reference_organisations, "08", 2024))
    new = population_target(provincial_plan(reference_organisations, "08", 2025, "outline"))
    found = latest_actuals(AnonymousUser(), [old, new])
    assert (found[old.pk].year, found[old.pk].value) == (2024, Decimal("812"))
    assert (found[new.pk].year, found[new.pk].value) == (2025, Decimal("1865"))


def test_a_region_is_aggregated_on_the_members_of_the_plan(reference_organisations, office):
    rows = [("POP_AVG", code, 2024, "2000") for code in DELTA_2024]
    rows += [("POP_AVG", code, 2025, "5000") for code in ("01", "22", "24", "31", "33", "37")]
    publish(office, rows)
    plan = services.create_plan(
        actor=FIXTURE,
        code="vung-dbsh",
        name="Quy hoạch vùng Đồng bằng sông Hồng",
        level="regional",
        region=Region.objects.get(code="DBSH"),
        period_start=2021,
        period_end=2030,
        organising_body=reference_organisations["btc-vu-quan-ly-quy-hoach"],
        stage="implementation",
        on=dt.date(2024, 5, 4),
    )
    region = population_target(plan)
    bac_ninh = population_target(plan, province=unit("27", 2024))
    found = latest_actuals(AnonymousUser(), [region, bac_ninh])
    # 2025 is the regrouped delta of six provinces: not the territory this plan was made for.
    assert (found[region.pk].year, found[region.pk].value) == (2024, Decimal("22000"))
    assert (found[bac_ninh.pk].year, found[bac_ninh.pk].value) == (2024, Decimal("2000"))


def test_demo_values_are_flagged_illustrative(reference_organisations, office):
    publish(office, [("POP_AVG", "01", 2024, "8718")], is_demo=True)
    target = population_target(provincial_plan(reference_organisations, "01", 2024))
    actual = latest_actuals(AnonymousUser(), [target])[target.pk]
    assert actual.illustrative and "minh họa" in actual.note


def test_many_targets_cost_a_fixed_number_of_queries(
    reference_organisations, office, django_assert_max_num_queries
):
    publish(office, [("POP_AVG", code, 2024, "1000") for code in DELTA_2024])
    plans = [provincial_plan(reference_organisations, c, 2024) for c in ("01", "22")]
    many = [population_target(p) for p in plans]
    many += [
        targets.add_target(
            actor=FIXTURE,
            plan=p,
            indicator="URBANISATION_RATE",
            target_year=2030,
            comparator="ge",
            value=50,
        )
        for p in plans
    ]
    with django_assert_max_num_queries(16):
        found = latest_actuals(AnonymousUser(), many)
    assert len(found) == 2  # population is published; urbanisation's components are not
