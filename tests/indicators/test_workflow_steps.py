"""The approval workflow: draft → submitted → approved (→ published), or rejected with a reason.

Each step checks who acts and the batch's state; a refused step names what is missing in
Vietnamese and changes nothing, not even the audit trail.
"""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from fixtures_sharing import URLCONF, build_world, staged

from regionlink.audit.models import AuditEvent
from regionlink.indicators.models import BatchStatus, ImportBatch
from regionlink.indicators.workflow import (
    approve_batch,
    publish_batch_now,
    reject_batch,
    submit_batch,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _urls(settings):
    settings.ROOT_URLCONF = URLCONF


@pytest.fixture
def world(reference_organisations):
    return build_world(reference_organisations)


@pytest.fixture
def draft(world):
    """The steward's draft of 2024 populations for the public data set."""
    return staged(
        world.datasets["population"],
        by=world.steward,
        rows=[("POP_AVG", "68", "2024", "3872.9"), ("POP_AVG", "01", "2024", "8807.5")],
    )


def batch_events(batch):
    return AuditEvent.objects.filter(object_type="indicators.importbatch", object_id=batch.pk)


def status_of(batch) -> str:
    return ImportBatch.objects.get(pk=batch.pk).status


# --- The way through -------------------------------------------------------------------------


def test_a_draft_goes_through_submission_and_approval_by_two_people(world, draft):
    submit_batch(actor=world.steward, batch=draft)
    approve_batch(actor=world.approver, batch=draft, note="Khớp niên giám")

    draft.refresh_from_db()
    assert draft.status == BatchStatus.APPROVED
    assert (draft.decided_by, draft.decision_reason) == (world.approver, "Khớp niên giám")
    assert draft.decided_at is not None
    events = list(batch_events(draft).order_by("id").values_list("action", "actor", "after"))
    assert events == [
        ("import_batch.submit", world.steward.pk, {"status": "submitted"}),
        (
            "import_batch.approve",
            world.approver.pk,
            {"status": "approved", "note": "Khớp niên giám"},
        ),
    ]


def test_an_approver_above_the_owner_may_approve(world, draft):
    submit_batch(actor=world.steward, batch=draft)

    approve_batch(actor=world.ministry_admin, batch=draft)

    assert status_of(draft) == BatchStatus.APPROVED


def test_a_submitted_batch_is_rejected_with_the_reason_recorded(world, draft):
    submit_batch(actor=world.steward, batch=draft)

    reject_batch(actor=world.approver, batch=draft, reason="Số liệu 2024 chưa khớp niên giám")

    draft.refresh_from_db()
    assert draft.status == BatchStatus.REJECTED
    assert draft.decision_reason == "Số liệu 2024 chưa khớp niên giám"
    event = batch_events(draft).get(action="import_batch.reject")
    assert event.before == {"status": "submitted"}
    assert event.after == {"status": "rejected", "reason": "Số liệu 2024 chưa khớp niên giám"}


def test_an_approved_batch_may_still_be_rejected_before_publication(world, draft):
    submit_batch(actor=world.steward, batch=draft)
    approve_batch(actor=world.approver, batch=draft)

    reject_batch(actor=world.second_approver, batch=draft, reason="Chờ số liệu chính thức")

    assert status_of(draft) == BatchStatus.REJECTED


# --- Preconditions, named ----------------------------------------------------------------------


def refused(step, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as error:
        step(**kwargs)
    return error.value


def test_approving_a_draft_names_the_state_it_needs_and_changes_nothing(world, draft):
    error = refused(approve_batch, actor=world.approver, batch=draft)

    assert error.messages == [
        f"Lô #{draft.pk} đang ở trạng thái Bản nháp; cần Đã gửi duyệt trước khi phê duyệt."
    ]
    assert error.error_code == "wrong_status"
    assert status_of(draft) == BatchStatus.DRAFT
    assert not batch_events(draft).exists()


def test_submitting_twice_is_refused(world, draft):
    submit_batch(actor=world.steward, batch=draft)

    error = refused(submit_batch, actor=world.steward, batch=draft)

    assert error.messages == [
        f"Lô #{draft.pk} đang ở trạng thái Đã gửi duyệt; cần Bản nháp trước khi gửi duyệt."
    ]
    assert batch_events(draft).count() == 1


def test_rejecting_a_draft_names_both_states_it_could_be_in(world, draft):
    error = refused(reject_batch, actor=world.approver, batch=draft, reason="Sai")

    assert error.messages == [
        f"Lô #{draft.pk} đang ở trạng thái Bản nháp; cần Đã gửi duyệt hoặc Đã phê duyệt "
        "trước khi trả lại."
    ]


def test_publishing_before_approval_is_refused(world, draft):
    submit_batch(actor=world.steward, batch=draft)

    error = refused(publish_batch_now, actor=world.approver, batch=draft)

    assert "cần Đã phê duyệt trước khi công bố" in error.messages[0]
    assert status_of(draft) == BatchStatus.SUBMITTED


@pytest.mark.parametrize(
    "status", [BatchStatus.PENDING, BatchStatus.RUNNING, BatchStatus.FAILED, BatchStatus.CHECKED]
)
def test_only_a_draft_can_be_submitted(world, status):
    batch = staged(
        world.datasets["population"],
        by=world.steward,
        rows=[("POP_AVG", "68", "2024", "1")],
        status=status,
    )

    error = refused(submit_batch, actor=world.steward, batch=batch)

    assert f"đang ở trạng thái {BatchStatus(status).label}" in error.messages[0]


def test_an_empty_draft_is_not_submitted(world):
    empty = staged(world.datasets["population"], by=world.steward, rows=[])

    error = refused(submit_batch, actor=world.steward, batch=empty)

    assert error.error_code == "empty_batch"
    assert f"Lô #{empty.pk} không có giá trị nào" in error.messages[0]


def test_a_rejection_needs_a_reason(world, draft):
    submit_batch(actor=world.steward, batch=draft)

    error = refused(reject_batch, actor=world.approver, batch=draft, reason="   ")

    assert error.error_code == "reason_required"
    assert "Cần ghi lý do trả lại" in error.messages[0]
    assert status_of(draft) == BatchStatus.SUBMITTED
    assert not batch_events(draft).filter(action="import_batch.reject").exists()


# --- Four eyes and roles -----------------------------------------------------------------------


def test_the_person_who_prepared_a_batch_may_not_approve_it(world):
    own = staged(
        world.datasets["population"], by=world.approver, rows=[("POP_AVG", "68", "2024", "1")]
    )
    submit_batch(actor=world.approver, batch=own)

    error = refused(approve_batch, actor=world.approver, batch=own)

    assert error.error_code == "self_approval"
    assert "nguyên tắc bốn mắt" in error.messages[0]
    assert status_of(own) == BatchStatus.SUBMITTED
    approve_batch(actor=world.second_approver, batch=own)
    assert status_of(own) == BatchStatus.APPROVED


def test_the_person_who_sent_it_for_approval_may_not_approve_it_either(world, draft):
    submit_batch(actor=world.second_approver, batch=draft)  # the steward prepared it

    error = refused(approve_batch, actor=world.second_approver, batch=draft)

    assert error.error_code == "self_approval"


def test_a_system_admin_may_not_approve_their_own_batch(world, system_admin):
    own = staged(
        world.datasets["population"], by=system_admin, rows=[("POP_AVG", "68", "2024", "1")]
    )
    submit_batch(actor=system_admin, batch=own)

    assert refused(approve_batch, actor=system_admin, batch=own).error_code == "self_approval"


def test_a_system_admin_may_approve_someone_elses_batch(world, draft, system_admin):
    submit_batch(actor=world.steward, batch=draft)

    approve_batch(actor=system_admin, batch=draft)

    assert status_of(draft) == BatchStatus.APPROVED


@pytest.mark.parametrize("who", ["steward", "owner_viewer", "province_editor", "hanoi_viewer"])
def test_only_approvers_of_the_owner_approve(world, draft, who):
    submit_batch(actor=world.steward, batch=draft)

    with pytest.raises(PermissionDenied, match="Phê duyệt"):
        approve_batch(actor=world.people[who], batch=draft)
    assert status_of(draft) == BatchStatus.SUBMITTED


@pytest.mark.parametrize("who", ["owner_viewer", "province_editor"])
def test_only_editors_of_the_owner_submit(world, draft, who):
    with pytest.raises(PermissionDenied):
        submit_batch(actor=world.people[who], batch=draft)
    assert status_of(draft) == BatchStatus.DRAFT


# --- Through the API -----------------------------------------------------------------------------


def post(client, url, body=None):
    return client.post(url, data=json.dumps(body or {}), content_type="application/json")


def test_the_api_takes_a_batch_through_the_workflow(client, world, draft):
    client.force_login(world.steward)
    submitted = post(client, f"/api/v1/batches/{draft.pk}/submit")
    self_approval = post(client, f"/api/v1/batches/{draft.pk}/approve")
    client.force_login(world.approver)
    no_reason = post(client, f"/api/v1/batches/{draft.pk}/reject", {"reason": ""})
    approved = post(client, f"/api/v1/batches/{draft.pk}/approve")

    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    assert self_approval.status_code == 403  # a steward is no approver
    assert no_reason.status_code == 400
    assert no_reason.json()["code"] == "reason_required"
    assert no_reason.json()["field"] == "reason"
    assert approved.json()["status"] == "approved"
    assert approved.json()["decided_by"] == "thongke.pheduyet"


def test_the_api_names_the_missing_state(client, world, draft):
    client.force_login(world.approver)

    response = post(client, f"/api/v1/batches/{draft.pk}/approve")

    assert response.status_code == 400
    assert response.json() == {
        "code": "wrong_status",
        "message": f"Lô #{draft.pk} đang ở trạng thái Bản nháp; cần Đã gửi duyệt trước khi "
        "phê duyệt.",
        "field": "status",
    }


def test_the_api_lists_batches_by_status_and_data_set(client, world, draft):
    other = staged(
        world.datasets["labour"],
        by=world.steward,
        rows=[("POP_AVG", "68", "2024", "1")],
        status=BatchStatus.SUBMITTED,
    )
    client.force_login(world.approver)

    submitted = client.get("/api/v1/batches", {"status": "submitted"}).json()["items"]
    population = client.get("/api/v1/batches", {"dataset": "tk-dan-so"}).json()["items"]
    bad = client.get("/api/v1/batches", {"status": "done"})

    assert [b["id"] for b in submitted] == [other.pk]
    assert draft.pk in [b["id"] for b in population]
    assert other.pk not in [b["id"] for b in population]
    assert bad.status_code == 400 and bad.json()["field"] == "status"
