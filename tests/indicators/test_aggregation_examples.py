"""The examples of issue 3 hold: re-expressed on today's provinces, on the regions as they were,
and weighted by population where a rate is combined."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import fixtures_values as given
import pytest
from fixtures_values import POP_2016, POVERTY_2016, RED_RIVER_DELTA_2016, publish

from regionlink.indicators.aggregation import Target, aggregate

pytestmark = pytest.mark.django_db
catalogue, statistics_office = given.catalogue, given.statistics_office


@pytest.fixture
def population_2016(catalogue, statistics_office):
    return publish(statistics_office, [("POP_AVG", c, "2016", v) for c, v in POP_2016.items()])


def test_the_new_tuyen_quang_in_2016_is_ha_giang_plus_tuyen_quang(population_2016):
    [row] = aggregate(
        user=None,
        indicators=["POP_AVG"],
        targets=[Target.unit("08")],
        periods=["2016"],
        boundaries="current",
    )

    assert row.value == Decimal("816.1") + Decimal("766.9")
    assert row.computable and row.status == "official"
    assert row.coverage.expected == 2
    assert row.coverage.contributed == ("02", "08")
    assert row.target_name == "Tỉnh Tuyên Quang"


def test_the_red_river_delta_in_2016_as_it_was_is_the_sum_of_its_11_provinces(population_2016):
    [row] = aggregate(
        user=None,
        indicators=["POP_AVG"],
        targets=[Target.region("DBSH")],
        periods=["2016"],
        boundaries="asof",
    )

    assert row.coverage.expected == 11
    assert sorted(row.coverage.contributed) == sorted(RED_RIVER_DELTA_2016)
    assert row.value == sum(Decimal(POP_2016[c]) for c in RED_RIVER_DELTA_2016)
    assert abs(row.value - Decimal("21133.8")) <= Decimal("0.2")


def test_the_new_lam_dong_poverty_rate_in_2016_is_weighted_by_population(population_2016):
    publish(
        population_2016.owner,
        [("POVERTY_RATE", c, "2016", v) for c, v in POVERTY_2016.items()],
        status="preliminary",
    )

    [row] = aggregate(
        user=None,
        indicators=["POVERTY_RATE"],
        targets=[Target.unit("68")],
        periods=["2016"],
        boundaries="current",
    )

    weights = {c: Decimal(POP_2016[c]) for c in POVERTY_2016}
    expected = sum(weights[c] * Decimal(POVERTY_2016[c]) for c in weights) / sum(weights.values())
    assert row.value == expected
    assert row.status == "preliminary"
    assert row.coverage.contributed == ("60", "67", "68")


GSO_SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "samples" / "gso"
POPULATION_FILE = "Area, population and population density by province.csv"


def test_the_red_river_delta_from_the_imported_gso_table_matches_its_region_row(
    catalogue, statistics_office
):
    pipeline = pytest.importorskip("regionlink.indicators.importing.pipeline")
    path = GSO_SAMPLES / POPULATION_FILE
    if not path.exists():
        pytest.skip(f"{path} is not beside the repository")
    dataset = publish(statistics_office, [])

    batch = pipeline.run_import(
        actor="test fixture",
        dataset=dataset,
        path_or_file=path,
        file_name=path.name,
        publish=True,
    )

    assert batch.status == "published", batch.report
    rows = aggregate(
        user=None,
        indicators=["POP_AVG"],
        targets=[Target.region("DBSH")],
        periods=["2016"],
        boundaries="asof",
    )
    # The office's own region row: 21133.8 thousand persons (each province rounded to 0.1).
    assert abs(rows[0].value - Decimal("21133.8")) <= Decimal("0.2")
    assert rows[0].coverage.expected == 11 and not rows[0].coverage.missing
