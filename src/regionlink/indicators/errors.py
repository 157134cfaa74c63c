"""What can be wrong with a file of values, and how to fix it: one code per problem.

Every import problem is reported as an :class:`Issue` naming the row, the column, the value,
the reason and the fix, in Vietnamese (the English catalogue translates the templates). The
report keeps the code and the parameters too, so a page can render it in another language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class Severity(StrEnum):
    ERROR = "error"  # the batch is refused whole
    WARNING = "warning"  # reported; the batch goes on


class DataErrorCode(StrEnum):
    """Problems of an import batch (file, API submission or form), errors then warnings."""

    # Errors: the batch is refused whole and nothing is written.
    UNREADABLE_FILE = "unreadable_file"
    UNKNOWN_FORMAT = "unknown_format"
    MISSING_COLUMN = "missing_column"
    NO_VALUES = "no_values"
    UNKNOWN_INDICATOR = "unknown_indicator"
    UNKNOWN_COLUMN_LABEL = "unknown_column_label"
    COMPUTED_INDICATOR = "computed_indicator"
    INVALID_PERIOD = "invalid_period"
    UNKNOWN_UNIT = "unknown_unit"
    AMBIGUOUS_UNIT = "ambiguous_unit"
    UNIT_NOT_VALID_IN_PERIOD = "unit_not_valid_in_period"
    UNIT_CODE_NAME_MISMATCH = "unit_code_name_mismatch"
    MISSING_VALUE = "missing_value"
    NOT_A_NUMBER = "not_a_number"
    TOO_MANY_DIGITS = "too_many_digits"
    DUPLICATE_ROW = "duplicate_row"
    OUT_OF_BOUNDS = "out_of_bounds"
    PERCENT_OUT_OF_RANGE = "percent_out_of_range"
    UNKNOWN_DISAGGREGATION = "unknown_disaggregation"
    INVALID_STATUS = "invalid_status"
    OTHER_DATASET_VALUE = "other_dataset_value"
    INTERNAL_ERROR = "internal_error"
    # Warnings: reported, the batch goes on.
    MISSING_SKIPPED = "missing_skipped"
    COMPUTED_SKIPPED = "computed_skipped"
    IGNORED_COLUMN = "ignored_column"
    VALUE_ROUNDED = "value_rounded"
    LEGACY_ENCODING = "legacy_encoding"
    RECONCILIATION_MISMATCH = "reconciliation_mismatch"
    RECONCILIATION_SKIPPED = "reconciliation_skipped"
    RECONCILIATION_INCOMPLETE = "reconciliation_incomplete"
    REPLACES_OTHER_DATASET = "replaces_other_dataset"
    CREATED_LATER_SKIPPED = "created_later_skipped"


E, W = Severity.ERROR, Severity.WARNING

# code → (severity, reason, fix). Named placeholders only (translators reorder them).
MESSAGES: dict[DataErrorCode, tuple[Severity, str, str]] = {
    DataErrorCode.UNREADABLE_FILE: (
        E,
        gettext_lazy("Không đọc được tệp: %(detail)s."),
        gettext_lazy("Lưu tệp dạng CSV (UTF-8) hoặc XLSX theo mẫu rồi tải lên lại."),
    ),
    DataErrorCode.UNKNOWN_FORMAT: (
        E,
        gettext_lazy("Không nhận ra cấu trúc tệp: %(detail)s."),
        gettext_lazy(
            "Dùng mẫu dạng dài hoặc dạng rộng tải từ trang nhập dữ liệu, hoặc tệp PX-Web "
            "của Cục Thống kê đúng như khi tải về."
        ),
    ),
    DataErrorCode.MISSING_COLUMN: (
        E,
        gettext_lazy("Thiếu cột bắt buộc “%(column)s”."),
        gettext_lazy("Thêm cột “%(column)s” như trong mẫu%(hint)s."),
    ),
    DataErrorCode.NO_VALUES: (
        E,
        gettext_lazy("Tệp không có giá trị nào để nhập."),
        gettext_lazy("Kiểm tra tệp có các dòng số liệu bên dưới dòng tiêu đề."),
    ),
    DataErrorCode.UNKNOWN_INDICATOR: (
        E,
        gettext_lazy("Mã chỉ tiêu “%(value)s” không có trong danh mục chỉ tiêu."),
        gettext_lazy("Dùng một mã trong danh mục chỉ tiêu%(hint)s."),
    ),
    DataErrorCode.UNKNOWN_COLUMN_LABEL: (
        E,
        gettext_lazy("Không biết cột “%(value)s” ứng với chỉ tiêu nào."),
        gettext_lazy(
            "Chạy lại với --indicator MÃ_CHỈ_TIÊU (hoặc chọn chỉ tiêu trên trang nhập) "
            "để nói rõ tệp chứa chỉ tiêu nào."
        ),
    ),
    DataErrorCode.COMPUTED_INDICATOR: (
        E,
        gettext_lazy(
            "Chỉ tiêu %(indicator)s được hệ thống tính từ %(components)s, không nhập trực tiếp."
        ),
        gettext_lazy(
            "Bỏ các dòng %(indicator)s; nhập các chỉ tiêu thành phần %(components)s, "
            "hệ thống sẽ tự tính."
        ),
    ),
    DataErrorCode.INVALID_PERIOD: (
        E,
        gettext_lazy("Kỳ “%(value)s” không hợp lệ."),
        gettext_lazy(
            "Ghi kỳ dạng năm (2016), quý (2016-Q1) hoặc tháng (2016-03), năm từ "
            "%(min)s đến %(max)s."
        ),
    ),
    DataErrorCode.UNKNOWN_UNIT: (
        E,
        gettext_lazy("Không tìm thấy đơn vị hành chính “%(value)s”."),
        gettext_lazy("Ghi mã đơn vị (ví dụ 01 cho Hà Nội) hoặc tên đúng.%(hint)s"),
    ),
    DataErrorCode.AMBIGUOUS_UNIT: (
        E,
        gettext_lazy("“%(value)s” ứng với nhiều đơn vị: %(candidates)s."),
        gettext_lazy("Ghi mã đơn vị thay cho tên, hoặc ghi kèm tên tỉnh."),
    ),
    DataErrorCode.UNIT_NOT_VALID_IN_PERIOD: (
        E,
        gettext_lazy("Đơn vị %(unit)s không tồn tại trong kỳ %(period)s (%(validity)s)."),
        gettext_lazy("%(advice)s"),
    ),
    DataErrorCode.UNIT_CODE_NAME_MISMATCH: (
        E,
        gettext_lazy("Mã %(code)s trong kỳ %(period)s là %(unit)s, không phải “%(name)s”."),
        gettext_lazy("Sửa mã hoặc tên cho khớp nhau.%(hint)s"),
    ),
    DataErrorCode.MISSING_VALUE: (
        E,
        gettext_lazy("Thiếu giá trị."),
        gettext_lazy("Ghi số liệu, hoặc ghi “..” nếu không có số liệu (dòng đó sẽ được bỏ qua)."),
    ),
    DataErrorCode.NOT_A_NUMBER: (
        E,
        gettext_lazy("Giá trị “%(value)s” không phải là số."),
        gettext_lazy(
            "Ghi số theo một trong các dạng 1234,5 · 1.234,5 · 1234.5 · 1,234.5 (một dấu "
            "phân cách duy nhất luôn là dấu thập phân); ghi “..” nếu không có số liệu."
        ),
    ),
    DataErrorCode.TOO_MANY_DIGITS: (
        E,
        gettext_lazy("Giá trị “%(value)s” có quá nhiều chữ số (tối đa 18 chữ số phần nguyên)."),
        gettext_lazy("Kiểm tra đơn vị tính của chỉ tiêu (ví dụ tỷ đồng, không phải đồng)."),
    ),
    DataErrorCode.DUPLICATE_ROW: (
        E,
        gettext_lazy("Trùng với dòng %(first)s: cùng chỉ tiêu, đơn vị, kỳ và phân tổ."),
        gettext_lazy("Giữ một trong hai dòng và xóa dòng còn lại."),
    ),
    DataErrorCode.OUT_OF_BOUNDS: (
        E,
        gettext_lazy(
            "Giá trị %(value)s nằm ngoài khoảng hợp lý %(min)s – %(max)s của chỉ tiêu "
            "%(indicator)s (%(unit)s)."
        ),
        gettext_lazy(
            "Kiểm tra đơn vị tính (%(unit)s) và số chữ số; nếu số liệu đúng, báo người quản "
            "lý danh mục để nới khoảng hợp lý."
        ),
    ),
    DataErrorCode.PERCENT_OUT_OF_RANGE: (
        E,
        gettext_lazy(
            "%(indicator)s là tỷ lệ phần trăm nhưng giá trị %(value)s nằm ngoài khoảng 0–100."
        ),
        gettext_lazy("Ghi phần trăm dạng 12,5 (không phải 0,125 hay 1250)."),
    ),
    DataErrorCode.UNKNOWN_DISAGGREGATION: (
        E,
        gettext_lazy("Phân tổ “%(value)s” không dùng được cho %(indicator)s: %(detail)s"),
        gettext_lazy(
            "Ghi dạng CHIỀU=MÃ, ví dụ SEX=F; %(indicator)s có: %(allowed)s. Để trống nếu là "
            "số tổng."
        ),
    ),
    DataErrorCode.INVALID_STATUS: (
        E,
        gettext_lazy("Tình trạng số liệu “%(value)s” không hợp lệ."),
        gettext_lazy(
            "Dùng một trong: chính thức, sơ bộ, ước tính, dự báo (hoặc official, "
            "preliminary, estimated, forecast); để trống nghĩa là chính thức."
        ),
    ),
    DataErrorCode.OTHER_DATASET_VALUE: (
        E,
        gettext_lazy(
            "Giá trị %(indicator)s của %(unit)s kỳ %(period)s đã được công bố trong bộ dữ liệu "
            "“%(dataset)s” của %(owner)s; bạn không có quyền thay."
        ),
        gettext_lazy("Bỏ dòng này, hoặc đề nghị %(owner)s cập nhật số liệu."),
    ),
    DataErrorCode.INTERNAL_ERROR: (
        E,
        gettext_lazy("Lỗi hệ thống khi xử lý tệp: %(detail)s."),
        gettext_lazy("Báo quản trị hệ thống, gửi kèm số lô %(batch)s."),
    ),
    DataErrorCode.MISSING_SKIPPED: (
        W,
        gettext_lazy("%(count)s ô không có số liệu (“..”) đã được bỏ qua."),
        gettext_lazy("Không cần sửa: ô trống không phải là số 0."),
    ),
    DataErrorCode.COMPUTED_SKIPPED: (
        W,
        gettext_lazy("Bỏ qua %(count)s giá trị %(indicator)s: hệ thống tự tính từ %(components)s."),
        gettext_lazy("Không cần sửa: hệ thống tự tính %(indicator)s từ %(components)s."),
    ),
    DataErrorCode.IGNORED_COLUMN: (
        W,
        gettext_lazy("Cột “%(column)s” không thuộc mẫu nên được bỏ qua."),
        gettext_lazy("Xóa cột này nếu không cần; tên các cột của mẫu ở trang “Hướng dẫn”."),
    ),
    DataErrorCode.VALUE_ROUNDED: (
        W,
        gettext_lazy("%(count)s giá trị có hơn 6 chữ số thập phân đã được làm tròn."),
        gettext_lazy("Không cần sửa, trừ khi cần độ chính xác cao hơn."),
    ),
    DataErrorCode.LEGACY_ENCODING: (
        W,
        gettext_lazy("Tệp dùng bảng mã %(encoding)s; đã chuyển sang Unicode."),
        gettext_lazy("Nên lưu tệp theo Unicode (UTF-8) cho lần sau."),
    ),
    DataErrorCode.RECONCILIATION_MISMATCH: (
        W,
        gettext_lazy(
            "%(region)s, %(indicator)s kỳ %(period)s: số trong tệp %(file_value)s khác tổng "
            "các tỉnh %(computed)s (chênh %(difference)s)."
        ),
        gettext_lazy("Đối chiếu với nguồn; chênh lệch nhỏ thường do làm tròn số của từng tỉnh."),
    ),
    DataErrorCode.RECONCILIATION_SKIPPED: (
        W,
        gettext_lazy(
            "Không đối chiếu dòng vùng của %(indicator)s: chỉ tiêu không cộng dồn theo địa bàn "
            "(%(rule)s)."
        ),
        gettext_lazy("Không cần sửa."),
    ),
    DataErrorCode.RECONCILIATION_INCOMPLETE: (
        W,
        gettext_lazy(
            "%(region)s, %(indicator)s kỳ %(period)s: thiếu số liệu của %(missing)s nên không "
            "đối chiếu được."
        ),
        gettext_lazy("Không cần sửa."),
    ),
    DataErrorCode.CREATED_LATER_SKIPPED: (
        W,
        gettext_lazy(
            "Bỏ qua %(count)s giá trị của đơn vị chưa thành lập trong kỳ (cơ quan thống kê tính "
            "lùi theo địa giới mới): %(values)s."
        ),
        gettext_lazy(
            "Không cần sửa: số liệu trước ngày thành lập thuộc về đơn vị khi đó; dòng vùng vẫn "
            "được đối chiếu có tính các giá trị này."
        ),
    ),
    DataErrorCode.REPLACES_OTHER_DATASET: (
        W,
        gettext_lazy(
            "%(count)s giá trị đang thuộc bộ dữ liệu “%(dataset)s” sẽ được thay bằng giá trị "
            "của lô này khi công bố."
        ),
        gettext_lazy("Kiểm tra đây đúng là số liệu thay thế."),
    ),
}


@dataclass
class Issue:
    """One problem found in a batch: where it is, what it is, and how to fix it."""

    code: DataErrorCode
    row: int | None = None
    column: str = ""
    value: str = ""
    params: dict = field(default_factory=dict)

    @property
    def severity(self) -> Severity:
        return MESSAGES[self.code][0]

    def _params(self) -> dict:
        return {"value": self.value, "column": self.column, "hint": "", **self.params}

    @property
    def reason(self) -> str:
        return str(MESSAGES[self.code][1]) % self._params()

    @property
    def fix(self) -> str:
        return str(MESSAGES[self.code][2]) % self._params()

    @property
    def where(self) -> str:
        parts = []
        if self.row is not None:
            parts.append(_("Dòng %(row)s") % {"row": self.row})
        if self.column:
            parts.append(_("cột “%(column)s”") % {"column": self.column})
        return ", ".join(parts)

    @property
    def message(self) -> str:
        """The whole sentence: where, reason, fix."""
        where = self.where
        text = f"{where}: {self.reason}" if where else self.reason
        how_to_fix = _("Cách sửa:")
        return f"{text} {how_to_fix} {self.fix}"

    def as_dict(self) -> dict:
        return {
            "code": str(self.code),
            "severity": str(self.severity),
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "reason": self.reason,
            "fix": self.fix,
            "message": self.message,
            "params": {k: str(v) for k, v in self.params.items()},
        }


def issue(
    code: DataErrorCode, /, *, row: int | None = None, column: str = "", value="", **params
) -> Issue:
    """An :class:`Issue`; ``value`` is shown as written (long values shortened)."""
    text = "" if value is None else str(value)
    if len(text) > 80:
        text = text[:77] + "…"
    return Issue(code, row, column or "", text, params)
