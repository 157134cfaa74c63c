"""`regionlink plans review|reminders|import-targets` from the command line."""

from __future__ import annotations

import io
import json

import pytest
import test_plan_review_world as world
from django.core.management import call_command
from django.core.management.base import CommandError

from regionlink.plans.models import Finding, PlanTarget, ReviewRun

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command("plans", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def registry(reference_organisations):
    _nation, region, provinces = world.delta()
    world.target(region, "INDUSTRIAL_PARK_AREA", 10000, "le")
    world.target(provinces["01"], "INDUSTRIAL_PARK_AREA", 6000, "le")
    world.target(provinces["22"], "INDUSTRIAL_PARK_AREA", 7000, "le")
    return region, provinces


def test_review_as_json_lists_the_stored_findings(registry):
    data = json.loads(
        run("review", "--region", "dbsh", "--as-of", "2026-06-30", "--format", "json")
    )
    assert data["region"] == "DBSH" and data["as_of"] == "2026-06-30"
    assert data["findings_count"] == len(data["findings"]) == Finding.objects.count()
    conflict = next(f for f in data["findings"] if f["kind"] == "target_conflict")
    assert conflict["params"]["implied"] == [13000, 13000]
    assert "Điều 5" in conflict["legal_basis"] and "vượt" in conflict["explanation"]
    assert ReviewRun.objects.get(pk=data["run"]).input_digest == data["input_digest"]


def test_review_as_text_ends_with_a_one_line_summary(registry):
    lines = run("review", "--as-of", "2026-06-30").strip().splitlines()
    assert lines[-1].startswith("Rà soát cả nước ngày 30/06/2026:")


def test_a_bad_region_code_fails_with_a_vietnamese_message(registry):
    with pytest.raises(CommandError, match="Không có vùng mã “XYZ”"):
        run("review", "--region", "XYZ")
    assert not ReviewRun.objects.exists()


def test_reminders_as_json(reference_organisations):
    plan = world.provincial_plan("01")
    data = json.loads(run("reminders", "--as-of", "2027-02-01", "--format", "json"))
    assert data["reminders"][0]["plan"] == plan.code
    assert data["reminders"][0]["kind"] == "evaluation_annual"


def test_import_targets_calls_the_target_import(reference_organisations, tmp_path):
    plan = world.provincial_plan("01")
    path = tmp_path / "chi-tieu.csv"
    path.write_text(
        "ma_chi_tieu,dia_ban,nam,so_sanh,gia_tri,gia_tri_toi_da,nam_goc,noi_dung\n"
        "POP_AVG,,2030,eq,9500,,,Dân số năm 2030\n",
        encoding="utf-8",
    )
    assert "1 chỉ tiêu mới" in run("import-targets", plan.code, str(path), "--dry-run")
    assert not PlanTarget.objects.exists()
    assert "1 chỉ tiêu mới" in run("import-targets", plan.code, str(path))
    assert PlanTarget.objects.filter(plan=plan, indicator__code="POP_AVG").count() == 1
    with pytest.raises(CommandError):
        run("import-targets", "khong-co", str(path))
