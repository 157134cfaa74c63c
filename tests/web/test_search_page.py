"""The place-name search: any spelling, old or new, answered for a date with its reasons."""

import re

import pytest

pytestmark = pytest.mark.django_db


def search(client, **params):
    return client.get("/search/", params).content.decode()


def test_binh_duong_in_2026_is_ho_chi_minh_city_and_the_page_says_why(client):
    html = search(client, q="Binh Duong", date="2026-01-01")

    best = html[html.index('id="rl-best-match"') :]
    assert "Thành phố Hồ Chí Minh" in best[:200]
    assert "Tỉnh Bình Dương đã hợp nhất vào Thành phố Hồ Chí Minh từ 01/07/2025" in best
    assert "Nghị quyết 202/2025/QH15" in best
    assert re.search(r"độ tin cậy <strong>\d{1,3} %</strong>", best)
    assert 'class="btn btn-primary" href="/units/79/?date=2026-01-01"' in best


def test_a_single_answer_is_shown_not_redirected(client):
    response = client.get("/search/", {"q": "tp hcm"})

    assert response.status_code == 200
    assert "Mở trang Thành phố Hồ Chí Minh" in response.content.decode()


def test_an_ambiguous_name_lists_each_unit_with_a_link(client):
    html = search(client, q="Ba Đình", date="2026-01-01")

    assert "ứng với nhiều đơn vị" in html
    matches = html[html.index('id="rl-matches"') :]
    assert ">Phường Ba Đình</a>" in matches and ">Xã Ba Đình</a>" in matches
    assert "Thành phố Hà Nội" in matches and "Tỉnh Thanh Hóa" in matches
    assert 'href="/units/00004/?date=2026-01-01"' in matches


def test_a_misspelt_name_gets_did_you_mean_suggestions(client):
    html = search(client, q="Thanh Hoaa", date="2026-01-01")

    suggestions = html[html.index('id="rl-suggestions"') :]
    assert "Có phải bạn muốn tìm" in suggestions
    assert 'href="/search/?q=Thanh%20H%C3%B3a&amp;date=2026-01-01">Thanh Hóa</a>' in suggestions


def test_a_name_that_matches_nothing_says_so(client):
    html = search(client, q="xyzzy")

    assert "Không tìm thấy địa danh “xyzzy”" in html
    assert 'id="rl-best-match"' not in html


def test_an_empty_search_shows_the_form_with_examples(client):
    html = search(client)

    assert '<label class="form-label" for="rl-place-q">Địa danh</label>' in html
    assert '<label class="form-label" for="rl-place-date">Vào ngày</label>' in html
    assert re.search(
        r'type="date" id="rl-place-date" name="date" value="\d{4}-\d{2}-\d{2}"',
        html,
    )
    assert 'href="/search/?q=B%C3%ACnh%20D%C6%B0%C6%A1ng&amp;date=' in html


def test_htmx_gets_only_the_results(client):
    response = client.get(
        "/search/", {"q": "Binh Duong", "date": "2026-01-01"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()

    assert "<html" not in html
    assert 'id="rl-best-match"' in html
    assert "HX-Request" in response["Vary"]


def test_the_search_page_has_no_inline_script_or_style(client):
    html = search(client, q="Binh Duong", date="2026-01-01")

    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert not re.search(r"<style\b|\sstyle=|\son[a-z]+=", html)
