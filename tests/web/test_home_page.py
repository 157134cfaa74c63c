"""The home page: the map of provinces coloured by region, now and before 01/07/2025."""

import json
import re

import pytest

from regionlink.geography.boundaries import ATTRIBUTION

pytestmark = pytest.mark.django_db

NEW_REGIONS = [
    "Trung du và miền núi phía Bắc",
    "Đồng bằng sông Hồng",
    "Bắc Trung Bộ",
    "Duyên hải Nam Trung Bộ và Tây Nguyên",
    "Đông Nam Bộ",
    "Đồng bằng sông Cửu Long",
]


def map_config(html):
    raw = re.search(
        r'<script id="rl-map-config" type="application/json">(.*?)</script>', html, re.S
    )
    return json.loads(raw.group(1))


def era_block(html, key):
    return re.search(rf'<section[^>]*data-rl-era="{key}"[^>]*>', html).group(0)


def test_an_official_opens_the_map_of_vietnam_s_regions(client):
    response = client.get("/")
    html = response.content.decode()

    assert response.status_code == 200
    assert "<title>Bản đồ liên kết vùng Việt Nam" in html
    assert "<h1>Bản đồ liên kết vùng Việt Nam</h1>" in html
    assert re.search(r'<div id="rl-map" class="rl-map"[^>]*data-rl-map="rl-map-config"', html)
    assert 'src="/static/vendor/echarts/echarts.min.js"' in html
    assert 'src="/static/web/map.js"' in html


def test_the_legend_names_the_six_regions_of_today_with_their_member_counts(client):
    html = client.get("/").content.decode()
    current = html[html.index('data-rl-era="current"') : html.index('data-rl-era="before"')]

    for name in NEW_REGIONS:
        assert f">{name}</a>" in current
    assert current.count('<svg class="rl-swatch') == 6
    assert "6 tỉnh" in current and "3 tỉnh" in current
    assert "34 tỉnh, thành phố" in current


def test_the_map_is_drawn_from_the_boundaries_of_today_and_of_30_june_2025(client):
    config = map_config(client.get("/").content.decode())

    assert config["selected"] == "current"
    views = {view["key"]: view for view in config["views"]}
    assert views["before"]["date"] == "2025-06-30"
    assert views["before"]["url"].endswith("/api/v1/boundaries?date=2025-06-30&level=province")
    assert "level=province" in views["current"]["url"]
    assert config["unitUrl"] == "/units/__code__/"
    assert len(set(config["colours"].values())) == 6
    assert config["colours"]["DBSH"] and config["colours"]["TN"] == config["colours"]["DHNTB-TN"]


def test_the_switch_to_the_63_provinces_is_a_labelled_button_that_works_without_javascript(client):
    html = client.get("/").content.decode()

    before = re.search(
        r'<button type="submit" name="date" value="2025-06-30"[^>]*>([^<]+)</button>', html
    )
    assert before.group(1) == "Trước 01/07/2025 (63 tỉnh, thành phố)"
    assert 'aria-pressed="false"' in before.group(0)
    assert 'aria-controls="rl-map"' in before.group(0)
    assert "hidden" in era_block(html, "before")
    assert "hidden" not in era_block(html, "current")


def test_asking_for_30_june_2025_shows_the_63_provinces_and_the_old_regions(client):
    html = client.get("/", {"date": "2025-06-30"}).content.decode()

    assert map_config(html)["selected"] == "before"
    assert "hidden" not in era_block(html, "before")
    before = html[html.index('data-rl-era="before"') :]
    assert "63 tỉnh, thành phố" in before
    assert ">Bắc Trung Bộ và duyên hải miền Trung</a>" in before
    assert ">Tây Nguyên</a>" in before


def test_the_map_credits_natural_earth_and_names_hoang_sa_and_truong_sa(client):
    html = client.get("/").content.decode()

    assert ATTRIBUTION in html
    assert "Quần đảo Hoàng Sa (Đà Nẵng)" in html
    assert "Quần đảo Trường Sa (Khánh Hòa)" in html


def test_screen_readers_and_browsers_without_javascript_get_the_provinces_by_region(client):
    html = client.get("/").content.decode()

    assert "<caption>Tỉnh, thành phố theo vùng ngày" in html
    assert '<th scope="row"><a href="/regions/DBSH/?date=' in html
    assert 'href="/units/79/?date=2025-06-30">Hồ Chí Minh</a>' in html
    assert 'href="/units/74/?date=2025-06-30">Bình Dương</a>' in html
    assert 'role="status"' in html


def test_the_home_page_has_no_inline_script_or_style_the_csp_would_block(client):
    html = client.get("/").content.decode()

    scripts = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert scripts == ['<script id="rl-map-config" type="application/json">']
    assert not re.search(r"<style\b|\sstyle=|\son[a-z]+=", html)


def test_the_home_page_reads_the_regions_in_a_few_queries(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        assert client.get("/").status_code == 200
