"""The plan list: the public sees published plans only; filters by level, region (today's and
the pre-2025 ones), stage and text without diacritics; a constant number of queries."""

# Fixtures are imported from the shared personas module and then requested by name.
# ruff: noqa: F811

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from test_plan_pages_personas import (  # noqa: F401 (fixtures)
    hanoi_official,
    lamdong_official,
    make_plan,
    plan_codes,
    plans,
)

pytestmark = pytest.mark.django_db

URL = "/plans/"


def test_the_public_sees_published_plans_and_not_the_one_being_formulated(client, plans):
    html = client.get(URL).content.decode()

    assert set(plan_codes(html)) == {
        "qh-tinh-lam-dong-2021-2030",
        "qh-thu-do-ha-noi-2021-2030",
        "qh-tinh-quang-ninh-2021-2030",
    }
    assert "3 quy hoạch." in html


def test_the_lam_dong_official_also_sees_the_lam_dong_plan_being_formulated(
    client, plans, lamdong_official
):
    client.force_login(lamdong_official)

    assert "qh-do-thi-da-lat-2021-2030" in plan_codes(client.get(URL).content.decode())


def test_an_illustrative_plan_carries_the_minh_hoa_badge(client, plans):
    html = client.get(URL, {"q": "quang ninh"}).content.decode()

    assert plan_codes(html) == ["qh-tinh-quang-ninh-2021-2030"]
    assert "Dữ liệu minh họa" in html


def test_searching_without_diacritics_finds_lam_dong(client, plans):
    html = client.get(URL, {"q": "lam dong"}).content.decode()

    assert plan_codes(html) == ["qh-tinh-lam-dong-2021-2030"]


def test_the_region_filter_takes_todays_region_and_keeps_the_old_ones_on_offer(client, plans):
    html = client.get(URL, {"region": "DBSH"}).content.decode()

    assert set(plan_codes(html)) == {"qh-thu-do-ha-noi-2021-2030", "qh-tinh-quang-ninh-2021-2030"}
    assert "Vùng trước 01/07/2025" in html and 'value="TN"' in html
    lam_dong = client.get(URL, {"region": "DHNTB-TN"}).content.decode()
    assert plan_codes(lam_dong) == ["qh-tinh-lam-dong-2021-2030"]


def test_the_level_and_stage_filters(client, plans):
    publication = client.get(URL, {"stage": "publication"}).content.decode()
    assert plan_codes(publication) == ["qh-tinh-quang-ninh-2021-2030"]
    regional = client.get(URL, {"level": "regional"}).content.decode()
    assert plan_codes(regional) == []
    assert "Không có quy hoạch nào khớp" in regional


def test_a_stale_filter_value_is_dropped_rather_than_refused(client, plans):
    response = client.get(URL, {"level": "khong-co", "region": "XX"})

    assert response.status_code == 200
    assert len(plan_codes(response.content.decode())) == 3


def test_an_htmx_filter_gets_only_the_results(client, plans):
    html = client.get(URL, {"q": "ha noi"}, HTTP_HX_REQUEST="true").content.decode()

    assert plan_codes(html) == ["qh-thu-do-ha-noi-2021-2030"]
    assert "<html" not in html


def test_the_list_pages_25_plans_at_a_time(client, reference_organisations):
    from regionlink.plans.models import Stage

    for n in range(30):
        make_plan(
            f"qh-do-thi-{n:02d}",
            f"Quy hoạch đô thị {n}",
            "68",
            reference_organisations["ubnd-68"],
            stage=Stage.IMPLEMENTATION,
            level="urban_rural",
        )
    first = client.get(URL).content.decode()
    assert len(plan_codes(first)) == 25 and 'rel="next"' in first
    cursor = first.split('href="?cursor=')[1].split('"')[0]
    second = client.get(URL, {"cursor": cursor}).content.decode()
    assert len(plan_codes(second)) == 5
    assert not set(plan_codes(first)) & set(plan_codes(second))


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(URL).status_code == 200
    return len(captured)


def test_the_list_takes_the_same_queries_for_3_plans_as_for_23(
    client, plans, lamdong_official, reference_organisations, django_assert_max_num_queries
):
    from regionlink.plans.models import Stage

    client.force_login(lamdong_official)
    few = _queries(client)
    for n in range(20):
        make_plan(
            f"qh-do-thi-{n:02d}",
            f"Quy hoạch đô thị {n}",
            "01",
            reference_organisations["ubnd-01"],
            stage=Stage.FORMULATION if n % 2 else Stage.IMPLEMENTATION,
            level="urban_rural",
        )
    assert _queries(client) == few
    with django_assert_max_num_queries(20):
        client.get(URL)


def test_plans_follow_the_planning_hierarchy_then_their_name(
    client, plans, reference_organisations
):
    from test_plan_pages_personas import FIXTURE

    from regionlink.geography.models import Region
    from regionlink.plans import services
    from regionlink.plans.models import Stage

    services.create_plan(
        actor=FIXTURE,
        code="qh-vung-dbsh-2021-2030",
        name="Quy hoạch vùng Đồng bằng sông Hồng",
        level="regional",
        period_start=2021,
        period_end=2030,
        organising_body=reference_organisations["btc-vu-quan-ly-quy-hoach"],
        region=Region.objects.get(code="DBSH"),
        approving_authority="Thủ tướng Chính phủ",
        stage=Stage.IMPLEMENTATION,
    )
    html = client.get(URL).content.decode()

    assert plan_codes(html) == [
        "qh-vung-dbsh-2021-2030",  # a regional plan comes before the provinces' plans
        "qh-thu-do-ha-noi-2021-2030",
        "qh-tinh-lam-dong-2021-2030",
        "qh-tinh-quang-ninh-2021-2030",
    ]
    counts = html.split('id="rl-plan-counts"')[1].split("</p>")[0]
    assert counts.index("Quy hoạch vùng") < counts.index("Quy hoạch tỉnh")
