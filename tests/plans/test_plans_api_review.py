"""The conformity review over the API on the demo plans: a national planner runs it, findings
come with their explanation and legal basis, an approver accepts or dismisses them with a
reason; nobody learns of a plan they may not see. Reminders of legal deadlines."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from test_plans_api_fixtures import *  # noqa: F403

from regionlink.organisations import services as org_services
from regionlink.organisations.models import Organisation, Role, User
from regionlink.plans import demo, review
from regionlink.plans.models import Finding, FindingStatus, ReviewRun, ReviewStatus

pytestmark = pytest.mark.django_db

PLANNING_DEPARTMENT = "btc-vu-quan-ly-quy-hoach"


def _member(username, full_name, org_code, role):
    user = User.objects.create_user(username, f"{username}@example.gov.vn", "mat-khau-du-dai-2025")
    user.full_name = full_name
    user.save()
    org_services.add_member(
        actor="test fixture",
        organisation=Organisation.objects.get(code=org_code),
        user=user,
        role=role,
    )
    return user


@pytest.fixture
def national_planner(reference_organisations):
    """Đỗ Văn Quy, editor at the planning department of the Ministry of Finance."""
    return _member("api.vqlqh.bientap", "Đỗ Văn Quy", PLANNING_DEPARTMENT, Role.EDITOR)


@pytest.fixture
def national_approver(reference_organisations):
    """Lý Thị Hoạch, approver at the planning department."""
    return _member("api.vqlqh.pheduyet", "Lý Thị Hoạch", PLANNING_DEPARTMENT, Role.APPROVER)


@pytest.fixture
def reviewed(reference_organisations):
    """The demo plans, reviewed once."""
    demo.load_demo_plans()
    return review.run_review(actor="test fixture")


# --- Runs ------------------------------------------------------------------------------------


def test_a_national_planner_starts_a_review_and_follows_its_progress(
    client, national_planner, post_json, reference_organisations
):
    demo.load_demo_plans()
    client.force_login(national_planner)

    started = post_json(client, "/api/v1/plan-reviews", {})

    assert started.status_code == 202, started.content
    run_id = started.json()["id"]
    status = client.get(f"/api/v1/plan-reviews/{run_id}").json()
    assert status["status"] == ReviewStatus.DONE  # the test task backend runs it at once
    assert status["progress"] == 100
    assert status["findings_count"] == len(demo.PLANTED)
    listed = client.get("/api/v1/plan-reviews").json()
    assert [r["id"] for r in listed["items"]] == [run_id]


def test_a_provincial_editor_may_not_run_a_regional_review(client, provincial_editor, post_json):
    client.force_login(provincial_editor)

    response = post_json(client, "/api/v1/plan-reviews", {"region": "DHNTB-TN"})

    assert response.status_code == 403
    assert response.json()["message"]
    assert not ReviewRun.objects.exists()


def test_visitors_may_not_start_or_list_reviews(client, post_json):
    assert post_json(client, "/api/v1/plan-reviews", {}).status_code == 401
    assert client.get("/api/v1/plan-reviews").status_code == 401


def test_an_unknown_region_is_named(client, national_planner, post_json):
    client.force_login(national_planner)

    response = post_json(client, "/api/v1/plan-reviews", {"region": "XX"})

    assert response.status_code == 400
    assert response.json()["field"] == "region"


# --- Findings --------------------------------------------------------------------------------


def test_findings_carry_explanation_legal_basis_plans_and_targets(
    client, national_approver, reviewed
):
    client.force_login(national_approver)

    items = client.get("/api/v1/plan-findings", {"limit": 1000}).json()["items"]

    assert len(items) == len(demo.PLANTED)
    urbanisation = next(
        f
        for f in items
        if f["kind"] == "target_conflict" and "qh-vung-dbsh-2021-2030" in f["plans"]
    )
    assert urbanisation["legal_basis"].startswith("Điều")
    assert urbanisation["explanation"]
    assert urbanisation["targets"]
    assert urbanisation["can_decide"] is True
    kinds = {
        f["kind"]
        for f in client.get("/api/v1/plan-findings", {"kind": "missing_link"}).json()["items"]
    }
    assert kinds == {"missing_link"}


def test_the_public_sees_only_findings_about_published_plans(client, reviewed):
    items = client.get("/api/v1/plan-findings", {"limit": 1000}).json()["items"]

    shown = {f["id"] for f in items}
    for finding in Finding.objects.filter(is_current=True).prefetch_related("plans"):
        all_public = all(p.is_public for p in finding.plans.all())
        assert (finding.pk in shown) == all_public
    assert all(f["can_decide"] is False for f in items)


def test_the_findings_list_costs_the_same_queries_for_two_findings_or_all(
    client, national_approver, reviewed
):
    client.force_login(national_approver)
    client.get("/api/v1/plan-findings", {"limit": 1})
    with CaptureQueriesContext(connection) as few:
        assert len(client.get("/api/v1/plan-findings", {"limit": 2}).json()["items"]) == 2
    with CaptureQueriesContext(connection) as many:
        assert len(client.get("/api/v1/plan-findings", {"limit": 1000}).json()["items"]) > 2

    # One more query at most: the names of weighting indicators, once for the whole page.
    assert len(few) <= len(many) <= len(few) + 1


def test_a_provincial_approver_s_findings_list_costs_the_same_queries_at_any_length(
    client, approver, reviewed
):
    client.force_login(approver)
    client.get("/api/v1/plan-findings", {"limit": 1})
    with CaptureQueriesContext(connection) as one:
        assert len(client.get("/api/v1/plan-findings", {"limit": 1}).json()["items"]) == 1
    with CaptureQueriesContext(connection) as many:
        items = client.get("/api/v1/plan-findings", {"limit": 1000}).json()["items"]

    assert len(items) > 1
    assert any(f["can_decide"] for f in items)
    assert len(one) <= len(many) <= len(one) + 1  # + the weighting indicators' names


def test_the_findings_download_as_csv(client, national_approver, reviewed):
    client.force_login(national_approver)

    response = client.get("/api/v1/plan-findings", {"format": "csv", "kind": "missing_link"})

    assert response.status_code == 200
    lines = response.content.decode("utf-8").lstrip("\ufeff").splitlines()
    assert lines[0].startswith("id,kind,kind_label,severity,status")
    assert all(",missing_link," in line for line in lines[1:])


def test_an_english_caller_gets_the_explanation_in_english(client, national_approver, reviewed):
    client.force_login(national_approver)
    params = {"kind": "missing_link", "limit": 1}

    vietnamese = client.get("/api/v1/plan-findings", params).json()["items"][0]
    english = client.get("/api/v1/plan-findings", params, HTTP_ACCEPT_LANGUAGE="en").json()
    english = english["items"][0]

    assert english["id"] == vietnamese["id"]
    assert english["kind_label"] != vietnamese["kind_label"] or english["explanation"]


def test_an_approver_dismisses_a_finding_with_a_reason(
    client, national_approver, reviewed, post_json
):
    client.force_login(national_approver)
    finding = Finding.objects.filter(kind="missing_link").first()

    response = post_json(
        client,
        f"/api/v1/plan-findings/{finding.pk}/decision",
        {"status": "dismissed", "reason": "Liên kết đã có trong quyết định phê duyệt."},
    )

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "dismissed"
    finding.refresh_from_db()
    assert finding.status == FindingStatus.DISMISSED
    assert finding.decided_by == national_approver


def test_a_decision_without_a_reason_is_refused_naming_the_field(
    client, national_approver, reviewed, post_json
):
    client.force_login(national_approver)
    finding = Finding.objects.filter(kind="missing_link").first()

    response = post_json(
        client, f"/api/v1/plan-findings/{finding.pk}/decision", {"status": "dismissed"}
    )

    assert response.status_code == 400
    assert response.json()["field"] == "reason"
    finding.refresh_from_db()
    assert finding.status == FindingStatus.OPEN


def test_an_editor_may_not_decide_a_finding(client, national_planner, reviewed, post_json):
    client.force_login(national_planner)
    finding = Finding.objects.filter(kind="missing_link").first()

    response = post_json(
        client,
        f"/api/v1/plan-findings/{finding.pk}/decision",
        {"status": "accepted", "reason": "Đúng."},
    )

    assert response.status_code == 403
    finding.refresh_from_db()
    assert finding.status == FindingStatus.OPEN


# --- Reminders -------------------------------------------------------------------------------


def test_reminders_list_deadlines_of_the_plans_the_caller_sees(
    client, national_planner, reference_organisations
):
    demo.load_demo_plans()
    client.force_login(national_planner)

    response = client.get("/api/v1/plan-reminders")

    assert response.status_code == 200
    for reminder in response.json():
        assert reminder["plan"] and reminder["message"] and reminder["legal_basis"]


def test_visitors_get_no_reminders(client):
    assert client.get("/api/v1/plan-reminders").status_code == 401
