"""Agencies in a hierarchy, their jurisdictions, and the people who act for them.

Organisations are data, never code: the Ministry of Planning and Investment merged into the
Ministry of Finance in March 2025, and councils are being reconstituted (Notice 623/TB-VPCP).
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from regionlink.core.naming import DisplayNameMixin
from regionlink.geography.models import AdministrativeUnit, Region


class User(AbstractUser):
    """A person. Rights come from memberships, never from per-object permission rows."""

    full_name = models.CharField(_("họ và tên"), max_length=150, blank=True)
    position = models.CharField(_("chức vụ"), max_length=150, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def is_system_admin(self) -> bool:
        return self.is_active and self.is_superuser


class OrganisationKind(models.TextChoices):
    MINISTRY = "ministry", _("Bộ, cơ quan ngang bộ")
    MINISTRY_DEPARTMENT = "ministry_department", _("Vụ, cục thuộc bộ")
    INSTITUTE = "institute", _("Viện nghiên cứu")
    STATISTICS_OFFICE = "statistics_office", _("Cơ quan thống kê")
    REGIONAL_COUNCIL = "regional_council", _("Hội đồng điều phối vùng")
    PEOPLES_COMMITTEE = "peoples_committee", _("Ủy ban nhân dân cấp tỉnh")
    PROVINCIAL_DEPARTMENT = "provincial_department", _("Sở, ngành cấp tỉnh")
    BUSINESS_ASSOCIATION = "business_association", _("Hiệp hội doanh nghiệp")
    BUSINESS = "business", _("Doanh nghiệp")
    OTHER = "other", _("Tổ chức khác")


class JurisdictionScope(models.TextChoices):
    NATIONAL = "national", _("Toàn quốc")
    REGIONS = "regions", _("Các vùng")
    PROVINCES = "provinces", _("Các tỉnh, thành phố")
    NONE = "none", _("Không có thẩm quyền lãnh thổ")


class Organisation(DisplayNameMixin, models.Model):
    code = models.SlugField(_("mã cơ quan"), max_length=60, unique=True)
    name = models.CharField(_("tên cơ quan"), max_length=250)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=250, blank=True)
    short_name = models.CharField(_("tên viết tắt"), max_length=60, blank=True)
    kind = models.CharField(_("loại"), max_length=30, choices=OrganisationKind.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("cơ quan cấp trên"),
    )
    scope = models.CharField(
        _("phạm vi thẩm quyền"),
        max_length=20,
        choices=JurisdictionScope.choices,
        default=JurisdictionScope.NONE,
    )
    regions = models.ManyToManyField(Region, blank=True, related_name="organisations")
    provinces = models.ManyToManyField(
        AdministrativeUnit,
        blank=True,
        related_name="organisations",
        limit_choices_to={"level": "province"},
    )
    description = models.TextField(_("giới thiệu"), blank=True)
    address = models.CharField(_("địa chỉ"), max_length=250, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    website = models.URLField(_("trang thông tin"), blank=True)
    legal_basis = models.CharField(_("căn cứ thành lập"), max_length=300, blank=True)
    is_active = models.BooleanField(_("đang hoạt động"), default=True)
    is_demo = models.BooleanField(_("dữ liệu minh họa"), default=False)
    search_key = models.CharField(max_length=250, db_index=True, editable=False, default="")

    class Meta:
        ordering = ["name"]
        verbose_name = _("cơ quan, tổ chức")
        verbose_name_plural = _("cơ quan, tổ chức")

    def __str__(self) -> str:
        return self.name

    def ancestors(self) -> list[Organisation]:
        """Parents from the nearest up; the hierarchy is shallow (ministry → department)."""
        chain, node, seen = [], self.parent, {self.pk}
        while node is not None and node.pk not in seen:
            chain.append(node)
            seen.add(node.pk)
            node = node.parent
        return chain


class Role(models.TextChoices):
    """Ordered: each role includes the rights of the ones before it."""

    VIEWER = "viewer", pgettext_lazy("vai trò", "Xem")
    EDITOR = "editor", _("Biên tập")
    APPROVER = "approver", _("Phê duyệt")
    ORG_ADMIN = "org_admin", _("Quản trị cơ quan")


ROLE_RANK = {Role.VIEWER: 1, Role.EDITOR: 2, Role.APPROVER: 3, Role.ORG_ADMIN: 4}


class Membership(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation__name", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="membership_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.organisation} ({self.get_role_display()})"

    @property
    def rank(self) -> int:
        return ROLE_RANK[Role(self.role)]


class ApiToken(models.Model):
    """A personal API token. Only a SHA-256 hash is kept; the secret is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("tên"), max_length=100)
    prefix = models.CharField(max_length=12, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(_("hết hạn"), null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["user"], condition=Q(revoked_at__isnull=True), name="token_active_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
