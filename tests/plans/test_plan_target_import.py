"""A regional planning official imports the region's targets from a spreadsheet."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from regionlink.audit.models import AuditEvent
from regionlink.geography.models import Region
from regionlink.plans import services
from regionlink.plans.models import PlanTarget
from regionlink.plans.target_import import import_targets, template

FIXTURE = "test fixture"
HEADER = "ma_chi_tieu;dia_ban;nam;so_sanh;gia_tri;gia_tri_toi_da;nam_goc;noi_dung\n"
SHEET = HEADER + (
    "URBANISATION_RATE;;2030;>=;55;;;Tỷ lệ đô thị hóa trên 55%\n"
    "TRAINED_WORKERS_PCT;;2030;;48–52;;;Lao động qua đào tạo 48–52%\n"
    "GRDP_GROWTH;DBSH;2030;ge;9;;;Tăng trưởng khoảng 9%/năm\n"
    "POP_AVG;Bắc Ninh;2030;=;1.720,5;;;Dân số Bắc Ninh (minh họa)\n"
    "INDUSTRIAL_PARK_AREA;27;2030;≤;7 500;;;Đất khu công nghiệp (minh họa)\n"
)


@pytest.fixture
def delta_plan(reference_organisations):
    return services.create_plan(
        actor=FIXTURE,
        code="vung-dbsh",
        name="Quy hoạch vùng Đồng bằng sông Hồng",
        level="regional",
        region=Region.objects.get(code="DBSH"),
        period_start=2021,
        period_end=2030,
        vision_year=2050,
        organising_body=reference_organisations["btc-vu-quan-ly-quy-hoach"],
        on=dt.date(2024, 5, 4),
    )


def run(plan, text: str, **kwargs):
    return import_targets(
        actor=FIXTURE, plan=plan, data=text.encode("utf-8"), filename="chi-tieu.csv", **kwargs
    )


def test_a_sheet_is_read_as_written_in_decisions(delta_plan):
    report = run(delta_plan, SHEET)
    assert report.errors == [] and (report.created, report.updated) == (5, 0)
    rows = {t.indicator.code: t for t in PlanTarget.objects.filter(plan=delta_plan)}
    assert rows["URBANISATION_RATE"].comparator == "ge"
    trained = rows["TRAINED_WORKERS_PCT"]
    assert (trained.comparator, trained.value, trained.value_max) == ("range", 48, 52)
    assert rows["GRDP_GROWTH"].region is None and rows["GRDP_GROWTH"].base_year == 2020
    assert str(rows["POP_AVG"].value.normalize()) == "1720.5"
    assert rows["POP_AVG"].province.code == "27"  # Bắc Ninh as of the plan's dates
    assert rows["POP_AVG"].province == rows["INDUSTRIAL_PARK_AREA"].province
    assert rows["INDUSTRIAL_PARK_AREA"].value == 7500


def test_importing_the_same_sheet_again_changes_nothing(delta_plan):
    run(delta_plan, SHEET)
    events = AuditEvent.objects.count()
    report = run(delta_plan, SHEET)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 5)
    assert AuditEvent.objects.count() == events


def test_a_changed_row_updates_its_target(delta_plan):
    run(delta_plan, SHEET)
    report = run(delta_plan, SHEET.replace(">=;55;", ">=;56;"))
    assert (report.created, report.updated, report.unchanged) == (0, 1, 4)
    assert PlanTarget.objects.get(indicator__code="URBANISATION_RATE").value == 56


def test_one_bad_row_imports_nothing_and_every_problem_is_named(delta_plan):
    bad = SHEET + "URBANISATION_RATE;Thanh Hóa;2030;>=;155;;;\nDO_THI;;2040;>=;abc;;;\n"
    report = run(delta_plan, bad)
    assert not PlanTarget.objects.exists()
    assert (report.created, report.updated, report.unchanged) == (0, 0, 0)
    found = {(e.row, e.column): e for e in report.errors}
    assert set(found) >= {(7, "gia_tri"), (8, "ma_chi_tieu"), (8, "gia_tri")}
    percent = found[(7, "gia_tri")]
    assert percent.value == "155" and "0–100" in percent.reason and percent.fix
    assert found[(8, "ma_chi_tieu")].value == "DO_THI"


def test_a_province_outside_the_region_is_refused_with_its_row(delta_plan):
    report = run(delta_plan, HEADER + "POP_AVG;38;2030;=;4000;;;\n")
    [error] = report.errors
    assert (error.row, error.column, error.value) == (2, "dia_ban", "38")
    assert "Thanh Hóa" in error.reason


def test_a_row_repeated_in_the_file_is_refused(delta_plan):
    report = run(delta_plan, SHEET + "URBANISATION_RATE;;2030;>=;57;;;\n")
    [error] = report.errors
    assert error.row == 7 and "dòng 2" in error.reason


def test_a_dry_run_reports_without_writing(delta_plan):
    report = run(delta_plan, SHEET, dry_run=True)
    assert report.ok and report.dry_run and report.created == 5
    assert not PlanTarget.objects.exists()


def test_a_sheet_without_its_columns_is_refused(delta_plan):
    # "Giá trị" written as a heading is the gia_tri column; the other two are missing.
    report = run(delta_plan, "chi tieu;Giá trị\nPOP_AVG;1\n")
    assert {e.column for e in report.errors} == {"ma_chi_tieu", "nam"}
    assert all("ma_chi_tieu" in e.fix for e in report.errors)


def test_the_xlsx_template_explains_itself_and_imports_once_filled(delta_plan):
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(template("xlsx")))
    assert book.sheetnames == ["Chỉ tiêu", "Hướng dẫn"]
    guide = [row[0] for row in book["Hướng dẫn"].iter_rows(values_only=True)]
    assert "ma_chi_tieu" in guide and "gia_tri_toi_da" in guide
    output = io.BytesIO()
    book.save(output)
    report = import_targets(
        actor=FIXTURE, plan=delta_plan, data=output.getvalue(), filename="mau.xlsx"
    )
    assert report.errors == [] and report.created == 3
    assert template("csv").decode("utf-8-sig").startswith("ma_chi_tieu,dia_ban,nam")
