"""Forms of the data hub pages: catalogue filters, the data-entry grid, the import wizard,
data set sharing and access requests (these parse only; the services check and write)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

from regionlink.indicators.models import DataSet, IndicatorGroup, Visibility
from regionlink.organisations.models import Organisation


class CatalogueFilterForm(forms.Form):
    """The catalogue's search box and its group and agency filters (GET)."""

    q = forms.CharField(
        label=_("Tìm chỉ tiêu"),
        required=False,
        max_length=100,
        help_text=_("Gõ có dấu hoặc không dấu, tên hoặc mã; ví dụ “dan so”, “GRDP”."),
    )
    group = forms.ModelChoiceField(
        label=_("Nhóm chỉ tiêu"),
        queryset=IndicatorGroup.objects.all(),
        required=False,
        to_field_name="code",
        empty_label=_("Tất cả 20 nhóm"),
    )
    agency = forms.ChoiceField(label=_("Cơ quan chịu trách nhiệm"), required=False)

    def __init__(self, *args, agencies: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [("", _("Tất cả cơ quan"))] + [(a, a) for a in agencies]
        self.fields["q"].widget.attrs.update(
            {"type": "search", "autocomplete": "off", "aria-describedby": "id_q_helptext"}
        )

    def filters(self) -> dict:
        """The cleaned filters; unknown values (a stale link) are dropped rather than refused."""
        if self.is_valid():
            return self.cleaned_data
        data = {}
        for name in ("q", "group", "agency"):
            if name not in self.errors:
                data[name] = self.cleaned_data.get(name)
        return data


# --- Import wizard: the upload ---------------------------------------------------------------

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
ALLOWED_EXTENSIONS = (".csv", ".xlsx")
# Signatures of files that are certainly not a CSV, whatever their name says.
_BINARY_SIGNATURES = (
    b"PK\x03\x04",  # zip (xlsx, docx, …)
    b"%PDF",
    b"\xd0\xcf\x11\xe0",  # OLE2: .xls, .doc
    b"MZ",  # Windows executable
    b"\x7fELF",
    b"\x89PNG",
    b"\xff\xd8\xff",  # JPEG
    b"GIF8",
    b"\x1f\x8b",  # gzip
    b"Rar!",
    b"7z\xbc\xaf",
)


def _extension(name: str) -> str:
    lowered = (name or "").lower()
    return next((ext for ext in ALLOWED_EXTENSIONS if lowered.endswith(ext)), "")


def _looks_like_xlsx(upload) -> bool:
    import zipfile

    upload.seek(0)
    if upload.read(4) != b"PK\x03\x04":
        return False
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError):
        return False
    finally:
        upload.seek(0)
    return "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names)


def _looks_like_text(upload) -> bool:
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    if not head.strip():
        return False
    if any(head.startswith(sig) for sig in _BINARY_SIGNATURES):
        return False
    # UTF-16 exports carry NULs in every other byte; anything else with NULs is binary.
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    return b"\x00" not in head


def check_upload(upload) -> str:
    """The format of an uploaded data file ("csv" or "xlsx"); a ValidationError otherwise."""
    name = upload.name or ""
    if upload.size > MAX_UPLOAD_BYTES:
        raise forms.ValidationError(
            _(
                "Tệp “%(name)s” lớn %(size)s MB, vượt giới hạn %(limit)s MB. Chia tệp thành nhiều "
                "phần (ví dụ theo năm) rồi nhập từng phần."
            )
            % {
                "name": name,
                "size": round(upload.size / 1024 / 1024, 1),
                "limit": MAX_UPLOAD_BYTES // 1024 // 1024,
            },
            code="too_large",
        )
    extension = _extension(name)
    if not extension:
        raise forms.ValidationError(
            _(
                "Tệp “%(name)s” không phải CSV hoặc XLSX. Chỉ nhận tệp .csv hoặc .xlsx; với tệp "
                ".xls, mở bằng Excel rồi lưu lại dưới dạng .xlsx."
            )
            % {"name": name},
            code="bad_extension",
        )
    if extension == ".xlsx" and not _looks_like_xlsx(upload):
        raise forms.ValidationError(
            _(
                "Tệp “%(name)s” có đuôi .xlsx nhưng nội dung không phải bảng tính Excel (XLSX). "
                "Mở tệp bằng Excel và lưu lại dưới dạng “Excel Workbook (.xlsx)”."
            )
            % {"name": name},
            code="bad_content",
        )
    if extension == ".csv" and not _looks_like_text(upload):
        raise forms.ValidationError(
            _(
                "Tệp “%(name)s” có đuôi .csv nhưng nội dung không phải văn bản CSV (có thể là "
                "tệp nén, PDF hay bảng tính). Xuất lại số liệu dưới dạng CSV hoặc XLSX."
            )
            % {"name": name},
            code="bad_content",
        )
    return extension.lstrip(".")


class UploadForm(forms.Form):
    """Step 1 of the import wizard: a data file for one of the user's data sets."""

    dataset = forms.ModelChoiceField(
        label=_("Bộ dữ liệu"),
        queryset=None,
        empty_label=None,
        help_text=_("Số liệu được nhập vào bộ dữ liệu này, dưới dạng bản nháp chờ duyệt."),
    )
    file = forms.FileField(
        label=_("Tệp số liệu (CSV hoặc XLSX)"),
        help_text=_(
            "Mẫu dài, mẫu rộng (đơn vị × năm) hoặc tệp CSV xuất từ PX-Web của Cục Thống kê; "
            "tối đa 50 MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )
    source = forms.CharField(
        label=_("Nguồn số liệu"),
        required=False,
        max_length=250,
        help_text=_("Ví dụ: Niên giám thống kê 2024. Để trống nếu tệp đã ghi nguồn."),
    )

    def __init__(self, *args, datasets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dataset"].queryset = datasets

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.file_format = check_upload(upload)
        return upload


# --- Data entry: one cell of the grid --------------------------------------------------------


def parse_number(text: str) -> Decimal | None:
    """A number as the importer reads it (``importing.validation.parse_number``: "1.234,5",
    "1234.5", "1 234"); None when it is not one."""
    from regionlink.indicators.importing.validation import NumberError
    from regionlink.indicators.importing.validation import parse_number as importer_number

    try:
        return importer_number(text)
    except (NumberError, InvalidOperation):
        return None


@dataclass
class CellCheck:
    """What as-you-type validation says about one cell."""

    text: str
    value: Decimal | None = None
    error: str = ""
    warning: str = ""
    reading: str = ""

    @property
    def empty(self) -> bool:
        return not self.text.strip()


def check_cell(indicator, text: str) -> CellCheck:
    """Numeric, within the indicator's plausible bounds, a percentage within 0–100."""
    from regionlink.web.templatetags.regionlink_tags import vn_number

    result = CellCheck(text=(text or "").strip()[:40])
    if result.empty:
        return result
    value = parse_number(result.text)
    if value is None:
        result.error = _(
            "“%(value)s” không phải là số. Nhập số, dùng dấu phẩy cho phần thập phân, ví dụ "
            "1.234,5."
        ) % {"value": result.text}
        return result
    result.value = value
    if "." in result.text and "," not in result.text:
        # A lone dot is a decimal mark to the importer: "1.234" is 1,234, not 1.234 (say so).
        result.reading = _("đọc là %(value)s") % {"value": vn_number(value)}
    if indicator.is_percentage and not (0 <= value <= 100):
        result.error = _(
            "Tỷ lệ phần trăm phải trong khoảng 0–100; %(value)s nằm ngoài khoảng này."
        ) % {"value": vn_number(value)}
        return result
    low, high = indicator.min_value, indicator.max_value
    if (low is not None and value < low) or (high is not None and value > high):
        result.error = _(
            "%(value)s nằm ngoài khoảng hợp lý %(low)s–%(high)s của chỉ tiêu; kiểm tra đơn vị "
            "tính (%(unit)s)."
        ) % {
            "value": vn_number(value),
            "low": vn_number(low.normalize()) if low is not None else "…",
            "high": vn_number(high.normalize()) if high is not None else "…",
            "unit": indicator.unit_of_measure,
        }
    return result


def parts_warning(total: CellCheck, parts: list[tuple[str, CellCheck]], dimension_name: str):
    """A warning when the members of a dimension (male + female) do not add up to the total."""
    from regionlink.web.templatetags.regionlink_tags import vn_number

    if total.value is None or not parts or any(c.value is None for _n, c in parts):
        return ""
    added = sum((c.value for _n, c in parts), Decimal(0))
    # Half a unit of the last digit typed, per part: published figures are rounded.
    exponent = min(c.value.as_tuple().exponent for c in [total, *(c for _n, c in parts)])
    tolerance = Decimal(1).scaleb(min(exponent, 0)) * len(parts) / 2
    if abs(added - total.value) <= tolerance:
        return ""
    return _("%(dimension)s: %(names)s = %(sum)s, khác tổng %(total)s. Kiểm tra lại các ô.") % {
        "dimension": dimension_name,
        "names": " + ".join(name for name, _c in parts),
        "sum": vn_number(added),
        "total": vn_number(total.value),
    }


# --- Data sets: sharing and access requests -------------------------------------------------


class SharingForm(forms.Form):
    visibility = forms.ChoiceField(
        label=_("Phạm vi chia sẻ"), choices=Visibility.choices, widget=forms.RadioSelect
    )
    shared_with = forms.ModelMultipleChoiceField(
        label=_("Các cơ quan được chia sẻ"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 12}),
        help_text=_(
            "Dùng với phạm vi “Các cơ quan được chỉ định”; giữ Ctrl để chọn nhiều cơ quan. Các "
            "đơn vị trực thuộc cơ quan được chọn cũng được xem. Chọn “Chỉ cơ quan chủ quản” sẽ "
            "xóa danh sách này."
        ),
    )
    embargo_until = forms.DateTimeField(
        label=_("Cấm công bố đến"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"],
        help_text=_(
            "Giờ Việt Nam. Trước thời điểm này chỉ cơ quan chủ quản (và cấp trên) xem được số "
            "liệu, kể cả khi bộ dữ liệu công khai. Để trống nếu không cấm."
        ),
    )

    def __init__(self, *args, dataset: DataSet, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "visibility": dataset.visibility,
                "shared_with": list(dataset.shared_with.all()),
                "embargo_until": dataset.embargo_until,
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["shared_with"].queryset = (
            Organisation.objects.filter(is_active=True)
            .exclude(pk=dataset.owner_id)
            .order_by("name")
        )


class AccessRequestForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Cơ quan đề nghị"), queryset=Organisation.objects.none()
    )
    reason = forms.CharField(
        label=_("Lý do đề nghị"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Số liệu dùng vào việc gì; cơ quan chủ quản đọc lý do này."),
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        if len(organisations) == 1:
            self.fields["organisation"].initial = organisations[0].pk


class RequestByCodeForm(AccessRequestForm):
    code = forms.SlugField(
        label=_("Mã bộ dữ liệu"),
        max_length=80,
        help_text=_("Mã do cơ quan chủ quản cung cấp, ví dụ “tk-lao-dong-2024”."),
    )
    field_order = ["code", "organisation", "reason"]
