"""The plan page and its forms: the public reads published plans and their public documents;
a Lâm Đồng editor manages Lâm Đồng's plan and is refused Hà Nội's; a refused lifecycle step
names what is missing and changes nothing; the page's queries do not grow with its rows."""

# Fixtures are imported from the shared personas module and then requested by name.
# ruff: noqa: F811

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from test_plan_pages_personas import (  # noqa: F401 (fixtures)
    FIXTURE,
    hanoi_official,
    lamdong_official,
    plans,
)

pytestmark = pytest.mark.django_db


def page(code: str) -> str:
    return f"/plans/{code}/"


# --- The public ------------------------------------------------------------------------------


def test_the_public_reads_a_published_plan_with_its_header_and_public_document(client, plans):
    plan = plans["lamdong"]
    html = client.get(page(plan.code)).content.decode()

    assert "Quy hoạch tỉnh Lâm Đồng thời kỳ 2021–2030" in html
    assert "Quy hoạch tỉnh" in html and "2021–2030" in html and "tầm nhìn đến năm 2050" in html
    assert "Thủ tướng Chính phủ" in html
    assert "Luật Quy hoạch 21/2017/QH14" in html  # legal basis and the law in force
    assert "Bao cao tom tat" in html
    assert "Ghi chu noi bo" not in html
    assert "Sửa thông tin" not in html


def test_the_public_gets_404_for_a_plan_being_formulated_and_its_documents(client, plans):
    draft = plans["lamdong_draft"]

    assert client.get(page(draft.code)).status_code == 404
    url = f"/plans/{draft.code}/documents/{plans['draft_doc'].pk}/"
    assert client.get(url).status_code == 404


def test_the_public_downloads_a_public_document_as_an_attachment(client, plans):
    plan, doc = plans["lamdong"], plans["public_doc"]
    response = client.get(f"/plans/{plan.code}/documents/{doc.pk}/")

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_the_public_is_refused_a_document_that_is_not_public(client, plans):
    plan, doc = plans["lamdong"], plans["internal_doc"]
    response = client.get(f"/plans/{plan.code}/documents/{doc.pk}/")

    assert response.status_code == 403
    assert "chưa được công khai" in response.content.decode()


def test_a_document_of_another_plan_is_not_found_through_this_one(client, plans):
    url = f"/plans/{plans['hanoi'].code}/documents/{plans['public_doc'].pk}/"

    assert client.get(url).status_code == 404


# --- A provincial editor ---------------------------------------------------------------------


def test_the_lam_dong_editor_sees_the_forms_and_the_internal_document_of_lam_dong(
    client, plans, lamdong_official
):
    client.force_login(lamdong_official)
    html = client.get(page(plans["lamdong"].code)).content.decode()

    for action in ("Sửa thông tin", "Chuyển giai đoạn", "Tải lên tài liệu", "Thêm chỉ tiêu"):
        assert action in html
    assert "Ghi chu noi bo" in html
    internal = f"/plans/{plans['lamdong'].code}/documents/{plans['internal_doc'].pk}/"
    assert client.get(internal).status_code == 200


def test_the_lam_dong_editor_sees_no_forms_on_ha_nois_plan_and_is_refused_its_posts(
    client, plans, lamdong_official
):
    hanoi = plans["hanoi"]
    client.force_login(lamdong_official)
    html = client.get(page(hanoi.code)).content.decode()
    assert "Sửa thông tin" not in html and "Thêm chỉ tiêu" not in html

    edit = client.post(f"/plans/{hanoi.code}/edit/", {"name": "Đổi tên trái phép"})
    assert edit.status_code == 403
    assert "Bạn không có quyền chỉnh sửa" in edit.content.decode()
    advance = client.post(
        f"/plans/{hanoi.code}/advance/", {"to_stage": "evaluation", "on": "01/03/2026"}
    )
    assert advance.status_code == 403
    hanoi.refresh_from_db()
    assert hanoi.name == "Quy hoạch Thủ đô Hà Nội thời kỳ 2021–2030"
    assert hanoi.stage == "implementation"


def test_the_lam_dong_editor_edits_the_plan_name_through_the_form(client, plans, lamdong_official):
    plan = plans["lamdong"]
    client.force_login(lamdong_official)
    form = client.get(f"/plans/{plan.code}/edit/")
    assert form.status_code == 200

    data = {
        "name": "Quy hoạch tỉnh Lâm Đồng thời kỳ 2021–2030, tầm nhìn 2050",
        "period_start": 2021,
        "period_end": 2030,
        "vision_year": 2050,
        "approving_authority": "Thủ tướng Chính phủ",
        "legal_basis": "Luật Quy hoạch 21/2017/QH14",
    }
    response = client.post(f"/plans/{plan.code}/edit/", data)

    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.name.endswith("tầm nhìn 2050")


def test_a_refused_stage_step_lists_each_missing_precondition_and_changes_nothing(
    client, reference_organisations, lamdong_official
):
    from test_plan_pages_personas import make_plan

    from regionlink.plans.models import Stage, StageEvent

    plan = make_plan(
        "qh-do-thi-bao-loc",
        "Quy hoạch đô thị Bảo Lộc",
        "68",
        reference_organisations["ubnd-68"],
        stage=Stage.OUTLINE,
        level="urban_rural",
    )
    client.force_login(lamdong_official)
    before = StageEvent.objects.filter(plan=plan).count()

    response = client.post(
        f"/plans/{plan.code}/advance/", {"to_stage": "formulation", "on": "10/03/2026"}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="rl-missing"' in html and "căn cứ" in html
    missing = html.split('id="rl-missing"')[1].split("</ul>")[0]
    assert missing.count("<li") >= 1
    assert "Chưa có gì thay đổi" in html
    plan.refresh_from_db()
    assert plan.stage == Stage.OUTLINE
    assert StageEvent.objects.filter(plan=plan).count() == before


def test_an_htmx_stage_step_gets_back_only_the_form_with_the_refusal(
    client, reference_organisations, lamdong_official
):
    from test_plan_pages_personas import make_plan

    from regionlink.plans.models import Stage

    plan = make_plan(
        "qh-do-thi-bao-loc",
        "Quy hoạch đô thị Bảo Lộc",
        "68",
        reference_organisations["ubnd-68"],
        stage=Stage.OUTLINE,
        level="urban_rural",
    )
    client.force_login(lamdong_official)
    html = client.post(
        f"/plans/{plan.code}/advance/",
        {"to_stage": "formulation", "on": "10/03/2026"},
        HTTP_HX_REQUEST="true",
    ).content.decode()

    assert html.startswith('<div id="rl-form-box"') and 'id="rl-missing"' in html


def test_a_target_is_added_through_the_form_and_errors_stay_next_to_the_field(
    client, plans, lamdong_official
):
    plan = plans["lamdong"]
    client.force_login(lamdong_official)
    url = f"/plans/{plan.code}/targets/new/"
    base = {"indicator": "URBANISATION_RATE", "comparator": "ge", "value": "45,5"}

    wrong = client.post(url, {**base, "target_year": 2045})
    html = wrong.content.decode()
    assert wrong.status_code == 200 and "invalid-feedback" in html
    assert not plan.targets.exists()

    right = client.post(url, {**base, "target_year": 2030})
    assert right.status_code == 302
    target = plan.targets.get()
    assert str(target.value.normalize()) == "45.5"
    shown = client.get(page(plan.code)).content.decode()
    assert "≥ 45,5" in shown and 'data-target="URBANISATION_RATE"' in shown


def test_the_lam_dong_editor_uploads_a_document_and_it_stays_internal(
    client, plans, lamdong_official
):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from test_plan_pages_personas import PDF

    plan = plans["lamdong"]
    client.force_login(lamdong_official)
    response = client.post(
        f"/plans/{plan.code}/documents/new/",
        {
            "doc_type": "map",
            "title": "Ban do quy hoach",
            "uploaded_file": SimpleUploadedFile("ban-do.pdf", PDF, "application/pdf"),
        },
    )

    assert response.status_code == 302
    client.logout()
    assert "Ban do quy hoach" not in client.get(page(plan.code)).content.decode()


def test_a_file_that_is_not_a_document_is_refused_next_to_the_file_field(
    client, plans, lamdong_official
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    plan = plans["lamdong"]
    client.force_login(lamdong_official)
    response = client.post(
        f"/plans/{plan.code}/documents/new/",
        {
            "doc_type": "map",
            "title": "Tep la",
            "uploaded_file": SimpleUploadedFile("x.pdf", b"MZ\x90\x00binary", "application/pdf"),
        },
    )

    assert response.status_code == 200
    assert "invalid-feedback" in response.content.decode()
    assert not plan.documents.filter(title="Tep la").exists()


def test_comments_and_responses_are_recorded_through_the_forms(client, plans, lamdong_official):
    plan = plans["lamdong"]
    client.force_login(lamdong_official)
    added = client.post(
        f"/plans/{plan.code}/consultation/comments/new/",
        {
            "author": "Hội Kiến trúc sư tỉnh",
            "received_on": "05/02/2026",
            "text": "Bổ sung cây xanh",
        },
    )
    assert added.status_code == 302
    comment = plan.comments.get()
    responded = client.post(
        f"/plans/{plan.code}/consultation/comments/{comment.pk}/respond/",
        {"kind": "accepted", "text": "Đã bổ sung tại mục 4.2"},
    )
    assert responded.status_code == 302
    html = client.get(page(plan.code)).content.decode()
    assert "Bổ sung cây xanh" in html and "Đã bổ sung tại mục 4.2" in html and "05/02/2026" in html


def test_the_plan_page_takes_the_same_queries_with_one_target_as_with_six(
    client, plans, lamdong_official
):
    from regionlink.plans import targets

    plan = plans["lamdong"]
    client.force_login(lamdong_official)

    def add(code, year):
        targets.add_target(
            actor=FIXTURE, plan=plan, indicator=code, target_year=year, comparator="ge", value=1
        )

    add("URBANISATION_RATE", 2030)

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(page(plan.code)).status_code == 200
        return len(captured)

    one = count()
    for year in (2025, 2026, 2027, 2028, 2029):
        add("URBANISATION_RATE", year)
    assert count() == one
