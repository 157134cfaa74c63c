"""A ratio by a dimension its numerator and denominator both carry: the unemployment rate of
women is unemployed women ÷ women in the labour force, each summed over the units first, on
the territory as it was or as it is now; a dimension a component lacks is refused, naming it."""

from __future__ import annotations

import io
import json
import shutil
from decimal import Decimal

import fixtures_values as given
import pytest
from django.core.management import CommandError, call_command
from fixtures_values import RED_RIVER_DELTA_2016, publish

from regionlink.indicators import catalogue as catalogue_module
from regionlink.indicators.aggregation import Target, aggregate

pytestmark = pytest.mark.django_db
catalogue, statistics_office = given.catalogue, given.statistics_office

DBSH = Target.region("DBSH")
URL = "/api/v1/data"


def one(indicator, target, period="2024", boundaries="asof", **options):
    [row] = aggregate(
        user=None,
        indicators=[indicator],
        targets=[target],
        periods=[period],
        boundaries=boundaries,
        **options,
    )
    return row


def labour_survey(i: int) -> dict[str, Decimal]:
    """Illustrative labour force survey figures (thousand persons) of the i-th province."""
    return {
        "LABOUR_FORCE": Decimal(800 + 40 * i),
        "LABOUR_FORCE_F": Decimal(380 + 20 * i),
        "UNEMPLOYED": Decimal(16 + i),
        "UNEMPLOYED_F": Decimal(7 + i) + Decimal("0.5"),
    }


def survey_rows(code: str, i: int, period: str = "2024", *, women: bool = True) -> list[tuple]:
    figures = labour_survey(i)
    rows = [
        ("LABOUR_FORCE", code, period, figures["LABOUR_FORCE"]),
        ("UNEMPLOYED", code, period, figures["UNEMPLOYED"]),
    ]
    if women:
        rows += [
            ("LABOUR_FORCE", code, period, figures["LABOUR_FORCE_F"], "SEX=F"),
            ("UNEMPLOYED", code, period, figures["UNEMPLOYED_F"], "SEX=F"),
        ]
    return rows


@pytest.fixture
def red_river_delta_2024(catalogue, statistics_office):
    """The labour force survey of the 11 provinces of the Red River Delta in 2024, by sex."""
    rows = []
    for i, code in enumerate(RED_RIVER_DELTA_2016):
        rows += survey_rows(code, i)
    return publish(statistics_office, rows)


def enumerate_codes(codes):
    return [(c, i) for i, c in enumerate(codes)]


def women_rate(codes_and_indexes) -> Decimal:
    figures = [labour_survey(i) for _c, i in codes_and_indexes]
    unemployed = sum(f["UNEMPLOYED_F"] for f in figures)
    labour = sum(f["LABOUR_FORCE_F"] for f in figures)
    return unemployed / labour * 100


# --- Recomputed from the components at the same member --------------------------------------


def test_the_regional_unemployment_rate_of_women_divides_summed_women_by_summed_women(
    red_river_delta_2024,
):
    row = one("UNEMPLOYMENT_RATE", DBSH, disaggregation="sex=f")

    assert row.disaggregation == "SEX=F"
    assert row.value == women_rate(enumerate_codes(RED_RIVER_DELTA_2016))
    assert row.value != one("UNEMPLOYMENT_RATE", DBSH).value  # not the total rate
    assert row.status == "official"
    assert row.coverage.expected == 11 and not row.coverage.missing


def test_a_province_keeps_its_own_published_rate_for_women(red_river_delta_2024):
    publish(red_river_delta_2024.owner, [("UNEMPLOYMENT_RATE", "01", "2024", "1.75", "SEX=F")])

    assert one("UNEMPLOYMENT_RATE", Target.unit("01"), disaggregation="SEX=F").value == Decimal(
        "1.75"
    )
    hai_phong = one("UNEMPLOYMENT_RATE", Target.unit("31"), disaggregation="SEX=F")
    assert hai_phong.value == women_rate([("31", RED_RIVER_DELTA_2016.index("31"))])


def test_the_new_tuyen_quang_rate_of_women_on_current_boundaries_adds_ha_giang(
    catalogue, statistics_office
):
    publish(statistics_office, survey_rows("02", 0) + survey_rows("08", 1))

    row = one("UNEMPLOYMENT_RATE", Target.unit("08"), boundaries="current", disaggregation="SEX=F")

    assert row.value == women_rate([("02", 0), ("08", 1)])
    assert row.coverage.contributed == ("02", "08") and row.boundaries == "current"


def test_sex_and_urban_together_read_the_combined_key(catalogue, statistics_office):
    publish(
        statistics_office,
        [
            ("LABOUR_FORCE", "01", "2024", "1900", "SEX=F;URBAN=U"),
            ("UNEMPLOYED", "01", "2024", "38", "SEX=F;URBAN=U"),
            ("LABOUR_FORCE", "01", "2024", "1800", "SEX=F"),
        ],
    )

    row = one("UNEMPLOYMENT_RATE", Target.unit("01"), disaggregation="URBAN=U;SEX=F")

    assert row.value == Decimal(38) / Decimal(1900) * 100


# --- Coverage and status, as for any ratio -------------------------------------------------


def test_a_province_without_figures_for_women_is_missing_and_never_replaced_by_its_total(
    catalogue, statistics_office
):
    # Lâm Đồng, Đắk Nông (totals only) and Bình Thuận: the new Lâm Đồng on current boundaries.
    publish(
        statistics_office,
        survey_rows("68", 0) + survey_rows("67", 1, women=False) + survey_rows("60", 2),
    )

    strict = one(
        "UNEMPLOYMENT_RATE", Target.unit("68"), boundaries="current", disaggregation="SEX=F"
    )
    lenient = one(
        "UNEMPLOYMENT_RATE",
        Target.unit("68"),
        boundaries="current",
        disaggregation="SEX=F",
        coverage_threshold="0.6",
    )
    alone = one("UNEMPLOYMENT_RATE", Target.unit("67"), disaggregation="SEX=F")

    assert strict.value is None and "Mới có số liệu của 2 trên 3 đơn vị" in strict.reason
    assert strict.coverage.missing == ("67",) and strict.coverage.contributed == ("60", "68")
    assert lenient.value == women_rate([("68", 0), ("60", 2)])
    assert lenient.coverage.share == Decimal("0.6667")
    assert alone.value is None and alone.reason == "Chưa có số liệu."


def test_a_preliminary_component_makes_the_rate_preliminary(catalogue, statistics_office):
    publish(
        statistics_office,
        [
            ("LABOUR_FORCE", "02", "2024", "420", "SEX=F"),
            ("UNEMPLOYED", "02", "2024", "5.1", "SEX=F", "preliminary"),
        ],
    )

    row = one("UNEMPLOYMENT_RATE", Target.unit("02"), disaggregation="SEX=F")

    assert row.value == Decimal("5.1") / 420 * 100 and row.status == "preliminary"


# --- Dimensions the components do not carry -------------------------------------------------


@pytest.mark.parametrize(
    ("indicator", "key", "expected"),
    [
        (
            "UNEMPLOYMENT_RATE",
            "SECTOR=AGR",
            "Tỷ số UNEMPLOYMENT_RATE không tính được theo phân tổ SECTOR vì UNEMPLOYED, "
            "LABOUR_FORCE không có chiều này. Bỏ phân tổ SECTOR, hoặc nhập UNEMPLOYED, "
            "LABOUR_FORCE theo SECTOR rồi khai báo chiều SECTOR cho UNEMPLOYMENT_RATE trong "
            "danh mục chỉ tiêu.",
        ),
        ("POP_DENSITY", "SEX=F", "vì AREA không có chiều này"),
        ("URBANISATION_RATE", "URBAN=U", "đã cố định chiều URBAN trong định nghĩa"),
        ("URBANISATION_RATE", "SEX=F", "chưa khai báo phân tổ theo SEX"),
    ],
)
def test_a_dimension_the_ratio_cannot_take_is_refused_naming_it_and_the_fix(
    red_river_delta_2024, indicator, key, expected
):
    row = one(indicator, DBSH, disaggregation=key)

    assert row.value is None and expected in row.reason


def test_the_catalogue_declares_sex_and_urban_for_the_unemployment_rate(catalogue):
    dimensions = {d.code for d in catalogue["UNEMPLOYMENT_RATE"].dimensions.all()}

    assert dimensions == {"SEX", "URBAN"}
    for component in ("UNEMPLOYED", "LABOUR_FORCE"):
        assert dimensions <= {d.code for d in catalogue[component].dimensions.all()}


def test_the_catalogue_refuses_a_ratio_declaring_a_dimension_a_component_lacks(
    db, tmp_path, monkeypatch
):
    shutil.copytree(catalogue_module.DATA, tmp_path, dirs_exist_ok=True)
    indicators = tmp_path / "indicators.csv"
    text = indicators.read_text(encoding="utf-8")
    density = next(line for line in text.splitlines() if line.startswith("POP_DENSITY,"))
    cells = density.split(",")
    cells[19] = "SEX"  # the dimensions column
    indicators.write_text(text.replace(density, ",".join(cells)), encoding="utf-8")
    monkeypatch.setattr(catalogue_module, "DATA", tmp_path)

    with pytest.raises(ValueError, match="tỷ số POP_DENSITY khai báo chiều SEX nhưng AREA"):
        catalogue_module.load_catalogue()


# --- End to end: the API and the command line -----------------------------------------------


@pytest.mark.urls("fixtures_values")
def test_the_api_gives_the_red_river_delta_rate_of_women(client, red_river_delta_2024):
    response = client.get(
        URL,
        {
            "indicator": "UNEMPLOYMENT_RATE",
            "region": "DBSH",
            "period": "2024",
            "disaggregation": "SEX=F",
        },
    )

    assert response.status_code == 200, response.content
    [item] = response.json()["items"]
    expected = women_rate(enumerate_codes(RED_RIVER_DELTA_2016))
    assert item["disaggregation"] == "SEX=F" and item["computable"]
    assert item["value"] == pytest.approx(float(expected))
    assert item["coverage"]["expected"] == 11 and item["coverage"]["missing"] == []


@pytest.mark.urls("fixtures_values")
def test_the_api_refuses_a_dimension_the_components_lack_naming_the_fix(client, catalogue):
    response = client.get(
        URL,
        {
            "indicator": "UNEMPLOYMENT_RATE",
            "region": "DBSH",
            "period": "2024",
            "disaggregation": "SECTOR=AGR",
        },
    )

    assert response.status_code == 400, response.content
    body = response.json()
    assert (body["code"], body["field"]) == ("invalid_disaggregation", "disaggregation")
    assert "UNEMPLOYED, LABOUR_FORCE không có chiều này" in body["message"]
    assert "Bỏ phân tổ SECTOR" in body["message"]


def data_get(*args) -> str:
    out = io.StringIO()
    call_command("data", "get", *args, stdout=out)
    return out.getvalue()


def test_the_command_line_gives_the_same_rate_and_the_same_refusal(red_river_delta_2024):
    args = ("--indicator", "UNEMPLOYMENT_RATE", "--region", "DBSH", "--period", "2024")

    [row] = json.loads(data_get(*args, "--disaggregation", "SEX=F"))

    expected = women_rate(enumerate_codes(RED_RIVER_DELTA_2016))
    assert row["value"] == pytest.approx(float(expected)) and row["disaggregation"] == "SEX=F"
    with pytest.raises(CommandError, match="vì AREA không có chiều này"):
        data_get("--indicator", "POP_DENSITY", "--region", "DBSH", "--period", "2024",
                 "--disaggregation", "SEX=F")  # fmt: skip
