"""The indicator catalogue through the API: search without diacritics, filters, paging and each
indicator's Decree 94/2022 definition with its combination rules."""

from __future__ import annotations

import fixtures_values as given
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = [pytest.mark.django_db, pytest.mark.urls("fixtures_values")]
catalogue = given.catalogue


def codes(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [i["code"] for i in response.json()["items"]]


def test_searching_without_diacritics_finds_the_vietnamese_name(client, catalogue):
    found = codes(client.get("/api/v1/indicators", {"q": "dan so trung binh"}))

    assert found == ["POP_AVG"]


def test_searching_by_english_name_or_code_works_too(client, catalogue):
    assert "POVERTY_RATE" in codes(client.get("/api/v1/indicators", {"q": "poverty"}))
    assert codes(client.get("/api/v1/indicators", {"q": "grdp_per"})) == ["GRDP_PER_CAPITA"]


def test_filtering_by_group_gives_that_groups_indicators(client, catalogue):
    found = codes(client.get("/api/v1/indicators", {"group": "g01"}))

    assert {"AREA", "POP_AVG", "POP_DENSITY", "URBANISATION_RATE"} <= set(found)
    assert all(catalogue[c].group.code == "G01" for c in found)


def test_filtering_by_agency_ignores_diacritics(client, catalogue):
    found = codes(client.get("/api/v1/indicators", {"agency": "bo y te"}))

    assert (
        set(found) == {c for c, i in catalogue.items() if i.responsible_agency == "Bộ Y tế"}
        and "HOSPITAL_BEDS_PER_10K" in found
    )


def test_the_catalogue_pages_by_group_then_code_without_repeats(client, catalogue):
    seen, after = [], None
    while True:
        params = {"limit": 7, **({"after": after} if after else {})}
        body = client.get("/api/v1/indicators", params).json()
        seen += [i["code"] for i in body["items"]]
        after = body["next"]
        if not after:
            break

    ordered = sorted(catalogue.values(), key=lambda i: (i.group.sort_order, i.code))
    assert seen == [i.code for i in ordered]


def test_listing_takes_the_same_few_queries_for_ten_or_a_hundred_indicators(client, catalogue):
    def count(limit):
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/api/v1/indicators", {"limit": limit}).status_code == 200
        return len(queries)

    assert count(10) == count(100) <= 4


def test_an_indicator_shows_its_definition_and_how_it_combines(client, catalogue):
    body = client.get("/api/v1/indicators/agr_share_grdp").json()

    assert body["code"] == "AGR_SHARE_GRDP"
    assert body["spatial_rule"] == "derived"
    assert body["formula_references"] == ["GRDP[SECTOR=AGR]", "GRDP"]
    assert body["concept"] and body["calculation_method"] and body["responsible_agency"]

    density = client.get("/api/v1/indicators/POP_DENSITY").json()
    assert (density["numerator"], density["denominator"], density["scale"]) == (
        "POP_AVG",
        "AREA",
        1000.0,
    )
    population = client.get("/api/v1/indicators/POP_AVG").json()
    assert [d["code"] for d in population["dimension_details"]] == ["SEX", "URBAN"]
    assert {m["code"] for m in population["dimension_details"][0]["members"]} == {"M", "F"}


def test_an_unknown_indicator_is_a_404_in_vietnamese(client, catalogue):
    response = client.get("/api/v1/indicators/KHONG_CO")

    assert response.status_code == 404
    assert response.json()["code"] == "unknown_indicator"
    assert "Không có chỉ tiêu" in response.json()["message"]


def test_the_twenty_groups_are_listed_with_their_indicator_counts(client, catalogue):
    groups = client.get("/api/v1/indicator-groups").json()

    assert len(groups) == 20
    assert groups[0]["code"] == "G01" and groups[0]["name"] == "Đất đai và dân số"
    assert sum(g["indicator_count"] for g in groups) == len(catalogue)
