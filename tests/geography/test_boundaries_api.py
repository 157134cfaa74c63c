"""The map's outlines: GET /api/v1/boundaries gives provinces or regions valid on a date."""

import pytest

pytestmark = pytest.mark.django_db

URL = "/api/v1/boundaries"


@pytest.fixture(autouse=True)
def site_with_the_boundaries_api(settings):
    # Mounts the router itself only while regionlink.api does not yet.
    settings.ROOT_URLCONF = "web.urls_for_tests"


def codes(body):
    return sorted(f["properties"]["code"] for f in body["features"])


def test_the_34_provinces_of_2026_come_with_hoang_sa_and_truong_sa_labelled(client):
    response = client.get(URL, {"date": "2026-01-01", "level": "province"})

    body = response.json()
    assert response.status_code == 200
    assert body["type"] == "FeatureCollection"
    assert len(body["features"]) == 34
    assert {"01", "48", "56", "79"} <= set(codes(body))
    assert {(a["name"], a["province_code"], a["province_name"]) for a in body["archipelagos"]} == {
        ("Quần đảo Hoàng Sa", "48", "Đà Nẵng"),
        ("Quần đảo Trường Sa", "56", "Khánh Hòa"),
    }
    assert all(-180 <= a["lon"] <= 180 and -90 <= a["lat"] <= 90 for a in body["archipelagos"])


def test_each_province_says_which_region_it_belongs_to_on_the_date(client):
    body = client.get(URL, {"date": "2026-01-01"}).json()

    hcm = next(f for f in body["features"] if f["properties"]["code"] == "79")
    assert hcm["properties"]["name"] == "Thành phố Hồ Chí Minh"
    assert hcm["properties"]["name_en"] == "Ho Chi Minh City"
    assert hcm["properties"]["region_code"] == "DNB"
    assert hcm["properties"]["region_name"] == "Đông Nam Bộ"
    assert hcm["properties"]["region_name_en"] == "Southeast"
    assert hcm["geometry"]["type"] in {"Polygon", "MultiPolygon"}


def test_the_63_provinces_of_30_june_2025_are_coloured_by_the_old_regions(client):
    body = client.get(URL, {"date": "2025-06-30", "level": "province"}).json()

    assert len(body["features"]) == 63
    binh_duong = next(f for f in body["features"] if f["properties"]["code"] == "74")
    assert binh_duong["properties"]["region_code"] == "DNB"
    hue = next(f for f in body["features"] if f["properties"]["code"] == "46")
    assert hue["properties"]["region_code"] == "BTB-DHMT"
    # The islands belong to the same two provinces before 2025: the labels still show them.
    assert {a["province_code"] for a in body["archipelagos"]} == {"48", "56"}


def test_the_six_region_outlines_of_each_scheme(client):
    before = client.get(URL, {"date": "2025-06-30", "level": "region"}).json()
    after = client.get(URL, {"date": "2026-01-01", "level": "region"}).json()

    assert codes(before) == sorted(["TDMNPB", "DBSH", "BTB-DHMT", "TN", "DNB", "DBSCL"])
    assert codes(after) == sorted(["TDMNPB", "DBSH", "BTB", "DHNTB-TN", "DNB", "DBSCL"])
    delta = next(f for f in after["features"] if f["properties"]["code"] == "DBSH")
    assert delta["properties"] == {
        "code": "DBSH",
        "name": "Đồng bằng sông Hồng",
        "name_en": "Red River Delta",
    }


def test_boundaries_credit_natural_earth_and_may_be_cached_for_an_hour(client):
    response = client.get(URL, {"date": "2026-01-01"})

    assert response.json()["attribution"].startswith("Ranh giới: Natural Earth (public domain)")
    assert "public" in response["Cache-Control"]
    assert "max-age=3600" in response["Cache-Control"]


def test_without_a_date_the_map_shows_today(client):
    body = client.get(URL).json()

    assert len(body["features"]) == 34
    assert body["level"] == "province"


def test_a_malformed_date_or_level_is_refused(client):
    assert client.get(URL, {"date": "30/06/2025"}).status_code == 422
    assert client.get(URL, {"level": "commune"}).status_code == 422


def test_the_number_of_queries_does_not_grow_with_the_provinces(
    client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(5):
        assert len(client.get(URL, {"date": "2025-06-30"}).json()["features"]) == 63
    with django_assert_max_num_queries(5):
        assert (
            len(client.get(URL, {"date": "2025-06-30", "level": "region"}).json()["features"]) == 6
        )
