"""Registering a plan approved before the registry existed over the API (POST /plans with its
stage and decision, one transaction) and recording a version's decision (POST /decisions):
the organising body's approver may; an editor, a viewer or another province are refused with
the reason and nothing changes."""

from __future__ import annotations

import pytest
from test_plans_api_fixtures import *  # noqa: F403

from regionlink.audit.models import AuditEvent
from regionlink.plans.models import Plan

pytestmark = pytest.mark.django_db

URL = "/api/v1/plans"
APPROVED = {
    "code": "qh-tinh-lam-dong-da-duyet",
    "name": "Quy hoạch tỉnh Lâm Đồng thời kỳ 2021–2030",
    "level": "provincial",
    "period_start": 2021,
    "period_end": 2030,
    "organising_body": "ubnd-68",
    "province": "68",
    "stage": "implementation",
    "decision_number": "1727/QĐ-TTg",
    "decision_date": "2024-12-29",
    "signer": "Phó Thủ tướng Trần Hồng Hà",
}
DECISION = {
    "number": 1,
    "kind": "original",
    "decision_number": "1727/QĐ-TTg",
    "decision_date": "2024-12-29",
    "signer": "Phó Thủ tướng Trần Hồng Hà",
}


def test_the_approver_registers_an_approved_plan_with_its_decision(client, approver, post_json):
    client.force_login(approver)

    response = post_json(client, URL, APPROVED)

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["stage"] == "implementation" and body["is_public"]
    assert body["decision"]["decision_number"] == "1727/QĐ-TTg"
    assert body["decision"]["decision_date"] == "2024-12-29"


def test_an_editor_may_register_but_not_record_the_decision(client, provincial_editor, post_json):
    client.force_login(provincial_editor)

    response = post_json(client, URL, APPROVED)

    assert response.status_code == 403
    assert "Phê duyệt" in response.json()["message"]
    assert not Plan.objects.filter(code=APPROVED["code"]).exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"stage": "evaluation"}, "stage"),
        ({"signer": ""}, "signer"),
        ({"stage": "outline"}, "decision_number"),
        ({"decision_date": "2099-01-01"}, "decision_date"),
    ],
)
def test_a_refused_registration_names_the_field_and_writes_nothing(
    client, approver, post_json, change, field
):
    client.force_login(approver)

    response = post_json(client, URL, {**APPROVED, **change})

    assert response.status_code == 400
    assert response.json()["field"] == field
    assert not Plan.objects.filter(code=APPROVED["code"]).exists()


def test_the_approver_records_the_decision_of_a_version(client, approver, lam_dong_plan, post_json):
    client.force_login(approver)

    response = post_json(client, f"{URL}/qh-tinh-68/decisions", DECISION)

    assert response.status_code == 200, response.content
    assert response.json()["decision_number"] == "1727/QĐ-TTg"
    assert lam_dong_plan.current_version().signer == "Phó Thủ tướng Trần Hồng Hà"
    assert AuditEvent.objects.filter(action="plans.record_decision", actor=approver).exists()


def test_a_later_version_is_created_as_an_adjustment(client, approver, lam_dong_plan, post_json):
    client.force_login(approver)
    later = {**DECISION, "number": 2}

    wrong = post_json(client, f"{URL}/qh-tinh-68/decisions", later)
    created = post_json(
        client,
        f"{URL}/qh-tinh-68/decisions",
        {**later, "kind": "adjustment", "reasons": "Sắp xếp đơn vị hành chính"},
    )

    assert (wrong.status_code, wrong.json()["field"]) == (400, "kind")
    assert created.status_code == 201
    assert created.json()["number"] == 2


@pytest.mark.parametrize("who", ["provincial_editor", "viewer", "hanoi_editor"])
def test_others_may_not_record_a_decision(client, request, who, lam_dong_plan, post_json):
    client.force_login(request.getfixturevalue(who))

    response = post_json(client, f"{URL}/qh-tinh-68/decisions", DECISION)

    # Hà Nội's editor may not even see Lâm Đồng's unpublished plan.
    assert response.status_code == (404 if who == "hanoi_editor" else 403)
    if who != "hanoi_editor":
        assert "phê duyệt" in response.json()["message"]
    assert lam_dong_plan.current_version().decision_number == ""


def test_the_publication_unlocks_the_step_to_implementation(
    client, provincial_editor, approver, lam_dong_plan, post_json
):
    import test_plan_lifecycle_world as world

    from regionlink.plans.models import Stage

    world.walk(provincial_editor, approver, lam_dong_plan, Stage.PUBLICATION)
    client.force_login(provincial_editor)
    step = {"to_stage": "implementation", "on": "2026-07-10"}

    refused = post_json(client, f"{URL}/qh-tinh-68/transitions", step)
    post_json(client, f"{URL}/qh-tinh-68/publication", {"published_on": "2026-07-05"})
    taken = post_json(client, f"{URL}/qh-tinh-68/transitions", step)

    assert refused.status_code == 409
    assert "published_on" in {m["code"] for m in refused.json()["missing"]}
    assert taken.status_code == 200, taken.content


def test_a_viewer_may_not_record_the_publication(client, viewer, national_plan, post_json):
    client.force_login(viewer)

    response = post_json(
        client, f"{URL}/qh-tong-the-quoc-gia/publication", {"published_on": "2026-07-05"}
    )

    assert response.status_code == 403
    assert "chỉnh sửa" in response.json()["message"]
    assert national_plan.current_version().published_on is None
