"""The hand-written SQL reference of the benchmark gives the same sums as the service."""

from __future__ import annotations

import fixtures_values as given
import pytest
from fixtures_values import province_codes, publish

from regionlink.indicators import periods
from regionlink.indicators.aggregation import Target, aggregate
from regionlink.indicators.aggregation_sql import hand_written_sql_sum
from regionlink.indicators.values import readable_dataset_ids

pytestmark = pytest.mark.django_db
catalogue, statistics_office = given.catalogue, given.statistics_office

REGIONS = ["TDMNPB", "DBSH", "BTB", "DHNTB-TN", "DNB", "DBSCL"]


def test_the_sql_reference_and_the_service_agree_on_todays_six_regions(
    catalogue, statistics_office
):
    rows = [
        ("RETAIL_SALES", code, str(year), 10 + int(code))
        for year in (2016, 2020)
        for code in province_codes(f"{year}-12-31")
    ]
    publish(statistics_office, rows)
    years = [periods.year(2016), periods.year(2020)]

    service = aggregate(
        user=None,
        indicators=["RETAIL_SALES"],
        targets=[Target.region(c) for c in REGIONS],
        periods=years,
        boundaries="current",
    )
    reference = hand_written_sql_sum(
        indicator_code="RETAIL_SALES",
        region_codes=REGIONS,
        periods=years,
        dataset_ids=readable_dataset_ids(None),
    )

    assert len(service) == len(reference) == 12
    for row in service:
        total, count = reference[(row.target.code, row.period)]
        assert row.value == total and len(row.coverage.contributed) == count
    assert sum(r.value for r in service if r.period == "2016") == sum(
        10 + int(c) for c in province_codes()
    )
