"""The indicator catalogue loads completely, consistently and idempotently."""

import pytest

from regionlink.indicators.catalogue import load_catalogue
from regionlink.indicators.models import Indicator, IndicatorGroup, SpatialRule, TemporalRule

pytestmark = pytest.mark.django_db

REQUIRED = [
    "POP_AVG", "AREA", "POP_DENSITY", "URBANISATION_RATE", "LABOUR_FORCE",
    "TRAINED_WORKERS_PCT", "POVERTY_RATE", "RETAIL_SALES", "GRDP", "GRDP_PER_CAPITA",
    "GRDP_GROWTH", "BUDGET_REVENUE", "FDI_REGISTERED", "EXPORTS", "FOREST_COVER",
    "HOSPITAL_BEDS_PER_10K",
]  # fmt: skip


@pytest.fixture
def catalogue():
    return load_catalogue()


def test_the_catalogue_has_the_20_groups_and_about_40_indicators_with_the_required_codes(
    catalogue,
):
    assert IndicatorGroup.objects.count() == 20
    assert Indicator.objects.count() >= 40
    assert set(REQUIRED) <= set(Indicator.objects.values_list("code", flat=True))


def test_every_indicator_has_the_decree_94_definition_fields(catalogue):
    for indicator in Indicator.objects.all():
        assert indicator.concept and indicator.calculation_method, indicator.code
        assert indicator.data_source and indicator.responsible_agency, indicator.code
        assert indicator.unit_of_measure and indicator.name_en, indicator.code


def test_combination_rules_are_complete(catalogue):
    for indicator in Indicator.objects.all():
        if indicator.spatial_rule == SpatialRule.RATIO:
            assert indicator.numerator and indicator.denominator, indicator.code
        if indicator.spatial_rule == SpatialRule.WEIGHTED_MEAN:
            assert indicator.weight, indicator.code
        if indicator.spatial_rule == SpatialRule.NONE:
            assert indicator.not_aggregable_reason, indicator.code
        if indicator.spatial_rule == SpatialRule.DERIVED:
            assert indicator.formula, indicator.code


def test_the_required_rules_match_the_domain():
    load_catalogue()
    get = Indicator.objects.get
    assert get(code="POP_AVG").spatial_rule == SpatialRule.SUM
    assert {d.code for d in get(code="POP_AVG").dimensions.all()} == {"SEX", "URBAN"}
    urbanisation = get(code="URBANISATION_RATE")
    assert (urbanisation.numerator.code, urbanisation.numerator_disaggregation) == (
        "POP_AVG",
        "URBAN=U",
    )
    assert urbanisation.denominator.code == "POP_AVG" and urbanisation.scale == 100
    assert get(code="POVERTY_RATE").weight.code == "POP_AVG"
    assert get(code="GRDP_PER_CAPITA").numerator.code == "GRDP"
    assert get(code="FDI_REGISTERED").temporal_rule == TemporalRule.CUMULATIVE
    assert get(code="GRDP_GROWTH").spatial_rule == SpatialRule.NONE


def test_loading_twice_changes_nothing():
    load_catalogue()
    assert load_catalogue()["created"] == 0
    assert load_catalogue()["updated"] == 0
