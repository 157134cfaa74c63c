"""Forms of the plan pages. They only parse what a person typed; the services in
``services``, ``lifecycle``, ``documents``, ``consultation``, ``targets``, ``conformity`` and
``findings`` check permissions and the Planning Law's rules, and write."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from regionlink.geography.models import AdministrativeUnit, Level, Region
from regionlink.organisations.models import Organisation
from regionlink.plans.law import PlanLevel
from regionlink.plans.models import (
    Comparator,
    DocumentType,
    FindingStatus,
    PlanTarget,
    ResponseKind,
    Stage,
    VersionKind,
)
from regionlink.plans.registration import REGISTRABLE_STAGES

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
DATE_HELP = _("Dạng dd/mm/yyyy, ví dụ 15/03/2025.")


def date_field(label, *, required=True, initial=None) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        initial=initial,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"}),
        help_text=DATE_HELP,
    )


def _region_choices():
    """Current regions first, then those that ended with the 2025 reorganisation."""
    regions = Region.objects.order_by("valid_to", "sort_order")
    current, former = [], []
    for region in regions:
        (former if region.valid_to else current).append((region.code, region.display_name))
    choices = [("", _("Tất cả vùng"))]
    if current:
        choices.append((_("Vùng hiện nay"), current))
    if former:
        choices.append((_("Vùng trước 01/07/2025"), former))
    return choices


class PlanFilterForm(forms.Form):
    """The plan list's search box and filters (GET); stale values are dropped, not refused."""

    q = forms.CharField(
        label=_("Tìm quy hoạch"),
        required=False,
        max_length=100,
        help_text=_("Gõ có dấu hoặc không dấu, tên hoặc mã; ví dụ “lam dong”."),
    )
    level = forms.ChoiceField(label=_("Cấp quy hoạch"), required=False)
    region = forms.ChoiceField(label=_("Vùng"), required=False)
    stage = forms.ChoiceField(label=pgettext_lazy("quy hoạch", "Giai đoạn"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = [("", _("Tất cả cấp")), *PlanLevel.choices]
        self.fields["region"].choices = _region_choices()
        self.fields["stage"].choices = [("", _("Mọi giai đoạn")), *Stage.choices]
        self.fields["q"].widget.attrs.update({"type": "search", "autocomplete": "off"})

    def filters(self) -> dict:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {name: data.get(name) or "" for name in ("q", "level", "region", "stage")}


def _provinces():
    return AdministrativeUnit.objects.filter(level=Level.PROVINCE).order_by("-valid_to", "code")


class ProvinceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        if obj.valid_to:
            return _("%(name)s (đến %(date)s)") % {
                "name": obj.name,
                "date": obj.valid_to.strftime("%d/%m/%Y"),
            }
        return obj.name


class PlanForm(forms.Form):
    """Create or edit a plan's registry entry (services.create_plan / update_plan)."""

    code = forms.SlugField(
        label=_("Mã quy hoạch"),
        max_length=80,
        help_text=_("Chữ thường không dấu, số và gạch ngang; ví dụ qh-tinh-lam-dong-2021-2030."),
    )
    name = forms.CharField(label=_("Tên quy hoạch"), max_length=300)
    name_en = forms.CharField(label=_("Tên tiếng Anh"), max_length=300, required=False)
    level = forms.ChoiceField(label=_("Cấp quy hoạch"), choices=PlanLevel.choices)
    sector = forms.CharField(label=_("Ngành, lĩnh vực"), max_length=200, required=False)
    region = forms.ModelChoiceField(
        label=_("Vùng"),
        queryset=Region.objects.order_by("valid_to", "sort_order"),
        to_field_name="code",
        required=False,
        help_text=_("Chỉ với quy hoạch vùng."),
    )
    province = ProvinceChoiceField(
        label=_("Tỉnh, thành phố"),
        queryset=_provinces(),
        required=False,
        help_text=_("Với quy hoạch tỉnh, quy hoạch đô thị và nông thôn."),
    )
    period_start = forms.IntegerField(label=_("Thời kỳ từ năm"), min_value=1990, max_value=2100)
    period_end = forms.IntegerField(label=_("Thời kỳ đến năm"), min_value=1990, max_value=2100)
    vision_year = forms.IntegerField(
        label=_("Tầm nhìn đến năm"), min_value=1990, max_value=2200, required=False
    )
    organising_body = forms.ModelChoiceField(
        label=_("Cơ quan tổ chức lập"), queryset=Organisation.objects.order_by("name")
    )
    formulating_body = forms.ModelChoiceField(
        label=_("Cơ quan lập"), queryset=Organisation.objects.order_by("name"), required=False
    )
    approving_authority = forms.CharField(label=_("Cấp phê duyệt"), max_length=200, required=False)
    legal_basis = forms.CharField(
        label=_("Căn cứ pháp lý"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    unconfirmed = forms.CharField(
        label=_("Thông tin chưa xác minh"),
        max_length=300,
        required=False,
        help_text=_("Những chi tiết chưa đối chiếu được với văn bản chính thức."),
    )

    # A plan approved before the registry existed is registered where it stands
    # (registration.register_approved_plan); the decision from the approval stage on.
    stage = forms.ChoiceField(
        label=_("Đăng ký ở giai đoạn"),
        required=False,
        initial=Stage.OUTLINE,
        help_text=_(
            "Quy hoạch mới lập: để “Đề cương, nhiệm vụ lập quy hoạch”. Quy hoạch đã phê duyệt "
            "trước khi có hệ thống: chọn giai đoạn hiện tại và ghi quyết định phê duyệt."
        ),
    )
    decision_number = forms.CharField(
        label=_("Số quyết định phê duyệt"),
        max_length=80,
        required=False,
        help_text=_("Từ giai đoạn trình phê duyệt; bắt buộc từ giai đoạn công bố."),
    )
    decision_date = date_field(_("Ngày quyết định"), required=False)
    signer = forms.CharField(label=_("Người ký"), max_length=150, required=False)

    # Fields update_plan accepts (the code and the territory are fixed once created).
    EDITABLE = (
        "name",
        "name_en",
        "sector",
        "period_start",
        "period_end",
        "vision_year",
        "formulating_body",
        "approving_authority",
        "legal_basis",
        "unconfirmed",
    )

    def __init__(self, *args, editing: bool = False, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].queryset = _provinces()
        self.fields["region"].queryset = Region.objects.order_by("valid_to", "sort_order")
        if organisations is not None:
            self.fields["organising_body"].queryset = organisations
        self.fields["stage"].choices = [(s.value, s.label) for s in REGISTRABLE_STAGES]
        if editing:
            for name in list(self.fields):
                if name not in self.EDITABLE:
                    del self.fields[name]

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("Năm kết thúc phải sau năm bắt đầu thời kỳ."))
        return data


class AdvanceForm(forms.Form):
    """One lifecycle step (lifecycle.advance)."""

    to_stage = forms.ChoiceField(label=_("Chuyển sang giai đoạn"))
    on = date_field(_("Ngày"))
    note = forms.CharField(
        label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    decision_number = forms.CharField(
        label=_("Số quyết định phê duyệt"),
        max_length=80,
        required=False,
        help_text=_("Khi chuyển sang giai đoạn công bố sau phê duyệt."),
    )
    decision_date = date_field(_("Ngày quyết định"), required=False)
    signer = forms.CharField(label=_("Người ký"), max_length=150, required=False)
    extension_months = forms.IntegerField(
        label=_("Gia hạn thời gian lập (tháng)"), min_value=0, max_value=24, required=False
    )

    def __init__(self, *args, stages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_stage"].choices = [(s, Stage(s).label) for s in stages]
        self.fields["on"].initial = dt.date.today()


class PublicationForm(forms.Form):
    """Record the approved version's publication (lifecycle.record_publication)."""

    published_on = date_field(_("Ngày công bố"))
    dossier_uploaded_on = date_field(
        _("Ngày đưa hồ sơ lên cơ sở dữ liệu quốc gia về quy hoạch"), required=False
    )


class ApprovalDecisionForm(forms.Form):
    """Record or correct the current version's approving decision (registration.record_decision)."""

    decision_number = forms.CharField(label=_("Số quyết định phê duyệt"), max_length=80)
    decision_date = date_field(_("Ngày quyết định"))
    signer = forms.CharField(label=_("Người ký"), max_length=150, required=False)
    reasons = forms.CharField(
        label=_("Lý do điều chỉnh"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, kind=VersionKind.ORIGINAL, **kwargs):
        super().__init__(*args, **kwargs)
        if kind != VersionKind.ADJUSTMENT:
            del self.fields["reasons"]  # an original approval has no adjustment reasons


class AdjustmentForm(forms.Form):
    """Start an adjustment (lifecycle.start_adjustment): a new version with its reasons."""

    reasons = forms.CharField(
        label=_("Lý do điều chỉnh"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Nêu căn cứ điều chỉnh theo Luật Quy hoạch (ví dụ sắp xếp đơn vị hành chính)."),
    )
    on = date_field(_("Ngày"))


class DocumentForm(forms.Form):
    """Upload one dossier document (documents.upload_document checks type and size)."""

    doc_type = forms.ChoiceField(label=_("Loại tài liệu"), choices=DocumentType.choices)
    title = forms.CharField(label=_("Tiêu đề"), max_length=300)
    uploaded_file = forms.FileField(
        label=_("Tệp"),
        help_text=_("PDF, Word, Excel, ảnh hoặc bản đồ; tệp được tải xuống, không mở trực tiếp."),
    )
    is_public = forms.BooleanField(
        label=_("Công khai (sau khi quy hoạch được công bố)"), required=False
    )


class OpinionRequestForm(forms.Form):
    """Ask a body for its opinion (consultation.request_opinion)."""

    name = forms.CharField(
        label=_("Cơ quan được lấy ý kiến"),
        max_length=300,
        required=False,
        help_text=_("Để trống khi chọn tỉnh giáp ranh hoặc cơ quan bên dưới: lấy tên đã chọn."),
    )
    requested_on = date_field(_("Ngày gửi xin ý kiến"))
    province = ProvinceChoiceField(
        label=_("Tỉnh giáp ranh"),
        queryset=_provinces(),
        required=False,
        widget=forms.RadioSelect,
        empty_label=_("Không phải tỉnh giáp ranh"),
    )
    organisation = forms.ModelChoiceField(
        label=_("Cơ quan trong hệ thống (nếu có)"),
        queryset=Organisation.objects.order_by("name"),
        required=False,
        empty_label=_("Không chọn"),
    )

    def __init__(self, *args, provinces=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].queryset = provinces if provinces is not None else _provinces()
        self.fields["organisation"].queryset = Organisation.objects.order_by("name")
        if provinces is not None and not provinces.exists():
            del self.fields["province"]  # a national plan has no adjacent provinces


class ReplyForm(forms.Form):
    replied_on = date_field(_("Ngày trả lời"))


class CommentForm(forms.Form):
    """Record a comment received (consultation.add_comment)."""

    author = forms.CharField(label=_("Cơ quan, tổ chức, cá nhân góp ý"), max_length=300)
    received_on = date_field(_("Ngày nhận"))
    text = forms.CharField(label=_("Nội dung góp ý"), widget=forms.Textarea(attrs={"rows": 3}))
    consulted_body = forms.ModelChoiceField(
        label=_("Trả lời của cơ quan được lấy ý kiến"), queryset=None, required=False
    )

    def __init__(self, *args, bodies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consulted_body"].queryset = bodies


class ResponseForm(forms.Form):
    """Accept or explain a comment (consultation.respond)."""

    kind = forms.ChoiceField(
        label=_("Tiếp thu, giải trình"),
        choices=[(k, label) for k, label in ResponseKind.choices if k != ResponseKind.PENDING],
    )
    text = forms.CharField(
        label=_("Nội dung tiếp thu, giải trình"), widget=forms.Textarea(attrs={"rows": 2})
    )


class TargetForm(forms.Form):
    """Add or edit a target (targets.add_target / update_target)."""

    indicator = forms.ModelChoiceField(label=_("Chỉ tiêu"), queryset=None, to_field_name="code")
    region = forms.ModelChoiceField(
        label=_("Vùng"),
        queryset=Region.objects.order_by("valid_to", "sort_order"),
        to_field_name="code",
        required=False,
        help_text=_("Để trống: địa bàn của quy hoạch."),
    )
    province = ProvinceChoiceField(
        label=_("Tỉnh, thành phố"),
        queryset=_provinces(),
        required=False,
        help_text=_("Để trống: địa bàn của quy hoạch."),
    )
    target_year = forms.IntegerField(label=_("Năm mục tiêu"), min_value=1990, max_value=2200)
    base_year = forms.IntegerField(
        label=_("Năm gốc"),
        min_value=1990,
        max_value=2200,
        required=False,
        help_text=_("Với chỉ tiêu tăng trưởng bình quân."),
    )
    comparator = forms.ChoiceField(label=_("So sánh"), choices=Comparator.choices)
    value = forms.DecimalField(label=_("Giá trị"), max_digits=20, decimal_places=6, localize=True)
    value_max = forms.DecimalField(
        label=_("Giá trị tối đa"),
        max_digits=20,
        decimal_places=6,
        required=False,
        localize=True,
        help_text=_("Chỉ khi so sánh “trong khoảng”."),
    )
    wording = forms.CharField(
        label=_("Nội dung trong quyết định"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    FIELDS = (
        "indicator",
        "region",
        "province",
        "target_year",
        "base_year",
        "comparator",
        "value",
        "value_max",
        "wording",
    )

    def __init__(self, *args, **kwargs):
        from regionlink.indicators.models import Indicator

        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = Indicator.objects.order_by("code")
        self.fields["indicator"].label_from_instance = lambda i: f"{i.code} · {i.display_name}"

    @staticmethod
    def initial_for(target: PlanTarget) -> dict:
        initial = {name: getattr(target, name) for name in TargetForm.FIELDS}
        initial["indicator"] = target.indicator.code
        initial["region"] = target.region.code if target.region else None
        initial["province"] = target.province_id
        return initial


class TargetImportForm(forms.Form):
    data = forms.FileField(
        label=_("Tệp chỉ tiêu (CSV hoặc Excel)"),
        help_text=_("Theo mẫu tải về bên dưới. Hệ thống kiểm tra trước, chưa ghi gì."),
    )


class LinkForm(forms.Form):
    """Add a conformity link to a higher plan (conformity.add_link)."""

    higher = forms.SlugField(label=_("Mã quy hoạch cấp trên"), max_length=80)
    note = forms.CharField(label=_("Ghi chú"), max_length=300, required=False)
    suggested = forms.BooleanField(required=False, widget=forms.HiddenInput)


class DecideForm(forms.Form):
    """Accept or dismiss a review finding (findings.decide)."""

    status = forms.ChoiceField(
        label=_("Quyết định"),
        choices=[
            (FindingStatus.ACCEPTED, FindingStatus.ACCEPTED.label),
            (FindingStatus.DISMISSED, FindingStatus.DISMISSED.label),
        ],
    )
    reason = forms.CharField(label=_("Lý do"), widget=forms.Textarea(attrs={"rows": 2}))


class FindingFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Trạng thái"),
        required=False,
        choices=[("", _("Mọi trạng thái")), *FindingStatus.choices],
    )

    def status_value(self) -> str:
        return self.cleaned_data.get("status", "") if self.is_valid() else ""
