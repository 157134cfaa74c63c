"""Downloadable import templates: long and wide, CSV and XLSX, explained in Vietnamese.

The XLSX has three sheets: "Dữ liệu" (the columns and one example row, a real figure of the
statistics office, so leaving it in does no harm), "Hướng dẫn" (columns, period forms,
number forms, status values, disaggregation keys, units and an example) and "Danh mục" (the
indicators that can be imported). The reader skips the last two. The CSV is the first sheet
alone, in UTF-8 with BOM so that Excel shows the Vietnamese letters.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

from django.utils.translation import gettext as _

from regionlink.indicators.importing.readers import LONG_COLUMNS, WIDE_COLUMNS

KINDS = ("long", "wide")
FORMATS = ("csv", "xlsx")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
# A published figure (Niên giám thống kê 2016): Hà Nội's average population, thousand persons.
EXAMPLE = {
    "ma_chi_tieu": "POP_AVG",
    "ma_don_vi": "01",
    "ten_don_vi": "Thành phố Hà Nội",
    "ky": "2016",
    "phan_to": "",
    "gia_tri": "7328,4",
    "tinh_trang": "sơ bộ",
    "nguon": "Niên giám thống kê 2016",
}
EXAMPLE_WIDE_YEARS = {"2015": "7216,0", "2016": "7328,4"}


@dataclass(frozen=True)
class Template:
    file_name: str
    content_type: str
    content: bytes


def _wide_years(years) -> list[str]:
    if years:
        return [str(y) for y in years]
    this_year = dt.date.today().year
    return [str(y) for y in range(this_year - 5, this_year)]


def _rows(kind: str, years: list[str]) -> tuple[list[str], list[list[str]]]:
    if kind == "long":
        return list(LONG_COLUMNS), [[EXAMPLE[c] for c in LONG_COLUMNS]]
    header = [*WIDE_COLUMNS, *years]
    example = [EXAMPLE[c] if c != "tinh_trang" else "" for c in WIDE_COLUMNS]
    example += [EXAMPLE_WIDE_YEARS.get(y, "") for y in years]
    return header, [example]


def build(kind: str = "long", file_format: str = "xlsx", *, years=None) -> Template:
    """The template of ``kind`` ("long"/"wide") as ``file_format`` ("csv"/"xlsx")."""
    if kind not in KINDS or file_format not in FORMATS:
        raise ValueError(f"Unknown template {kind}/{file_format}.")
    wide_years = _wide_years(years)
    if kind == "wide":
        wide_years = sorted(set(wide_years) | set(EXAMPLE_WIDE_YEARS))
    header, rows = _rows(kind, wide_years)
    name = f"regionlink-mau-{'dai' if kind == 'long' else 'rong'}.{file_format}"
    if file_format == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(rows)
        return Template(name, CSV_TYPE, buffer.getvalue().encode("utf-8-sig"))
    return Template(name, XLSX_TYPE, _xlsx(kind, header, rows))


# --- The instruction sheet -------------------------------------------------------------------
def column_help(kind: str) -> list[tuple[str, str, str, str]]:
    """(column, required, meaning, example) for each column of the template."""
    rows = [
        (
            "ma_chi_tieu",
            _("Có"),
            _(
                "Mã chỉ tiêu trong danh mục (trang “Danh mục”). Có thể bỏ cột này nếu khi nhập "
                "chọn một chỉ tiêu cho cả tệp."
            ),
            "POP_AVG",
        ),
        (
            "ma_don_vi",
            _("Có"),
            _(
                "Mã đơn vị hành chính (tỉnh 2 chữ số, xã 5 chữ số) có hiệu lực trong kỳ. Một mã "
                "có thể đổi nghĩa theo thời gian: 08 là Tuyên Quang cũ đến 30/06/2025 và Tuyên "
                "Quang mới từ 01/07/2025; hệ thống dùng đơn vị có hiệu lực trong kỳ. Định dạng ô "
                "là văn bản để giữ số 0 ở đầu."
            ),
            "01",
        ),
        (
            "ten_don_vi",
            _("Không"),
            _(
                "Tên đơn vị, để đối chiếu với mã (không dấu cũng được). Nếu bỏ trống mã, tên "
                "được dùng để tìm đơn vị."
            ),
            "Thành phố Hà Nội",
        ),
    ]
    if kind == "long":
        rows.append(("ky", _("Có"), _("Kỳ số liệu: năm, quý hoặc tháng (xem bên dưới)."), "2016"))
    rows.append(
        (
            "phan_to",
            _("Không"),
            _(
                "Phân tổ dạng CHIỀU=MÃ, nhiều chiều cách nhau bằng dấu chấm phẩy; để trống là số "
                "tổng."
            ),
            "SEX=F;URBAN=U",
        )
    )
    if kind == "long":
        rows.append(("gia_tri", _("Có"), _("Giá trị số (xem cách ghi số bên dưới)."), "7328,4"))
    rows.append(
        (
            "tinh_trang",
            _("Không"),
            _("Tình trạng số liệu; để trống là chính thức."),
            "sơ bộ",
        )
    )
    if kind == "long":
        rows.append(("nguon", _("Không"), _("Nguồn của giá trị này."), "Niên giám thống kê 2016"))
    else:
        rows.append(
            (
                "2015, 2016, …",
                _("Có"),
                _(
                    "Mỗi cột một kỳ: 2016, 2016-Q1, 2016-03. Ghi “Sơ bộ 2016” hoặc "
                    "“2016 (sơ bộ)” cho cả cột số liệu sơ bộ. Ô trống hoặc “..”: không có số liệu."
                ),
                "7328,4",
            )
        )
    return rows


def instructions(kind: str) -> list[list[str]]:
    """The instruction sheet as rows of cells (first cell a heading when alone)."""
    from regionlink.indicators.models import Dimension

    title = (
        _("Mẫu nhập số liệu dạng dài: mỗi dòng một giá trị")
        if kind == "long"
        else _("Mẫu nhập số liệu dạng rộng: mỗi dòng một chỉ tiêu của một đơn vị, mỗi cột một kỳ")
    )
    rows: list[list[str]] = [[title], []]
    rows.append([_("Các cột"), _("Bắt buộc"), _("Nội dung"), _("Ví dụ")])
    rows += [list(r) for r in column_help(kind)]
    rows += [[], [_("Kỳ số liệu")]]
    rows += [
        [_("Năm"), "2016"],
        [_("Quý"), "2016-Q1 (hoặc 2016Q1)"],
        [_("Tháng"), "2016-03"],
    ]
    rows += [[], [_("Cách ghi số")]]
    rows += [
        [_("Dấu thập phân phẩy (tiếng Việt)"), "1234,5 · 1.234,5"],
        [_("Dấu thập phân chấm (tiếng Anh)"), "1234.5 · 1,234.5"],
        [
            _("Một dấu phân cách duy nhất luôn là dấu thập phân"),
            "1.234 = 1,234 = một phẩy hai ba bốn",
        ],
        [
            _("Hàng nghìn: ghi liền, cách bằng khoảng trắng, hoặc có phần thập phân"),
            "1234 · 1 234 · 1.234,0",
        ],
        [_("Không có số liệu"), ".."],
    ]
    rows += [[], [_("Tình trạng số liệu")]]
    rows += [
        [_("chính thức (official) — mặc định khi để trống")],
        [_("sơ bộ (preliminary, Prel., P)")],
        [_("ước tính (estimated, E)")],
        [_("dự báo (forecast, F)")],
    ]
    rows += [[], [_("Phân tổ (mã chiều = mã nhóm)")]]
    for dimension in Dimension.objects.prefetch_related("members", "indicators"):
        members = ", ".join(f"{m.code} = {m.name}" for m in dimension.members.all())
        used = ", ".join(sorted(i.code for i in dimension.indicators.all()))
        rows.append([f"{dimension.code} ({dimension.name})", members, used])
    rows += [[], [_("Ví dụ")]]
    header, examples = _rows(kind, sorted(EXAMPLE_WIDE_YEARS))
    rows += [header, *examples]
    rows += [
        [],
        [_("Lưu ý")],
        [
            _(
                "Cả tệp được nhập hoặc từ chối cùng lúc: một dòng lỗi thì không giá trị nào được "
                "ghi; báo cáo nêu dòng, cột, giá trị, lý do và cách sửa."
            )
        ],
        [
            _(
                "Chỉ tiêu tính toán (tỷ lệ, mật độ, bình quân đầu người…) do hệ thống tự tính từ "
                "các chỉ tiêu thành phần, không nhập trực tiếp."
            )
        ],
        [_("Giá trị phần trăm ghi theo thang 0–100 (12,5 chứ không phải 0,125).")],
        [
            _(
                "Tệp CSV nên lưu theo UTF-8; tệp cũ theo bảng mã TCVN3 (ABC), VNI hoặc "
                "Windows-1258 cũng được nhận ra và chuyển đổi."
            )
        ],
    ]
    return rows


def catalogue_rows() -> list[list[str]]:
    from regionlink.indicators.models import Indicator, SpatialRule

    rows = [
        [
            _("Mã"),
            _("Tên chỉ tiêu"),
            _("Đơn vị tính"),
            _("Phân tổ"),
            _("Khoảng hợp lý"),
            _("Nhập được"),
        ]
    ]
    computed = (SpatialRule.RATIO, SpatialRule.DERIVED)
    for indicator in Indicator.objects.prefetch_related("dimensions").order_by("code"):
        low = "" if indicator.min_value is None else f"{indicator.min_value.normalize():f}"
        high = "" if indicator.max_value is None else f"{indicator.max_value.normalize():f}"
        rows.append(
            [
                indicator.code,
                indicator.name,
                indicator.unit_of_measure,
                ", ".join(d.code for d in indicator.dimensions.all()),
                f"{low} – {high}" if low or high else "",
                _("Không (hệ thống tự tính)") if indicator.spatial_rule in computed else _("Có"),
            ]
        )
    return rows


def _xlsx(kind: str, header: list[str], rows: list[list[str]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    book = Workbook()
    data = book.active
    data.title = "Dữ liệu"
    data.append(header)
    for row in rows:
        data.append(row)
    text_columns = {"ma_don_vi", "ky", "gia_tri", *(h for h in header if h[:1].isdigit())}
    for index, name in enumerate(header, start=1):
        cell = data.cell(row=1, column=index)
        cell.font, cell.fill = bold, fill
        letter = get_column_letter(index)
        data.column_dimensions[letter].width = max(12, len(name) + 4)
        if name in text_columns:  # keep "01" and "2016-03" as typed, not as numbers or dates
            for row_number in range(2, 1001):
                data.cell(row=row_number, column=index).number_format = "@"
    data.column_dimensions["C"].width = 24
    data.freeze_panes = "A2"
    guide = book.create_sheet("Hướng dẫn")
    for row in instructions(kind):
        guide.append(row)
        if len(row) == 1:
            guide.cell(row=guide.max_row, column=1).font = bold
    for letter, width in zip("ABCD", (34, 12, 80, 24), strict=True):
        guide.column_dimensions[letter].width = width
    for row in guide.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    listing = book.create_sheet("Danh mục")
    for row in catalogue_rows():
        listing.append(row)
    for index, width in enumerate((26, 60, 16, 16, 20, 24), start=1):
        listing.column_dimensions[get_column_letter(index)].width = width
        listing.cell(row=1, column=index).font = bold
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
