"""The import wizard: upload → detect → preview with errors → confirm → progress → report.
Only CSV and XLSX files are taken; a dry run writes nothing; uploads are kept privately."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from regionlink.indicators.models import (
    BatchStatus,
    DataValue,
    ImportBatch,
    StagedValue,
)

pytest_plugins = ["fixtures_pages"]  # personas, data sets, the /data/ urls
pytestmark = pytest.mark.django_db

URL = "/data/import/"
HEADER = b"ma_chi_tieu,ma_don_vi,ky,phan_to,gia_tri,tinh_trang\n"
GOOD = HEADER + "POP_AVG,68,2023,,1320.5,\nPOP_AVG,68,2024,,1330.1,sơ bộ\n".encode()
BAD = HEADER + "POP_AVG,68,2023,,1320.5,\nDAN_SO,68,2023,,12,\nPOP_AVG,68,2024,,nhiều,\n".encode()


def upload(client, name: str, content: bytes, dataset="lam-dong-noi-bo"):
    from regionlink.indicators.models import DataSet

    pk = DataSet.objects.get(code=dataset).pk
    return client.post(URL, {"dataset": pk, "file": SimpleUploadedFile(name, content)})


@pytest.fixture
def signed_in(client, pages, restricted_population, lam_dong_editor):
    client.force_login(lam_dong_editor)
    return client


def test_the_upload_step_offers_the_templates(signed_in):
    html = signed_in.get(URL).content.decode()

    assert 'enctype="multipart/form-data"' in html
    assert 'href="/data/import/templates/long.xlsx"' in html
    assert 'href="/data/import/templates/wide.csv"' in html
    assert 'aria-current="step"' in html


def test_a_template_downloads_with_its_vietnamese_instruction_sheet(signed_in):
    from openpyxl import load_workbook

    response = signed_in.get("/data/import/templates/long.xlsx")

    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    sheets = load_workbook(io.BytesIO(response.content)).sheetnames
    assert "Hướng dẫn" in sheets
    assert signed_in.get("/data/import/templates/long.pdf").status_code == 404


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("bao-cao.pdf", b"%PDF-1.7 not a table"),
        ("so-lieu.csv", b"%PDF-1.7 a pdf renamed to csv"),
        ("so-lieu.xlsx", b"ma_chi_tieu,gia_tri\nPOP_AVG,1\n"),
        ("so-lieu.xls", b"\xd0\xcf\x11\xe0 an old Excel file"),
    ],
)
def test_the_wizard_refuses_a_file_that_is_not_csv_or_xlsx_in_vietnamese(signed_in, name, content):
    batches = ImportBatch.objects.count()

    response = upload(signed_in, name, content)

    assert response.status_code == 400
    html = response.content.decode()
    assert f"Tệp “{name}”" in html
    assert "không phải CSV hoặc XLSX" in html or "nội dung không phải" in html
    assert ImportBatch.objects.count() == batches


def test_a_dry_run_of_a_bad_file_shows_its_errors_and_writes_nothing(signed_in, pages):
    values, staged = DataValue.objects.count(), StagedValue.objects.count()

    response = upload(signed_in, "dan-so.csv", BAD)

    batch = ImportBatch.objects.latest("pk")
    assert response.status_code == 302 and response["Location"] == f"/data/import/{batch.pk}/"
    assert batch.dry_run and batch.status == BatchStatus.FAILED
    html = signed_in.get(response["Location"]).content.decode()
    assert "Lỗi (2)" in html
    errors = html[html.index('id="rl-errors"') :]
    assert re.search(
        r'<th scope="row" class="fw-normal">3</th>\s*<td>[^<]*</td>\s*'
        r'<td class="rl-value"><code>DAN_SO</code>',
        errors,
    )
    assert "<code>nhiều</code>" in errors
    assert "Cách sửa" in errors and "Xác nhận và nhập" not in html
    assert DataValue.objects.count() == values and StagedValue.objects.count() == staged
    assert not list(pages.glob("imports/*"))  # a refused upload is not kept


def test_a_good_file_is_detected_previewed_confirmed_and_reported(signed_in, pages):
    staged = StagedValue.objects.count()

    response = upload(signed_in, "dan-so.csv", GOOD)

    checked = ImportBatch.objects.latest("pk")
    assert checked.status == BatchStatus.CHECKED and StagedValue.objects.count() == staged
    stored = list(pages.glob("imports/*"))
    assert len(stored) == 1 and re.fullmatch(r"[0-9a-f]{32}\.csv", stored[0].name)
    html = signed_in.get(response["Location"]).content.decode()
    detect = html[html.index('id="rl-detect"') :]
    assert "Mẫu dạng dài (CSV)" in detect and "utf-8" in detect.lower()
    assert "2023 – 2024" in detect and '<code class="small">POP_AVG</code>' in detect
    assert "Xem trước" in html and "Xác nhận và nhập" in html

    confirmed = signed_in.post(f"/data/import/{checked.pk}/confirm/")

    real = ImportBatch.objects.latest("pk")
    assert confirmed["Location"] == f"/data/import/{real.pk}/"
    assert not real.dry_run and real.status == BatchStatus.DRAFT  # immediate task backend
    assert StagedValue.objects.filter(batch=real).count() == 2
    report = signed_in.get(confirmed["Location"]).content.decode()
    assert "Báo cáo" in report and "giá trị mới" in report
    assert "Gửi duyệt" in report and f'href="/data/batches/{real.pk}/"' in report
    assert not list(pages.glob("imports/*"))  # imported: the upload is deleted


def test_the_status_endpoint_reports_progress(signed_in, restricted_population, lam_dong_editor):
    from regionlink.indicators.importing import pipeline

    batch = pipeline.new_batch(
        actor=lam_dong_editor,
        dataset=restricted_population,
        file_name="lon.csv",
        source="",
        dry_run=False,
    )
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=BatchStatus.RUNNING, rows_total=200, rows_done=50
    )

    html = signed_in.get(
        f"/data/import/{batch.pk}/status/", headers={"HX-Request": "true"}
    ).content.decode()

    assert 'role="progressbar"' in html and 'aria-valuenow="25"' in html
    assert 'aria-valuemin="0"' in html and 'aria-valuemax="100"' in html
    assert 'hx-trigger="every 2s"' in html and "50/200 dòng" in html
    assert "rl-progress-25" in html and "style=" not in html

    ImportBatch.objects.filter(pk=batch.pk).update(status=BatchStatus.DRAFT, rows_done=200)
    done = signed_in.get(f"/data/import/{batch.pk}/status/", headers={"HX-Request": "true"})
    assert done["HX-Refresh"] == "true" and 'hx-trigger="every 2s"' not in done.content.decode()


def test_another_organisation_cannot_follow_someone_elses_import(
    client, pages, restricted_population, lam_dong_editor, ha_noi_editor
):
    from regionlink.indicators.importing import pipeline

    batch = pipeline.new_batch(
        actor=lam_dong_editor,
        dataset=restricted_population,
        file_name="lon.csv",
        source="",
        dry_run=False,
    )
    client.force_login(ha_noi_editor)

    assert client.get(f"/data/import/{batch.pk}/status/").status_code == 404
    assert client.get(f"/data/import/{batch.pk}/").status_code == 404
    assert client.post(f"/data/import/{batch.pk}/confirm/").status_code == 404


def test_a_viewer_cannot_open_the_wizard(client, pages, restricted_population, institute_viewer):
    client.force_login(institute_viewer)

    response = client.get(URL)

    assert response.status_code == 403 and "Biên tập" in response.content.decode()
