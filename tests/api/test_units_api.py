"""Administrative units on a date: filters, keyset paging, downloads and unit details."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from regionlink.geography.models import AdministrativeUnit, valid_on_q

pytestmark = pytest.mark.django_db

NEW_YEAR_2026 = "2026-01-01"


def _items(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["items"]


def test_on_1_january_2026_there_are_34_provinces(client):
    response = client.get("/api/v1/units", {"level": "province", "date": NEW_YEAR_2026})

    items = _items(response)
    assert len(items) == 34
    assert response.json()["next"] is None


def test_on_1_january_2025_there_were_63_provinces(client):
    items = _items(client.get("/api/v1/units", {"level": "province", "date": "2025-01-01"}))

    assert len(items) == 63


def test_a_unit_carries_its_names_type_dates_geometry_and_region_on_the_date(client):
    items = _items(client.get("/api/v1/units", {"level": "province", "date": NEW_YEAR_2026}))

    hanoi = next(u for u in items if u["code"] == "01")
    assert hanoi == {
        "code": "01",
        "name": "Thành phố Hà Nội",
        "short_name": "Hà Nội",
        "name_en": "Hanoi",
        "level": "province",
        "unit_type": "thanh_pho_tw",
        "unit_type_label": "Thành phố trực thuộc trung ương",
        "parent_code": None,
        "valid_from": None,
        "valid_to": None,
        "area_km2": hanoi["area_km2"],
        "latitude": hanoi["latitude"],
        "longitude": hanoi["longitude"],
        "region_code": "DBSH",
    }
    assert isinstance(hanoi["area_km2"], float)
    assert 20 < hanoi["latitude"] < 22


def test_a_province_is_in_the_region_it_belonged_to_on_the_date(client):
    before = _items(client.get("/api/v1/units", {"level": "province", "date": "2025-01-01"}))
    after = _items(client.get("/api/v1/units", {"level": "province", "date": NEW_YEAR_2026}))

    assert next(u for u in before if u["code"] == "68")["region_code"] == "TN"
    assert next(u for u in after if u["code"] == "68")["region_code"] == "DHNTB-TN"


def test_the_region_filter_gives_that_regions_provinces_on_the_date(client):
    now = _items(
        client.get("/api/v1/units", {"level": "province", "region": "DNB", "date": NEW_YEAR_2026})
    )
    before = _items(
        client.get("/api/v1/units", {"level": "province", "region": "DNB", "date": "2025-01-01"})
    )

    assert [u["code"] for u in now] == ["75", "79", "80"]
    assert {u["region_code"] for u in now} == {"DNB"}
    assert [u["code"] for u in before] == ["70", "72", "74", "75", "77", "79"]


def test_the_region_filter_also_reaches_the_communes_of_the_regions_provinces(client):
    communes = _items(
        client.get(
            "/api/v1/units",
            {"level": "commune", "region": "DNB", "date": NEW_YEAR_2026, "limit": 1000},
        )
    )

    assert communes
    assert {u["parent_code"] for u in communes} <= {"75", "79", "80"}


def test_an_unknown_region_filter_is_refused_with_the_known_codes(client):
    response = client.get("/api/v1/units", {"region": "MIENTAY"})

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "unknown_region"
    assert body["field"] == "region"
    assert "DBSCL" in body["message"]


def test_the_parent_filter_gives_the_communes_of_the_new_tuyen_quang(client):
    response = client.get(
        "/api/v1/units",
        {"parent": "08", "level": "commune", "date": NEW_YEAR_2026, "limit": 1000},
    )

    communes = _items(response)
    expected = AdministrativeUnit.objects.filter(
        valid_on_q(NEW_YEAR_2026),
        level="commune",
        parent__code="08",
        parent__valid_from="2025-07-01",
    ).count()
    assert len(communes) == expected == 124
    assert {u["parent_code"] for u in communes} == {"08"}
    assert {u["level"] for u in communes} == {"commune"}
    assert communes[0]["region_code"] is None  # regions group provinces


def test_names_are_found_with_or_without_diacritics(client):
    plain = _items(client.get("/api/v1/units", {"q": "tuyen quang", "date": NEW_YEAR_2026}))
    marked = _items(client.get("/api/v1/units", {"q": "Tuyên Quang", "date": NEW_YEAR_2026}))

    assert plain == marked
    assert "08" in {u["code"] for u in plain}
    assert all("tuyen quang" in u["name_en"].lower() or "Tuyên Quang" in u["name"] for u in plain)


def test_keyset_paging_walks_all_34_provinces_ten_at_a_time_without_duplicates(client):
    codes, after, pages = [], None, 0
    while True:
        params = {"level": "province", "date": NEW_YEAR_2026, "limit": 10}
        if after:
            params["after"] = after
        body = client.get("/api/v1/units", params).json()
        codes += [u["code"] for u in body["items"]]
        pages += 1
        after = body["next"]
        if after is None:
            break

    assert pages == 4
    assert len(codes) == len(set(codes)) == 34
    assert codes == sorted(codes)


def test_limit_defaults_to_100_and_may_not_exceed_1000(client):
    default = client.get("/api/v1/units", {"level": "commune", "date": NEW_YEAR_2026}).json()
    too_many = client.get("/api/v1/units", {"level": "commune", "limit": 1001})

    assert len(default["items"]) == 100
    assert default["next"]
    assert too_many.status_code == 422
    assert too_many.json()["field"] == "limit"
    assert "1000" in too_many.json()["message"]


def test_the_unit_list_takes_two_queries_whatever_the_page_size(
    client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(2):
        response = client.get("/api/v1/units", {"level": "province", "date": "2025-01-01"})
    with django_assert_max_num_queries(2):
        communes = client.get(
            "/api/v1/units", {"level": "commune", "date": NEW_YEAR_2026, "limit": 1000}
        )

    assert len(response.json()["items"]) == 63
    assert len(communes.json()["items"]) == 1000


def test_the_provinces_download_as_csv_for_excel(client):
    response = client.get(
        "/api/v1/units", {"level": "province", "date": NEW_YEAR_2026, "format": "csv"}
    )

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert len(rows) == 34
    hanoi = next(r for r in rows if r["code"] == "01")
    assert hanoi["name"] == "Thành phố Hà Nội"
    assert hanoi["region_code"] == "DBSH"


def test_the_download_is_the_whole_filtered_list_without_paging(client):
    response = client.get(
        "/api/v1/units",
        {"level": "commune", "date": NEW_YEAR_2026, "format": "csv", "limit": 10},
    )

    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8").lstrip("\ufeff"))))
    assert len(rows) == 3321


def test_the_provinces_download_as_an_xlsx_workbook(client):
    response = client.get(
        "/api/v1/units", {"level": "province", "date": "2025-01-01", "format": "xlsx"}
    )

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("code", "name", "short_name")
    assert len(rows) == 1 + 63
    assert ("01", "Thành phố Hà Nội") in {row[:2] for row in rows[1:]}


def test_a_unit_shows_its_region_what_it_was_made_of_and_its_children(client):
    response = client.get("/api/v1/units/79", {"date": NEW_YEAR_2026})

    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "Thành phố Hồ Chí Minh"
    assert body["valid_from"] == "2025-07-01"
    assert body["region"] == {"code": "DNB", "name": "Đông Nam Bộ", "name_en": "Southeast"}
    made_of = {(p["code"], p["name"]) for p in body["made_of"]}
    assert made_of == {
        ("74", "Tỉnh Bình Dương"),
        ("77", "Tỉnh Bà Rịa - Vũng Tàu"),
        ("79", "Thành phố Hồ Chí Minh"),
    }
    link = body["made_of"][0]
    assert set(link) == {
        "code",
        "name",
        "valid_from",
        "valid_to",
        "effective_date",
        "kind",
        "share",
        "legal_basis",
        "note",
    }
    assert link["effective_date"] == "2025-07-01"
    assert "202/2025/QH15" in link["legal_basis"]
    assert body["became"] == []
    assert body["children_count"] > 100


def test_an_ended_province_shows_what_it_became(client):
    body = client.get("/api/v1/units/74", {"date": "2025-01-01"}).json()

    assert body["valid_to"] == "2025-06-30"
    assert body["region"]["code"] == "DNB"
    assert [(s["code"], s["valid_from"], s["kind"]) for s in body["became"]] == [
        ("79", "2025-07-01", "whole")
    ]
    assert body["children_count"] > 0  # its districts on that date


def test_asking_for_an_ended_unit_after_its_end_still_finds_it(client):
    body = client.get("/api/v1/units/74", {"date": NEW_YEAR_2026}).json()

    assert body["name"] == "Tỉnh Bình Dương"
    assert body["region"]["code"] == "DNB"  # its region on its last day


def test_an_unknown_unit_answers_404_with_a_json_error(client):
    response = client.get("/api/v1/units/99999999")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert "99999999" in response.json()["message"]
