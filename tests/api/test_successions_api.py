"""Successions: which units passed their territory to which, when, and on what legal basis."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def _items(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["items"]


def test_ho_chi_minh_city_was_made_of_binh_duong_ba_ria_vung_tau_and_the_old_city(client):
    items = _items(
        client.get(
            "/api/v1/successions",
            {"successor": "79", "date_from": "2025-07-01", "level": "province"},
        )
    )

    assert [(s["predecessor"]["code"], s["predecessor"]["name"]) for s in items] == [
        ("74", "Tỉnh Bình Dương"),
        ("77", "Tỉnh Bà Rịa - Vũng Tàu"),
        ("79", "Thành phố Hồ Chí Minh"),
    ]
    old_city = items[2]
    assert old_city["predecessor"]["valid_to"] == "2025-06-30"
    assert old_city["successor"] == {
        "code": "79",
        "name": "Thành phố Hồ Chí Minh",
        "valid_from": "2025-07-01",
        "valid_to": None,
    }
    assert old_city["effective_date"] == "2025-07-01"
    assert old_city["kind"] == "whole"
    assert old_city["share"] == 1.0
    assert old_city["share_basis"] == "territory"
    assert "202/2025/QH15" in old_city["legal_basis"]
    assert "note" in old_city


def test_a_predecessor_filter_shows_what_a_province_became(client):
    items = _items(client.get("/api/v1/successions", {"predecessor": "74"}))

    assert [(s["successor"]["code"], s["effective_date"]) for s in items] == [("79", "2025-07-01")]


def test_the_date_range_keeps_only_successions_effective_inside_it(client):
    items = _items(
        client.get(
            "/api/v1/successions",
            {"level": "province", "date_from": "2000-01-01", "date_to": "2024-12-31"},
        )
    )

    assert items
    assert all("2000-01-01" <= s["effective_date"] <= "2024-12-31" for s in items)


def test_keyset_paging_walks_the_2025_commune_mergers_without_duplicates(client):
    params = {"level": "commune", "date_from": "2025-07-01", "limit": 25}
    everything = []
    after = None
    for _page in range(4):
        body = client.get("/api/v1/successions", {**params, **({"after": after} if after else {})})
        page = _items(body)
        everything += [(s["predecessor"]["code"], s["successor"]["code"]) for s in page]
        after = body.json()["next"]

    assert len(everything) == len(set(everything)) == 100
    single = _items(client.get("/api/v1/successions", {**params, "limit": 100}))
    assert everything == [(s["predecessor"]["code"], s["successor"]["code"]) for s in single]


def test_a_reversed_date_range_is_refused_with_a_message(client):
    response = client.get(
        "/api/v1/successions", {"date_from": "2025-07-01", "date_to": "2025-01-01"}
    )

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_range"
    assert "date_from" in response.json()["message"]


def test_a_tampered_cursor_is_refused_not_crashed(client):
    from regionlink.core.paging import encode_cursor

    response = client.get(
        "/api/v1/successions", {"after": encode_cursor(["not-a-date", "74", "79", 1])}
    )

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_cursor"
