"""Plans under the Planning Law: versions, lifecycle events, dossier, consultation, targets,
conformity links and review findings.

Every write goes through a service (lifecycle.py, documents.py, consultation.py, targets.py,
conformity.py, review.py); models hold no workflow.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from regionlink.core.naming import DisplayNameMixin
from regionlink.geography.models import AdministrativeUnit, Region
from regionlink.organisations.models import Organisation
from regionlink.plans.law import PlanLevel


class Stage(models.TextChoices):
    """Lifecycle (2017 Law; 2025 Law Art. 20 replaces the planning task with an outline)."""

    OUTLINE = "outline", _("Đề cương, nhiệm vụ lập quy hoạch")
    FORMULATION = "formulation", _("Lập quy hoạch")
    CONSULTATION = "consultation", _("Lấy ý kiến")
    APPRAISAL = "appraisal", _("Thẩm định")
    APPROVAL = "approval", _("Trình phê duyệt")
    PUBLICATION = "publication", pgettext_lazy("quy hoạch", "Công bố")
    IMPLEMENTATION = "implementation", _("Tổ chức thực hiện")
    EVALUATION = "evaluation", _("Đánh giá thực hiện")
    ADJUSTMENT = "adjustment", _("Điều chỉnh")


STAGE_ORDER = {stage: index for index, stage in enumerate(Stage.values)}

# A plan is public (its page, approved documents, targets) once it has been published.
PUBLIC_STAGES = frozenset(
    {Stage.PUBLICATION, Stage.IMPLEMENTATION, Stage.EVALUATION, Stage.ADJUSTMENT}
)


class Plan(DisplayNameMixin, models.Model):
    code = models.SlugField(_("mã quy hoạch"), max_length=80, unique=True)
    name = models.CharField(_("tên quy hoạch"), max_length=300)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=300, blank=True)
    level = models.CharField(_("cấp quy hoạch"), max_length=30, choices=PlanLevel.choices)
    sector = models.CharField(_("ngành, lĩnh vực"), max_length=200, blank=True)
    # Territory as of the plan's dates: none = the country.
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plans",
        verbose_name=_("vùng"),
    )
    province = models.ForeignKey(
        AdministrativeUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plans",
        verbose_name=_("tỉnh, thành phố"),
    )
    period_start = models.PositiveSmallIntegerField(_("thời kỳ từ năm"))
    period_end = models.PositiveSmallIntegerField(_("thời kỳ đến năm"))
    vision_year = models.PositiveSmallIntegerField(_("tầm nhìn đến năm"), null=True, blank=True)
    # The organising body (cơ quan tổ chức lập quy hoạch) owns the plan's records.
    organising_body = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="organised_plans",
        verbose_name=_("cơ quan tổ chức lập"),
    )
    formulating_body = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="formulated_plans",
        verbose_name=_("cơ quan lập"),
    )
    approving_authority = models.CharField(_("cấp phê duyệt"), max_length=200, blank=True)
    legal_basis = models.TextField(_("căn cứ pháp lý"), blank=True)
    stage = models.CharField(
        _("giai đoạn"), max_length=20, choices=Stage.choices, default=Stage.OUTLINE
    )
    stage_since = models.DateField(_("từ ngày"), null=True, blank=True)
    # Decree 58/2023: formulation runs from the outline's approval; extension ≤ 12 months.
    formulation_started_on = models.DateField(_("bắt đầu lập"), null=True, blank=True)
    extension_months = models.PositiveSmallIntegerField(_("gia hạn (tháng)"), default=0)
    draft_posted_on = models.DateField(_("ngày đăng dự thảo"), null=True, blank=True)
    is_demo = models.BooleanField(_("dữ liệu minh họa"), default=False)
    unconfirmed = models.CharField(
        _("thông tin chưa xác minh"),
        max_length=300,
        blank=True,
        help_text=_("Những chi tiết chưa đối chiếu được với văn bản chính thức."),
    )
    search_key = models.CharField(max_length=300, db_index=True, editable=False, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["level", "code"]
        verbose_name = _("quy hoạch")
        verbose_name_plural = _("quy hoạch")
        indexes = [models.Index(fields=["level", "stage"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_public(self) -> bool:
        """Published once = public, also while an adjustment is being prepared."""
        if self.stage in PUBLIC_STAGES:
            return True
        if self.pk is None:
            return False
        return self.versions.filter(published_on__isnull=False).exists()

    def current_version(self) -> PlanVersion | None:
        return self.versions.order_by("-number").first()

    def permission_scope(self):
        """The organising body's hierarchy edits; the territory's jurisdiction reads."""
        from regionlink.plans.permissions import plan_scope

        return plan_scope(self)


class VersionKind(models.TextChoices):
    ORIGINAL = "original", _("Bản phê duyệt lần đầu")
    ADJUSTMENT = "adjustment", _("Bản điều chỉnh")


class PlanVersion(models.Model):
    """One approved (or in-progress) text of a plan; each adjustment is a new version."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("lần"))
    kind = models.CharField(_("loại"), max_length=20, choices=VersionKind.choices)
    reasons = models.TextField(_("lý do điều chỉnh"), blank=True)
    decision_number = models.CharField(_("số quyết định"), max_length=80, blank=True)
    decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True)
    signer = models.CharField(_("người ký"), max_length=150, blank=True)
    published_on = models.DateField(_("ngày công bố"), null=True, blank=True)
    dossier_uploaded_on = models.DateField(
        _("ngày đưa hồ sơ lên cơ sở dữ liệu quốc gia"), null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.plan.code} v{self.number}"


class StageEvent(models.Model):
    """The lifecycle timeline: one row per transition, with its legal basis."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="stage_events")
    version = models.ForeignKey(
        PlanVersion, on_delete=models.CASCADE, related_name="stage_events", null=True
    )
    from_stage = models.CharField(max_length=20, choices=Stage.choices, blank=True)
    to_stage = models.CharField(max_length=20, choices=Stage.choices)
    occurred_on = models.DateField(_("ngày"))
    note = models.TextField(_("ghi chú"), blank=True)
    legal_basis = models.CharField(_("căn cứ pháp lý"), max_length=300, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["plan", "occurred_on", "id"]

    def __str__(self) -> str:
        return f"{self.plan_id}: {self.from_stage} → {self.to_stage}"


class DocumentType(models.TextChoices):
    """Dossier documents of a plan (Decree 37/2019; brief §2)."""

    OUTLINE = "outline", _("Đề cương, nhiệm vụ lập quy hoạch")
    DECISION = "decision", _("Quyết định phê duyệt")
    SUBMISSION = "submission", _("Tờ trình")
    REPORT_FULL = "report_full", _("Báo cáo quy hoạch tổng hợp")
    REPORT_SUMMARY = "report_summary", _("Báo cáo tóm tắt")
    DRAFT = "draft", _("Dự thảo lấy ý kiến")
    CONSULTATION_SYNTHESIS = "consultation_synthesis", _("Báo cáo tổng hợp, giải trình ý kiến")
    SEA_REPORT = "sea_report", _("Báo cáo đánh giá môi trường chiến lược")
    APPRAISAL_REPORT = "appraisal_report", _("Báo cáo thẩm định")
    MAP = "map", _("Bản đồ, sơ đồ")
    EVALUATION_REPORT = "evaluation_report", _("Báo cáo đánh giá thực hiện")
    OTHER = "other", _("Tài liệu khác")


class PlanDocument(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="documents")
    version = models.ForeignKey(
        PlanVersion, on_delete=models.CASCADE, related_name="documents", null=True
    )
    stage = models.CharField(_("giai đoạn"), max_length=20, choices=Stage.choices)
    doc_type = models.CharField(_("loại tài liệu"), max_length=30, choices=DocumentType.choices)
    title = models.CharField(_("tiêu đề"), max_length=300)
    # Stored under a random name; the original name is only shown and used for downloads.
    file = models.FileField(_("tệp"), upload_to="plans/%Y/%m/", max_length=300)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    is_public = models.BooleanField(_("công khai"), default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["plan", "uploaded_at", "id"]

    def __str__(self) -> str:
        return self.title


class ConsultedBody(models.Model):
    """A body asked for its opinion during consultation (adjacent provinces among them)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="consulted_bodies")
    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, null=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    province = models.ForeignKey(
        AdministrativeUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    name = models.CharField(_("cơ quan được lấy ý kiến"), max_length=300)
    requested_on = models.DateField(_("ngày gửi xin ý kiến"))
    replied_on = models.DateField(_("ngày trả lời"), null=True, blank=True)

    class Meta:
        ordering = ["plan", "requested_on", "id"]

    def __str__(self) -> str:
        return self.name


class ResponseKind(models.TextChoices):
    PENDING = "pending", _("Chưa trả lời")
    ACCEPTED = "accepted", _("Tiếp thu")
    EXPLAINED = "explained", _("Giải trình")


class ConsultationComment(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="comments")
    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, null=True)
    consulted_body = models.ForeignKey(
        ConsultedBody, on_delete=models.SET_NULL, null=True, blank=True, related_name="comments"
    )
    author = models.CharField(_("cơ quan, tổ chức, cá nhân góp ý"), max_length=300)
    received_on = models.DateField(_("ngày nhận"))
    text = models.TextField(_("nội dung góp ý"))
    response_kind = models.CharField(
        _("tiếp thu, giải trình"),
        max_length=20,
        choices=ResponseKind.choices,
        default=ResponseKind.PENDING,
    )
    response_text = models.TextField(_("nội dung tiếp thu, giải trình"), blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["plan", "received_on", "id"]

    def __str__(self) -> str:
        return f"{self.author}: {self.text[:60]}"


class Comparator(models.TextChoices):
    GE = "ge", "≥"
    LE = "le", "≤"
    EQ = "eq", "="
    RANGE = "range", _("trong khoảng")


class PlanTarget(models.Model):
    """A target (chỉ tiêu) of a plan: an indicator, a territory, a year and a comparator."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="targets")
    version = models.ForeignKey(
        PlanVersion, on_delete=models.CASCADE, null=True, related_name="targets"
    )
    indicator = models.ForeignKey(
        "indicators.Indicator", on_delete=models.PROTECT, related_name="plan_targets"
    )
    # Territory of the target; none of the two = the plan's own territory (country if none).
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    province = models.ForeignKey(
        AdministrativeUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    target_year = models.PositiveSmallIntegerField(_("năm mục tiêu"))
    # Growth targets are average annual rates over base_year → target_year.
    base_year = models.PositiveSmallIntegerField(_("năm gốc"), null=True, blank=True)
    comparator = models.CharField(_("so sánh"), max_length=10, choices=Comparator.choices)
    value = models.DecimalField(_("giá trị"), max_digits=20, decimal_places=6)
    value_max = models.DecimalField(
        _("giá trị tối đa"), max_digits=20, decimal_places=6, null=True, blank=True
    )
    wording = models.TextField(_("nội dung trong quyết định"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["plan", "indicator__code", "target_year", "id"]

    def __str__(self) -> str:
        return f"{self.plan.code}: {self.indicator.code} {self.target_year}"


class ConformityLink(models.Model):
    """A plan (lower) must conform to another (higher) (2017 Law Art. 6; 2025 Law Art. 5)."""

    lower = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="links_up")
    higher = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="links_down")
    suggested = models.BooleanField(_("do hệ thống gợi ý"), default=False)
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["lower", "higher"], name="conformity_link_unique")
        ]

    def __str__(self) -> str:
        return f"{self.lower_id} → {self.higher_id}"


class ReviewStatus(models.TextChoices):
    PENDING = "pending", _("Đang chờ")
    RUNNING = "running", _("Đang rà soát")
    DONE = "done", _("Hoàn thành")
    FAILED = "failed", _("Lỗi")


class ReviewRun(models.Model):
    """One run of the conformity review, for the whole country or one region."""

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    as_of = models.DateField(_("ngày rà soát"))
    status = models.CharField(
        max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.PENDING
    )
    progress = models.PositiveSmallIntegerField(default=0)
    message = models.TextField(blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    input_digest = models.CharField(max_length=64, blank=True)
    findings_count = models.PositiveIntegerField(default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.as_of} ({self.status})"


class FindingKind(models.TextChoices):
    MISSING_LINK = "missing_link", _("Thiếu liên kết với quy hoạch cấp trên")
    TARGET_CONFLICT = "target_conflict", _("Chỉ tiêu mâu thuẫn với cấp trên")
    TERRITORY_DRIFT = "territory_drift", _("Địa bàn đã thay đổi sau sắp xếp")


class Severity(models.TextChoices):
    HIGH = "high", _("Nghiêm trọng")
    MEDIUM = "medium", _("Cần xem xét")
    LOW = "low", _("Lưu ý")


class FindingStatus(models.TextChoices):
    OPEN = "open", _("Chưa xử lý")
    ACCEPTED = "accepted", _("Đã xác nhận")
    DISMISSED = "dismissed", _("Đã bác bỏ")


class Finding(models.Model):
    """A review finding; its fingerprint keeps a person's decision across runs."""

    fingerprint = models.CharField(max_length=64, unique=True)
    kind = models.CharField(_("loại"), max_length=20, choices=FindingKind.choices)
    severity = models.CharField(_("mức độ"), max_length=10, choices=Severity.choices)
    # Rendered in the page's language from a message code and its parameters.
    message_code = models.CharField(max_length=60)
    params = models.JSONField(default=dict)
    legal_basis = models.CharField(_("căn cứ pháp lý"), max_length=300)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    plans = models.ManyToManyField(Plan, related_name="findings")
    targets = models.ManyToManyField(PlanTarget, related_name="findings", blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=FindingStatus.choices, default=FindingStatus.OPEN
    )
    decision_reason = models.TextField(_("lý do"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    # A finding the latest run no longer produces is kept (with its decision) but not current.
    is_current = models.BooleanField(default=True)
    first_run = models.ForeignKey(ReviewRun, on_delete=models.SET_NULL, null=True, related_name="+")
    last_run = models.ForeignKey(ReviewRun, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["kind", "fingerprint"]
        indexes = [
            models.Index(
                fields=["region", "kind"],
                name="finding_current_idx",
                condition=models.Q(is_current=True),
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.message_code}"
