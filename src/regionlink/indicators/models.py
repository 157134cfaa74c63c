"""The regional data hub: indicator catalogue, data sets, values with revisions, import batches.

Indicator definitions follow Decree 94/2022/NĐ-CP (concept, calculation method, main
disaggregations, periodicity, data source, responsible agency) and the 20 groups of the
provincial statistical indicator system.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from regionlink.core.naming import DisplayNameMixin
from regionlink.geography.models import AdministrativeUnit
from regionlink.organisations.models import Organisation


class IndicatorGroup(models.Model):
    """One of the 20 groups of the provincial indicator system."""

    code = models.CharField(_("mã nhóm"), max_length=10, unique=True)
    name = models.CharField(_("tên nhóm"), max_length=200)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=200)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order"]
        verbose_name = _("nhóm chỉ tiêu")
        verbose_name_plural = _("nhóm chỉ tiêu")

    def __str__(self) -> str:
        return self.name


class Dimension(models.Model):
    """A disaggregation dimension (sex, urban/rural, economic sector, …)."""

    code = models.CharField(_("mã chiều phân tổ"), max_length=20, unique=True)
    name = models.CharField(_("tên"), max_length=120)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=120)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class DimensionMember(models.Model):
    dimension = models.ForeignKey(Dimension, on_delete=models.CASCADE, related_name="members")
    code = models.CharField(_("mã"), max_length=20)
    name = models.CharField(_("tên"), max_length=120)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=120)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["dimension__code", "sort_order"]
        constraints = [
            models.UniqueConstraint(fields=["dimension", "code"], name="dimension_member_unique")
        ]

    def __str__(self) -> str:
        return f"{self.dimension.code}={self.code}"


class SpatialRule(models.TextChoices):
    """How values combine across units (provinces → region → country)."""

    SUM = "sum", _("Cộng dồn")
    WEIGHTED_MEAN = "weighted_mean", _("Bình quân gia quyền")
    RATIO = "ratio", _("Tỷ số (tính lại từ tử số và mẫu số)")
    DERIVED = "derived", _("Tính từ công thức")
    NONE = "none", _("Không tổng hợp")


class TemporalRule(models.TextChoices):
    """How values combine across time."""

    FLOW = "flow", _("Lưu lượng (cộng theo thời gian)")
    STOCK = "stock", _("Thời điểm")
    CUMULATIVE = "cumulative", _("Lũy kế (không cộng theo năm)")


class Periodicity(models.TextChoices):
    YEAR = "year", _("Năm")
    QUARTER = "quarter", _("Quý")
    MONTH = "month", _("Tháng")


class Indicator(DisplayNameMixin, models.Model):
    code = models.CharField(_("mã chỉ tiêu"), max_length=40, unique=True)
    name = models.CharField(_("tên chỉ tiêu"), max_length=250)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=250)
    group = models.ForeignKey(
        IndicatorGroup, on_delete=models.PROTECT, related_name="indicators", verbose_name=_("nhóm")
    )
    unit_of_measure = models.CharField(_("đơn vị tính"), max_length=60)
    unit_of_measure_en = models.CharField(_("đơn vị tính (tiếng Anh)"), max_length=60, blank=True)
    # Decree 94/2022/NĐ-CP fields
    concept = models.TextField(_("khái niệm"), blank=True)
    calculation_method = models.TextField(_("phương pháp tính"), blank=True)
    periodicity = models.CharField(
        _("kỳ công bố"), max_length=10, choices=Periodicity.choices, default=Periodicity.YEAR
    )
    data_source = models.CharField(_("nguồn số liệu"), max_length=250, blank=True)
    responsible_agency = models.CharField(_("cơ quan chịu trách nhiệm"), max_length=250, blank=True)
    dimensions = models.ManyToManyField(
        Dimension, blank=True, related_name="indicators", verbose_name=_("phân tổ chủ yếu")
    )
    # Combination rules
    spatial_rule = models.CharField(
        _("quy tắc tổng hợp theo địa bàn"), max_length=20, choices=SpatialRule.choices
    )
    temporal_rule = models.CharField(
        _("quy tắc theo thời gian"), max_length=20, choices=TemporalRule.choices
    )
    weight = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("chỉ tiêu trọng số"),
    )
    numerator = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("tử số"),
    )
    denominator = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("mẫu số"),
    )
    # A component may be one disaggregation of an indicator (urban population = POP_AVG URBAN=U).
    numerator_disaggregation = models.CharField(max_length=120, blank=True)
    denominator_disaggregation = models.CharField(max_length=120, blank=True)
    scale = models.DecimalField(
        _("hệ số nhân của tỷ số"),
        max_digits=12,
        decimal_places=4,
        default=1,
        help_text=_("Ví dụ 100 cho phần trăm, 1000 khi mẫu số tính bằng nghìn người."),
    )
    formula = models.CharField(
        _("công thức (chỉ tiêu dẫn xuất)"),
        max_length=300,
        blank=True,
        help_text=_("Ví dụ: POP_AVG / AREA * 1000. Chỉ số, + - * /, ngoặc và mã chỉ tiêu."),
    )
    not_aggregable_reason = models.CharField(_("lý do không tổng hợp"), max_length=250, blank=True)
    min_value = models.DecimalField(
        _("giá trị nhỏ nhất hợp lý"), max_digits=20, decimal_places=6, null=True, blank=True
    )
    max_value = models.DecimalField(
        _("giá trị lớn nhất hợp lý"), max_digits=20, decimal_places=6, null=True, blank=True
    )
    is_percentage = models.BooleanField(_("là tỷ lệ phần trăm"), default=False)
    decimals = models.PositiveSmallIntegerField(_("số chữ số thập phân"), default=1)
    search_key = models.CharField(max_length=300, editable=False, default="", db_index=True)

    class Meta:
        ordering = ["group__sort_order", "code"]
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = _("chỉ tiêu")
        constraints = [
            models.CheckConstraint(
                condition=~Q(spatial_rule="ratio")
                | (Q(numerator__isnull=False) & Q(denominator__isnull=False)),
                name="ratio_has_components",
            ),
            models.CheckConstraint(
                condition=~Q(spatial_rule="weighted_mean") | Q(weight__isnull=False),
                name="weighted_mean_has_weight",
            ),
            models.CheckConstraint(
                condition=~Q(spatial_rule="derived") | ~Q(formula=""),
                name="derived_has_formula",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Công khai")
    NAMED = "named", _("Các cơ quan được chỉ định")
    OWNER = "owner", _("Chỉ cơ quan chủ quản")


class DataSet(models.Model):
    """Indicators supplied by one source organisation, shared under one policy."""

    code = models.SlugField(_("mã bộ dữ liệu"), max_length=80, unique=True)
    name = models.CharField(_("tên bộ dữ liệu"), max_length=250)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=250, blank=True)
    description = models.TextField(_("mô tả"), blank=True)
    owner = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="datasets",
        verbose_name=_("cơ quan chủ quản"),
    )
    visibility = models.CharField(
        _("phạm vi chia sẻ"), max_length=10, choices=Visibility.choices, default=Visibility.OWNER
    )
    shared_with = models.ManyToManyField(
        Organisation, blank=True, related_name="shared_datasets", verbose_name=_("chia sẻ với")
    )
    embargo_until = models.DateTimeField(_("cấm công bố đến"), null=True, blank=True)
    is_demo = models.BooleanField(_("dữ liệu minh họa"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("bộ dữ liệu")
        verbose_name_plural = _("bộ dữ liệu")

    def __str__(self) -> str:
        return self.name

    def is_released(self, now=None) -> bool:
        from django.utils import timezone

        return self.embargo_until is None or self.embargo_until <= (now or timezone.now())

    def permission_scope(self):
        """Writes and approvals follow the owner's hierarchy (organisations.permissions)."""
        from regionlink.organisations.permissions import Scope

        public = self.visibility == Visibility.PUBLIC and self.is_released()
        return Scope(owner=self.owner, published=public, label=self.name)


class BatchStatus(models.TextChoices):
    """Workflow of submitted data: draft → submitted → approved → published (or rejected)."""

    PENDING = "pending", _("Đang chờ xử lý")
    RUNNING = "running", _("Đang kiểm tra")
    FAILED = "failed", _("Bị từ chối do lỗi")
    CHECKED = "checked", _("Đã kiểm tra (chạy thử)")
    DRAFT = "draft", _("Bản nháp")
    SUBMITTED = "submitted", _("Đã gửi duyệt")
    APPROVED = "approved", _("Đã phê duyệt")
    PUBLISHED = "published", _("Đã công bố")
    REJECTED = "rejected", _("Bị trả lại")


class ImportBatch(models.Model):
    """One file (or API submission, or form) of values, validated and written all or nothing."""

    dataset = models.ForeignKey(DataSet, on_delete=models.PROTECT, related_name="batches")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    source = models.CharField(_("nguồn"), max_length=250, blank=True)
    file_name = models.CharField(_("tệp"), max_length=250, blank=True)
    file_format = models.CharField(_("định dạng"), max_length=40, blank=True)
    encoding = models.CharField(_("bảng mã"), max_length=40, blank=True)
    dry_run = models.BooleanField(_("chạy thử"), default=False)
    status = models.CharField(
        _("trạng thái"),
        max_length=12,
        choices=BatchStatus.choices,
        default=BatchStatus.PENDING,
        db_index=True,
    )
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    report = models.JSONField(_("báo cáo"), default=dict, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(_("lý do"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("lô dữ liệu")
        verbose_name_plural = _("lô dữ liệu")

    def __str__(self) -> str:
        return f"#{self.pk} {self.file_name or self.source}"

    @property
    def progress_percent(self) -> int:
        return int(100 * self.rows_done / self.rows_total) if self.rows_total else 0


class ValueStatus(models.TextChoices):
    PRELIMINARY = "preliminary", _("Sơ bộ")
    OFFICIAL = "official", _("Chính thức")
    ESTIMATED = "estimated", _("Ước tính")
    FORECAST = "forecast", _("Dự báo")


class DataValue(models.Model):
    """The current value of (indicator, unit, period, disaggregation); history in revisions.

    ``period`` is "2016", "2016-Q1" or "2016-03"; ``period_start``/``period_end`` bound it.
    ``disaggregation`` is a canonical key such as "SEX=F" or "SEX=F;URBAN=U"; "" is the total.
    """

    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="values")
    unit = models.ForeignKey(AdministrativeUnit, on_delete=models.PROTECT, related_name="+")
    period = models.CharField(_("kỳ"), max_length=10)
    period_start = models.DateField()
    period_end = models.DateField()
    disaggregation = models.CharField(_("phân tổ"), max_length=120, blank=True, default="")
    value = models.DecimalField(_("giá trị"), max_digits=24, decimal_places=6)
    status = models.CharField(
        _("tình trạng"), max_length=12, choices=ValueStatus.choices, default=ValueStatus.OFFICIAL
    )
    dataset = models.ForeignKey(DataSet, on_delete=models.PROTECT, related_name="values")
    batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, related_name="values")
    source = models.CharField(_("nguồn"), max_length=250, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("giá trị số liệu")
        verbose_name_plural = _("giá trị số liệu")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "unit", "period", "disaggregation"], name="value_unique"
            )
        ]
        indexes = [
            models.Index(fields=["indicator", "period_start", "unit"], name="value_ind_period_idx"),
            models.Index(fields=["dataset", "indicator"], name="value_dataset_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.unit.code} {self.period} {self.value}"


class DataValueRevision(models.Model):
    """A value as it was before a later batch changed it (append-only)."""

    data_value = models.ForeignKey(DataValue, on_delete=models.CASCADE, related_name="revisions")
    old_value = models.DecimalField(max_digits=24, decimal_places=6)
    old_status = models.CharField(max_length=12, choices=ValueStatus.choices)
    old_batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, related_name="+")
    new_batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, related_name="+")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.data_value_id}: {self.old_value} ({self.changed_at:%Y-%m-%d})"


class StagedValue(models.Model):
    """A value of a batch not yet published; publishing moves it into DataValue.

    The batch owns its staged rows and the validator has checked every key (indicator, unit,
    no duplicates) before they are written, so the table has no foreign-key constraints and
    one index: a million-row batch is a bulk load, not a million checked inserts.
    """

    batch = models.ForeignKey(
        ImportBatch,
        on_delete=models.CASCADE,
        related_name="staged",
        db_constraint=False,
        db_index=False,
    )
    row_number = models.PositiveIntegerField()
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="+", db_constraint=False, db_index=False
    )
    unit = models.ForeignKey(
        AdministrativeUnit,
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    period = models.CharField(max_length=10)
    period_start = models.DateField()
    period_end = models.DateField()
    disaggregation = models.CharField(max_length=120, blank=True, default="")
    value = models.DecimalField(max_digits=24, decimal_places=6)
    status = models.CharField(max_length=12, choices=ValueStatus.choices)
    source = models.CharField(max_length=250, blank=True)

    class Meta:
        # A batch's rows in file order: the report's examples stop after the first matches.
        indexes = [models.Index(fields=["batch", "row_number"], name="staged_batch_row")]

    def __str__(self) -> str:
        return f"#{self.batch_id} {self.indicator_id} {self.unit_id} {self.period} {self.value}"


class AccessRequestStatus(models.TextChoices):
    PENDING = "pending", _("Đang chờ")
    GRANTED = "granted", _("Đã cấp")
    REFUSED = "refused", _("Từ chối")


class AccessRequest(models.Model):
    """An organisation asks a data set's owner for access; the owner grants or refuses."""

    dataset = models.ForeignKey(DataSet, on_delete=models.CASCADE, related_name="access_requests")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("lý do đề nghị"))
    status = models.CharField(
        max_length=10, choices=AccessRequestStatus.choices, default=AccessRequestStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decision_reason = models.TextField(_("lý do quyết định"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["dataset", "organisation"],
                condition=Q(status="pending"),
                name="one_pending_request",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} → {self.dataset} ({self.status})"
