"""A file with one bad row is refused whole, with a report naming the row, column, value,
reason and fix; the database is unchanged. One test per kind of error."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from regionlink.indicators.models import BatchStatus, DataValue, StagedValue

pytestmark = pytest.mark.django_db

GOOD = [
    ["POP_AVG", "01", "Thành phố Hà Nội", "2016", "", "7328,4", "sơ bộ"],
    ["POP_AVG", "31", "Thành phố Hải Phòng", "2016", "", "1980.8", ""],
    ["AREA", "01", "Hà Nội", "2016", "", "3358,9", "chính thức"],
]


def refused_with(batch, code: str) -> dict:
    """The batch was refused, wrote nothing, and its report lists an error of ``code``."""
    assert batch.status == BatchStatus.FAILED, batch.report.get("errors")
    assert DataValue.objects.count() == 0
    assert not StagedValue.objects.filter(batch=batch).exists()
    found = [e for e in batch.report["errors"] if e["code"] == code]
    assert found, batch.report["errors"]
    error = found[0]
    assert error["reason"] and error["fix"] and error["message"].startswith("Dòng")
    return error


def test_a_good_file_is_staged_as_a_draft(import_rows):
    batch = import_rows(GOOD)
    assert batch.status == BatchStatus.DRAFT, batch.report["errors"]
    assert StagedValue.objects.filter(batch=batch).count() == 3
    assert batch.report["diff"]["new"] == 3
    assert DataValue.objects.count() == 0  # a draft publishes nothing


def test_one_bad_row_among_good_ones_refuses_the_whole_file_naming_the_row(import_rows):
    rows = [*GOOD, ["POP_AVG", "33", "Hưng Yên", "2016", "", "một nghìn", ""]]
    batch = import_rows(rows)
    error = refused_with(batch, "not_a_number")
    assert error["row"] == 5  # the header is row 1
    assert error["column"] == "F (gia_tri)"
    assert error["value"] == "một nghìn"
    assert "1.234,5" in error["fix"]
    assert batch.report["error_count"] == 1


def test_every_error_of_the_file_is_listed_not_only_the_first(import_rows):
    rows = [
        ["POP_AVG", "01", "", "2016", "", "abc", ""],
        ["NO_SUCH", "01", "", "2016", "", "1", ""],
        ["POP_AVG", "99", "", "2016", "", "1", ""],
    ]
    batch = import_rows(rows)
    codes = {e["code"] for e in batch.report["errors"]}
    assert codes == {"not_a_number", "unknown_indicator", "unknown_unit"}
    assert [e["row"] for e in batch.report["errors"]] == [2, 3, 4]


def test_an_unknown_indicator_is_refused_with_the_nearest_codes(import_rows):
    batch = import_rows([["POP_AVERAGE", "01", "", "2016", "", "7328,4", ""]])
    error = refused_with(batch, "unknown_indicator")
    assert "POP_AVG" in error["fix"]
    assert error["column"] == "A (ma_chi_tieu)"


def test_an_unknown_unit_name_gets_a_did_you_mean(import_rows):
    rows = [["POP_AVG", "", "Thanh Hao", "2016", "", "3528", ""]]
    batch = import_rows(rows)
    error = refused_with(batch, "unknown_unit")
    assert "Thanh Hóa" in error["fix"]


def test_a_unit_code_that_did_not_exist_in_the_period_is_refused(import_rows):
    # Hà Tây (28) merged into Hà Nội on 01/08/2008.
    batch = import_rows([["POP_AVG", "28", "", "2016", "", "2500", ""]])
    error = refused_with(batch, "unit_not_valid_in_period")
    assert "Hà Tây" in error["reason"] and "31/07/2008" in error["reason"]
    assert "01 Thành phố Hà Nội" in error["fix"]


def test_a_2025_province_named_with_a_2020_period_is_refused(import_rows):
    # Code 15 is Yên Bái until 30/06/2025 and the new Lào Cai from 01/07/2025.
    batch = import_rows([["POP_AVG", "15", "Tỉnh Lào Cai", "2020", "", "800", ""]])
    error = refused_with(batch, "unit_not_valid_in_period")
    assert "Lào Cai" in error["reason"] and "01/07/2025" in error["reason"]


def test_a_code_reused_over_time_means_the_unit_valid_in_the_period(import_rows):
    rows = [
        ["POP_AVG", "08", "", "2020", "", "790", ""],
        ["POP_AVG", "08", "", "2026", "", "1900", ""],
    ]
    batch = import_rows(rows)
    assert batch.status == BatchStatus.DRAFT, batch.report["errors"]
    staged = {s.period: s.unit for s in StagedValue.objects.filter(batch=batch)}
    assert staged["2020"].valid_to.isoformat() == "2025-06-30"  # the old Tuyên Quang
    assert staged["2026"].valid_from.isoformat() == "2025-07-01"  # the new one


def test_a_code_and_a_name_that_disagree_are_refused(import_rows):
    batch = import_rows([["POP_AVG", "01", "Hải Phòng", "2016", "", "1980,8", ""]])
    error = refused_with(batch, "unit_code_name_mismatch")
    assert "31" in error["fix"]


def test_a_historic_name_after_its_end_is_refused(import_rows):
    batch = import_rows([["POP_AVG", "", "Ha Tay", "2016", "", "2500", ""]])
    refused_with(batch, "unit_not_valid_in_period")


def test_a_historic_name_in_its_own_time_is_its_own_unit(import_rows):
    batch = import_rows([["POP_AVG", "", "Ha Tay", "2005", "", "2500", ""]])
    assert batch.status == BatchStatus.DRAFT, batch.report["errors"]
    unit = StagedValue.objects.get(batch=batch).unit
    assert (unit.code, unit.short_name) == ("28", "Hà Tây")


def test_a_duplicate_row_names_the_first_one(import_rows):
    rows = [*GOOD, ["POP_AVG", "1", "", "2016", "", "7328,4", ""]]  # "1": Excel dropped the 0
    batch = import_rows(rows)
    error = refused_with(batch, "duplicate_row")
    assert error["row"] == 5
    assert error["params"]["first"] == "2"


def test_a_value_outside_the_plausible_bounds_is_refused(import_rows):
    # Average population is in thousands: 7 328 400 persons is a unit mistake.
    batch = import_rows([["POP_AVG", "01", "", "2016", "", "7328400", ""]])
    error = refused_with(batch, "out_of_bounds")
    assert "nghìn người" in error["reason"]


def test_a_percentage_outside_0_to_100_is_refused(import_rows):
    batch = import_rows([["POVERTY_RATE", "01", "", "2016", "", "130", ""]])
    refused_with(batch, "percent_out_of_range")


def test_an_unknown_disaggregation_is_refused_with_the_allowed_keys(import_rows):
    batch = import_rows([["AREA", "01", "", "2016", "SEX=F", "3358,9", ""]])
    error = refused_with(batch, "unknown_disaggregation")
    assert error["column"] == "E (phan_to)"


def test_a_disaggregation_member_that_does_not_exist_is_refused(import_rows):
    batch = import_rows([["POP_AVG", "01", "", "2016", "SEX=X", "3600", ""]])
    refused_with(batch, "unknown_disaggregation")


def test_a_disaggregated_value_is_stored_under_its_canonical_key(import_rows):
    batch = import_rows([["POP_AVG", "01", "", "2016", "urban=u; sex=f", "2000", ""]])
    assert batch.status == BatchStatus.DRAFT, batch.report["errors"]
    assert StagedValue.objects.get(batch=batch).disaggregation == "SEX=F;URBAN=U"


def test_a_computed_indicator_is_refused_with_its_components(import_rows):
    batch = import_rows([["GRDP_PER_CAPITA", "01", "", "2016", "", "95", ""]])
    error = refused_with(batch, "computed_indicator")
    assert "GRDP" in error["reason"] and "POP_AVG" in error["reason"]


def test_an_unknown_status_is_refused(import_rows):
    batch = import_rows([["POP_AVG", "01", "", "2016", "", "7328,4", "tạm tính"]])
    refused_with(batch, "invalid_status")


def test_an_invalid_period_is_refused(import_rows):
    batch = import_rows([["POP_AVG", "01", "", "2016-13", "", "7328,4", ""]])
    refused_with(batch, "invalid_period")


def test_a_missing_value_is_an_error_but_two_dots_are_counted_as_missing(import_rows):
    refused_with(import_rows([["POP_AVG", "01", "", "2016", "", "", ""]]), "missing_value")
    batch = import_rows([*GOOD, ["POP_AVG", "33", "", "2016", "", "..", ""]])
    assert batch.status == BatchStatus.DRAFT
    assert batch.report["missing"] == 1
    assert batch.report["warning_counts"]["missing_skipped"] == 1


def test_statuses_and_periods_of_several_forms_are_understood(import_rows):
    rows = [
        ["POP_AVG", "01", "", "2016", "", "1", "Prel."],
        ["POP_AVG", "01", "", "2016-Q1", "", "1", "ước tính"],
        ["POP_AVG", "01", "", "2016-03", "", "1", "F"],
    ]
    batch = import_rows(rows)
    assert batch.status == BatchStatus.DRAFT, batch.report["errors"]
    statuses = dict(StagedValue.objects.filter(batch=batch).values_list("period", "status"))
    assert statuses == {"2016": "preliminary", "2016-Q1": "estimated", "2016-03": "forecast"}


def test_a_file_without_the_required_columns_is_refused_naming_them(import_rows, stats_dataset):
    from regionlink.indicators.importing.pipeline import run_import

    content = b"ma_chi_tieu,ma_don_vi,gia_tri\r\nPOP_AVG,01,1\r\n"
    batch = run_import(
        actor="test", dataset=stats_dataset, path_or_file=content, file_name="thieu.csv"
    )
    assert batch.status == BatchStatus.FAILED
    assert [e["code"] for e in batch.report["errors"]] == ["missing_column"]
    assert batch.report["errors"][0]["column"] == "ky"


def test_validation_costs_no_query_per_row(import_rows):
    rows = [
        ["POP_AVG", code, "", str(year), "", "100", ""]
        for code in ("01", "31", "33", "35")
        for year in range(2000, 2020)
    ]
    earlier = [[*r[:3], str(int(r[3]) - 20), *r[4:]] for r in rows]

    def queries(rows) -> int:
        with CaptureQueriesContext(connection) as captured:
            batch = import_rows(rows, dry_run=True)
        assert batch.report["values_valid"] == len(rows)
        staging = 'INSERT INTO "indicators_stagedvalue"'
        return sum(1 for q in captured.captured_queries if not q["sql"].startswith(staging))

    assert queries([*rows, *earlier]) == queries(rows)  # twice the rows, not one query more
