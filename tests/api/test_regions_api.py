"""Regions on a date: the six regions of Resolution 306/NQ-CP now, those of 81/2023/QH15 before."""

from __future__ import annotations

import pytest

from regionlink.geography.queries import today

pytestmark = pytest.mark.django_db


def _member_counts(response) -> dict[str, int]:
    assert response.status_code == 200
    return {region["code"]: len(region["members"]) for region in response.json()}


def test_on_1_january_2026_the_six_regions_of_resolution_306_have_their_new_members(client):
    response = client.get("/api/v1/regions", {"date": "2026-01-01"})

    assert _member_counts(response) == {
        "TDMNPB": 9,
        "DBSH": 6,
        "BTB": 5,
        "DHNTB-TN": 6,
        "DNB": 3,
        "DBSCL": 5,
    }


def test_on_1_january_2025_the_old_six_regions_cover_the_63_provinces(client):
    response = client.get("/api/v1/regions", {"date": "2025-01-01"})

    counts = _member_counts(response)
    assert counts == {"TDMNPB": 14, "DBSH": 11, "BTB-DHMT": 14, "TN": 5, "DNB": 6, "DBSCL": 13}
    assert sum(counts.values()) == 63


def test_each_region_carries_its_names_validity_legal_basis_and_iso_dates(client):
    regions = client.get("/api/v1/regions", {"date": "2026-01-01"}).json()

    southeast = next(r for r in regions if r["code"] == "DNB")
    assert southeast["name"] == "Đông Nam Bộ"
    assert southeast["name_en"] == "Southeast"
    assert "306/NQ-CP" in southeast["legal_basis"]
    assert [m["code"] for m in southeast["members"]] == ["75", "79", "80"]
    assert {"code", "name", "name_en"} == set(southeast["members"][0])
    north_central = next(r for r in regions if r["code"] == "BTB")
    assert north_central["valid_from"] == "2025-07-01"
    assert north_central["valid_to"] is None


def test_without_a_date_the_regions_are_those_of_today(client):
    undated = client.get("/api/v1/regions").json()
    dated = client.get("/api/v1/regions", {"date": today().isoformat()}).json()

    assert undated == dated


def test_the_region_list_costs_the_same_few_queries_however_many_members(
    client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(2):
        response = client.get("/api/v1/regions", {"date": "2025-01-01"})

    assert response.status_code == 200


def test_a_region_shows_its_members_on_the_date_and_its_whole_membership_history(client):
    response = client.get("/api/v1/regions/DNB", {"date": "2026-01-01"})

    assert response.status_code == 200
    body = response.json()
    assert body["date"] == "2026-01-01"
    assert [m["code"] for m in body["members"]] == ["75", "79", "80"]
    binh_duong = next(h for h in body["history"] if h["code"] == "74")
    assert binh_duong["name"] == "Tỉnh Bình Dương"
    assert binh_duong["valid_to"] == "2025-06-30"
    new_hcmc = [h for h in body["history"] if h["code"] == "79" and h["valid_from"] == "2025-07-01"]
    assert len(new_hcmc) == 1


def test_the_same_region_had_six_members_before_the_2025_reorganisation(client):
    body = client.get("/api/v1/regions/dnb", {"date": "2025-01-01"}).json()

    assert body["code"] == "DNB"
    assert len(body["members"]) == 6


def test_an_unknown_region_answers_404_with_a_json_error(client):
    response = client.get("/api/v1/regions/XYZ")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert "XYZ" in response.json()["message"]
