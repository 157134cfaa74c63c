"""Each indicator combines by its own rule: sums add, ratios are recomputed from their parts,
rates are weighted, indices are refused, and nothing is ever added up over years."""

from __future__ import annotations

from decimal import Decimal

import fixtures_values as given
import pytest
from fixtures_values import POP_2016, RED_RIVER_DELTA_2016, province_codes, publish

from regionlink.indicators.aggregation import Target, aggregate

pytestmark = pytest.mark.django_db
catalogue, statistics_office = given.catalogue, given.statistics_office

DBSH = Target.region("DBSH")


def one(indicator, target, period="2016", boundaries="asof", **options):
    [row] = aggregate(
        user=None,
        indicators=[indicator],
        targets=[target],
        periods=[period],
        boundaries=boundaries,
        **options,
    )
    return row


@pytest.fixture
def red_river_delta_2016(catalogue, statistics_office):
    """Population, area and a published density for the 11 provinces of the old delta."""
    rows = []
    for i, code in enumerate(RED_RIVER_DELTA_2016):
        rows += [
            ("POP_AVG", code, "2016", POP_2016[code]),
            ("AREA", code, "2016", 1000 + 100 * i),
            ("POP_DENSITY", code, "2016", 999),  # a published figure we must not average
        ]
    return publish(statistics_office, rows)


def test_a_ratio_for_a_region_is_recomputed_from_summed_numerator_and_denominator(
    red_river_delta_2016,
):
    row = one("POP_DENSITY", DBSH)

    population = sum(Decimal(POP_2016[c]) for c in RED_RIVER_DELTA_2016)
    area = sum(Decimal(1000 + 100 * i) for i in range(11))
    assert row.value == population / area * 1000
    assert row.coverage.expected == 11 and not row.coverage.missing


def test_a_province_keeps_its_own_published_ratio(red_river_delta_2016):
    assert one("POP_DENSITY", Target.unit("01")).value == 999


def test_a_ratio_is_computed_for_a_province_without_a_published_one(catalogue, statistics_office):
    publish(statistics_office, [("POP_AVG", "68", "2016", "1288.2"), ("AREA", "68", "2016", 9783)])

    row = one("POP_DENSITY", Target.unit("68"))

    assert row.value == Decimal("1288.2") / 9783 * 1000


def test_the_urbanisation_rate_divides_urban_population_by_the_total(catalogue, statistics_office):
    publish(
        statistics_office,
        [
            ("POP_AVG", "01", "2016", "7328.4"),
            ("POP_AVG", "01", "2016", "3594.7", "URBAN=U"),
            ("POP_AVG", "26", "2016", "1066.0"),
            ("POP_AVG", "26", "2016", "256.0", "URBAN=U"),
        ],
    )

    row = one("URBANISATION_RATE", Target.unit("26"))
    assert row.value == Decimal("256.0") / Decimal("1066.0") * 100


def test_a_derived_indicator_evaluates_its_formula_over_aggregated_components(
    catalogue, statistics_office
):
    publish(
        statistics_office,
        [
            ("GRDP", "02", "2016", 100),
            ("GRDP", "02", "2016", 30, "SECTOR=AGR"),
            ("GRDP", "08", "2016", 300),
            ("GRDP", "08", "2016", 50, "SECTOR=AGR"),
        ],
    )

    row = one("AGR_SHARE_GRDP", Target.unit("08"), boundaries="current")

    assert row.value == Decimal(80) / Decimal(400) * 100
    assert row.coverage.contributed == ("02", "08")


def test_an_index_is_refused_across_units_with_its_reason_but_a_province_keeps_its_own(
    catalogue, statistics_office
):
    publish(statistics_office, [("CPI", c, "2016", "102.5") for c in RED_RIVER_DELTA_2016])

    region = one("CPI", DBSH)
    province = one("CPI", Target.unit("01"))

    assert region.value is None and not region.computable
    assert region.reason == catalogue["CPI"].not_aggregable_reason
    assert province.value == Decimal("102.5")


def test_a_cumulative_series_is_never_summed_over_years(catalogue, statistics_office):
    publish(
        statistics_office,
        [
            ("FDI_REGISTERED", "01", "2015", 100),
            ("FDI_REGISTERED", "01", "2016", 130),
            ("FDI_REGISTERED", "26", "2015", 40),
            ("FDI_REGISTERED", "26", "2016", 45),
        ],
    )

    rows = aggregate(
        user=None,
        indicators=["FDI_REGISTERED"],
        targets=[Target.unit("01"), Target.unit("26")],
        periods=["2015", "2016"],
    )

    assert [(r.target.code, r.period, r.value) for r in rows] == [
        ("01", "2015", 100),
        ("01", "2016", 130),
        ("26", "2015", 40),
        ("26", "2016", 45),
    ]


def retail_sales_without_hanoi(owner):
    """Retail sales of 10 for each delta province except Hà Nội."""
    publish(owner, [("RETAIL_SALES", c, "2016", 10) for c in RED_RIVER_DELTA_2016[1:]])


def test_one_preliminary_input_makes_the_aggregate_preliminary(red_river_delta_2016):
    publish(
        red_river_delta_2016.owner,
        [("RETAIL_SALES", c, "2016", 10) for c in RED_RIVER_DELTA_2016[1:]],
    )
    publish(red_river_delta_2016.owner, [("RETAIL_SALES", "01", "2016", 50)], status="preliminary")

    row = one("RETAIL_SALES", DBSH)

    assert row.value == 150
    assert row.status == "preliminary"


def test_a_forecast_input_outranks_a_preliminary_one(catalogue, statistics_office):
    publish(statistics_office, [("RETAIL_SALES", "02", "2016", 1)], status="preliminary")
    publish(statistics_office, [("RETAIL_SALES", "08", "2016", 1)], status="forecast")

    row = one("RETAIL_SALES", Target.unit("08"), boundaries="current")

    assert row.value == 2 and row.status == "forecast"


def test_a_missing_province_makes_a_sum_not_computable_and_is_named(red_river_delta_2016):
    publish(
        red_river_delta_2016.owner,
        [("RETAIL_SALES", c, "2016", 10) for c in RED_RIVER_DELTA_2016[1:]],
    )

    row = one("RETAIL_SALES", DBSH)

    assert row.value is None and not row.computable
    assert row.coverage.missing == ("01",)
    assert row.coverage.share == Decimal("0.9091")
    assert "10 trên 11" in row.reason


def test_a_lower_coverage_threshold_sums_the_units_that_have_data(red_river_delta_2016):
    publish(
        red_river_delta_2016.owner,
        [("RETAIL_SALES", c, "2016", 10) for c in RED_RIVER_DELTA_2016[1:]],
    )

    row = one("RETAIL_SALES", DBSH, coverage_threshold="0.9")

    assert row.value == 100
    assert row.coverage.missing == ("01",)


def test_the_whole_country_in_2016_is_its_63_provinces(catalogue, statistics_office):
    codes = province_codes("2016-12-31")
    publish(statistics_office, [("AREA", c, "2016", 1) for c in codes])

    row = one("AREA", Target.country())

    assert len(codes) == 63
    assert row.value == 63 and row.coverage.expected == 63
    assert one("AREA", Target.country(), boundaries="current").value == 63


def test_a_region_that_did_not_exist_yet_is_not_computable_as_it_was(red_river_delta_2016):
    row = one("POP_AVG", Target.region("BTB"))

    assert row.value is None
    assert "không tồn tại" in row.reason and "boundaries=current" in row.reason


def test_a_region_that_has_ended_cannot_be_re_expressed_on_todays_territory(
    catalogue, statistics_office
):
    row = one("POP_AVG", Target.region("TN"), boundaries="current")

    assert row.value is None
    assert "đã kết thúc" in row.reason and "boundaries=asof" in row.reason


def test_todays_red_river_delta_in_2016_is_its_six_provinces_predecessors(red_river_delta_2016):
    publish(red_river_delta_2016.owner, [("POP_AVG", "24", "2016", "1657.6")])  # Bắc Giang

    row = one("POP_AVG", DBSH, boundaries="current")

    # Since 01/07/2025 (Resolution 306/NQ-CP) the delta is six provinces: Vĩnh Phúc went into
    # Phú Thọ (Northern Midlands), Bắc Giang came in with Bắc Ninh.
    members = [c for c in RED_RIVER_DELTA_2016 if c != "26"] + ["24"]
    assert sorted(row.coverage.contributed) == sorted(members)
    assert row.value == sum(Decimal(POP_2016[c]) for c in members if c != "24") + Decimal("1657.6")


def test_ha_tay_is_its_own_unit_before_2008_and_part_of_ha_noi_afterwards(
    catalogue, statistics_office
):
    publish(
        statistics_office,
        [("POP_AVG", "28", "2007", "2580.0"), ("POP_AVG", "01", "2007", "3400.0")],
    )

    assert one("POP_AVG", Target.unit("28"), "2007").value == Decimal("2580.0")
    assert one("POP_AVG", Target.unit("01"), "2007").value == Decimal("3400.0")
    today = one("POP_AVG", Target.unit("01"), "2007", boundaries="current")
    # Mê Linh (Vĩnh Phúc) and four communes of Hòa Bình also joined Hà Nội on 01/08/2008, with
    # no published share: the re-expressed total is refused and says why.
    assert today.value is None
    assert "tỷ lệ phân chia" in today.reason and "Vĩnh Phúc" in today.reason


def test_a_partial_succession_with_a_share_passes_that_share_and_the_rest_stays(
    catalogue, statistics_office
):
    from regionlink.geography.models import Succession

    Succession.objects.filter(predecessor__code="26", successor__code="01").update(
        share=Decimal("0.1")
    )
    Succession.objects.filter(predecessor__code="17", successor__code="01").update(
        share=Decimal("0.02")
    )
    publish(
        statistics_office,
        [
            ("AREA", "01", "2007", 1000),
            ("AREA", "28", "2007", 2000),
            ("AREA", "26", "2007", 1200),
            ("AREA", "17", "2007", 4600),
            ("AREA", "25", "2007", 3500),
        ],
    )

    hanoi = one("AREA", Target.unit("01"), "2007", boundaries="current")
    phu_tho = one("AREA", Target.unit("25"), "2007", boundaries="current")

    assert hanoi.value == 1000 + 2000 + Decimal("0.1") * 1200 + Decimal("0.02") * 4600
    # The new Phú Thọ (2025) = Phú Thọ + what Vĩnh Phúc and Hòa Bình kept in 2008.
    assert phu_tho.value == 3500 + Decimal("0.9") * 1200 + Decimal("0.98") * 4600


def test_a_disaggregation_the_indicator_does_not_have_is_refused(catalogue, statistics_office):
    row = one("AREA", Target.unit("01"), disaggregation="SEX=F")

    assert row.value is None and "không phân tổ theo SEX" in row.reason


def test_a_disaggregation_is_summed_on_its_own(catalogue, statistics_office):
    publish(
        statistics_office,
        [
            ("POP_AVG", "02", "2016", "816.1"),
            ("POP_AVG", "02", "2016", "405.0", "SEX=F"),
            ("POP_AVG", "08", "2016", "766.9"),
            ("POP_AVG", "08", "2016", "382.0", "SEX=F"),
        ],
    )

    row = one("POP_AVG", Target.unit("08"), boundaries="current", disaggregation="sex=f")

    assert row.value == Decimal("787.0") and row.disaggregation == "SEX=F"
