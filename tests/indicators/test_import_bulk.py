"""Large batches are staged as bulk loads and compared with the published values in one pass;
what the statistics office sees (counts, first examples, staged values) does not depend on the
database or on how the rows were loaded."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection

from regionlink.indicators.models import BatchStatus, StagedValue

pytestmark = pytest.mark.django_db

HEADER = ["ma_chi_tieu", "ma_don_vi", "ten_don_vi", "ky", "phan_to", "gia_tri", "tinh_trang"]
HEADER += ["nguon"]
METHODS = ["executemany", "bulk_create"]
if connection.vendor == "postgresql":
    METHODS.append("copy")


def staged(batch) -> list[tuple]:
    return list(
        StagedValue.objects.filter(batch=batch)
        .order_by("row_number")
        .values_list(
            "row_number",
            "indicator__code",
            "unit__code",
            "period",
            "period_start",
            "period_end",
            "disaggregation",
            "value",
            "status",
            "source",
        )
    )


@pytest.mark.parametrize("method", METHODS)
def test_every_staging_method_stages_the_same_values(method, stats_dataset, make_long_csv):
    from regionlink.indicators.importing.pipeline import run_import

    rows = [
        ["POP_AVG", "01", "", "2016", "", "7328,4", "sơ bộ", "Niên giám\t2016 \\ bản 2"],
        ["POP_AVG", "31", "", "2016-Q2", "", "1,5E+3", "", ""],
        ["POP_AVG", "01", "", "2016", "SEX=F", "3.701,1234567", "", "Dòng một\ndòng hai"],
    ]
    batch = run_import(
        actor="test fixture",
        dataset=stats_dataset,
        path_or_file=make_long_csv(rows, header=HEADER),
        file_name="so-lieu.csv",
        source="Cục Thống kê",
        method=method,
    )
    assert batch.status == BatchStatus.DRAFT, batch.report["errors"]
    assert staged(batch) == [
        (
            2,
            "POP_AVG",
            "01",
            "2016",
            dt.date(2016, 1, 1),
            dt.date(2016, 12, 31),
            "",
            Decimal("7328.4"),
            "preliminary",
            "Niên giám\t2016 \\ bản 2",
        ),
        (
            3,
            "POP_AVG",
            "31",
            "2016-Q2",
            dt.date(2016, 4, 1),
            dt.date(2016, 6, 30),
            "",
            Decimal("1500"),
            "official",
            "Cục Thống kê",
        ),
        (
            5,  # the line a spreadsheet shows: the quoted line break above counts
            "POP_AVG",
            "01",
            "2016",
            dt.date(2016, 1, 1),
            dt.date(2016, 12, 31),
            "SEX=F",
            Decimal("3701.123457"),
            "official",
            "Dòng một\ndòng hai",
        ),
    ]
    assert batch.report["diff"]["new"] == 3


def _units(count: int) -> list[str]:
    from regionlink.geography.models import AdministrativeUnit, valid_on_q

    first, last = dt.date(2015, 1, 1), dt.date(2024, 12, 31)
    units = AdministrativeUnit.objects.filter(valid_on_q(first), valid_on_q(last))
    codes = list(units.order_by("level", "code").values_list("code", flat=True)[:count])
    assert len(codes) == count
    return codes


def test_the_examples_are_the_first_rows_in_file_order_however_far_into_the_file(import_rows):
    """1,500 values of which the new ones start at row 1,102: past the first window read."""
    grid = [
        ["POP_AVG", code, "", str(year), "", f"{100 + n}", ""]
        for n, (code, year) in enumerate(
            (code, year) for code in _units(150) for year in range(2015, 2025)
        )
    ]
    first = import_rows(grid[:1100], publish=True)
    assert first.status == BatchStatus.PUBLISHED, first.report["errors"]
    second = [list(row) for row in grid]
    for row in second[1040:1100]:  # revised figures for 60 of the published values
        row[5] = str(int(row[5]) + 1)
    batch = import_rows(second, dry_run=True)
    assert batch.status == BatchStatus.CHECKED, batch.report["errors"]
    diff = batch.report["diff"]
    assert (diff["new"], diff["changed"], diff["unchanged"]) == (400, 60, 1040)
    assert [e["row"] for e in diff["examples"]["new"]] == list(range(1102, 1112))
    assert [e["row"] for e in diff["examples"]["changed"]] == list(range(1042, 1052))
    example = diff["examples"]["changed"][0]
    assert (example["old_value"], example["value"]) == ("1140", "1141")


def test_importing_the_same_large_file_again_changes_nothing(import_rows):
    grid = [
        ["POP_AVG", code, "", str(year), "", f"{100 + n},5", ""]
        for n, (code, year) in enumerate(
            (code, year) for code in _units(120) for year in range(2015, 2025)
        )
    ]
    assert import_rows(grid, publish=True).status == BatchStatus.PUBLISHED
    again = import_rows(grid, dry_run=True)
    diff = again.report["diff"]
    assert (diff["new"], diff["changed"], diff["unchanged"]) == (0, 0, 1200)
    assert diff["examples"] == {"new": [], "changed": []}
