"""The data-entry form: one data set, one province, one year; validated as you type; saved
as a draft batch through the importer; refused to anyone but the owner's editors."""

import pytest

from regionlink.indicators.models import BatchStatus, DataValue, ImportBatch, StagedValue

pytest_plugins = ["fixtures_pages"]  # personas, data sets, the /data/ urls
pytestmark = pytest.mark.django_db

URL = "/data/entry/"
FORM = {"dataset": "lam-dong-noi-bo", "period": "2024", "unit": "68"}


def test_a_viewer_is_refused_with_403(client, pages, restricted_population, institute_viewer):
    client.force_login(institute_viewer)

    assert client.get(URL).status_code == 403
    refused = client.get(URL, FORM)
    assert refused.status_code == 403
    assert "Biên tập" in refused.content.decode()


def test_an_editor_of_another_organisation_is_refused_with_403(
    client, pages, restricted_population, ha_noi_editor
):
    client.force_login(ha_noi_editor)

    assert client.get(URL, FORM).status_code == 403
    post = client.post(URL, {**FORM, "v:POP_AVG:": "5000"})
    assert post.status_code == 403
    assert ImportBatch.objects.filter(dataset=restricted_population).count() == 1  # set-up only


def test_an_anonymous_visitor_is_sent_to_sign_in(client, pages, restricted_population):
    response = client.get(URL, FORM)

    assert response.status_code == 302 and "login" in response["Location"]


def test_the_owners_editor_gets_a_grid_prefilled_with_published_values(
    client, pages, restricted_population, lam_dong_editor
):
    client.force_login(lam_dong_editor)

    html = client.get(URL, FORM).content.decode()

    assert '<tr data-indicator="POP_AVG">' in html and '<tr data-indicator="AREA">' in html
    assert 'name="v:POP_AVG:" value="7777,7"' in html
    assert 'name="v:POP_AVG:SEX=F"' in html and 'name="v:POP_AVG:URBAN=U"' in html
    assert 'hx-post="/data/entry/validate/"' in html
    assert "<caption>" in html and 'for="rl-v-pop_avg-sex-f"' in html


def test_a_group_puts_its_entered_indicators_in_the_grid_but_never_computed_ones(
    client, pages, restricted_population, lam_dong_editor
):
    client.force_login(lam_dong_editor)

    html = client.get(URL, {**FORM, "group": "G01"}).content.decode()

    assert 'data-indicator="POP_AVG"' in html
    assert 'data-indicator="POP_DENSITY"' not in html  # a ratio: computed, never entered


def test_typing_a_percentage_over_100_is_flagged_at_once(client, pages, catalogue, lam_dong_editor):
    client.force_login(lam_dong_editor)

    html = client.post(
        "/data/entry/validate/", {"indicator": "POVERTY_RATE", "v:POVERTY_RATE:": "120"}
    ).content.decode()

    assert "Tỷ lệ phần trăm phải trong khoảng 0–100" in html


def test_typing_text_in_a_cell_is_flagged(client, pages, catalogue, lam_dong_editor):
    client.force_login(lam_dong_editor)

    html = client.post(
        "/data/entry/validate/", {"indicator": "POP_AVG", "v:POP_AVG:": "nhiều"}
    ).content.decode()

    assert "“nhiều” không phải là số" in html


def test_men_and_women_not_adding_up_to_the_total_is_a_warning(
    client, pages, catalogue, lam_dong_editor
):
    client.force_login(lam_dong_editor)
    row = {"indicator": "POP_AVG", "v:POP_AVG:": "1000", "v:POP_AVG:SEX=M": "480"}

    adds_up = client.post("/data/entry/validate/", {**row, "v:POP_AVG:SEX=F": "520"})
    off = client.post("/data/entry/validate/", {**row, "v:POP_AVG:SEX=F": "500"})

    assert "Hợp lệ" in adds_up.content.decode()
    assert "Giới tính: Nam + Nữ = 980, khác tổng 1.000." in off.content.decode()


def test_saving_makes_a_draft_batch_and_opens_the_batch_page(
    client, pages, restricted_population, lam_dong_editor
):
    client.force_login(lam_dong_editor)
    published = DataValue.objects.count()

    response = client.post(
        URL,
        {
            **FORM,
            "status": "preliminary",
            "v:POP_AVG:": "1.300,5",
            "v:POP_AVG:SEX=M": "650,5",
            "v:POP_AVG:SEX=F": "650",
            "v:AREA:": "9781,2",
        },
    )

    batch = ImportBatch.objects.filter(dataset=restricted_population).latest("pk")
    assert response.status_code == 302
    assert response["Location"] == f"/data/batches/{batch.pk}/"
    assert batch.status == BatchStatus.DRAFT and batch.submitted_by == lam_dong_editor
    staged = {
        (s.indicator.code, s.disaggregation): s for s in StagedValue.objects.filter(batch=batch)
    }
    assert str(staged[("POP_AVG", "")].value) == "1300.500000"
    assert staged[("POP_AVG", "")].status == "preliminary"
    assert set(staged) == {
        ("POP_AVG", ""),
        ("POP_AVG", "SEX=M"),
        ("POP_AVG", "SEX=F"),
        ("AREA", ""),
    }
    assert DataValue.objects.count() == published  # a draft publishes nothing


def test_an_invalid_cell_keeps_the_form_and_writes_nothing(
    client, pages, restricted_population, lam_dong_editor
):
    client.force_login(lam_dong_editor)
    batches = ImportBatch.objects.count()

    response = client.post(URL, {**FORM, "v:POP_AVG:": "abc"})

    assert response.status_code == 400
    html = response.content.decode()
    assert "“abc” không phải là số" in html and 'value="abc"' in html
    assert ImportBatch.objects.count() == batches
