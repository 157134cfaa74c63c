"""The unit page's key indicators: the latest readable value of eight indicators for a province,
never one from a data set the visitor may not read."""

import datetime as dt

import pytest
from django.template.loader import render_to_string

from regionlink.geography.queries import unit_on
from regionlink.indicators.views import KEY_INDICATORS, unit_key_indicators

pytest_plugins = ["fixtures_pages"]  # personas, data sets, the /data/ urls
pytestmark = pytest.mark.django_db

BEFORE_MERGER = dt.date(2025, 6, 30)
SECRET_SHOWN = "7.777,7"  # Lâm Đồng's population in its own restricted data set


def rows_by_code(rows):
    return {row["indicator"].code: row for row in rows}


def test_the_owners_editor_sees_lam_dongs_latest_population_with_its_year(
    pages, restricted_population, lam_dong_editor
):
    unit = unit_on("68", BEFORE_MERGER)

    rows = rows_by_code(unit_key_indicators(lam_dong_editor, unit, BEFORE_MERGER))

    assert list(rows) == list(KEY_INDICATORS)
    population = rows["POP_AVG"]
    assert str(population["value"]) == "7777.700000"
    assert population["period"] == "2024" and population["status"] == "Chính thức"
    assert rows["GRDP"]["value"] is None
    html = render_to_string(
        "indicators/_unit_indicators.html",
        {"key_indicators": list(rows.values()), "unit": unit},
    )
    assert SECRET_SHOWN in html and 'id="rl-key-indicators"' in html
    assert "chưa có số liệu" in html


def test_another_organisations_viewer_never_sees_a_restricted_value_on_the_unit_page(
    pages, public_population, restricted_population, ha_noi_editor
):
    unit = unit_on("68", BEFORE_MERGER)

    rows = unit_key_indicators(ha_noi_editor, unit, BEFORE_MERGER)
    html = render_to_string(
        "indicators/_unit_indicators.html", {"key_indicators": rows, "unit": unit}
    )

    assert all(row["value"] is None for row in rows)
    assert SECRET_SHOWN not in html and "9.781,2" not in html


def test_a_public_value_reaches_everyone_and_ratios_are_computed(pages, catalogue, demo_world):
    from fixtures_pages import long_csv, publish

    from regionlink.indicators.datasets import create_dataset
    from regionlink.indicators.models import Visibility
    from regionlink.organisations.models import Organisation

    dataset = create_dataset(
        actor="kiểm thử",
        owner=Organisation.objects.get(code="btc-cuc-thong-ke"),
        code="tk-ha-noi",
        name="Hà Nội",
        visibility=Visibility.PUBLIC,
        is_demo=True,
    )
    publish(
        dataset,
        long_csv(
            ("POP_AVG", "01", 2024, "", "8600", ""),
            ("POP_AVG", "01", 2024, "URBAN=U", "4300", ""),
            ("GRDP", "01", 2024, "", "1430000", "sơ bộ"),
        ),
    )
    unit = unit_on("01", BEFORE_MERGER)

    rows = rows_by_code(unit_key_indicators(None, unit, BEFORE_MERGER))

    assert rows["URBANISATION_RATE"]["value"] == 50
    assert rows["GRDP"]["preliminary"] and rows["GRDP"]["demo"]
    assert rows["GRDP_PER_CAPITA"]["period"] == "2024"
    html = render_to_string(
        "indicators/_unit_indicators.html", {"key_indicators": list(rows.values()), "unit": unit}
    )
    assert "(sơ bộ)" in html and "Dữ liệu minh họa" in html


def test_the_key_indicators_cost_a_fixed_number_of_queries(pages, public_population, demo_world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    hanoi, lam_dong = unit_on("01", BEFORE_MERGER), unit_on("68", BEFORE_MERGER)

    with CaptureQueriesContext(connection) as with_data:
        unit_key_indicators(None, hanoi, BEFORE_MERGER)
    with CaptureQueriesContext(connection) as without:
        unit_key_indicators(None, lam_dong, BEFORE_MERGER)

    # Eight indicators and twelve years: a handful of set-based reads, not one per value.
    assert len(with_data) <= 25 and len(without) <= 25
