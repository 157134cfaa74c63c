"""The review pages on the demo plans: findings grouped by kind with legal basis and plans,
the run button (a background task), accept or dismiss with a reason, status filters and the
reminders; and importing targets from a file, checked first and then confirmed."""

# Fixtures are imported from the shared personas module and then requested by name.
# ruff: noqa: F811

import pytest
from test_plan_pages_personas import (  # noqa: F401 (fixtures)
    lamdong_official,
    person,
    plans,
)

from regionlink.organisations.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewed(reference_organisations):
    """The demo plans, reviewed for the whole country today."""
    from regionlink.plans import demo, review

    demo.load_demo_plans()
    return review.run_review(as_of=None)


@pytest.fixture
def planning_approver(reference_organisations):
    """Nguyễn Văn Phê, an approver at the Ministry's planning department (national)."""
    return person(
        "qlqh.duyet",
        "Nguyễn Văn Phê",
        reference_organisations["btc-vu-quan-ly-quy-hoach"],
        Role.APPROVER,
    )


def test_the_review_page_asks_the_public_to_sign_in(client):
    response = client.get("/plans/review/")

    assert response.status_code == 302 and "/accounts/" in response["Location"]


def test_the_red_river_delta_page_shows_its_findings_grouped_by_kind(
    client, reviewed, planning_approver
):
    client.force_login(planning_approver)
    html = client.get("/plans/review/DBSH/").content.decode()

    assert "Chỉ tiêu mâu thuẫn với cấp trên" in html
    assert 'data-finding="target_conflict"' in html
    assert "Tỷ lệ đô thị hóa" in html or "URBANISATION_RATE" in html
    assert "Căn cứ pháp lý" in html and "Quy hoạch vùng Đồng bằng sông Hồng" in html
    assert "Chạy rà soát" in html and "Xác nhận hoặc bác bỏ" in html


def test_an_approver_dismisses_a_finding_with_a_reason_and_the_filters_follow(
    client, reviewed, planning_approver
):
    from regionlink.plans.models import Finding

    finding = Finding.objects.filter(is_current=True, kind="target_conflict").first()
    client.force_login(planning_approver)
    response = client.post(
        f"/plans/findings/{finding.pk}/decide/",
        {"status": "dismissed", "reason": "Số liệu dân số đã được cập nhật"},
    )

    assert response.status_code == 302
    finding.refresh_from_db()
    assert finding.status == "dismissed"
    region = f"/plans/review/{finding.region.code}/" if finding.region else "/plans/review/"
    dismissed = client.get(region, {"status": "dismissed"}).content.decode()
    assert f'id="finding-{finding.pk}"' in dismissed
    assert "Số liệu dân số đã được cập nhật" in dismissed
    still_open = client.get(region, {"status": "open"}).content.decode()
    assert f'id="finding-{finding.pk}"' not in still_open


def test_a_decision_without_a_reason_is_refused_with_the_message(
    client, reviewed, planning_approver
):
    from regionlink.plans.models import Finding

    finding = Finding.objects.filter(is_current=True).first()
    client.force_login(planning_approver)
    response = client.post(
        f"/plans/findings/{finding.pk}/decide/", {"status": "accepted", "reason": ""}, follow=True
    )

    finding.refresh_from_db()
    assert finding.status == "open"
    assert "alert-danger" in response.content.decode()


def test_a_provincial_editor_may_not_decide_nor_run_the_review(client, reviewed, lamdong_official):
    from regionlink.plans.models import Finding

    finding = Finding.objects.filter(is_current=True).first()
    client.force_login(lamdong_official)
    html = client.get("/plans/review/").content.decode()
    assert "Chạy rà soát" not in html

    decide = client.post(
        f"/plans/findings/{finding.pk}/decide/", {"status": "accepted", "reason": "x"}
    )
    assert decide.status_code in (403, 404)
    run = client.post("/plans/review/run/", {"region": "DBSH"})
    assert run.status_code == 403
    finding.refresh_from_db()
    assert finding.status == "open"


def test_running_the_review_queues_a_task_and_the_page_shows_the_run(
    client, reference_organisations, planning_approver
):
    from regionlink.plans import demo
    from regionlink.plans.models import ReviewRun

    demo.load_demo_plans()
    client.force_login(planning_approver)
    response = client.post("/plans/review/run/", {"region": "DBSH"})

    assert response.status_code == 302 and response["Location"] == "/plans/review/DBSH/"
    run = ReviewRun.objects.get(region__code="DBSH")
    assert run.status == "done"  # the test settings run tasks at once
    status = client.get(f"/plans/review/runs/{run.pk}/").content.decode()
    assert 'data-run-status="done"' in status and "hx-trigger" not in status
    page = client.get("/plans/review/DBSH/").content.decode()
    assert 'data-finding="target_conflict"' in page


def test_the_plan_page_shows_the_findings_involving_the_plan(client, reviewed):
    html = client.get("/plans/qh-tinh-thanh-hoa-2021-2030/").content.decode()

    assert 'data-finding="missing_link"' in html
    assert "Thiếu liên kết với quy hoạch cấp trên" in html


def test_the_reminders_page_lists_what_is_due_with_its_legal_basis(
    client, reviewed, planning_approver
):
    from regionlink.geography.queries import today
    from regionlink.plans import reminders

    client.force_login(planning_approver)
    html = client.get("/plans/reminders/").content.decode()

    due = reminders.due(on=today())
    assert html.count("<tr>") - 1 == len(due) or (not due and "Không có việc nào" in html)
    if due:
        assert due[0].legal_basis in html


def test_targets_are_imported_after_a_dry_run_and_a_confirmation(client, plans, lamdong_official):
    from django.core.files.uploadedfile import SimpleUploadedFile

    plan = plans["lamdong"]
    client.force_login(lamdong_official)
    url = f"/plans/{plan.code}/targets/import/"
    good = "ma_chi_tieu,dia_ban,nam,so_sanh,gia_tri\nURBANISATION_RATE,,2030,≥,45\n".encode()
    bad = "ma_chi_tieu,dia_ban,nam,so_sanh,gia_tri\nKHONG_CO,,2030,≥,45\n".encode()

    refused = client.post(url, {"data": SimpleUploadedFile("bad.csv", bad, "text/csv")})
    html = refused.content.decode()
    assert "KHONG_CO" in html and "chưa nhập dòng nào" in html
    assert not plan.targets.exists()

    checked = client.post(url, {"data": SimpleUploadedFile("good.csv", good, "text/csv")})
    html = checked.content.decode()
    assert "Tệp hợp lệ: 1 chỉ tiêu mới" in html and "Xác nhận nhập" in html
    assert not plan.targets.exists()  # the dry run wrote nothing

    payload = html.split('name="payload" value="')[1].split('"')[0]
    confirmed = client.post(url, {"confirm": "1", "payload": payload, "filename": "good.csv"})
    assert confirmed.status_code == 302
    assert plan.targets.get().indicator.code == "URBANISATION_RATE"


def test_the_target_template_downloads_as_csv(client):
    response = client.get("/plans/targets/template.csv")

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"ma_chi_tieu" in response.content


def test_a_regional_finding_says_whose_targets_and_folds_its_long_list_of_plans(
    client, reviewed, planning_approver
):
    client.force_login(planning_approver)
    html = client.get("/plans/review/DBSH/").content.decode()

    assert "bình quân gia quyền theo dân số trung bình" in html and "POP_AVG" not in html
    weighted = html.split("bình quân gia quyền")[1].split("</article>")[0]
    assert '<details class="small mb-1 rl-finding-plans">' in weighted
    assert "Quy hoạch liên quan: 12 quy hoạch" in weighted
    assert "Tỷ lệ đô thị hóa</span> (2030): Hà Nội, " in weighted
    assert weighted.count("Tỷ lệ đô thị hóa</span>") == 1  # grouped, not repeated a province
