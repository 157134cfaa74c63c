"""Creating data sets and changing their sharing: who may, what is refused, what is recorded."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from fixtures_sharing import URLCONF, build_world, text_of

from regionlink.audit.models import AuditEvent
from regionlink.indicators.datasets import create_dataset, update_dataset_sharing
from regionlink.indicators.models import DataSet, Visibility
from regionlink.indicators.sharing import readable_datasets

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _urls(settings):
    settings.ROOT_URLCONF = URLCONF


@pytest.fixture
def world(reference_organisations):
    return build_world(reference_organisations)


def sharing_events(dataset):
    return AuditEvent.objects.filter(
        action="dataset.sharing.update", object_type="indicators.dataset", object_id=dataset.pk
    )


# --- Creating --------------------------------------------------------------------------------


def test_a_data_steward_creates_an_owner_only_data_set(world):
    dataset = create_dataset(
        actor=world.steward,
        owner=world.orgs["btc-cuc-thong-ke"],
        code="tk-y-te",
        name="Y tế 2024",
    )

    assert dataset.visibility == Visibility.OWNER
    event = AuditEvent.objects.get(action="dataset.create", object_id=dataset.pk)
    assert event.actor == world.steward
    assert event.after["visibility"] == "owner" and event.after["owner"] == "btc-cuc-thong-ke"


def test_a_steward_may_not_open_a_data_set_up_on_creation(world):
    with pytest.raises(PermissionDenied, match="Phê duyệt"):
        create_dataset(
            actor=world.steward,
            owner=world.orgs["btc-cuc-thong-ke"],
            code="tk-y-te",
            name="Y tế 2024",
            visibility=Visibility.PUBLIC,
        )
    assert not DataSet.objects.filter(code="tk-y-te").exists()


def test_another_organisation_may_not_create_data_sets_for_the_owner(world):
    with pytest.raises(PermissionDenied):
        create_dataset(
            actor=world.province_editor,
            owner=world.orgs["btc-cuc-thong-ke"],
            code="tk-y-te",
            name="Y tế",
        )


def test_a_code_is_unique_and_a_slug(world):
    owner = world.orgs["btc-cuc-thong-ke"]
    with pytest.raises(ValidationError, match="đã được dùng"):
        create_dataset(actor=world.approver, owner=owner, code="tk-dan-so", name="Trùng")
    with pytest.raises(ValidationError, match="không hợp lệ") as error:
        create_dataset(actor=world.approver, owner=owner, code="Dân số 2024", name="Sai mã")
    assert error.value.error_code == "invalid_dataset_code"


def test_the_api_creates_a_data_set_for_an_approver(client, world):
    client.force_login(world.approver)

    response = client.post(
        "/api/v1/datasets",
        data=json.dumps(
            {
                "code": "tk-y-te",
                "name": "Y tế",
                "owner": "btc-cuc-thong-ke",
                "visibility": "named",
                "shared_with": ["ubnd-68"],
            }
        ),
        content_type="application/json",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["visibility"] == "named"
    assert [o["code"] for o in body["shared_with"]] == ["ubnd-68"]


# --- Changing the sharing --------------------------------------------------------------------


def test_an_approver_opens_an_owner_only_data_set_to_named_organisations(world):
    labour = world.datasets["labour"]

    update_dataset_sharing(
        actor=world.approver,
        dataset=labour,
        visibility=Visibility.NAMED,
        shared_with=[world.orgs["ubnd-68"]],
    )

    assert readable_datasets(world.province_viewer).filter(code="tk-lao-dong").exists()
    event = sharing_events(labour).get()
    assert event.actor == world.approver
    assert event.before == {"shared_with": [], "visibility": "owner"}
    assert event.after == {"shared_with": ["ubnd-68"], "visibility": "named"}


def test_the_organisation_admin_above_the_owner_may_change_sharing_too(world):
    update_dataset_sharing(
        actor=world.ministry_admin, dataset=world.datasets["labour"], visibility="public"
    )

    assert world.datasets["labour"].visibility == Visibility.PUBLIC


@pytest.mark.parametrize("who", ["steward", "owner_viewer", "province_editor", "hanoi_viewer"])
def test_only_approvers_of_the_owner_change_sharing(world, who):
    investment = world.datasets["investment"]

    with pytest.raises(PermissionDenied, match="Phê duyệt"):
        update_dataset_sharing(actor=world.people[who], dataset=investment, visibility="public")

    investment.refresh_from_db()
    assert investment.visibility == Visibility.NAMED
    assert not sharing_events(investment).exists()


def test_owner_only_empties_the_named_list_so_a_later_grant_reopens_nothing(world):
    investment = world.datasets["investment"]

    update_dataset_sharing(actor=world.approver, dataset=investment, visibility="owner")

    assert list(investment.shared_with.all()) == []
    assert not readable_datasets(world.hanoi_viewer).filter(code="tk-dau-tu").exists()


def test_named_needs_at_least_one_organisation(world):
    with pytest.raises(ValidationError, match="ít nhất một cơ quan") as error:
        update_dataset_sharing(
            actor=world.approver, dataset=world.datasets["labour"], visibility="named"
        )
    assert error.value.error_code == "named_without_organisations"


def test_an_embargo_needs_a_time_zone(world):
    with pytest.raises(ValidationError, match="múi giờ"):
        update_dataset_sharing(
            actor=world.approver,
            dataset=world.datasets["population"],
            embargo_until=dt.datetime(2030, 1, 15, 8, 0),
        )


def test_lifting_an_embargo_is_recorded(world):
    exports = world.datasets["exports"]

    update_dataset_sharing(actor=world.approver, dataset=exports, embargo_until=None)

    assert readable_datasets(world.province_viewer).filter(code="tk-xuat-khau").exists()
    event = sharing_events(exports).get()
    assert event.before["embargo_until"] is not None and event.after == {"embargo_until": None}


def test_an_unchanged_policy_records_nothing(world):
    update_dataset_sharing(actor=world.approver, dataset=world.datasets["population"])

    assert not sharing_events(world.datasets["population"]).exists()


# --- The API and the page --------------------------------------------------------------------


def patch(client, code, body):
    return client.patch(
        f"/api/v1/datasets/{code}/sharing", data=json.dumps(body), content_type="application/json"
    )


def test_the_api_changes_sharing_and_reads_a_date_time_without_offset_in_vietnam_time(
    client, world
):
    client.force_login(world.approver)

    response = patch(client, "tk-dan-so", {"embargo_until": "2030-01-15T08:00:00"})

    assert response.status_code == 200, response.content
    world.datasets["population"].refresh_from_db()
    moment = timezone.localtime(world.datasets["population"].embargo_until)
    assert (moment.hour, moment.utcoffset()) == (8, dt.timedelta(hours=7))


def test_the_api_refuses_a_steward_with_the_role_needed(client, world):
    client.force_login(world.steward)

    response = patch(client, "tk-dan-so", {"visibility": "owner"})

    assert response.status_code == 403
    assert "Phê duyệt" in response.json()["message"]


def test_the_api_names_an_unknown_organisation(client, world):
    client.force_login(world.approver)

    response = patch(client, "tk-lao-dong", {"visibility": "named", "shared_with": ["khong-co"]})

    assert response.status_code == 400
    assert response.json()["field"] == "shared_with"
    assert "khong-co" in response.json()["message"]


def test_the_sharing_page_saves_through_the_service(client, world):
    client.force_login(world.approver)
    hanoi, lam_dong = world.orgs["ubnd-01"], world.orgs["ubnd-68"]

    form = client.get("/data/datasets/tk-dau-tu/sharing/")
    response = client.post(
        "/data/datasets/tk-dau-tu/sharing/",
        {"visibility": "named", "shared_with": [hanoi.pk, lam_dong.pk], "embargo_until": ""},
    )

    assert form.status_code == 200
    assert response.status_code == 302
    assert sorted(o.code for o in world.datasets["investment"].shared_with.all()) == [
        "ubnd-01",
        "ubnd-68",
    ]
    assert sharing_events(world.datasets["investment"]).get().actor == world.approver


def test_the_sharing_page_shows_the_services_error_by_its_field(client, world):
    client.force_login(world.approver)

    response = client.post(
        "/data/datasets/tk-lao-dong/sharing/", {"visibility": "named", "embargo_until": ""}
    )

    assert response.status_code == 200
    assert "ít nhất một cơ quan" in text_of(response.content)


def test_the_sharing_page_explains_a_refusal(client, world):
    client.force_login(world.steward)

    response = client.get("/data/datasets/tk-dau-tu/sharing/")

    assert response.status_code == 403
    assert "Phê duyệt" in text_of(response.content)
