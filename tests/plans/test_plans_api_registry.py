"""The plan registry over the API: who sees which plans, filters, exports, registering and
editing a plan through the services, and errors that name the field."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from test_plans_api_fixtures import *  # noqa: F403

from regionlink.audit.models import AuditEvent
from regionlink.plans.models import Plan

pytestmark = pytest.mark.django_db

URL = "/api/v1/plans"


def _codes(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [p["code"] for p in response.json()["items"]]


# --- Who sees what ---------------------------------------------------------------------------


def test_the_public_sees_only_published_plans(client, lam_dong_plan, hanoi_plan, national_plan):
    assert _codes(client.get(URL)) == ["qh-tong-the-quoc-gia"]
    assert client.get(f"{URL}/qh-tinh-68").status_code == 404
    assert client.get(f"{URL}/qh-tong-the-quoc-gia").status_code == 200


def test_a_provincial_official_sees_their_provinces_plans_and_published_ones(
    client, viewer, lam_dong_plan, hanoi_plan, national_plan
):
    client.force_login(viewer)

    assert _codes(client.get(URL)) == ["qh-tinh-68", "qh-tong-the-quoc-gia"]
    assert client.get(f"{URL}/qh-tinh-01").status_code == 404


def test_an_unknown_or_hidden_plan_is_answered_404_in_json(client, hanoi_plan):
    hidden = client.get(f"{URL}/qh-tinh-01")
    unknown = client.get(f"{URL}/khong-co")

    assert hidden.status_code == unknown.status_code == 404
    assert hidden.json()["code"] == unknown.json()["code"] == "not_found"
    assert hidden.json()["message"] == unknown.json()["message"].replace("khong-co", "qh-tinh-01")


def test_a_token_reads_like_the_session_of_its_owner(bearer, viewer, lam_dong_plan, national_plan):
    response = Client().get(URL, headers=bearer(viewer))

    assert _codes(response) == ["qh-tinh-68", "qh-tong-the-quoc-gia"]


# --- Filters, paging, exports ----------------------------------------------------------------


def test_the_list_filters_by_level_stage_region_and_name_without_diacritics(
    client, approver, lam_dong_plan, national_plan
):
    client.force_login(approver)

    assert _codes(client.get(URL, {"level": "provincial"})) == ["qh-tinh-68"]
    assert _codes(client.get(URL, {"stage": "implementation"})) == ["qh-tong-the-quoc-gia"]
    assert _codes(client.get(URL, {"region": "DHNTB-TN"})) == ["qh-tinh-68"]
    assert _codes(client.get(URL, {"q": "lam dong"})) == ["qh-tinh-68"]
    assert _codes(client.get(URL, {"q": "TONG THE"})) == ["qh-tong-the-quoc-gia"]


def test_an_unknown_level_is_refused_naming_the_parameter_and_the_choices(client):
    response = client.get(URL, {"level": "quy-hoach-xa"})

    assert response.status_code == 422
    assert response.json()["field"] == "level"
    assert "provincial" in response.json()["message"]


def test_the_list_pages_by_code(client, approver, lam_dong_plan, national_plan):
    client.force_login(approver)

    first = client.get(URL, {"limit": 1}).json()
    second = client.get(URL, {"limit": 1, "after": first["next"]}).json()

    assert [p["code"] for p in first["items"] + second["items"]] == [
        "qh-tinh-68",
        "qh-tong-the-quoc-gia",
    ]
    assert second["next"] is None


def test_the_list_costs_the_same_queries_for_one_plan_or_three(
    client, approver, lam_dong_plan, national_plan, hanoi_plan
):
    from regionlink.plans import services

    client.force_login(approver)
    client.get(URL)  # warm the session
    with CaptureQueriesContext(connection) as few:
        assert len(_codes(client.get(URL, {"limit": 1}))) == 1
    services.update_plan(actor=FIXTURE, plan=hanoi_plan, name="Quy hoạch Thủ đô")  # noqa: F405
    with CaptureQueriesContext(connection) as many:
        assert len(_codes(client.get(URL, {"limit": 100}))) == 2

    assert len(many) == len(few)


def test_the_list_downloads_as_csv_for_excel(client, national_plan, lam_dong_plan):
    response = client.get(URL, {"format": "csv"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeffcode,name,name_en,level")
    lines = text.strip().splitlines()
    assert len(lines) == 2  # the header and the one published plan
    assert "qh-tong-the-quoc-gia" in lines[1] and "bo-tai-chinh" in lines[1]


def test_the_list_downloads_as_xlsx(client, national_plan):
    from openpyxl import load_workbook

    response = client.get(URL, {"format": "xlsx"})

    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert rows[0][0] == "code" and rows[1][0] == "qh-tong-the-quoc-gia"


def test_an_unknown_format_is_refused_naming_the_parameter(client):
    response = client.get(URL, {"format": "pdf"})

    assert response.status_code == 400
    assert response.json()["field"] == "format"


# --- Detail ----------------------------------------------------------------------------------


def test_a_plan_shows_territory_period_bodies_law_stage_versions_and_links(
    client, provincial_editor, lam_dong_plan
):
    client.force_login(provincial_editor)

    body = client.get(f"{URL}/qh-tinh-68").json()

    assert body["territory"]["kind"] == "province"
    assert body["territory"]["province"]["code"] == "68"
    assert (body["period_start"], body["period_end"], body["vision_year"]) == (2021, 2030, 2050)
    assert body["organising_body"]["code"] == "ubnd-68"
    assert body["stage"] == "outline"
    assert body["law"]["number"] == "112/2025/QH15"  # undecided: the law in force today
    assert [v["number"] for v in body["versions"]] == [1]
    assert body["decision"]["decision_number"] == ""
    assert body["links"]["higher"] == []
    assert "national_master" in body["links"]["required_levels"]
    assert body["can_edit"] is True and body["can_approve"] is False
    assert "formulation" in body["allowed_next"]
    for deadline in body["deadlines"]:
        assert set(deadline) >= {"code", "due_on", "overdue", "legal_basis"}


def test_visitors_are_not_offered_the_next_steps(client, national_plan):
    body = client.get(f"{URL}/qh-tong-the-quoc-gia").json()

    assert body["can_edit"] is False
    assert body["allowed_next"] == []
    assert body["territory"]["kind"] == "country"


def test_english_callers_get_the_english_name(client, national_plan):
    body = client.get(f"{URL}/qh-tong-the-quoc-gia", HTTP_ACCEPT_LANGUAGE="en").json()

    assert body["display_name"] == "National Master Plan 2021–2030"
    assert body["name"] == "Quy hoạch tổng thể quốc gia thời kỳ 2021–2030"


# --- Registering and editing -----------------------------------------------------------------

NEW_PLAN = {
    "code": "qh-do-thi-da-lat",
    "name": "Quy hoạch chung thành phố Đà Lạt",
    "level": "urban_rural",
    "period_start": 2026,
    "period_end": 2045,
    "organising_body": "ubnd-68",
    "province": "68",
}


def test_a_provincial_editor_registers_a_plan_of_their_province(
    client, provincial_editor, post_json
):
    client.force_login(provincial_editor)

    response = post_json(client, URL, NEW_PLAN)

    assert response.status_code == 201, response.content
    assert response.json()["code"] == "qh-do-thi-da-lat"
    assert response.json()["stage"] == "outline"
    plan = Plan.objects.get(code="qh-do-thi-da-lat")
    assert plan.province.code == "68"
    assert AuditEvent.objects.filter(action="plans.create", actor=provincial_editor).exists()


def test_an_editor_of_another_province_may_not_register_for_lam_dong(
    client, hanoi_editor, post_json
):
    client.force_login(hanoi_editor)

    response = post_json(client, URL, NEW_PLAN)

    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert "Lâm Đồng" in response.json()["message"]
    assert not Plan.objects.filter(code="qh-do-thi-da-lat").exists()


def test_visitors_and_viewers_may_not_register_plans(client, viewer, post_json):
    anonymous = post_json(client, URL, NEW_PLAN)
    client.force_login(viewer)
    reader = post_json(client, URL, NEW_PLAN)

    assert anonymous.status_code == 401
    assert reader.status_code == 403


def test_a_plan_without_the_territory_its_level_needs_is_refused_naming_the_field(
    client, provincial_editor, post_json
):
    client.force_login(provincial_editor)

    response = post_json(client, URL, {**NEW_PLAN, "province": None})

    assert response.status_code == 400
    assert response.json() == {
        "code": "province_required",
        "message": response.json()["message"],
        "field": "province",
    }
    assert "tỉnh" in response.json()["message"]


def test_unknown_codes_in_the_body_are_named(client, provincial_editor, post_json):
    client.force_login(provincial_editor)

    body = post_json(client, URL, {**NEW_PLAN, "organising_body": "ubnd-99"}).json()
    typo = post_json(client, URL, {**NEW_PLAN, "provinec": "68"}).json()

    assert body["field"] == "organising_body"
    assert typo["field"].endswith("provinec")


def test_a_duplicate_code_is_refused(client, provincial_editor, lam_dong_plan, post_json):
    client.force_login(provincial_editor)

    response = post_json(client, URL, {**NEW_PLAN, "code": "qh-tinh-68"})

    assert response.status_code == 400
    assert response.json()["code"] == "duplicate_code"
    assert response.json()["field"] == "code"


def test_the_provincial_editor_edits_their_plan_and_the_change_is_audited(
    client, provincial_editor, lam_dong_plan, patch_json
):
    client.force_login(provincial_editor)

    response = patch_json(client, f"{URL}/qh-tinh-68", {"sector": "", "name_en": "Lam Dong plan"})

    assert response.status_code == 200, response.content
    assert response.json()["name_en"] == "Lam Dong plan"
    assert AuditEvent.objects.filter(action="plans.update", actor=provincial_editor).exists()


def test_the_provincial_editor_may_not_edit_another_body_s_published_plan(
    client, provincial_editor, national_plan, patch_json
):
    client.force_login(provincial_editor)

    response = patch_json(client, f"{URL}/qh-tong-the-quoc-gia", {"name_en": "X"})

    assert response.status_code == 403
    assert "Bộ Tài chính" in response.json()["message"]
    assert Plan.objects.get(code="qh-tong-the-quoc-gia").name_en != "X"


def test_another_province_s_editor_cannot_even_find_an_unpublished_plan(
    client, hanoi_editor, lam_dong_plan, patch_json
):
    client.force_login(hanoi_editor)

    assert patch_json(client, f"{URL}/qh-tinh-68", {"name_en": "X"}).status_code == 404


def test_a_viewer_may_read_but_not_edit(client, viewer, lam_dong_plan, patch_json):
    client.force_login(viewer)

    assert client.get(f"{URL}/qh-tinh-68").status_code == 200
    assert patch_json(client, f"{URL}/qh-tinh-68", {"name_en": "X"}).status_code == 403


def test_an_invalid_period_is_refused_naming_the_field(
    client, provincial_editor, lam_dong_plan, patch_json
):
    client.force_login(provincial_editor)

    response = patch_json(client, f"{URL}/qh-tinh-68", {"period_end": 2035})

    assert response.status_code == 400
    assert response.json()["field"] == "period_end"
    assert Plan.objects.get(code="qh-tinh-68").period_end == 2030


# --- Language and schema ---------------------------------------------------------------------


def test_errors_are_in_english_for_english_callers(client, post_json):
    invalid = client.get(URL, {"level": "x"}, HTTP_ACCEPT_LANGUAGE="en")
    anonymous = post_json(client, URL, NEW_PLAN, HTTP_ACCEPT_LANGUAGE="en")

    assert invalid.json()["message"].startswith("Invalid parameter: level")
    assert anonymous.status_code == 401
    assert anonymous.json()["message"].isascii()


def test_the_openapi_schema_describes_the_plans_endpoints(client):
    response = client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/v1/plans/{code}/transitions" in paths
    assert "/api/v1/plan-findings" in paths
    assert paths["/api/v1/plans"]["get"]["tags"] == ["Quy hoạch"]
