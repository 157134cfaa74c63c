"""Unit pages: a province on a date, what it was made of, what it became, and its communes."""

import re

import pytest

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def section(html, heading_id):
    start = html.index(f'id="{heading_id}"')
    end = html.find("</section>", start)
    return html[start:end]


def test_ho_chi_minh_city_today_was_made_of_binh_duong_and_ba_ria_vung_tau(client):
    html = client.get("/units/79/").content.decode()

    made_of = section(html, "rl-made-of")
    assert ">Tỉnh Bình Dương</a>" in made_of
    assert ">Tỉnh Bà Rịa - Vũng Tàu</a>" in made_of
    assert made_of.count("01/07/2025") == 3
    assert made_of.count("Nghị quyết 202/2025/QH15") == 3
    assert "Toàn bộ" in made_of and "100,0 %" in made_of
    assert 'href="/units/74/?date=2025-06-30"' in made_of


def test_the_unit_page_gives_the_facts_of_the_unit_on_the_date(client):
    html = client.get("/units/79/").content.decode()

    facts = section(html, "rl-unit-facts")
    assert "<h1>Thành phố Hồ Chí Minh</h1>" in html
    assert "Ho Chi Minh City" in facts
    assert "Thành phố trực thuộc trung ương" in facts and "Cấp tỉnh" in facts
    assert "01/07/2025 – nay" in facts
    assert re.search(r"\d{1,3}(\.\d{3})*,\d km²", facts)
    assert "° vĩ Bắc" in facts
    assert ">Đông Nam Bộ</a>" in facts


def test_binh_duong_on_30_june_2025_became_ho_chi_minh_city(client):
    html = client.get("/units/74/", {"date": "2025-06-30"}).content.decode()

    assert "<h1>Tỉnh Bình Dương</h1>" in html
    became = section(html, "rl-became")
    assert ">Thành phố Hồ Chí Minh</a>" in became
    assert "01/07/2025" in became and "Nghị quyết 202/2025/QH15" in became
    assert 'href="/units/79/?date=2025-07-01"' in became
    assert ">Đông Nam Bộ</a>" in section(html, "rl-unit-facts")


def test_binh_duong_asked_for_after_the_merger_points_to_ho_chi_minh_city(client):
    html = client.get("/units/74/", {"date": "2026-01-01"}).content.decode()

    assert "đơn vị này không còn hiệu lực (hiệu lực đến 30/06/2025)" in html
    assert re.search(r'href="/units/79/\?date=2026-01-01">Thành phố Hồ Chí Minh</a>', html)


def test_code_08_names_the_old_and_the_new_tuyen_quang(client):
    today = client.get("/units/08/").content.decode()
    before = client.get("/units/08/", {"date": "2025-06-30"}).content.decode()

    assert "Đơn vị khác cùng mã" in today
    assert "01/07/2025 – nay" in section(today, "rl-unit-facts")
    assert 'href="/units/08/?date=2025-06-30"' in section(today, "rl-same-code")
    assert "Đơn vị khác cùng mã" in before
    assert "30/06/2025" in section(before, "rl-unit-facts")
    assert 'href="/units/08/?date=2025-07-01"' in section(before, "rl-same-code")
    assert ">Tỉnh Hà Giang</a>" in section(today, "rl-made-of")


def test_the_communes_of_hanoi_are_listed_on_its_page(client):
    html = client.get("/units/01/").content.decode()

    communes = section(html, "rl-communes-title")
    assert 'hx-get="/units/01/communes/"' in communes
    assert "keyup changed delay:300ms" in communes
    assert '<label class="form-label" for="rl-commune-q">' in communes
    assert communes.count('<th scope="row"') == 50
    assert "Trang sau" in communes


def test_a_search_without_diacritics_finds_ba_dinh_in_hanoi(client):
    response = client.get("/units/01/communes/", {"q": "ba dinh"}, headers=HTMX)
    html = response.content.decode()

    assert response.status_code == 200
    assert "<html" not in html
    assert ">Phường Ba Đình</a>" in html
    assert html.count('<th scope="row"') == 1
    assert 'id="rl-communes-status"' in html and 'hx-swap-oob="true"' in html
    assert "HX-Request" in response["Vary"]


def test_the_commune_search_without_htmx_is_a_whole_page(client):
    html = client.get("/units/01/communes/", {"q": "ba dinh"}).content.decode()

    assert "<html" in html and "<h1>Xã, phường của Thành phố Hà Nội</h1>" in html
    assert ">Phường Ba Đình</a>" in html
    assert 'value="ba dinh"' in html


def test_the_communes_of_hanoi_before_2025_are_found_through_their_districts(client):
    html = client.get(
        "/units/01/communes/", {"q": "phuc xa", "date": "2025-06-30"}, headers=HTMX
    ).content.decode()

    assert ">Phường Phúc Xá</a>" in html
    assert "Quận Ba Đình" in html


def test_the_next_page_of_communes_continues_after_the_last_code(client):
    first = client.get("/units/01/communes/", headers=HTMX).content.decode()
    next_url = re.search(r'href="(/units/01/communes/\?[^"]*after=[^"]+)"', first).group(1)
    second = client.get(next_url.replace("&amp;", "&"), headers=HTMX).content.decode()

    first_codes = re.findall(r"<td><code>(\d+)</code></td>", first)
    second_codes = re.findall(r"<td><code>(\d+)</code></td>", second)
    assert len(first_codes) == 50 and second_codes
    assert min(second_codes) > max(first_codes)
    assert "Trang đầu" in second


def test_the_province_list_groups_today_s_34_by_region_and_links_to_the_63(client):
    html = client.get("/units/").content.decode()

    assert html.count('<th scope="row"') == 34
    assert 'href="/units/?date=2025-06-30"' in html
    assert ">Đồng bằng sông Hồng</a>" in html


def test_the_province_list_on_30_june_2025_has_63(client):
    html = client.get("/units/", {"date": "2025-06-30"}).content.decode()

    assert html.count('<th scope="row"') == 63
    assert ">Tỉnh Bình Dương</a>" in html


def test_an_unknown_code_is_not_found(client):
    assert client.get("/units/99999/").status_code == 404
    assert client.get("/units/khong-co/communes/").status_code == 404


def test_a_commune_has_no_commune_list(client):
    assert client.get("/units/00004/").status_code == 200
    assert client.get("/units/00004/communes/").status_code == 404


def test_unit_pages_read_in_a_few_queries(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        assert client.get("/units/").status_code == 200
    with django_assert_max_num_queries(4):
        assert client.get("/units/", {"date": "2025-06-30"}).status_code == 200
    # A province page also shows the data hub's key indicators: a fixed number of reads
    # (catalogue rules, territory mapping, readable values), independent of the data volume.
    key_indicators = 20
    with django_assert_max_num_queries(8 + key_indicators):
        assert client.get("/units/79/").status_code == 200
    with django_assert_max_num_queries(10 + key_indicators):
        assert client.get("/units/74/", {"date": "2026-01-01"}).status_code == 200
    with django_assert_max_num_queries(5):
        assert client.get("/units/01/communes/", {"q": "ba"}, headers=HTMX).status_code == 200
