"""The catalogue browser: the 20 groups, search without diacritics, filters, rules in words."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from regionlink.indicators.catalogue import load_catalogue

pytestmark = pytest.mark.django_db

URL = "/data/indicators/"


@pytest.fixture(autouse=True)
def pages(settings):
    settings.ROOT_URLCONF = "fixtures_pages"
    load_catalogue()


def codes(html: str) -> list[str]:
    import re

    return re.findall(r'data-indicator="([A-Z0-9_]+)"', html)


def test_the_catalogue_lists_the_20_groups_with_their_indicators(client):
    html = client.get(URL).content.decode()

    assert html.count('class="h5 rl-group-title"') == 20
    assert "Đất đai và dân số" in html
    assert {"POP_AVG", "GRDP", "POVERTY_RATE", "FOREST_COVER"} <= set(codes(html))
    assert 'href="/data/indicators/POP_AVG/"' in html


def test_searching_dan_so_without_diacritics_finds_the_average_population(client):
    html = client.get(URL, {"q": "dan so"}).content.decode()

    found = codes(html)
    assert "POP_AVG" in found
    assert "GRDP" not in found
    assert "khớp với “dan so”" in html


def test_a_search_by_code_finds_the_indicator(client):
    assert codes(client.get(URL, {"q": "grdp_per_capita"}).content.decode()) == ["GRDP_PER_CAPITA"]


def test_the_group_filter_keeps_only_that_group(client):
    html = client.get(URL, {"group": "G18"}).content.decode()

    assert set(codes(html)) == {"POVERTY_RATE", "INCOME_PER_CAPITA"}


def test_the_agency_filter_keeps_only_that_agencys_indicators(client):
    from regionlink.indicators.models import Indicator

    agency = Indicator.objects.get(code="FOREST_COVER").responsible_agency
    html = client.get(URL, {"agency": agency}).content.decode()

    expected = set(
        Indicator.objects.filter(responsible_agency=agency).values_list("code", flat=True)
    )
    assert set(codes(html)) == expected and "FOREST_COVER" in expected


def test_each_indicator_shows_its_unit_periodicity_and_rules_in_words(client):
    html = client.get(URL, {"q": "ty le ngheo"}).content.decode()

    assert "Tổng hợp vùng: bình quân gia quyền theo Dân số trung bình" in html
    assert "Đơn vị tính: %" in html and "Kỳ công bố: Năm" in html
    urban = client.get(URL, {"q": "URBANISATION_RATE"}).content.decode()
    assert "tính lại tỷ số Dân số trung bình (Thành thị) ÷ Dân số trung bình × 100" in urban
    growth = client.get(URL, {"q": "GRDP_GROWTH"}).content.decode()
    assert "Không tổng hợp vùng:" in growth


def test_an_unmatched_search_says_what_to_try(client):
    html = client.get(URL, {"q": "khong co chi tieu nay"}).content.decode()

    assert codes(html) == []
    assert "Không có chỉ tiêu nào khớp" in html


def test_htmx_gets_only_the_results(client):
    html = client.get(URL, {"q": "dan so"}, headers={"HX-Request": "true"}).content.decode()

    assert "<html" not in html and "POP_AVG" in html


def test_the_catalogue_reads_in_a_fixed_number_of_queries(client):
    client.get(URL)  # warm up sessions and content types
    with CaptureQueriesContext(connection) as all_groups:
        client.get(URL)
    with CaptureQueriesContext(connection) as one_group:
        client.get(URL, {"group": "G18"})

    # Twenty groups and ~50 indicators cost no more queries than one group of two.
    assert len(all_groups) == len(one_group)
