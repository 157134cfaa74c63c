"""A plan's lifecycle, dossier and consultation over the API: a refused step names every
missing precondition with its legal basis and changes nothing; documents are downloads only;
only the plan's own editors write."""

from __future__ import annotations

import datetime as dt

import pytest
import test_plan_lifecycle_world as world
from django.core.files.uploadedfile import SimpleUploadedFile
from test_plans_api_fixtures import *  # noqa: F403

from regionlink.audit.models import AuditEvent
from regionlink.plans.models import (
    ConsultationComment,
    DocumentType,
    Plan,
    PlanDocument,
    Stage,
    StageEvent,
)

pytestmark = pytest.mark.django_db

PLAN = "/api/v1/plans/qh-tinh-68"


def _pdf(name="de-cuong.pdf"):
    return SimpleUploadedFile(name, world.PDF, content_type="application/pdf")


# --- Timeline --------------------------------------------------------------------------------


def test_the_timeline_lists_each_step_with_its_legal_basis(client, national_plan):
    events = client.get("/api/v1/plans/qh-tong-the-quoc-gia/timeline").json()

    assert [e["to_stage"] for e in events] == ["implementation"]
    assert events[0]["legal_basis"]
    assert events[0]["actor"] is None  # visitors do not see who took the step


def test_a_hidden_plan_has_no_timeline_for_the_public(client, lam_dong_plan):
    assert client.get(f"{PLAN}/timeline").status_code == 404


# --- Transitions -----------------------------------------------------------------------------


def test_a_step_with_a_missing_precondition_is_refused_naming_it_and_nothing_changes(
    client, provincial_editor, lam_dong_plan, post_json
):
    client.force_login(provincial_editor)
    events_before = StageEvent.objects.count()

    response = post_json(
        client, f"{PLAN}/transitions", {"to_stage": "formulation", "on": "2026-03-02"}
    )

    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "transition_refused"
    assert [m["code"] for m in body["missing"]] == ["document_outline"]
    assert "Đề cương" in body["missing"][0]["message"]
    assert "Luật Quy hoạch" in body["missing"][0]["legal_basis"]
    assert "Đề cương" in body["message"]
    assert Plan.objects.get(code="qh-tinh-68").stage == Stage.OUTLINE
    assert StageEvent.objects.count() == events_before
    assert not AuditEvent.objects.filter(action="plans.advance").exists()


def test_a_step_out_of_order_is_refused_with_its_reason(
    client, provincial_editor, lam_dong_plan, post_json
):
    client.force_login(provincial_editor)

    response = post_json(
        client, f"{PLAN}/transitions", {"to_stage": "implementation", "on": "2026-03-02"}
    )

    assert response.status_code == 409
    assert response.json()["code"] == "transition_not_allowed"
    assert response.json()["missing"][0]["legal_basis"]


def test_once_the_outline_is_uploaded_the_step_is_taken(
    client, provincial_editor, lam_dong_plan, post_json
):
    client.force_login(provincial_editor)
    upload = client.post(
        f"{PLAN}/documents",
        {"file": _pdf(), "doc_type": "outline", "title": "Đề cương"},
    )
    assert upload.status_code == 201, upload.content

    response = post_json(
        client,
        f"{PLAN}/transitions",
        {"to_stage": "formulation", "on": "2026-03-02", "note": "Phê duyệt đề cương"},
    )

    assert response.status_code == 200, response.content
    assert response.json()["from_stage"] == "outline"
    assert response.json()["to_stage"] == "formulation"
    assert response.json()["actor"] == "Phạm Thị Lan"
    assert Plan.objects.get(code="qh-tinh-68").stage == Stage.FORMULATION


def test_approval_needs_the_approver_role(
    client, provincial_editor, approver, lam_dong_plan, post_json
):
    world.walk(provincial_editor, approver, lam_dong_plan, Stage.APPRAISAL)
    world.prepare(provincial_editor, lam_dong_plan, Stage.APPROVAL)
    step = {"to_stage": "approval", "on": "2026-06-01"}

    client.force_login(provincial_editor)
    refused = post_json(client, f"{PLAN}/transitions", step)
    client.force_login(approver)
    taken = post_json(client, f"{PLAN}/transitions", step)

    assert refused.status_code == 403
    assert refused.json()["code"] == "forbidden"
    assert taken.status_code == 200, taken.content


def test_another_province_s_editor_may_not_move_a_published_plan(
    client, hanoi_editor, national_plan, post_json
):
    client.force_login(hanoi_editor)

    response = post_json(
        client,
        "/api/v1/plans/qh-tong-the-quoc-gia/transitions",
        {"to_stage": "evaluation", "on": "2026-09-01"},
    )

    assert response.status_code == 403
    assert Plan.objects.get(code="qh-tong-the-quoc-gia").stage == Stage.IMPLEMENTATION


def test_a_bad_stage_is_refused_naming_the_field(
    client, provincial_editor, lam_dong_plan, post_json
):
    client.force_login(provincial_editor)

    response = post_json(client, f"{PLAN}/transitions", {"to_stage": "xong", "on": "2026-03-02"})

    assert response.status_code == 422
    assert response.json()["field"].endswith("to_stage")


def test_an_adjustment_opens_a_new_version_of_an_implemented_plan(
    client, provincial_editor, approver, lam_dong_plan, post_json
):
    world.walk(provincial_editor, approver, lam_dong_plan, Stage.IMPLEMENTATION)
    client.force_login(provincial_editor)
    evaluation = post_json(
        client, f"{PLAN}/transitions", {"to_stage": "evaluation", "on": "2026-09-01"}
    )
    assert evaluation.status_code in (200, 409), evaluation.content
    if evaluation.status_code == 409:  # the evaluation report is a precondition
        world.upload(provincial_editor, lam_dong_plan, DocumentType.EVALUATION_REPORT)
        evaluation = post_json(
            client, f"{PLAN}/transitions", {"to_stage": "evaluation", "on": "2026-09-01"}
        )
    assert evaluation.status_code == 200, evaluation.content

    response = post_json(
        client,
        f"{PLAN}/adjustments",
        {"reasons": "Sắp xếp đơn vị hành chính cấp tỉnh năm 2025", "on": "2026-10-01"},
    )

    assert response.status_code == 201, response.content
    assert response.json()["number"] == 2
    assert response.json()["kind"] == "adjustment"
    detail = client.get(PLAN).json()
    assert detail["stage"] == "adjustment"
    assert [v["number"] for v in detail["versions"]] == [1, 2]


def test_publication_is_recorded_and_shown_in_the_decision(
    client, provincial_editor, approver, lam_dong_plan, post_json
):
    world.walk(provincial_editor, approver, lam_dong_plan, Stage.PUBLICATION)
    client.force_login(provincial_editor)

    response = post_json(
        client,
        f"{PLAN}/publication",
        {"published_on": "2026-07-03", "dossier_uploaded_on": "2026-07-04"},
    )

    assert response.status_code == 200, response.content
    decision = client.get(PLAN).json()["decision"]
    assert decision["decision_number"] == "1234/QĐ-TTg"
    assert decision["published_on"] == "2026-07-03"
    assert client.get(PLAN).json()["law"]["on"] == "2026-06-25"


# --- Dossier ---------------------------------------------------------------------------------


def test_a_file_whose_content_is_not_an_allowed_type_is_refused_naming_the_field(
    client, provincial_editor, lam_dong_plan
):
    client.force_login(provincial_editor)
    page = SimpleUploadedFile("bao-cao.pdf", b"<html><script>alert(1)</script></html>")

    response = client.post(
        f"{PLAN}/documents", {"file": page, "doc_type": "report_full", "title": "Báo cáo"}
    )

    assert response.status_code == 400
    assert response.json()["field"] == "file"
    assert not PlanDocument.objects.exists()


def test_an_editor_of_another_province_may_not_upload(client, hanoi_editor, national_plan):
    client.force_login(hanoi_editor)

    response = client.post(
        "/api/v1/plans/qh-tong-the-quoc-gia/documents",
        {"file": _pdf(), "doc_type": "other", "title": "Tài liệu"},
    )

    assert response.status_code == 403


@pytest.fixture
def published_with_documents(provincial_editor, approver, lam_dong_plan):
    """Lâm Đồng's plan published, with a public decision and an internal appraisal report."""
    world.walk(provincial_editor, approver, lam_dong_plan, Stage.IMPLEMENTATION)
    return {
        d.doc_type: d
        for d in PlanDocument.objects.filter(
            doc_type__in=[DocumentType.DECISION, DocumentType.APPRAISAL_REPORT]
        )
    }


def test_the_public_sees_only_public_documents_of_a_published_plan(
    client, published_with_documents
):
    listed = client.get(f"{PLAN}/documents").json()

    types = {d["doc_type"] for d in listed}
    assert "decision" in types and "draft" in types
    assert "appraisal_report" not in types
    assert all(d["is_public"] for d in listed)


def test_the_plan_s_own_officials_see_the_whole_dossier(client, viewer, published_with_documents):
    client.force_login(viewer)

    types = {d["doc_type"] for d in client.get(f"{PLAN}/documents").json()}

    assert {"decision", "appraisal_report", "outline"} <= types


def test_a_document_is_always_a_download_never_shown_inline(client, published_with_documents):
    decision = published_with_documents[DocumentType.DECISION]

    response = client.get(f"{PLAN}/documents/{decision.pk}/file")

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_an_internal_document_of_a_published_plan_is_not_served_to_the_public(
    client, viewer, published_with_documents
):
    report = published_with_documents[DocumentType.APPRAISAL_REPORT]
    url = f"{PLAN}/documents/{report.pk}/file"

    assert client.get(url).status_code == 404
    client.force_login(viewer)
    assert client.get(url).status_code == 200


def test_a_public_consultation_draft_is_open_before_publication(
    client, provincial_editor, approver, lam_dong_plan
):
    world.walk(provincial_editor, approver, lam_dong_plan, Stage.CONSULTATION)

    listed = client.get(f"{PLAN}/documents").json()

    assert [d["doc_type"] for d in listed] == ["draft"]
    assert client.get(listed[0]["download"]).status_code == 200
    assert client.get(PLAN).status_code == 404  # the plan itself stays unpublished


# --- Consultation ----------------------------------------------------------------------------


def test_the_editor_records_bodies_comments_and_responses(
    client, provincial_editor, lam_dong_plan, post_json
):
    client.force_login(provincial_editor)

    body = post_json(
        client,
        f"{PLAN}/consultation/bodies",
        {"province": "01", "requested_on": "2026-04-02"},
    )
    assert body.status_code == 201, body.content
    reply = post_json(
        client,
        f"{PLAN}/consultation/bodies/{body.json()['id']}/reply",
        {"replied_on": "2026-04-20"},
    )
    comment = post_json(
        client,
        f"{PLAN}/comments",
        {
            "author": "UBND thành phố Hà Nội",
            "received_on": "2026-04-20",
            "text": "Đề nghị bổ sung kết nối giao thông liên vùng.",
            "consulted_body": body.json()["id"],
        },
    )
    assert comment.status_code == 201, comment.content
    answer = post_json(
        client,
        f"{PLAN}/comments/{comment.json()['id']}/response",
        {"kind": "accepted", "text": "Đã bổ sung tại mục 4.2."},
    )

    assert reply.json()["replied_on"] == "2026-04-20"
    assert answer.status_code == 200, answer.content
    assert answer.json()["response_kind"] == "accepted"
    bodies = client.get(f"{PLAN}/consultation/bodies").json()
    comments = client.get(f"{PLAN}/comments").json()
    assert [b["province"] for b in bodies] == ["01"]
    assert [c["response_text"] for c in comments] == ["Đã bổ sung tại mục 4.2."]


def test_an_empty_comment_is_refused_naming_the_field(
    client, provincial_editor, lam_dong_plan, post_json
):
    client.force_login(provincial_editor)

    response = post_json(
        client,
        f"{PLAN}/comments",
        {"author": "Sở Xây dựng", "received_on": "2026-04-20", "text": " "},
    )

    assert response.status_code == 400
    assert response.json()["field"] == "text"
    assert not ConsultationComment.objects.exists()


def test_a_viewer_may_read_comments_but_not_record_them(client, viewer, lam_dong_plan, post_json):
    client.force_login(viewer)

    assert client.get(f"{PLAN}/comments").status_code == 200
    response = post_json(
        client,
        f"{PLAN}/comments",
        {"author": "X", "received_on": str(dt.date(2026, 4, 20)), "text": "Ý kiến"},
    )
    assert response.status_code == 403
