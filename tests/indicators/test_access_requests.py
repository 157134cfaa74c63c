"""An organisation asks for a data set; the owner's approver grants or refuses, with reasons.

A grant lets the organisation's people read the data set; a refusal keeps it hidden; both,
and the request itself, are in the audit trail.
"""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from fixtures_sharing import URLCONF, build_world, text_of

from regionlink.audit.models import AuditEvent
from regionlink.indicators.access import grant_access, refuse_access, request_access
from regionlink.indicators.models import AccessRequest, AccessRequestStatus, Visibility
from regionlink.indicators.sharing import readable_datasets

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _urls(settings):
    settings.ROOT_URLCONF = URLCONF


@pytest.fixture
def world(reference_organisations):
    return build_world(reference_organisations)


@pytest.fixture
def lam_dong_asks(world):
    """Lâm Đồng's editor asks for the owner-only labour data set."""
    return request_access(
        actor=world.province_editor,
        dataset=world.datasets["labour"],
        organisation=world.orgs["ubnd-68"],
        reason="Lập báo cáo lao động vùng Tây Nguyên 2025",
    )


def reads(user, code: str) -> bool:
    return readable_datasets(user).filter(code=code).exists()


def actions_on(request) -> list[str]:
    return list(
        AuditEvent.objects.filter(object_type="indicators.accessrequest", object_id=request.pk)
        .order_by("id")
        .values_list("action", flat=True)
    )


# --- Grant and refuse ------------------------------------------------------------------------


def test_a_grant_lets_the_requesting_organisations_viewer_read_the_data_set(world, lam_dong_asks):
    assert not reads(world.province_viewer, "tk-lao-dong")

    grant_access(actor=world.approver, access_request=lam_dong_asks, reason="Phục vụ quy hoạch")

    labour = world.datasets["labour"]
    labour.refresh_from_db()
    assert reads(world.province_viewer, "tk-lao-dong")
    assert labour.visibility == Visibility.NAMED  # was owner only
    assert [o.code for o in labour.shared_with.all()] == ["ubnd-68"]
    lam_dong_asks.refresh_from_db()
    assert lam_dong_asks.status == AccessRequestStatus.GRANTED
    assert (lam_dong_asks.decided_by, lam_dong_asks.decision_reason) == (
        world.approver,
        "Phục vụ quy hoạch",
    )
    assert actions_on(lam_dong_asks) == ["access_request.create", "access_request.grant"]
    sharing = AuditEvent.objects.get(action="dataset.sharing.update", object_id=labour.pk)
    assert sharing.before == {"shared_with": [], "visibility": "owner"}
    assert sharing.after == {"shared_with": ["ubnd-68"], "visibility": "named"}


def test_a_grant_keeps_the_organisations_already_named(world):
    asked = request_access(
        actor=world.province_viewer,
        dataset=world.datasets["investment"],
        organisation=world.orgs["ubnd-68"],
        reason="So sánh đầu tư công",
    )

    grant_access(actor=world.approver, access_request=asked)

    assert reads(world.hanoi_viewer, "tk-dau-tu") and reads(world.province_viewer, "tk-dau-tu")


def test_a_refusal_keeps_the_data_set_hidden_and_records_the_reason(world, lam_dong_asks):
    refuse_access(
        actor=world.approver, access_request=lam_dong_asks, reason="Số liệu đang hiệu chỉnh"
    )

    assert not reads(world.province_viewer, "tk-lao-dong")
    lam_dong_asks.refresh_from_db()
    assert lam_dong_asks.status == AccessRequestStatus.REFUSED
    assert lam_dong_asks.decision_reason == "Số liệu đang hiệu chỉnh"
    event = AuditEvent.objects.get(action="access_request.refuse", object_id=lam_dong_asks.pk)
    assert event.actor == world.approver
    assert event.after == {"status": "refused", "reason": "Số liệu đang hiệu chỉnh"}


def test_a_refusal_needs_a_reason(world, lam_dong_asks):
    with pytest.raises(ValidationError, match="Cần ghi lý do từ chối") as error:
        refuse_access(actor=world.approver, access_request=lam_dong_asks, reason=" ")

    assert error.value.error_code == "reason_required"
    lam_dong_asks.refresh_from_db()
    assert lam_dong_asks.status == AccessRequestStatus.PENDING


def test_a_request_is_decided_once(world, lam_dong_asks):
    grant_access(actor=world.approver, access_request=lam_dong_asks)

    with pytest.raises(ValidationError, match="đã được trả lời"):
        refuse_access(actor=world.second_approver, access_request=lam_dong_asks, reason="Không")


@pytest.mark.parametrize("who", ["steward", "owner_viewer", "province_editor", "hanoi_viewer"])
def test_only_the_owners_approvers_decide(world, lam_dong_asks, who):
    with pytest.raises(PermissionDenied):
        grant_access(actor=world.people[who], access_request=lam_dong_asks)

    assert not reads(world.province_viewer, "tk-lao-dong")


# --- Asking ----------------------------------------------------------------------------------


def test_one_pending_request_per_organisation_and_data_set(world, lam_dong_asks):
    with pytest.raises(ValidationError, match="đang chờ") as error:
        request_access(
            actor=world.province_viewer,
            dataset=world.datasets["labour"],
            organisation=world.orgs["ubnd-68"],
            reason="Lần nữa",
        )

    assert error.value.error_code == "request_pending"
    assert AccessRequest.objects.filter(dataset=world.datasets["labour"]).count() == 1


def test_after_a_refusal_the_organisation_may_ask_again(world, lam_dong_asks):
    refuse_access(actor=world.approver, access_request=lam_dong_asks, reason="Chưa đủ căn cứ")

    again = request_access(
        actor=world.province_editor,
        dataset=world.datasets["labour"],
        organisation=world.orgs["ubnd-68"],
        reason="Có công văn số 12/UBND",
    )

    assert again.status == AccessRequestStatus.PENDING


def test_a_request_needs_a_reason(world):
    with pytest.raises(ValidationError, match="Cần ghi lý do đề nghị"):
        request_access(
            actor=world.province_editor,
            dataset=world.datasets["labour"],
            organisation=world.orgs["ubnd-68"],
            reason="",
        )


def test_only_a_member_asks_for_an_organisation(world):
    with pytest.raises(ValidationError, match="không thuộc") as error:
        request_access(
            actor=world.province_editor,
            dataset=world.datasets["labour"],
            organisation=world.orgs["ubnd-01"],
            reason="Hộ Hà Nội",
        )

    assert error.value.error_code == "not_a_member"


def test_an_organisation_that_already_reads_the_data_set_need_not_ask(world):
    with pytest.raises(ValidationError, match="không cần đề nghị"):
        request_access(
            actor=world.hanoi_viewer,
            dataset=world.datasets["investment"],
            organisation=world.orgs["ubnd-01"],
            reason="Xem",
        )


# --- Through the API: a hidden data set is never revealed -------------------------------------


def post(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


def test_asking_for_a_hidden_data_set_answers_the_same_as_for_an_unknown_code(client, world):
    client.force_login(world.province_editor)

    hidden = post(client, "/api/v1/datasets/tk-lao-dong/access-requests", {"reason": "Cần"})
    unknown = post(client, "/api/v1/datasets/khong-co-ma/access-requests", {"reason": "Cần"})
    again = post(client, "/api/v1/datasets/tk-lao-dong/access-requests", {"reason": "Cần"})

    assert hidden.status_code == unknown.status_code == again.status_code == 202
    assert hidden.json() == unknown.json() == again.json()
    assert "Lao động" not in hidden.content.decode()
    # The owner got the request all the same.
    request = AccessRequest.objects.get(dataset=world.datasets["labour"])
    assert (request.organisation.code, request.requested_by) == ("ubnd-68", world.province_editor)


def test_the_checks_that_do_not_depend_on_the_data_set_are_answered_for_any_code(client, world):
    client.force_login(world.province_editor)

    response = post(client, "/api/v1/datasets/khong-co-ma/access-requests", {"reason": " "})

    assert response.status_code == 400
    assert response.json()["code"] == "reason_required"


def test_the_owner_grants_through_the_api(client, world, lam_dong_asks):
    client.force_login(world.approver)

    detail = client.get("/api/v1/datasets/tk-lao-dong").json()
    granted = post(client, f"/api/v1/access-requests/{lam_dong_asks.pk}/grant", {})

    assert [r["id"] for r in detail["pending_requests"]] == [lam_dong_asks.pk]
    assert granted.status_code == 200 and granted.json()["status"] == "granted"
    client.force_login(world.province_viewer)
    assert client.get("/api/v1/datasets/tk-lao-dong").status_code == 200


def test_a_refusal_through_the_api_needs_a_reason(client, world, lam_dong_asks):
    client.force_login(world.approver)

    response = post(client, f"/api/v1/access-requests/{lam_dong_asks.pk}/refuse", {"reason": ""})

    assert response.status_code == 400 and response.json()["field"] == "reason"


def test_someone_who_may_not_decide_does_not_find_the_request(client, world, lam_dong_asks):
    client.force_login(world.province_editor)

    response = post(client, f"/api/v1/access-requests/{lam_dong_asks.pk}/grant", {})

    assert response.status_code == 404
    assert not reads(world.province_viewer, "tk-lao-dong")


# --- On the pages ----------------------------------------------------------------------------


def test_the_owners_approver_sees_pending_requests_and_grants_on_the_data_set_page(
    client, world, lam_dong_asks
):
    client.force_login(world.approver)

    page = client.get("/data/datasets/tk-lao-dong/")
    response = client.post(f"/data/access-requests/{lam_dong_asks.pk}/grant/", {"reason": ""})

    assert "Lập báo cáo lao động vùng Tây Nguyên 2025" in text_of(page.content)
    assert f'action="/data/access-requests/{lam_dong_asks.pk}/refuse/"' in page.content.decode()
    assert response.status_code == 302
    assert reads(world.province_viewer, "tk-lao-dong")


def test_a_refusal_without_reason_on_the_page_is_explained_and_changes_nothing(
    client, world, lam_dong_asks
):
    client.force_login(world.approver)

    response = client.post(
        f"/data/access-requests/{lam_dong_asks.pk}/refuse/", {"reason": ""}, follow=True
    )

    assert "Cần ghi lý do từ chối" in text_of(response.content)
    lam_dong_asks.refresh_from_db()
    assert lam_dong_asks.status == AccessRequestStatus.PENDING


def test_a_steward_does_not_see_the_pending_requests(client, world, lam_dong_asks):
    client.force_login(world.steward)

    page = client.get("/data/datasets/tk-lao-dong/")

    assert page.context["pending_requests"] is None
    assert "Tây Nguyên" not in text_of(page.content)


def test_a_person_of_two_organisations_asks_for_the_one_that_cannot_read(client, world):
    from regionlink.organisations import services

    services.add_member(
        actor="test fixture",
        organisation=world.orgs["ubnd-68"],
        user=world.hanoi_viewer,
        role="viewer",
    )
    client.force_login(world.hanoi_viewer)

    page = client.get("/data/datasets/tk-dau-tu/")
    response = client.post(
        "/data/datasets/tk-dau-tu/access-requests/",
        {"organisation": world.orgs["ubnd-68"].pk, "reason": "Dùng cho Lâm Đồng"},
    )

    choices = [o.code for o in page.context["request_form"].fields["organisation"].queryset]
    assert choices == ["ubnd-68"]
    assert response.status_code == 302
    assert AccessRequest.objects.get().organisation.code == "ubnd-68"


def test_the_request_by_code_page_never_says_whether_a_code_exists(client, world):
    client.force_login(world.province_editor)
    lam_dong = world.orgs["ubnd-68"].pk

    hidden = client.post(
        "/data/datasets/request-access/",
        {"code": "tk-lao-dong", "organisation": lam_dong, "reason": "Cần"},
        follow=True,
    )
    unknown = client.post(
        "/data/datasets/request-access/",
        {"code": "khong-co-ma", "organisation": lam_dong, "reason": "Cần"},
        follow=True,
    )

    assert "Đã ghi nhận đề nghị" in text_of(hidden.content)
    assert text_of(hidden.content) == text_of(unknown.content)
    assert AccessRequest.objects.filter(dataset=world.datasets["labour"]).count() == 1


def test_the_requesting_organisation_sees_the_owners_answer(client, world, lam_dong_asks):
    refuse_access(actor=world.approver, access_request=lam_dong_asks, reason="Chưa công khai")
    client.force_login(world.province_viewer)

    page = client.get("/data/datasets/request-access/")

    assert "Chưa công khai" in text_of(page.content)
