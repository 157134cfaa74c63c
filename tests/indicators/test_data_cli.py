"""`regionlink data get`: the same answers as the API, for officers who script."""

from __future__ import annotations

import csv
import io
import json

import fixtures_values as given
import pytest
from django.core.management import CommandError, call_command
from fixtures_values import POP_2016, publish

from regionlink.indicators.models import Visibility

pytestmark = pytest.mark.django_db
catalogue, statistics_office = given.catalogue, given.statistics_office
lam_dong_official, hanoi_official = given.lam_dong_official, given.hanoi_official


def get(*args) -> str:
    out = io.StringIO()
    call_command("data", "get", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def population_2016(catalogue, statistics_office):
    return publish(statistics_office, [("POP_AVG", c, "2016", v) for c, v in POP_2016.items()])


def test_the_new_tuyen_quang_in_2016_as_json(population_2016):
    rows = json.loads(
        get("--indicator", "POP_AVG", "--unit", "08", "--period", "2016", "--boundaries", "current")
    )

    assert [(r["target"]["code"], r["value"], r["status"]) for r in rows] == [
        ("08", 1583.0, "official")
    ]
    assert rows[0]["coverage"]["contributed"] == ["02", "08"]


def test_a_region_over_years_as_csv(population_2016):
    text = get(
        "--indicator", "POP_AVG", "--region", "DBSH", "--period", "2015:2016", "--format", "csv"
    )

    rows = list(csv.DictReader(io.StringIO(text)))
    assert [(r["period"], r["value"], r["computable"]) for r in rows] == [
        ("2015", "", "0"),
        ("2016", "21133.8", "1"),
    ]
    assert rows[0]["reason"]


def test_anonymous_reads_public_data_only_and_as_reads_like_that_person(
    catalogue, reference_organisations, lam_dong_official, hanoi_official
):
    publish(
        reference_organisations["ubnd-68"],
        [("POP_AVG", "67", "2016", "605.4")],
        visibility=Visibility.OWNER,
    )
    args = ("--indicator", "POP_AVG", "--unit", "67", "--period", "2016")

    assert json.loads(get(*args))[0]["value"] is None
    assert json.loads(get(*args, "--as", hanoi_official.username))[0]["value"] is None
    assert json.loads(get(*args, "--as", lam_dong_official.username))[0]["value"] == 605.4


def test_a_mistake_is_a_vietnamese_error_naming_what_to_fix(catalogue):
    with pytest.raises(CommandError, match="Không có chỉ tiêu mã KHONG_CO"):
        get("--indicator", "KHONG_CO", "--unit", "01", "--period", "2016")
    with pytest.raises(CommandError, match="Kỳ"):
        get("--indicator", "POP_AVG", "--unit", "01", "--period", "năm ngoái")
    with pytest.raises(CommandError, match="ai_do"):
        get("--indicator", "POP_AVG", "--unit", "01", "--period", "2016", "--as", "ai_do")


def test_unit_and_region_cannot_be_asked_together(catalogue):
    with pytest.raises(CommandError):
        get("--indicator", "POP_AVG", "--unit", "01", "--region", "DBSH", "--period", "2016")
