"""Resolving place names as people write them to the units valid on a date."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_an_abbreviation_resolves_to_ho_chi_minh_city(client):
    response = client.get("/api/v1/resolve", {"q": "TP.HCM", "date": "2026-01-01"})

    assert response.status_code == 200
    body = response.json()
    assert body["query"] == "TP.HCM"
    assert body["date"] == "2026-01-01"
    assert body["status"] == "resolved"
    assert body["matches"][0]["unit"]["code"] == "79"
    assert body["message"]


def test_a_province_merged_in_2025_resolves_to_what_it_became_and_says_why(client):
    response = client.get(
        "/api/v1/resolve", {"q": "Binh Duong", "date": "2026-01-01", "level": "province"}
    )

    best = response.json()["matches"][0]
    assert best["unit"]["code"] == "79"
    assert best["via"] == {"code": "74", "name": "Tỉnh Bình Dương"}
    assert "01/07/2025" in best["explanation"]


def test_before_the_merger_the_same_name_is_the_province_itself(client):
    body = client.get(
        "/api/v1/resolve", {"q": "Bình Dương", "date": "2025-01-01", "level": "province"}
    ).json()

    assert body["status"] == "resolved"
    assert body["matches"][0]["unit"]["code"] == "74"


def test_old_tone_placement_and_missing_diacritics_do_not_matter(client):
    for spelling in ("Thanh Hoá", "Thanh Hóa", "thanh hoa"):
        body = client.get(
            "/api/v1/resolve", {"q": spelling, "date": "2026-01-01", "level": "province"}
        ).json()
        assert body["matches"][0]["unit"]["code"] == "38", spelling


def test_a_name_that_matches_nothing_answers_404_not_found_with_a_message(client):
    response = client.get("/api/v1/resolve", {"q": "xyzzyqq", "date": "2026-01-01"})

    assert response.status_code == 404
    body = response.json()
    assert body["code"] == "not_found"
    assert body["status"] == "not_found"
    assert "xyzzyqq" in body["message"]
    assert body["matches"] == []


def test_a_blank_query_is_refused_with_an_example(client):
    response = client.get("/api/v1/resolve", {"q": "  "})

    assert response.status_code == 422
    assert response.json()["field"] == "q"
    assert "ví dụ" in response.json()["message"]


def test_an_unknown_level_is_refused_naming_the_parameter(client):
    response = client.get("/api/v1/resolve", {"q": "Hưng Yên", "level": "tinh"})

    assert response.status_code == 422
    assert response.json()["code"] == "invalid_request"
    assert response.json()["field"] == "level"
    assert "province" in response.json()["message"]
