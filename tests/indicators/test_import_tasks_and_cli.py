"""Imports run as background tasks with progress, and from the command line with a progress
bar, a report, and a non-zero exit status when the file is refused."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from regionlink.indicators.importing.pipeline import run_import, start_import
from regionlink.indicators.models import BatchStatus, StagedValue

pytestmark = pytest.mark.django_db

CODES = ["01", "31", "33", "35", "36", "37", "40", "42", "44", "46"]


def many_rows(years=range(1990, 2020)) -> list[list[str]]:
    return [
        ["POP_AVG", code, "", str(year), key, "500,5", ""]
        for code in CODES
        for year in years
        for key in ("", "SEX=M", "SEX=F", "URBAN=U", "URBAN=R", "SEX=F;URBAN=U")
    ]


def test_a_queued_import_runs_and_reports_its_progress(stats_dataset, data_steward, make_long_csv):
    rows = many_rows()
    batch = start_import(
        actor=data_steward,
        dataset=stats_dataset,
        path_or_file=make_long_csv(rows),
        file_name="tai-len.csv",
        source="Báo cáo tháng",
    )
    assert batch.task_id
    assert batch.status == BatchStatus.DRAFT, batch.report["errors"]  # the test backend runs it
    assert batch.rows_total == batch.rows_done == len(rows) == 1800
    assert batch.progress_percent == 100
    assert StagedValue.objects.filter(batch=batch, source="Báo cáo tháng").count() == 1800


def test_a_queued_import_of_a_file_on_the_server(stats_dataset, tmp_path, make_long_csv):
    path = tmp_path / "tren-may-chu.csv"
    path.write_bytes(make_long_csv(many_rows(range(2015, 2017))))
    batch = start_import(
        actor="test", dataset=stats_dataset, path_or_file=path, file_name=path.name
    )
    assert batch.status == BatchStatus.DRAFT
    assert batch.report["values_valid"] == 120


def test_progress_is_reported_while_reading(stats_dataset, make_long_csv):
    seen: list[tuple[int, int]] = []
    run_import(
        actor="test",
        dataset=stats_dataset,
        path_or_file=make_long_csv(many_rows()),
        file_name="lon.csv",
        dry_run=True,
        progress=lambda done, total: seen.append((done, total)),
    )
    assert len(seen) >= 2
    assert [d for d, _t in seen] == sorted(d for d, _t in seen)
    assert seen[-1] == (1800, 1800)


@pytest.fixture
def csv_file(tmp_path, make_long_csv):
    def write(rows, name="so-lieu.csv"):
        path = tmp_path / name
        path.write_bytes(make_long_csv(rows))
        return str(path)

    return write


def command(*arguments):
    out, err = io.StringIO(), io.StringIO()
    call_command("data", "import", *arguments, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_cli_dry_run_shows_a_bar_and_the_report(stats_dataset, csv_file):
    path = csv_file([["POP_AVG", "01", "", "2016", "", "7328,4", "sơ bộ"]])
    out, err = command(path, "--dataset", stats_dataset.code, "--dry-run")
    assert "[##############################] 100%" in err
    assert "Chạy thử: 1 giá trị hợp lệ — 1 mới" in out
    assert "long-csv" in out and "UTF-8 (BOM)" in out


def test_the_cli_refuses_a_bad_file_with_a_non_zero_exit(stats_dataset, csv_file):
    path = csv_file(
        [
            ["POP_AVG", "01", "", "2016", "", "7328,4", ""],
            ["POP_AVG", "99", "", "2016", "", "1", ""],
        ]
    )
    out = io.StringIO()
    with pytest.raises(CommandError) as refused:
        call_command(
            "data",
            "import",
            path,
            "--dataset",
            stats_dataset.code,
            stdout=out,
            stderr=io.StringIO(),
        )
    assert refused.value.returncode == 1
    assert "Dòng 3, cột “B (ma_don_vi)”" in out.getvalue()
    assert "1 lỗi" in str(refused.value)


def test_the_cli_applies_the_rights_of_the_person_named(stats_dataset, stats_viewer, csv_file):
    path = csv_file([["POP_AVG", "01", "", "2016", "", "7328,4", ""]])
    with pytest.raises(CommandError) as refused:
        command(path, "--dataset", stats_dataset.code, "--as", stats_viewer.username)
    assert refused.value.returncode == 2


def test_the_cli_prints_json_for_scripts(stats_dataset, csv_file):
    path = csv_file([["POP_AVG", "01", "", "2016", "", "7328,4", ""]])
    out, _err = command(path, "--dataset", stats_dataset.code, "--json")
    report = json.loads(out)
    assert report["status"] == "draft" and report["diff"]["new"] == 1


def test_the_cli_needs_a_dataset_when_there_are_several(stats_dataset, csv_file):
    from regionlink.indicators.datasets import create_dataset

    create_dataset(actor="test", owner=stats_dataset.owner, code="khac", name="Khác")
    with pytest.raises(CommandError) as refused:
        command(csv_file([["POP_AVG", "01", "", "2016", "", "1", ""]]))
    assert "tk-so-lieu-tinh" in str(refused.value) and "khac" in str(refused.value)
