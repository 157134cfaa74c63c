"""/api/v1/data keeps computed answers: never across readers of different data, never after
the data, the embargo, the language or the day changed, and a kept answer costs two queries."""

from __future__ import annotations

import datetime as dt

import fixtures_values as given
import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from fixtures_values import POP_2016, province_codes, publish

from regionlink.indicators.models import BatchStatus, DataValue, ImportBatch, Visibility

pytestmark = [pytest.mark.django_db, pytest.mark.urls("fixtures_values")]
catalogue, statistics_office = given.catalogue, given.statistics_office
lam_dong_official, hanoi_official = given.lam_dong_official, given.hanoi_official

URL = "/api/v1/data"
DAK_NONG = {"indicator": "POP_AVG", "unit": "67,68", "period": "2016"}
# Reading the caller's data sets, then every version in one statement.
QUERIES_OF_A_KEPT_ANSWER = 2


@pytest.fixture(autouse=True)
def empty_cache(settings):
    settings.DATA_CACHE_SECONDS = 300
    caches["data"].clear()


def values(response) -> dict[str, float | None]:
    assert response.status_code == 200, response.content
    return {row["target"]["code"]: row["value"] for row in response.json()["items"]}


def queries_of(client, params, **headers) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL, params, **headers).status_code == 200
    return len(queries)


@pytest.fixture
def restricted_dak_nong(catalogue, statistics_office, reference_organisations):
    """Lâm Đồng's published 2016 population, and Đắk Nông's kept to UBND tỉnh Lâm Đồng."""
    publish(statistics_office, [("POP_AVG", c, "2016", POP_2016[c]) for c in ("60", "68")])
    return publish(
        reference_organisations["ubnd-68"],
        [("POP_AVG", "67", "2016", "605.4")],
        visibility=Visibility.OWNER,
    )


def test_a_reader_without_access_never_gets_the_answer_kept_for_one_with_access(
    client, restricted_dak_nong, lam_dong_official, hanoi_official
):
    client.force_login(lam_dong_official)
    assert values(client.get(URL, DAK_NONG)) == {"67": 605.4, "68": 1288.2}
    assert values(client.get(URL, DAK_NONG)) == {"67": 605.4, "68": 1288.2}  # kept

    client.force_login(hanoi_official)
    assert values(client.get(URL, DAK_NONG)) == {"67": None, "68": 1288.2}
    client.logout()
    assert values(client.get(URL, DAK_NONG)) == {"67": None, "68": 1288.2}


def test_readers_of_the_same_data_share_the_kept_answer(
    client, restricted_dak_nong, hanoi_official
):
    client.get(URL, DAK_NONG)  # anonymous: the public data sets
    client.force_login(hanoi_official)  # the same public data sets, no more

    kept = queries_of(client, DAK_NONG)
    caches["data"].clear()
    assert queries_of(client, DAK_NONG) > kept
    assert values(client.get(URL, DAK_NONG)) == {"67": None, "68": 1288.2}


def test_publishing_new_values_changes_the_answer_at_once(client, catalogue, statistics_office):
    params = {"indicator": "POP_AVG", "unit": "08", "period": "2016", "boundaries": "current"}
    publish(statistics_office, [("POP_AVG", "02", "2016", "816.1")])
    assert values(client.get(URL, params)) == {"08": None}  # old Tuyên Quang missing

    publish(statistics_office, [("POP_AVG", "08", "2016", "766.9")])

    assert values(client.get(URL, params)) == {"08": 1583.0}


def test_withdrawing_a_data_set_from_the_public_hides_its_values_at_once(
    client, restricted_dak_nong, statistics_office
):
    assert values(client.get(URL, DAK_NONG))["68"] == 1288.2
    public = DataValue.objects.get(unit__code="68", period="2016").dataset
    public.visibility = Visibility.OWNER
    public.save(update_fields=["visibility"])

    assert values(client.get(URL, DAK_NONG)) == {"67": None, "68": None}


def test_a_value_moved_into_a_data_set_the_reader_cannot_see_leaves_the_answer(
    client, restricted_dak_nong, reference_organisations
):
    """Publication moves a value into the publishing data set; the reader of the old one must
    not keep seeing it, though nothing changed in the data sets they read."""
    assert values(client.get(URL, DAK_NONG))["68"] == 1288.2
    restricted = restricted_dak_nong
    batch = ImportBatch.objects.create(
        dataset=restricted, source="test", status=BatchStatus.PUBLISHED
    )
    DataValue.objects.filter(unit__code="68", period="2016").update(dataset=restricted, batch=batch)

    assert values(client.get(URL, DAK_NONG)) == {"67": None, "68": None}


def test_an_embargo_that_passes_releases_the_values_to_the_next_request(
    client, catalogue, statistics_office, monkeypatch
):
    now = timezone.now()
    publish(
        statistics_office,
        [("POP_AVG", "68", "2016", POP_2016["68"])],
        embargo_until=now + dt.timedelta(hours=1),
    )
    params = {"indicator": "POP_AVG", "unit": "68", "period": "2016"}
    assert values(client.get(URL, params)) == {"68": None}

    monkeypatch.setattr(timezone, "now", lambda: now + dt.timedelta(hours=2))

    assert values(client.get(URL, params)) == {"68": 1288.2}


def test_each_language_gets_its_own_answer(client, catalogue, statistics_office):
    publish(statistics_office, [("POP_AVG", c, "2024", 100) for c in province_codes("2024-12-31")])
    params = {"indicator": "POP_AVG", "region": "TN", "period": "2025", "boundaries": "asof"}

    vietnamese = client.get(URL, params, HTTP_ACCEPT_LANGUAGE="vi")
    english = client.get(URL, params, HTTP_ACCEPT_LANGUAGE="en")

    [vi_row], [en_row] = vietnamese.json()["items"], english.json()["items"]
    assert vi_row["reason"].startswith("Vùng") and en_row["reason"].startswith("Region")
    assert vietnamese["ETag"] != english["ETag"]
    assert "Accept-Language" in english["Vary"]
    again = client.get(URL, params, HTTP_ACCEPT_LANGUAGE="vi").json()["items"][0]
    assert again["reason"] == vi_row["reason"]


def test_a_kept_answer_costs_two_queries_whatever_its_size(client, catalogue, statistics_office):
    publish(
        statistics_office,
        [("RETAIL_SALES", c, str(y), 10) for y in (2015, 2016) for c in province_codes()],
    )
    small = {"indicator": "RETAIL_SALES", "unit": "68", "period": "2016"}
    large = {
        "indicator": "RETAIL_SALES,POP_AVG",
        "region": "TDMNPB,DBSH,BTB,DHNTB-TN,DNB,DBSCL",
        "country": "1",
        "period": "2005:2024",
        "boundaries": "current",
        "format": "csv",
    }
    computed = queries_of(client, large)

    assert queries_of(client, small) > QUERIES_OF_A_KEPT_ANSWER
    assert queries_of(client, small) == QUERIES_OF_A_KEPT_ANSWER
    assert queries_of(client, large) == QUERIES_OF_A_KEPT_ANSWER < computed


def test_a_computed_answer_reads_catalogue_and_territory_from_the_process(
    client, catalogue, statistics_office
):
    """Once the process holds them, a computed answer costs the two reads above, the
    successions and one query per indicator read (POP_AVG: its values)."""
    publish(statistics_office, [("POP_AVG", c, "2016", POP_2016[c]) for c in ("02", "08")])
    params = {"indicator": "POP_AVG", "unit": "08", "period": "2016", "boundaries": "current"}
    client.get(URL, params)
    caches["data"].clear()

    assert queries_of(client, params) == QUERIES_OF_A_KEPT_ANSWER + 2


def test_with_the_cache_off_every_answer_is_computed(
    client, catalogue, statistics_office, settings
):
    settings.DATA_CACHE_SECONDS = 0
    publish(statistics_office, [("POP_AVG", "68", "2016", POP_2016["68"])])
    params = {"indicator": "POP_AVG", "unit": "68", "period": "2016"}
    client.get(URL, params)

    assert queries_of(client, params) > QUERIES_OF_A_KEPT_ANSWER


def test_the_etag_still_answers_304_without_computing(client, restricted_dak_nong):
    etag = client.get(URL, DAK_NONG)["ETag"]

    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, DAK_NONG, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304 and len(queries) == QUERIES_OF_A_KEPT_ANSWER


def test_a_share_the_territory_loader_corrects_changes_the_answer_at_once(
    client, catalogue, statistics_office
):
    from decimal import Decimal

    from regionlink.audit import services as audit
    from regionlink.geography.models import Succession

    publish(
        statistics_office,
        [("AREA", c, "2007", v) for c, v in (("01", 1000), ("28", 2000), ("26", 1200), ("17", 10))],
    )
    params = {"indicator": "AREA", "unit": "01", "period": "2007", "boundaries": "current"}
    assert values(client.get(URL, params)) == {"01": None}  # Mê Linh's share unknown

    # What load_territory does when a share is published: update in place, audit the load.
    for code, share in (("26", "0.1"), ("17", "0.02")):
        Succession.objects.filter(predecessor__code=code, successor__code="01").update(
            share=Decimal(share)
        )
    audit.record(
        actor="regionlink geography load",
        action="geography.load",
        object_type="geography.territory",
        object_repr="Địa giới hành chính và vùng",
    )

    assert values(client.get(URL, params)) == {"01": 3120.2}
