"""Restricted, embargoed or unpublished values never enter an aggregate for someone who may not
read them: they count as missing, and no result lets their value be worked out."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import fixtures_values as given
import pytest
from django.utils import timezone
from fixtures_values import POP_2016, POVERTY_2016, publish, unit

from regionlink.indicators import periods
from regionlink.indicators.aggregation import Target, aggregate
from regionlink.indicators.models import BatchStatus, ImportBatch, StagedValue, Visibility

pytestmark = pytest.mark.django_db
catalogue, statistics_office = given.catalogue, given.statistics_office
lam_dong_official, hanoi_official = given.lam_dong_official, given.hanoi_official

NEW_LAM_DONG = Target.unit("68")


def poverty(user, **options):
    [row] = aggregate(
        user=user,
        indicators=["POVERTY_RATE"],
        targets=[NEW_LAM_DONG],
        periods=["2016"],
        boundaries="current",
        **options,
    )
    return row


def weighted(codes):
    weights = {c: Decimal(POP_2016[c]) for c in codes}
    return sum(weights[c] * Decimal(POVERTY_2016[c]) for c in codes) / sum(weights.values())


@pytest.fixture
def dak_nong_poverty_kept_by_lam_dong(catalogue, statistics_office, reference_organisations):
    """Public population and poverty for Lâm Đồng and Bình Thuận; Đắk Nông's poverty rate is in
    a data set that UBND tỉnh Lâm Đồng keeps to itself."""
    publish(statistics_office, [("POP_AVG", c, "2016", POP_2016[c]) for c in POVERTY_2016])
    publish(statistics_office, [("POVERTY_RATE", c, "2016", POVERTY_2016[c]) for c in ("60", "68")])
    return publish(
        reference_organisations["ubnd-68"],
        [("POVERTY_RATE", "67", "2016", POVERTY_2016["67"])],
        visibility=Visibility.OWNER,
    )


def test_the_owner_sees_the_full_aggregate(dak_nong_poverty_kept_by_lam_dong, lam_dong_official):
    row = poverty(lam_dong_official)

    assert row.value == weighted(["60", "67", "68"])
    assert row.coverage.missing == ()


def test_another_organisation_sees_the_restricted_unit_as_missing_and_no_value(
    dak_nong_poverty_kept_by_lam_dong, hanoi_official
):
    row = poverty(hanoi_official)

    assert row.value is None and not row.computable
    assert row.coverage.missing == ("67",)
    assert "Đắk Nông" not in row.reason  # the reason says data is missing, never whose or why


def test_a_lower_threshold_leaves_the_restricted_value_out_so_it_cannot_be_derived(
    dak_nong_poverty_kept_by_lam_dong, hanoi_official, lam_dong_official
):
    partial = poverty(hanoi_official, coverage_threshold="0.6")
    anonymous = poverty(None, coverage_threshold="0.6")

    # Only the public provinces enter: the result is theirs, and says Đắk Nông is missing.
    assert partial.value == anonymous.value == weighted(["60", "68"])
    assert partial.coverage.missing == ("67",)
    assert poverty(lam_dong_official, coverage_threshold="0.6").value == weighted(
        ["60", "67", "68"]
    )


def test_a_data_set_shared_with_named_organisations_is_read_by_them_only(
    catalogue, reference_organisations, hanoi_official, lam_dong_official
):
    publish(
        reference_organisations["ubnd-68"],
        [("AREA", "68", "2016", 9783)],
        visibility=Visibility.NAMED,
        shared_with=[reference_organisations["ubnd-01"]],
    )

    def area(user):
        [row] = aggregate(user=user, indicators=["AREA"], targets=[NEW_LAM_DONG], periods=["2016"])
        return row.value

    assert area(hanoi_official) == 9783
    assert area(lam_dong_official) == 9783
    assert area(None) is None


def test_embargoed_public_values_appear_only_once_the_embargo_ends(catalogue, statistics_office):
    later = timezone.now() + dt.timedelta(days=3)
    dataset = publish(statistics_office, [("AREA", "68", "2016", 9783)], embargo_until=later)

    def area():
        [row] = aggregate(user=None, indicators=["AREA"], targets=[NEW_LAM_DONG], periods=["2016"])
        return row.value

    assert area() is None
    dataset.embargo_until = timezone.now() - dt.timedelta(minutes=1)
    dataset.save(update_fields=["embargo_until"])
    assert area() == 9783


def test_values_of_a_batch_awaiting_approval_never_appear(catalogue, statistics_office):
    dataset = publish(statistics_office, [])
    batch = ImportBatch.objects.create(dataset=dataset, status=BatchStatus.SUBMITTED)
    period = periods.parse("2016")
    StagedValue.objects.create(
        batch=batch,
        row_number=1,
        indicator=catalogue["AREA"],
        unit=unit("68"),
        period=period.label,
        period_start=period.start,
        period_end=period.end,
        value=9783,
        status="official",
    )

    [row] = aggregate(user=None, indicators=["AREA"], targets=[NEW_LAM_DONG], periods=["2016"])

    assert row.value is None and row.coverage.missing == ("68",)


def test_a_units_series_and_latest_values_hold_only_what_the_reader_may_read(
    dak_nong_poverty_kept_by_lam_dong, hanoi_official, lam_dong_official, catalogue
):
    from regionlink.indicators.values import latest_by_indicator, series

    dak_nong = unit("67")
    poverty_rate = catalogue["POVERTY_RATE"]

    assert series(hanoi_official, indicator=poverty_rate, unit=dak_nong) == []
    assert [v.value for v in series(lam_dong_official, indicator=poverty_rate, unit=dak_nong)] == [
        Decimal("12.8")
    ]
    latest = latest_by_indicator(
        None, unit=dak_nong, indicators=[poverty_rate, catalogue["POP_AVG"]]
    )
    assert set(latest) == {catalogue["POP_AVG"].pk}
