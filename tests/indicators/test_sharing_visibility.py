"""Who sees which data set and batch, by every route of the sharing pages and API.

A viewer of another organisation never sees a restricted (owner-only or named) data set, an
embargoed one, or an unpublished batch: lists leave them out, details answer 404 exactly as
for a code that does not exist, and no route shows their values.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from fixtures_sharing import URLCONF, build_world, staged, text_of

from regionlink.indicators.models import BatchStatus
from regionlink.indicators.sharing import readable_datasets, visible_batches

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _urls(settings):
    settings.ROOT_URLCONF = URLCONF


@pytest.fixture
def world(reference_organisations):
    return build_world(reference_organisations)


def readable_codes(user, now=None) -> set[str]:
    return set(readable_datasets(user, now=now).values_list("code", flat=True))


def api_codes(client) -> set[str]:
    response = client.get("/api/v1/datasets")
    assert response.status_code == 200, response.content
    return {d["code"] for d in response.json()["items"]}


def page_codes(client) -> set[str]:
    response = client.get("/data/datasets/")
    assert response.status_code == 200
    return {d.code for d in response.context["datasets"]}


# --- Who reads which data set ----------------------------------------------------------------


def test_a_visitor_reads_only_public_released_data_sets(client, world):
    assert readable_codes(None) == {"tk-dan-so"}
    assert api_codes(client) == {"tk-dan-so"}
    assert page_codes(client) == {"tk-dan-so"}


def test_a_viewer_of_another_province_reads_only_public_released_data_sets(client, world):
    client.force_login(world.province_viewer)

    assert readable_codes(world.province_viewer) == {"tk-dan-so"}
    assert api_codes(client) == {"tk-dan-so"}
    assert page_codes(client) == {"tk-dan-so"}


def test_the_owner_reads_all_its_data_sets_embargoed_or_not(client, world):
    everything = {"tk-dan-so", "tk-lao-dong", "tk-dau-tu", "tk-xuat-khau"}
    client.force_login(world.owner_viewer)

    assert readable_codes(world.owner_viewer) == everything
    assert api_codes(client) == everything


def test_the_ministry_above_the_owner_reads_them_too(world):
    assert "tk-lao-dong" in readable_codes(world.ministry_admin)
    assert "tk-xuat-khau" in readable_codes(world.ministry_admin)


def test_a_sibling_body_of_the_same_ministry_does_not(world):
    assert readable_codes(world.institute_viewer) == {"tk-dan-so"}


def test_a_named_organisation_and_its_offices_read_the_named_data_set(world):
    assert readable_codes(world.hanoi_viewer) == {"tk-dan-so", "tk-dau-tu"}
    assert readable_codes(world.hanoi_office_viewer) == {"tk-dan-so", "tk-dau-tu"}


def test_a_system_admin_reads_everything(world, system_admin):
    assert len(readable_codes(system_admin)) == 4


# --- Restricted data sets are not revealed ---------------------------------------------------


@pytest.mark.parametrize("code", ["tk-lao-dong", "tk-dau-tu", "tk-xuat-khau", "khong-co-ma-nay"])
def test_a_restricted_data_set_answers_404_like_an_unknown_code(client, world, code):
    client.force_login(world.province_viewer)

    page = client.get(f"/data/datasets/{code}/")
    api = client.get(f"/api/v1/datasets/{code}")
    sharing = client.get(f"/data/datasets/{code}/sharing/")

    assert (page.status_code, api.status_code, sharing.status_code) == (404, 404, 404)
    for response in (page, api, sharing):
        assert "Lao động (hạn chế)" not in response.content.decode()
        assert "1300" not in response.content.decode()


def test_a_named_organisation_sees_the_detail_page_of_its_data_set(client, world):
    client.force_login(world.hanoi_office_viewer)

    response = client.get("/data/datasets/tk-dau-tu/")

    assert response.status_code == 200
    assert "Đầu tư công Hà Nội" in text_of(response.content)
    # The list of other named organisations is for the owner's side only.
    assert response.context["shared_with"] is None


def test_the_owner_sees_whom_a_data_set_is_shared_with(client, world):
    client.force_login(world.owner_viewer)

    response = client.get("/data/datasets/tk-dau-tu/")
    body = client.get("/api/v1/datasets/tk-dau-tu").json()

    assert "Ủy ban nhân dân thành phố Hà Nội" in text_of(response.content)
    assert [o["code"] for o in body["shared_with"]] == ["ubnd-01"]


# --- Embargo ---------------------------------------------------------------------------------


def test_before_the_embargo_a_public_data_set_is_hidden_from_all_but_the_owner_and_admins(
    client, world, system_admin
):
    outsiders = [world.province_viewer, world.hanoi_viewer, world.institute_viewer, None]
    for user in outsiders:
        assert "tk-xuat-khau" not in readable_codes(user)
    assert "tk-xuat-khau" in readable_codes(world.owner_viewer)
    assert "tk-xuat-khau" in readable_codes(system_admin)
    assert client.get("/api/v1/datasets/tk-xuat-khau").status_code == 404


def test_once_the_embargo_passes_everyone_reads_it(world):
    later = timezone.now() + dt.timedelta(days=8)

    assert "tk-xuat-khau" in readable_codes(world.province_viewer, now=later)
    assert "tk-xuat-khau" in readable_codes(None, now=later)


def test_an_embargo_also_holds_back_a_named_data_set_from_its_named_organisations(world):
    from regionlink.indicators.datasets import update_dataset_sharing

    update_dataset_sharing(
        actor=world.approver,
        dataset=world.datasets["investment"],
        embargo_until=timezone.now() + dt.timedelta(days=1),
    )

    assert "tk-dau-tu" not in readable_codes(world.hanoi_viewer)
    assert "tk-dau-tu" in readable_codes(world.owner_viewer)


# --- Unpublished batches ---------------------------------------------------------------------


@pytest.fixture
def draft(world):
    """A draft batch of the public data set with a staged 2024 value (not yet published)."""
    return staged(
        world.datasets["population"], by=world.steward, rows=[("POP_AVG", "68", "2024", "3872.9")]
    )


def test_an_unpublished_batch_is_invisible_to_another_organisation_by_every_route(
    client, world, draft
):
    client.force_login(world.province_viewer)

    responses = [
        client.get(f"/api/v1/batches/{draft.pk}"),
        client.get(f"/data/batches/{draft.pk}/"),
        client.get(f"/data/review/batches/{draft.pk}/changes/", HTTP_HX_REQUEST="true"),
        client.post(f"/data/batches/{draft.pk}/approve/"),
        client.post(f"/api/v1/batches/{draft.pk}/submit"),
    ]
    listed = client.get("/api/v1/batches").json()["items"]
    queue = client.get("/data/review/")

    assert [r.status_code for r in responses] == [404] * 5
    assert listed == []
    assert "3872" not in queue.content.decode() and "3.872" not in queue.content.decode()
    assert not visible_batches(world.province_viewer).exists()
    assert "3872" not in client.get("/data/datasets/tk-dan-so/").content.decode()


def test_an_unpublished_batch_is_invisible_to_a_visitor(client, world, draft):
    assert client.get(f"/api/v1/batches/{draft.pk}").status_code == 401
    assert client.get(f"/data/batches/{draft.pk}/").status_code == 302  # to the sign-in page
    assert not visible_batches(None).exists()


def test_even_a_named_organisation_does_not_see_unpublished_batches_of_its_data_set(client, world):
    batch = staged(
        world.datasets["investment"],
        by=world.steward,
        rows=[("POP_AVG", "01", "2024", "8700")],
        status=BatchStatus.SUBMITTED,
    )
    client.force_login(world.hanoi_viewer)

    assert client.get(f"/api/v1/batches/{batch.pk}").status_code == 404
    assert client.get(f"/data/batches/{batch.pk}/").status_code == 404
    assert client.get("/api/v1/batches", {"dataset": "tk-dau-tu"}).json()["items"] == []


def test_a_viewer_of_the_owner_sees_the_batch_but_not_its_staged_values(client, world, draft):
    client.force_login(world.owner_viewer)

    body = client.get(f"/api/v1/batches/{draft.pk}").json()
    page = client.get(f"/data/batches/{draft.pk}/")

    assert body["status"] == "draft"
    assert "staged" not in body and "counts" not in body
    assert page.status_code == 200
    assert "3.872" not in page.content.decode()
    assert client.get(f"/data/review/batches/{draft.pk}/changes/").status_code == 403


def test_the_steward_and_approvers_see_the_staged_values(client, world, draft):
    for reviewer in (world.steward, world.approver, world.ministry_admin):
        client.force_login(reviewer)
        body = client.get(f"/api/v1/batches/{draft.pk}").json()

        assert [(v["unit"], v["value"], v["change"]) for v in body["staged"]["items"]] == [
            ("68", "3872.900000", "new")
        ]
