"""Every format the hub reads gives the same values: long and wide templates, CSV and XLSX,
any separator, legacy encodings; the downloadable templates import as they are."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from openpyxl import Workbook

from regionlink.indicators.importing import encodings, templates
from regionlink.indicators.importing.pipeline import run_import
from regionlink.indicators.models import BatchStatus, StagedValue

pytestmark = pytest.mark.django_db

LONG = [
    ["POP_AVG", "01", "Thành phố Hà Nội", "2016", "", "7328,4", "sơ bộ"],
    ["POP_AVG", "48", "Thành phố Đà Nẵng", "2016", "", "1046,2", "sơ bộ"],
    ["POP_AVG", "46", "Tỉnh Thừa Thiên Huế", "2016", "SEX=F", "581,6", "sơ bộ"],
]
EXPECTED = {
    ("01", "2016", ""): (Decimal("7328.4"), "preliminary"),
    ("48", "2016", ""): (Decimal("1046.2"), "preliminary"),
    ("46", "2016", "SEX=F"): (Decimal("581.6"), "preliminary"),
}


def staged(batch) -> dict:
    assert batch.status == BatchStatus.DRAFT, batch.report["errors"]
    return {
        (s.unit.code, s.period, s.disaggregation): (s.value, s.status)
        for s in StagedValue.objects.filter(batch=batch).select_related("unit")
    }


def load(stats_dataset, content: bytes, name: str, **options):
    return run_import(
        actor="test", dataset=stats_dataset, path_or_file=content, file_name=name, **options
    )


def xlsx(rows: list[list], *, sheets=("Dữ liệu",)) -> bytes:
    """A workbook whose sheet "Dữ liệu" holds ``rows``; other sheets hold a note."""
    book = Workbook()
    book.remove(book.active)
    for name in sheets:
        sheet = book.create_sheet(name)
        for row in rows if name == "Dữ liệu" else [["Ghi chú", "không phải dữ liệu"]]:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_long_csv_with_semicolons_reads_the_same(stats_dataset, make_long_csv):
    batch = load(stats_dataset, make_long_csv(LONG, delimiter=";"), "dai.csv")
    assert staged(batch) == EXPECTED
    assert batch.report["format"] == "long-csv"


@pytest.mark.parametrize(
    ("encoding", "encode"),
    [
        (encodings.TCVN3, encodings.encode_tcvn3),
        (encodings.VNI, encodings.encode_vni),
        (encodings.CP1258, encodings.encode_cp1258),
    ],
)
def test_a_long_csv_in_a_legacy_encoding_imports_and_says_which(
    stats_dataset, make_long_csv, encoding, encode
):
    text = make_long_csv(LONG, encoding="utf-8").decode()
    batch = load(stats_dataset, encode(text), "cu.csv")
    assert staged(batch) == EXPECTED
    assert batch.encoding == encoding
    assert batch.report["encoding"] == encoding
    assert batch.report["warning_counts"]["legacy_encoding"] == 1


def test_names_in_a_legacy_encoding_are_checked_against_the_codes(stats_dataset, make_long_csv):
    rows = [["POP_AVG", "01", "Thành phố Đà Nẵng", "2016", "", "1", ""]]
    text = make_long_csv(rows, encoding="utf-8").decode()
    batch = load(stats_dataset, encodings.encode_vni(text), "cu.csv")
    assert batch.report["errors"][0]["code"] == "unit_code_name_mismatch"
    assert "Đà Nẵng" in batch.report["errors"][0]["reason"]


def test_a_long_xlsx_with_numbers_and_an_instruction_sheet(stats_dataset):
    header = ["Mã chỉ tiêu", "Mã đơn vị", "Kỳ", "Phân tổ", "Giá trị", "Tình trạng"]
    rows = [header] + [[r[0], int(r[1]), int(r[3]), r[4], float(r[5].replace(",", ".")), r[6]]
                       for r in LONG]  # fmt: skip
    batch = load(stats_dataset, xlsx(rows, sheets=("Hướng dẫn", "Dữ liệu")), "dai.xlsx")
    # The first sheet is the instructions: the reader takes the data sheet.
    assert staged(batch) == EXPECTED
    assert batch.report["format"] == "long-xlsx"
    assert batch.report["sheet"] == "Dữ liệu"


def test_a_wide_csv_reads_one_value_per_cell_with_preliminary_columns(stats_dataset):
    content = (
        "ma_chi_tieu,ma_don_vi,ten_don_vi,phan_to,2015,Sơ bộ 2016\r\n"
        'POP_AVG,01,Hà Nội,,"7216,0","7328,4"\r\n'
        'POP_AVG,48,Đà Nẵng,,..,"1046,2"\r\n'
        'POP_AVG,46,Thừa Thiên Huế,SEX=F,,"581,6"\r\n'
    ).encode()
    batch = load(stats_dataset, content, "rong.csv")
    values = staged(batch)
    assert values[("01", "2015", "")] == (Decimal("7216"), "official")
    assert {k: v for k, v in values.items() if k[1] == "2016"} == EXPECTED
    assert batch.report["missing"] == 1  # "..": counted, not a value
    assert batch.report["format"] == "wide-csv"


def test_a_wide_xlsx_with_the_indicator_chosen_at_import(stats_dataset):
    rows = [["ma_don_vi", "ten_don_vi", 2015, 2016], ["01", "Hà Nội", 7216.0, 7328.4]]
    batch = load(stats_dataset, xlsx(rows), "rong.xlsx", indicator="POP_AVG")
    values = staged(batch)
    assert values[("01", "2016", "")] == (Decimal("7328.4"), "official")
    assert batch.report["indicators"] == {"POP_AVG": 2}


def test_an_error_in_a_wide_file_names_the_cell(stats_dataset):
    content = "ma_chi_tieu,ma_don_vi,2015,2016\r\nPOP_AVG,01,7216,bảy nghìn\r\n".encode()
    batch = load(stats_dataset, content, "rong.csv")
    [error] = batch.report["errors"]
    assert (error["row"], error["column"]) == (2, "D (2016)")


def test_an_unknown_layout_is_refused_with_the_columns_it_needs(stats_dataset):
    batch = load(stats_dataset, b"a,b,c\r\n1,2,3\r\n", "la.csv")
    assert batch.status == BatchStatus.FAILED
    assert batch.report["errors"][0]["code"] == "unknown_format"
    assert "ma_chi_tieu" in batch.report["errors"][0]["reason"]


def test_a_broken_spreadsheet_is_refused_not_crashed(stats_dataset):
    batch = load(stats_dataset, b"PK\x03\x04 not really a zip", "hong.xlsx")
    assert batch.status == BatchStatus.FAILED
    assert batch.report["errors"][0]["code"] == "unreadable_file"


@pytest.mark.parametrize("kind", templates.KINDS)
@pytest.mark.parametrize("file_format", templates.FORMATS)
def test_the_downloadable_templates_import_as_they_are(stats_dataset, kind, file_format):
    template = templates.build(kind, file_format, years=[2015, 2016])
    batch = load(stats_dataset, template.content, template.file_name, dry_run=True)
    assert batch.status == BatchStatus.CHECKED, batch.report["errors"]
    assert batch.report["values_valid"] >= 1
    assert batch.report["format"] == f"{kind}-{file_format}"


def test_the_xlsx_template_explains_itself_in_vietnamese(stats_dataset):
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(templates.build("long", "xlsx").content))
    assert book.sheetnames == ["Dữ liệu", "Hướng dẫn", "Danh mục"]
    guide = " ".join(str(c) for row in book["Hướng dẫn"].iter_rows(values_only=True) for c in row)
    for needle in ("2016-Q1", "sơ bộ", "SEX", "URBAN=U", "1.234,5", "Tuyên Quang", "POP_AVG"):
        assert needle in guide, needle
    listed = {row[0] for row in book["Danh mục"].iter_rows(values_only=True)}
    assert {"POP_AVG", "GRDP", "POP_DENSITY"} <= listed
    assert book["Dữ liệu"]["B2"].value == "01"  # a text cell keeps its leading zero


def test_a_broken_byte_in_a_unicode_file_is_refused_naming_where(stats_dataset, make_long_csv):
    content = make_long_csv(LONG) + b"POP_AVG,35,H\xe0 Nam,2016,,802,\r\n"  # a Latin-1 byte
    batch = load(stats_dataset, content, "hong.csv")
    assert batch.status == BatchStatus.FAILED
    [error] = [e for e in batch.report["errors"] if e["code"] == "unreadable_file"]
    assert error["row"] == 5
    assert "utf-8: 0xE0" in error["reason"]
