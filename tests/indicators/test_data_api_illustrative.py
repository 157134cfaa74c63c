"""Illustrative (demo) values are labelled in every answer of the data API."""

import pytest

from regionlink.indicators.demo import load_demo_data

pytestmark = pytest.mark.django_db


def test_demo_values_are_labelled_illustrative_in_json_and_csv(client, reference_organisations):
    load_demo_data()
    url = "/api/v1/data?indicator=GRDP_PER_CAPITA&region=DBSH&period=2024&boundaries=current"
    body = client.get(url).json()
    assert body["illustrative"] is True
    assert body["items"][0]["note"].startswith("Dữ liệu minh họa")
    csv_text = client.get(url + "&format=csv").content.decode("utf-8-sig")
    assert csv_text.splitlines()[0].endswith(",note")
    assert "Dữ liệu minh họa" in csv_text.splitlines()[1]


def test_official_only_answers_carry_no_demo_label(client):
    body = client.get("/api/v1/data?indicator=POP_AVG&region=DBSH&period=2016").json()
    assert body["illustrative"] is False


def test_a_derived_indicator_over_demo_values_is_labelled_too(client, reference_organisations):
    """The label follows the formula's references (AGR_SHARE_GRDP = GRDP[SECTOR=AGR] / GRDP)."""
    load_demo_data()
    url = "/api/v1/data?indicator=AGR_SHARE_GRDP&region=DBSH&period=2024&boundaries=current"
    response = client.get(url)
    assert response.status_code == 200
    assert response.json()["illustrative"] is True
