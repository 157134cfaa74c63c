"""The targets import template: an example sheet and, in XLSX, a Vietnamese instruction sheet."""

from __future__ import annotations

import csv
import io

from django.utils.translation import gettext as _

COLUMNS = (
    "ma_chi_tieu",
    "dia_ban",
    "nam",
    "so_sanh",
    "gia_tri",
    "gia_tri_toi_da",
    "nam_goc",
    "noi_dung",
)
# --- Template --------------------------------------------------------------------------------
EXAMPLES = (
    ("URBANISATION_RATE", "", "2030", "≥", "55", "", "", "Tỷ lệ đô thị hóa năm 2030 trên 55%."),
    ("TRAINED_WORKERS_PCT", "", "2030", "", "48–52", "", "", "Lao động qua đào tạo 48–52%."),
    ("GRDP_GROWTH", "", "2030", "trong khoảng", "8", "9", "2020", "Tăng trưởng 8–9%/năm."),
)


def instructions() -> list[tuple[str, str]]:
    return [
        ("ma_chi_tieu", _("Mã chỉ tiêu trong danh mục của kho dữ liệu, ví dụ URBANISATION_RATE.")),
        (
            "dia_ban",
            _(
                "Để trống cho địa bàn của quy hoạch; hoặc mã tỉnh (01), mã vùng (DBSH), "
                "tên tỉnh, vùng. Tỉnh, vùng theo địa giới trong thời kỳ quy hoạch."
            ),
        ),
        ("nam", _("Năm mục tiêu, trong thời kỳ quy hoạch hoặc năm tầm nhìn.")),
        ("so_sanh", _("≥ (>=, ge), ≤ (<=, le), = (eq, khoảng) hoặc “trong khoảng”.")),
        (
            "gia_tri",
            _(
                "Số, ví dụ 55 hoặc 1.234,5 (một dấu chấm đứng riêng là dấu thập phân: "
                "viết 7500 hoặc 7 500, không viết 7.500); một khoảng ghi 48–52."
            ),
        ),
        (
            "gia_tri_toi_da",
            _("Cận trên khi so sánh là “trong khoảng”; để trống trong trường hợp khác."),
        ),
        ("nam_goc", _("Năm gốc của chỉ tiêu tốc độ tăng; để trống là năm trước thời kỳ.")),
        ("noi_dung", _("Nội dung chỉ tiêu như trong quyết định phê duyệt.")),
        (
            "",
            _(
                "Tệp được nhập toàn bộ hoặc không dòng nào; chạy thử để xem lỗi trước. Xóa các "
                "dòng ví dụ trước khi nhập."
            ),
        ),
    ]


def template(fmt: str = "xlsx") -> bytes:
    """An empty sheet with example rows; XLSX adds a Vietnamese instruction sheet."""
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(COLUMNS)
        writer.writerows(EXAMPLES)
        return ("\ufeff" + buffer.getvalue()).encode("utf-8")
    if fmt != "xlsx":
        raise ValueError(fmt)
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    data = book.active
    data.title = "Chỉ tiêu"
    data.append(list(COLUMNS))
    for row in EXAMPLES:
        data.append(list(row))
    for index in range(1, len(COLUMNS) + 1):
        data.cell(row=1, column=index).font = Font(bold=True)
        data.column_dimensions[chr(64 + index)].width = 18
    for row_number in range(2, 501):  # "01" stays a code, "48–52" stays text
        for column in ("B", "E"):
            data[f"{column}{row_number}"].number_format = "@"
    guide = book.create_sheet("Hướng dẫn")
    guide.append([str(_("Cột")), str(_("Cách ghi"))])
    for name, text in instructions():
        guide.append([name, str(text)])
    guide.column_dimensions["A"].width, guide.column_dimensions["B"].width = 18, 90
    for row in guide.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()
