"""The indicator page: its Decree 94 definition, a chart by region, a map and a sortable table,
with values only from the data sets the visitor may read."""

import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytest_plugins = ["fixtures_pages"]  # personas, data sets, the /data/ urls
PUBLIC_SHOWN = "8.600,1"  # Hà Nội's population in the public data set (fixtures_pages)
SECRET_SHOWN = "7.777,7"  # Lâm Đồng's in its own restricted data set


def section(html: str, element_id: str) -> str:
    from fixtures_pages import section as cut

    return cut(html, element_id)


pytestmark = pytest.mark.django_db

URL = "/data/indicators/POP_AVG/"


def json_script(html: str, element_id: str) -> dict:
    found = re.search(
        rf'<script id="{element_id}" type="application/json">(.*?)</script>', html, re.S
    )
    return json.loads(found.group(1)) if found else {}


def test_the_page_gives_the_decree_94_definition(client, pages, catalogue):
    html = client.get(URL).content.decode()

    definition = section(html, "rl-definition")
    assert "<h1>Dân số trung bình" in html
    for label in ("Khái niệm", "Phương pháp tính", "Phân tổ chủ yếu", "Kỳ công bố",
                  "Nguồn số liệu", "Cơ quan chịu trách nhiệm", "Quy tắc tổng hợp"):  # fmt: skip
        assert label in definition
    assert "Giới tính (Nam, Nữ)" in definition
    assert "Tổng hợp vùng: cộng các tỉnh, thành phố" in definition


def test_without_readable_data_the_page_says_so(client, pages, catalogue):
    html = client.get(URL).content.decode()

    assert "Chưa có số liệu nào của chỉ tiêu này" in html
    assert 'id="rl-choropleth"' not in html


def test_the_page_draws_a_chart_a_map_and_a_table_of_the_year(client, pages, public_population):
    html = client.get(URL, {"boundaries": "asof"}).content.decode()

    assert 'id="rl-series"' in html and 'data-rl-series="rl-series-config"' in html
    assert 'id="rl-choropleth"' in html and "indicators/choropleth.js" in html
    table = section(html, "rl-map-title")
    assert "(63 đơn vị)" in table
    assert re.search(r'<tr data-unit="01">.*?' + re.escape(PUBLIC_SHOWN), table, re.S)
    assert table.count("<tr data-unit=") == 63
    config = json_script(html, "rl-choropleth-config")
    assert config["values"]["01"]["label"] == PUBLIC_SHOWN
    assert config["url"].startswith("/api/v1/boundaries?date=2025-06-30")  # the 63 outlines
    assert config["date"] == "2024-12-31"
    chart = json_script(html, "rl-series-config")
    assert chart["years"] == ["2024"]
    assert "format=csv" in html and "format=xlsx" in html


def test_current_boundaries_show_the_34_provinces(client, pages, public_population):
    html = client.get(URL).content.decode()

    assert "(34 đơn vị)" in section(html, "rl-map-title")
    assert json_script(html, "rl-choropleth-config")["values"]["01"]["label"] == PUBLIC_SHOWN


def test_preliminary_values_are_marked(client, pages, catalogue, demo_world):
    from fixtures_pages import long_csv, publish

    from regionlink.indicators.datasets import create_dataset
    from regionlink.indicators.models import Visibility
    from regionlink.organisations.models import Organisation

    dataset = create_dataset(
        actor="kiểm thử",
        owner=Organisation.objects.get(code="btc-cuc-thong-ke"),
        code="so-bo",
        name="Sơ bộ",
        visibility=Visibility.PUBLIC,
    )
    publish(dataset, long_csv(("POP_AVG", "01", 2024, "", "8700", "sơ bộ")))

    html = client.get(URL, {"boundaries": "asof"}).content.decode()

    assert re.search(
        r'<tr data-unit="01">.*?8\.700,0 <span class="small text-muted">\(sơ bộ\)', html, re.S
    )


def test_the_table_sorts_on_the_server_by_value(
    client, pages, public_population, restricted_population, lam_dong_editor
):
    client.force_login(lam_dong_editor)

    html = client.get(URL, {"boundaries": "asof", "sort": "-value"}).content.decode()

    order = re.findall(r'<tr data-unit="(\w+)">', html)
    assert order[:2] == ["01", "68"]  # 8.600,1 before 7.777,7, then the 1.0xx of the others
    assert 'aria-sort="descending"' in html
    ascending = client.get(URL, {"boundaries": "asof", "sort": "value"}).content.decode()
    order = re.findall(r'<tr data-unit="(\w+)">', ascending)
    assert order.index("68") == 10 and order.index("01") == 11  # after the 10 smaller values
    assert len(order) == 63  # provinces without a value come last


@pytest.mark.parametrize("who", ["anonymous", "ha_noi_editor", "institute_viewer"])
def test_a_restricted_data_sets_values_never_appear_to_others(
    client, pages, public_population, restricted_population, who, request
):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))

    for params in ({"boundaries": "asof"}, {"boundaries": "asof", "year": "2024"}, {}):
        html = client.get(URL, params).content.decode()
        assert SECRET_SHOWN not in html and "7777.7" not in html
        config = json_script(html, "rl-choropleth-config")
        assert "68" not in config.get("values", {})
    area = client.get("/data/indicators/AREA/", {"boundaries": "asof"}).content.decode()
    assert "9.781,2" not in area and "Chưa có số liệu nào" in area


def test_the_owners_editor_sees_the_restricted_value(
    client, pages, restricted_population, lam_dong_editor
):
    client.force_login(lam_dong_editor)

    html = client.get(URL, {"boundaries": "asof"}).content.decode()

    assert SECRET_SHOWN in html
    assert json_script(html, "rl-choropleth-config")["values"]["68"]["label"] == SECRET_SHOWN


def test_the_page_reads_in_a_bounded_number_of_queries(client, pages, public_population):
    client.get(URL)
    with CaptureQueriesContext(connection) as current:
        client.get(URL)
    with CaptureQueriesContext(connection) as asof:
        client.get(URL, {"boundaries": "asof"})

    # 34 or 63 provinces, six or eight regions: the count does not grow with them.
    assert len(current) <= 40 and len(asof) <= 40


def test_an_unknown_indicator_is_404(client, pages, catalogue):
    assert client.get("/data/indicators/KHONG_CO/").status_code == 404
