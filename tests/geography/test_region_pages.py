"""Region pages: which provinces a region had on a date, and how its membership changed."""

import re

import pytest

pytestmark = pytest.mark.django_db


def members_table(html):
    return html[html.index('id="rl-members"') : html.index('id="rl-region-map"')]


def history_rows(html):
    table = html[html.index('id="rl-history"') :]
    return re.findall(
        r'<th scope="row" class="text-nowrap">(.*?)</th>\s*<td class="text-end">(\d+)</td>',
        table,
        re.S,
    )


def test_the_red_river_delta_has_6_members_today(client):
    html = client.get("/regions/DBSH/").content.decode()

    assert "<h1" in html and "Vùng Đồng bằng sông Hồng" in html
    assert 'lang="en">Red River Delta<' in html
    members = members_table(html)
    assert members.count('<th scope="row"') == 6
    assert ">Thành phố Hà Nội</a>" in members and ">Tỉnh Ninh Bình</a>" in members
    assert ">Tỉnh Thái Bình</a>" not in members
    assert "NQ 81/2023/QH15; NQ 306/NQ-CP (05/10/2025)" in html


def test_the_red_river_delta_had_11_members_on_30_june_2025(client):
    html = client.get("/regions/DBSH/", {"date": "2025-06-30"}).content.decode()

    members = members_table(html)
    assert members.count('<th scope="row"') == 11
    assert ">Tỉnh Thái Bình</a>" in members and ">Tỉnh Vĩnh Phúc</a>" in members


def test_the_membership_history_shows_11_until_30_june_2025_and_6_from_1_july(client):
    html = client.get("/regions/DBSH/").content.decode()

    rows = [
        (re.sub(r"<[^>]+>|\s+", " ", period).split(), int(n)) for period, n in history_rows(html)
    ]
    assert (["01/07/2025", "–", "nay"], 6) in rows
    assert (["01/08/2008", "–", "30/06/2025"], 11) in rows
    assert 'Hà Tây <span class="text-muted small">(hết hiệu lực)</span>' in html  # 2008
    assert 'Bắc Ninh <span class="text-muted small">(đơn vị mới)</span>' in html  # 2025


def test_the_total_area_is_the_sum_of_the_members_in_vietnamese_format(client):
    html = client.get("/regions/DBSH/").content.decode()

    area = re.search(r"Tổng diện tích \(ước tính\)</dt>\s*<dd[^>]*>([^<]+)<", html).group(1)
    assert re.fullmatch(r"\d{1,3}(\.\d{3})*,\d km²", area.strip())


def test_an_area_nobody_has_measured_is_said_to_be_missing(client):
    html = client.get("/regions/TN/", {"date": "2025-06-30"}).content.decode()

    assert re.search(r"Tổng diện tích \(ước tính\)</dt>\s*<dd[^>]*>chưa có số liệu", html)


def test_a_region_that_ended_says_so_and_still_shows_its_last_members(client):
    html = client.get("/regions/TN/").content.decode()

    assert "Vùng này không có hiệu lực vào ngày" in html
    assert "Thành viên ngày 30/06/2025" in html
    assert members_table(html).count('<th scope="row"') == 5
    assert ">Tỉnh Đắk Nông</a>" in members_table(html)


def test_the_region_page_draws_its_outline_and_members_with_the_shared_map_script(client):
    html = client.get("/regions/DBSH/").content.decode()

    assert 'id="rl-region-map"' in html and 'data-rl-map="rl-region-map-config"' in html
    assert '"focus": "DBSH"' in html
    assert "level=region" in html and "level=province" in html
    assert 'src="/static/web/map.js"' in html


def test_the_region_list_shows_today_s_six_regions_and_the_two_that_ended(client):
    html = client.get("/regions/").content.decode()

    current = html[html.index('id="rl-regions-on"') : html.index('id="rl-regions-ended"')]
    assert current.count('<th scope="row">') == 6
    assert "34 tỉnh, thành phố" in current
    ended = html[html.index('id="rl-regions-ended"') :]
    assert "Bắc Trung Bộ và duyên hải miền Trung" in ended and "Tây Nguyên" in ended


def test_the_region_list_on_30_june_2025_shows_the_old_regions_and_those_begun_later(client):
    html = client.get("/regions/", {"date": "2025-06-30"}).content.decode()

    current = html[html.index('id="rl-regions-on"') : html.index('id="rl-regions-later"')]
    assert current.count('<th scope="row">') == 6
    assert "63 tỉnh, thành phố" in current
    later = html[html.index('id="rl-regions-later"') :]
    assert "Duyên hải Nam Trung Bộ và Tây Nguyên" in later


def test_the_date_switch_offers_today_and_the_last_day_of_the_63_provinces(client):
    html = client.get("/regions/", {"date": "2025-06-30"}).content.decode()

    assert re.search(
        r'<a class="[^"]*\bactive" aria-current="true"\s+href="/regions/\?date=2025-06-30">',
        html,
    )
    assert '<label class="form-label small mb-0" for="rl-date">' in html


def test_a_malformed_date_falls_back_to_today_with_a_message(client):
    html = client.get("/regions/", {"date": "ngày mai"}).content.decode()

    assert "không hợp lệ" in html
    assert html.count('<th scope="row">') >= 6


def test_an_unknown_region_is_not_found(client):
    assert client.get("/regions/KHONG-CO/").status_code == 404


def test_region_pages_read_in_a_few_queries(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        assert client.get("/regions/").status_code == 200
    with django_assert_max_num_queries(6):
        assert client.get("/regions/DBSH/", {"date": "2025-06-30"}).status_code == 200
