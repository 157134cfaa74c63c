"""The illustrative data set ("Dữ liệu minh họa") is labelled, plausible and internally consistent.

It is loaded once for this module inside a transaction that is rolled back at the end, so
the other tests never see it; each test runs in its own savepoint on top of it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

import pytest
from django.db import transaction

from regionlink.geography.models import Level
from regionlink.geography.queries import units_on
from regionlink.indicators import demo
from regionlink.indicators.models import (
    BatchStatus,
    DataSet,
    DataValue,
    ImportBatch,
    Indicator,
    SpatialRule,
    Visibility,
)

pytestmark = pytest.mark.django_db

OLD = dt.date(2024, 12, 31)
NEW = dt.date(2025, 12, 31)


@pytest.fixture(scope="module")
def demo_counts(django_db_setup, django_db_blocker):
    """The catalogue, the reference organisations and the demo data set, loaded once."""
    from regionlink.indicators.catalogue import load_catalogue
    from regionlink.organisations.reference import load_reference_organisations

    with django_db_blocker.unblock(), transaction.atomic():
        load_reference_organisations()
        load_catalogue()
        counts = demo.load_demo_data()
        yield counts
        transaction.set_rollback(True)


@pytest.fixture
def dataset(demo_counts) -> DataSet:
    return DataSet.objects.get(code=demo.DATASET_CODE)


def values(code: str, year: int, key: str = "") -> dict[str, Decimal]:
    """Unit code → value of ``code`` in ``year`` (disaggregation ``key``)."""
    rows = DataValue.objects.filter(
        indicator__code=code, period=str(year), disaggregation=key
    ).values_list("unit__code", "value")
    return dict(rows)


def test_the_data_set_is_public_owned_by_the_statistics_office_and_flagged_illustrative(dataset):
    assert dataset.name == "Số liệu kinh tế - xã hội minh họa"
    assert dataset.is_demo
    assert dataset.visibility == Visibility.PUBLIC
    assert dataset.owner.code == "btc-cuc-thong-ke"
    assert "không phải số liệu thống kê chính thức" in dataset.description.lower()


def test_every_value_says_it_is_not_official_statistics(dataset):
    assert DataValue.objects.filter(dataset=dataset).count() > 15_000
    sources = set(DataValue.objects.filter(dataset=dataset).values_list("source", flat=True))
    assert sources == {"Dữ liệu minh họa — không phải số liệu thống kê chính thức"}
    batch = ImportBatch.objects.get(dataset=dataset)
    assert batch.status == BatchStatus.PUBLISHED and batch.source == demo.DEMO_SOURCE


def test_2015_to_2024_are_on_the_63_old_provinces_and_2025_on_the_34_new_ones(dataset):
    old = set(units_on(OLD, Level.PROVINCE).values_list("pk", flat=True))
    new = set(units_on(NEW, Level.PROVINCE).values_list("pk", flat=True))
    assert len(old) == 63 and len(new) == 34
    for year in range(2015, 2026):
        units = set(
            DataValue.objects.filter(
                dataset=dataset, indicator__code="POP_AVG", period=str(year), disaggregation=""
            ).values_list("unit_id", flat=True)
        )
        assert units == (new if year == 2025 else old), year
    statuses = DataValue.objects.filter(dataset=dataset, period="2025").values_list(
        "status", flat=True
    )
    assert set(statuses) == {"preliminary"}


def test_men_and_women_make_the_population_and_urban_never_exceeds_it(demo_counts):
    for year in (2015, 2020, 2024, 2025):
        total, men, women = (values("POP_AVG", year, k) for k in ("", "SEX=M", "SEX=F"))
        urban, rural = values("POP_AVG", year, "URBAN=U"), values("POP_AVG", year, "URBAN=R")
        for unit, population in total.items():
            assert men[unit] + women[unit] == population, (year, unit)
            assert urban[unit] + rural[unit] == population, (year, unit)
            assert 0 < urban[unit] <= population, (year, unit)


def test_the_labour_force_splits_add_up(demo_counts):
    for year in (2016, 2021, 2025):
        labour = values("LABOUR_FORCE", year)
        employed, unemployed = values("EMPLOYED", year), values("UNEMPLOYED", year)
        men, women = values("LABOUR_FORCE", year, "SEX=M"), values("LABOUR_FORCE", year, "SEX=F")
        population = values("POP_AVG", year)
        for unit, total in labour.items():
            assert employed[unit] + unemployed[unit] == total, (year, unit)
            assert men[unit] + women[unit] == total, (year, unit)
            assert Decimal("0.4") < total / population[unit] < Decimal("0.7"), (year, unit)


def test_the_grdp_sectors_add_up_to_the_total_so_their_shares_make_100_percent(demo_counts):
    for year in (2015, 2024, 2025):
        total = values("GRDP", year)
        sectors = [values("GRDP", year, f"SECTOR={s}") for s in ("AGR", "IND", "SRV", "TAX")]
        for unit, grdp in total.items():
            parts = [sector[unit] for sector in sectors]
            assert all(part > 0 for part in parts), (year, unit)
            assert sum(parts) == grdp, (year, unit)
            assert sum(part / grdp * 100 for part in parts) == pytest.approx(100)


def test_the_country_has_about_101_million_people_in_2024_in_provinces_of_plausible_size(
    demo_counts,
):
    population = values("POP_AVG", 2024)
    assert Decimal("100500") < sum(population.values()) < Decimal("101700")  # thousand persons
    assert Decimal("8500") < population["01"] < Decimal("8900")  # Hà Nội
    assert Decimal("9300") < population["79"] < Decimal("9700")  # TP Hồ Chí Minh
    for mountain_province in ("06", "12", "11", "04"):  # Bắc Kạn, Lai Châu, Điện Biên, Cao Bằng
        assert Decimal("300") <= population[mountain_province] <= Decimal("900")
    assert sum(values("POP_AVG", 2025).values()) > sum(population.values())


def test_grdp_per_capita_is_grdp_over_population_and_plausible(demo_counts):
    grdp, population = values("GRDP", 2024), values("POP_AVG", 2024)
    national = sum(grdp.values()) / sum(population.values())  # billion ÷ thousand = million VND
    assert Decimal(100) <= national <= Decimal(120)
    for unit in grdp:
        assert Decimal(25) < grdp[unit] / population[unit] < Decimal(400), unit
    early = sum(values("GRDP", 2015).values()) / sum(values("POP_AVG", 2015).values())
    assert Decimal(45) < early < national


def test_grdp_growth_is_the_change_of_grdp_at_constant_prices(demo_counts):
    for year in range(2016, 2025):
        growth = values("GRDP_GROWTH", year)
        now, then = values("GRDP_CONST", year), values("GRDP_CONST", year - 1)
        for unit, rate in growth.items():
            expected = (now[unit] / then[unit] - 1) * 100
            assert abs(rate - expected) <= Decimal("0.005"), (year, unit)
            assert Decimal(-15) < rate < Decimal(20), (year, unit)


def test_registered_fdi_is_cumulative_and_never_decreases(demo_counts):
    series = defaultdict(list)
    rows = DataValue.objects.filter(indicator__code="FDI_REGISTERED", period__lte="2024")
    for unit, value in rows.order_by("period").values_list("unit_id", "value"):
        series[unit].append(value)
    assert len(series) == 63
    for unit, cumulative in series.items():
        assert cumulative == sorted(cumulative), unit


def test_a_new_province_in_2025_continues_the_trajectories_of_the_provinces_it_joined(
    demo_counts,
):
    # The new Tuyên Quang (08) = Hà Giang (02) + Tuyên Quang (08); new Lâm Đồng (68) = Lâm Đồng,
    # Đắk Nông (67), Bình Thuận (60).
    members = {"08": ("02", "08"), "68": ("68", "67", "60"), "79": ("79", "74", "77")}
    old, new = values("POP_AVG", 2024), values("POP_AVG", 2025)
    old_const, new_const = values("GRDP_CONST", 2024), values("GRDP_CONST", 2025)
    old_fdi, new_fdi = values("FDI_REGISTERED", 2024), values("FDI_REGISTERED", 2025)
    growth = values("GRDP_GROWTH", 2025)
    for code, parts in members.items():
        assert new[code] / sum(old[p] for p in parts) == pytest.approx(1, abs=0.03)
        expected_growth = (new_const[code] / sum(old_const[p] for p in parts) - 1) * 100
        assert abs(growth[code] - expected_growth) <= Decimal("0.005")
        assert new_fdi[code] >= sum(old_fdi[p] for p in parts)
    # Rates of a merged province lie between those of the provinces it joined.
    old_poverty, new_poverty = values("POVERTY_RATE", 2024), values("POVERTY_RATE", 2025)
    parts = members["68"]
    assert min(old_poverty[p] for p in parts) * Decimal("0.8") < new_poverty["68"]
    assert new_poverty["68"] < max(old_poverty[p] for p in parts)


def test_ratio_and_derived_indicators_are_never_stored(dataset):
    stored_rules = set(
        DataValue.objects.filter(dataset=dataset)
        .values_list("indicator__spatial_rule", flat=True)
        .distinct()
    )
    assert stored_rules <= {SpatialRule.SUM, SpatialRule.WEIGHTED_MEAN, SpatialRule.NONE}
    stored = set(
        DataValue.objects.filter(dataset=dataset).values_list("indicator__code", flat=True)
    )
    assert {"GRDP_PER_CAPITA", "URBANISATION_RATE", "POP_DENSITY", "FOREST_COVER"}.isdisjoint(
        stored
    )


def test_every_value_lies_within_its_indicators_plausible_bounds(dataset):
    for indicator in Indicator.objects.filter(code__in=demo.QUANTUM):
        rows = DataValue.objects.filter(dataset=dataset, indicator=indicator)
        low = rows.order_by("value").values_list("value", flat=True).first()
        high = rows.order_by("-value").values_list("value", flat=True).first()
        assert indicator.min_value is None or low >= indicator.min_value, indicator.code
        assert indicator.max_value is None or high <= indicator.max_value, indicator.code
        if indicator.is_percentage:
            assert low >= 0 and high <= 100, indicator.code


def test_loading_again_changes_nothing(dataset, demo_counts):
    before = dict(DataValue.objects.filter(dataset=dataset).values_list("pk", "value"))
    batches = ImportBatch.objects.count()

    counts = demo.load_demo_data()

    assert counts == {"new": 0, "changed": 0, "unchanged": demo_counts["new"], "skipped": 0}
    assert ImportBatch.objects.count() == batches
    assert dict(DataValue.objects.filter(dataset=dataset).values_list("pk", "value")) == before


def test_a_value_of_another_data_set_is_never_overwritten(dataset):
    other = DataSet.objects.create(code="tk-that", name="Số liệu thật", owner=dataset.owner)
    real = DataValue.objects.get(
        dataset=dataset,
        indicator__code="POP_AVG",
        unit__code="01",
        period="2016",
        disaggregation="",
    )
    DataValue.objects.filter(pk=real.pk).update(dataset=other, value=Decimal("7328.4"))

    counts = demo.load_demo_data()

    assert counts["skipped"] == 1 and counts["new"] == counts["changed"] == 0
    real.refresh_from_db()
    assert real.dataset == other and real.value == Decimal("7328.4")


def test_a_changed_value_is_revised_with_its_history(dataset):
    value = DataValue.objects.get(
        dataset=dataset, indicator__code="GRDP", unit__code="48", period="2020", disaggregation=""
    )
    wanted = value.value
    DataValue.objects.filter(pk=value.pk).update(value=wanted + 1)

    counts = demo.load_demo_data()

    assert counts["changed"] == 1
    value.refresh_from_db()
    assert value.value == wanted
    [revision] = value.revisions.all()
    assert revision.old_value == wanted + 1


def test_the_aggregation_computes_plausible_ratios_from_the_demo_components(demo_counts):
    from regionlink.indicators.aggregation import Target, aggregate

    rows = aggregate(
        user=None,
        indicators=["GRDP_PER_CAPITA", "URBANISATION_RATE", "POP_DENSITY", "FOREST_COVER"],
        targets=[Target.country()],
        periods=["2024"],
    )
    by_code = {row.indicator: row for row in rows}
    assert all(row.computable for row in rows), [(r.indicator, r.reason) for r in rows]
    grdp, population = values("GRDP", 2024), values("POP_AVG", 2024)
    expected = sum(grdp.values()) / sum(population.values())
    assert by_code["GRDP_PER_CAPITA"].value == pytest.approx(expected, rel=1e-6)
    assert Decimal(30) < by_code["URBANISATION_RATE"].value < Decimal(45)
    assert Decimal(250) < by_code["POP_DENSITY"].value < Decimal(350)  # persons per km²
    assert Decimal(35) < by_code["FOREST_COVER"].value < Decimal(50)  # % of the area


def test_the_api_labels_rows_from_the_demo_data_set_as_illustrative(demo_counts, client):
    response = client.get(
        "/api/v1/data", {"indicator": "GRDP_PER_CAPITA", "country": "1", "period": "2024"}
    )

    assert response.status_code == 200
    body = response.json()
    assert body["illustrative"] is True
    [item] = body["items"]
    assert item["note"] == demo.DEMO_SOURCE
    assert 100 <= item["value"] <= 120
