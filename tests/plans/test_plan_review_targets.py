"""target_conflict: provinces' targets combined by the indicator's spatial rule against the
region's — weighted by projected population, summed as allocations, compared as growth."""

from __future__ import annotations

import csv
import io

import pytest
import test_plan_review_world as world

from regionlink.plans.review import compute_findings

pytestmark = pytest.mark.django_db

# Projected 2030 population (thousand persons) of the Red River Delta provinces.
POPULATION = {
    "01": 9500, "22": 1500, "26": 1320, "27": 1720, "30": 2070, "31": 2320,
    "33": 1420, "34": 1930, "35": 930, "36": 1920, "37": 1050,
}  # fmt: skip
URBAN_LOW = {
    "01": 58, "22": 70, "26": 40, "27": 50, "30": 40, "31": 58,
    "33": 30, "34": 25, "35": 35, "36": 30, "37": 35,
}  # fmt: skip


def conflicts(indicator=None):
    return [
        f
        for f in compute_findings(as_of=world.AS_OF)
        if f.kind == "target_conflict" and indicator in (None, f.indicator)
    ]


@pytest.fixture
def delta(reference_organisations):
    return world.delta(population=POPULATION)


def test_urbanisation_weighted_by_projected_population_falls_short(delta):
    _nation, region, provinces = delta
    world.target(region, "URBANISATION_RATE", 55, "ge")
    for code, value in URBAN_LOW.items():
        world.target(provinces[code], "URBANISATION_RATE", value, "ge")
    [found] = conflicts("URBANISATION_RATE")
    assert found.message_code == "weighted_below"
    assert found.params["implied"][0] == pytest.approx(47.9, abs=0.05)
    assert found.params["weight"] == "POP_AVG"
    assert set(found.plan_codes) == {region.code, *(p.code for p in provinces.values())}
    assert "Điều 5 Luật Quy hoạch 112/2025/QH15" in found.legal_basis


def test_urbanisation_that_adds_up_is_consistent(delta):
    _nation, region, provinces = delta
    world.target(region, "URBANISATION_RATE", 55, "ge")
    for plan in provinces.values():
        world.target(plan, "URBANISATION_RATE", 56, "ge")
    assert conflicts() == []


def test_a_missing_province_target_gives_no_weighted_finding(delta):
    _nation, region, provinces = delta
    world.target(region, "URBANISATION_RATE", 55, "ge")
    for code, value in URBAN_LOW.items():
        if code != "37":
            world.target(provinces[code], "URBANISATION_RATE", value, "ge")
    assert conflicts() == []


def test_a_province_without_a_population_target_is_weighted_by_published_data(
    reference_organisations,
):
    from regionlink.indicators.catalogue import load_catalogue
    from regionlink.indicators.datasets import create_dataset
    from regionlink.indicators.importing.pipeline import run_import
    from regionlink.organisations.models import Organisation

    load_catalogue()
    without = dict(POPULATION)
    without.pop("37")
    _nation, region, provinces = world.delta(population=without)
    dataset = create_dataset(
        actor=world.FIXTURE,
        owner=Organisation.objects.get(code="btc-cuc-thong-ke"),
        code="tk-dan-so",
        name="Dân số",
        visibility="public",  # a restricted data set is never a weight: findings are public
    )
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        ["ma_chi_tieu", "ma_don_vi", "ten_don_vi", "ky", "phan_to", "gia_tri", "tinh_trang"]
    )
    writer.writerow(["POP_AVG", "37", "", "2023", "", "1000", ""])
    batch = run_import(
        actor=world.FIXTURE,
        dataset=dataset,
        path_or_file=buffer.getvalue().encode(),
        file_name="dan-so.csv",
        publish=True,
    )
    assert batch.status == "published", batch.report
    world.target(region, "URBANISATION_RATE", 55, "ge")
    for code, value in URBAN_LOW.items():
        world.target(provinces[code], "URBANISATION_RATE", value, "ge")
    [found] = conflicts("URBANISATION_RATE")
    assert found.params["weights_from_data_hub"] == [{"unit": "37", "year": 2023}]


def test_industrial_land_allocations_summing_above_the_region(delta):
    _nation, region, provinces = delta
    world.target(region, "INDUSTRIAL_PARK_AREA", 45000, "le")
    for code in ("01", "22", "27", "31", "30", "26", "33", "34"):  # a partial set: 53.500 ha
        world.target(provinces[code], "INDUSTRIAL_PARK_AREA", 6687.5, "le")
    [found] = conflicts("INDUSTRIAL_PARK_AREA")
    assert found.message_code == "sum_above"
    assert found.params["implied"] == [53500, 53500]
    assert found.params["missing"] == ["35", "36", "37"]


def test_allocations_within_the_region_are_consistent(delta):
    _nation, region, provinces = delta
    world.target(region, "INDUSTRIAL_PARK_AREA", 45000, "le")
    for plan in provinces.values():
        world.target(plan, "INDUSTRIAL_PARK_AREA", 4000, "le")
    assert conflicts() == []


def test_a_partial_sum_below_the_ceiling_says_nothing(delta):
    _nation, region, provinces = delta
    world.target(region, "INDUSTRIAL_PARK_AREA", 45000, "eq")
    world.target(provinces["01"], "INDUSTRIAL_PARK_AREA", 6000, "le")
    assert conflicts() == []


def test_a_growth_range_outside_the_regions_range(delta):
    _nation, region, provinces = delta
    world.target(region, "GRDP_GROWTH", 8, "range", value_max=9, base_year=2020)
    world.target(provinces["22"], "GRDP_GROWTH", 10, "range", value_max=11, base_year=2020)
    world.target(provinces["01"], "GRDP_GROWTH", 8.5, "range", value_max=9.5, base_year=2020)
    [found] = conflicts("GRDP_GROWTH")
    assert found.message_code == "growth_range"
    assert set(found.plan_codes) == {region.code, provinces["22"].code}


def test_sub_period_growth_compounding_outside_the_regions_range(delta):
    _nation, region, provinces = delta
    world.target(region, "GRDP_GROWTH", 8, "range", value_max=9, base_year=2020)
    # 7 %/yr then 12 %/yr compound to ≈ 9,47 %/yr over 2020–2030.
    world.target(provinces["22"], "GRDP_GROWTH", 7, year=2025, base_year=2020)
    world.target(provinces["22"], "GRDP_GROWTH", 12, year=2030, base_year=2025)
    # 8 then 9 compound to ≈ 8,5: consistent.
    world.target(provinces["01"], "GRDP_GROWTH", 8, year=2025, base_year=2020)
    world.target(provinces["01"], "GRDP_GROWTH", 9, year=2030, base_year=2025)
    [found] = conflicts("GRDP_GROWTH")
    assert found.message_code == "growth_compounded"
    assert found.params["implied"][0] == pytest.approx(9.47, abs=0.01)
    assert set(found.plan_codes) == {region.code, provinces["22"].code}


def test_a_province_committing_to_less_growth_than_the_region_is_found(delta):
    """ "≥ 6 %/yr" commits the province to 6, below the region's 8–9 %/yr."""
    _nation, region, provinces = delta
    world.target(region, "GRDP_GROWTH", 8, "range", value_max=9, base_year=2020)
    world.target(provinces["22"], "GRDP_GROWTH", 6, "ge", base_year=2020)
    world.target(provinces["01"], "GRDP_GROWTH", 8.5, "ge", base_year=2020)
    [found] = conflicts("GRDP_GROWTH")
    assert set(found.plan_codes) == {region.code, provinces["22"].code}


def test_a_direct_comparator_contradiction(delta):
    _nation, region, provinces = delta
    world.target(region, "GRDP_GROWTH", 9, "le", base_year=2020)
    world.target(provinces["22"], "GRDP_GROWTH", 10, "ge", base_year=2020)
    world.target(provinces["01"], "GRDP_GROWTH", 8, "ge", base_year=2020)
    assert [f.plan_codes for f in conflicts("GRDP_GROWTH")] == [
        tuple(sorted((region.code, provinces["22"].code)))
    ]


def test_rounding_within_half_a_shown_decimal_is_tolerated(delta):
    _nation, region, provinces = delta
    world.target(region, "GRDP_GROWTH", 8, "range", value_max=9, base_year=2020)
    world.target(provinces["22"], "GRDP_GROWTH", 9.004, "ge", base_year=2020)
    assert conflicts() == []


def test_an_adjustment_in_preparation_is_not_yet_the_plan_s_target(delta):
    """Only an approved version's targets are law: a draft adjustment is checked once decided."""
    import datetime as dt

    from regionlink.plans.models import VersionKind
    from regionlink.plans.registration import record_decision

    _nation, region, provinces = delta
    world.target(region, "GRDP_GROWTH", 8, "range", value_max=9, base_year=2020)
    record_decision(
        actor=world.FIXTURE,
        plan=region,
        number=1,
        kind=VersionKind.ORIGINAL,
        decision_date=dt.date(2024, 5, 4),
    )
    adjusting = {"plan": region, "number": 2, "kind": VersionKind.ADJUSTMENT}
    record_decision(actor=world.FIXTURE, decision_date=None, **adjusting)
    world.target(region, "GRDP_GROWTH", 11, "range", value_max=12, year=2029, base_year=2020)
    world.target(
        provinces["22"], "GRDP_GROWTH", 8.5, "range", value_max=9, year=2029, base_year=2020
    )
    assert conflicts("GRDP_GROWTH") == []

    record_decision(actor=world.FIXTURE, decision_date=dt.date(2025, 12, 1), **adjusting)
    [found] = conflicts("GRDP_GROWTH")
    assert found.year == 2029
