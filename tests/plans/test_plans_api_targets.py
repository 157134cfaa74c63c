"""A plan's targets and conformity links over the API: added by form or spreadsheet through the
services, listed with the latest actual, exported; links to higher plans by their editors."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from test_plans_api_fixtures import *  # noqa: F403

from regionlink.audit.models import AuditEvent
from regionlink.plans import conformity, targets
from regionlink.plans.models import ConformityLink, PlanTarget

pytestmark = pytest.mark.django_db

PLAN = "/api/v1/plans/qh-tinh-68"
URBANISATION = {"indicator": "URBANISATION_RATE", "target_year": 2030, "comparator": "ge"}


def _target(plan, code="URBANISATION_RATE", value=45, year=2030):
    from regionlink.indicators.models import Indicator

    return targets.add_target(
        actor=FIXTURE,  # noqa: F405
        plan=plan,
        indicator=Indicator.objects.get(code=code),
        target_year=year,
        comparator="ge",
        value=value,
    )


# --- Targets ---------------------------------------------------------------------------------


def test_the_provincial_editor_adds_changes_and_removes_a_target(
    client, provincial_editor, lam_dong_plan, post_json, patch_json
):
    client.force_login(provincial_editor)

    added = post_json(client, f"{PLAN}/targets", {**URBANISATION, "value": 45})
    assert added.status_code == 201, added.content
    target_id = added.json()["id"]
    changed = patch_json(client, f"{PLAN}/targets/{target_id}", {"value": 47.5})
    listed = client.get(f"{PLAN}/targets").json()
    removed = client.delete(f"{PLAN}/targets/{target_id}")

    assert added.json()["indicator"] == "URBANISATION_RATE"
    assert changed.status_code == 200, changed.content
    assert changed.json()["value"] == 47.5
    assert [(t["indicator"], t["value"]) for t in listed] == [("URBANISATION_RATE", 47.5)]
    assert "actual" in listed[0] and "illustrative" in listed[0]
    assert removed.status_code == 204
    assert not PlanTarget.objects.exists()
    assert (
        AuditEvent.objects.filter(action__startswith="plans.", actor=provincial_editor).count() >= 3
    )


def test_a_target_outside_the_plan_s_period_is_refused_naming_the_field(
    client, provincial_editor, lam_dong_plan, post_json
):
    client.force_login(provincial_editor)

    response = post_json(
        client, f"{PLAN}/targets", {**URBANISATION, "target_year": 2045, "value": 50}
    )

    assert response.status_code == 400
    assert response.json()["field"] == "target_year"
    assert not PlanTarget.objects.exists()


def test_an_unknown_indicator_is_named(client, provincial_editor, lam_dong_plan, post_json):
    client.force_login(provincial_editor)

    response = post_json(
        client, f"{PLAN}/targets", {**URBANISATION, "indicator": "XYZ", "value": 1}
    )

    assert response.status_code == 400
    assert response.json()["field"] == "indicator"


def test_only_the_plan_s_editors_write_targets(
    client, viewer, hanoi_editor, lam_dong_plan, national_plan, post_json
):
    client.force_login(viewer)
    reader = post_json(client, f"{PLAN}/targets", {**URBANISATION, "value": 45})
    client.force_login(hanoi_editor)
    hidden = post_json(client, f"{PLAN}/targets", {**URBANISATION, "value": 45})
    other = post_json(
        client, "/api/v1/plans/qh-tong-the-quoc-gia/targets", {**URBANISATION, "value": 45}
    )

    assert reader.status_code == 403
    assert hidden.status_code == 404
    assert other.status_code == 403
    assert not PlanTarget.objects.exists()


def test_the_public_reads_the_targets_of_a_published_plan_only(
    client, lam_dong_plan, national_plan
):
    _target(national_plan, value=50)
    _target(lam_dong_plan)

    assert [
        t["value"] for t in client.get("/api/v1/plans/qh-tong-the-quoc-gia/targets").json()
    ] == [50]
    assert client.get(f"{PLAN}/targets").status_code == 404


def test_the_targets_download_as_csv(client, national_plan):
    _target(national_plan, value=50)

    response = client.get("/api/v1/plans/qh-tong-the-quoc-gia/targets", {"format": "csv"})

    assert response.status_code == 200
    lines = response.content.decode("utf-8").lstrip("\ufeff").splitlines()
    assert lines[0].startswith("plan,indicator,indicator_name")
    assert lines[1].startswith("qh-tong-the-quoc-gia,URBANISATION_RATE,")


def test_the_target_list_costs_the_same_queries_for_one_target_or_three(
    client, approver, lam_dong_plan
):
    client.force_login(approver)
    _target(lam_dong_plan)
    client.get(f"{PLAN}/targets")
    with CaptureQueriesContext(connection) as one:
        assert len(client.get(f"{PLAN}/targets").json()) == 1
    _target(lam_dong_plan, code="TRAINED_WORKERS_PCT", value=50)
    _target(lam_dong_plan, code="URBANISATION_RATE", value=40, year=2025)
    with CaptureQueriesContext(connection) as three:
        assert len(client.get(f"{PLAN}/targets").json()) == 3

    assert len(three) == len(one)


CSV = (
    "ma_chi_tieu,dia_ban,nam,so_sanh,gia_tri,gia_tri_toi_da,nam_goc,noi_dung\n"
    "URBANISATION_RATE,,2030,≥,45,,,Tỷ lệ đô thị hóa năm 2030 trên 45%.\n"
    "TRAINED_WORKERS_PCT,,2030,,48–52,,,Lao động qua đào tạo 48–52%.\n"
)


def _csv(text=CSV):
    return SimpleUploadedFile("chi-tieu.csv", text.encode("utf-8"), content_type="text/csv")


def test_a_spreadsheet_dry_run_reports_without_saving(client, provincial_editor, lam_dong_plan):
    client.force_login(provincial_editor)

    response = client.post(f"{PLAN}/targets/import", {"file": _csv(), "dry_run": "true"})

    assert response.status_code == 200, response.content
    assert response.json()["created"] == 2
    assert response.json()["dry_run"] is True
    assert not PlanTarget.objects.exists()


def test_a_spreadsheet_is_imported_whole(client, provincial_editor, lam_dong_plan):
    client.force_login(provincial_editor)

    response = client.post(f"{PLAN}/targets/import", {"file": _csv()})

    assert response.status_code == 200, response.content
    assert response.json()["errors"] == []
    assert PlanTarget.objects.count() == 2


def test_a_spreadsheet_with_a_bad_row_is_refused_whole_naming_the_row(
    client, provincial_editor, lam_dong_plan
):
    client.force_login(provincial_editor)
    bad = CSV + "XYZ,,2030,≥,1,,,\n"

    response = client.post(f"{PLAN}/targets/import", {"file": _csv(bad)})

    assert response.status_code == 422
    errors = response.json()["errors"]
    assert [(e["row"], e["column"]) for e in errors] == [(4, errors[0]["column"])]
    assert errors[0]["value"] == "XYZ" and errors[0]["fix"]
    assert not PlanTarget.objects.exists()


def test_the_import_template_downloads(client, provincial_editor, lam_dong_plan):
    client.force_login(provincial_editor)

    response = client.get(f"{PLAN}/targets/template", {"format": "csv"})

    assert response.status_code == 200
    assert "ma_chi_tieu" in response.content.decode("utf-8")


# --- Links -----------------------------------------------------------------------------------


def test_the_editor_links_the_plan_to_a_higher_plan_and_removes_it(
    client, provincial_editor, lam_dong_plan, national_plan, post_json
):
    client.force_login(provincial_editor)

    suggestions = client.get(f"{PLAN}/link-suggestions").json()
    added = post_json(
        client, f"{PLAN}/links", {"higher": "qh-tong-the-quoc-gia", "suggested": True}
    )
    links = client.get(f"{PLAN}/links").json()
    removed = client.delete(f"{PLAN}/links/qh-tong-the-quoc-gia")

    assert "qh-tong-the-quoc-gia" in [p["code"] for p in suggestions]
    assert added.status_code == 201, added.content
    assert [link["plan"]["code"] for link in links["higher"]] == ["qh-tong-the-quoc-gia"]
    assert removed.status_code == 204
    assert not ConformityLink.objects.exists()


def test_the_public_sees_the_link_from_a_published_plan_but_not_the_hidden_lower_plan(
    client, lam_dong_plan, national_plan
):
    conformity.add_link(actor=FIXTURE, lower=lam_dong_plan, higher=national_plan)  # noqa: F405

    links = client.get("/api/v1/plans/qh-tong-the-quoc-gia/links").json()

    assert links["lower"] == []


def test_a_hidden_higher_plan_cannot_be_linked(
    client, provincial_editor, lam_dong_plan, hanoi_plan, post_json
):
    client.force_login(provincial_editor)

    response = post_json(client, f"{PLAN}/links", {"higher": "qh-tinh-01"})

    assert response.status_code == 400
    assert response.json()["field"] == "higher"


def test_another_province_s_editor_may_not_link_a_published_plan(
    client, hanoi_editor, national_plan, hanoi_plan, post_json
):
    client.force_login(hanoi_editor)

    response = post_json(
        client, "/api/v1/plans/qh-tong-the-quoc-gia/links", {"higher": "qh-tinh-01"}
    )

    assert response.status_code == 403
