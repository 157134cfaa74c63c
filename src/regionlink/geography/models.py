"""Vietnam's territory over time: regions, administrative units, memberships and successions.

Every record is valid over a closed date range [valid_from, valid_to]; an empty bound is open.
The 2025 reorganisation (Resolution 202/2025/QH15, in force 01/07/2025) ended 52 provinces
and the district level; unchanged provinces continue as the same record.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from regionlink.core.naming import DisplayNameMixin


class Level(models.TextChoices):
    PROVINCE = "province", _("Cấp tỉnh")
    DISTRICT = "district", _("Cấp huyện")
    COMMUNE = "commune", _("Cấp xã")


class UnitType(models.TextChoices):
    TINH = "tinh", _("Tỉnh")
    THANH_PHO_TW = "thanh_pho_tw", _("Thành phố trực thuộc trung ương")
    QUAN = "quan", _("Quận")
    HUYEN = "huyen", _("Huyện")
    THI_XA = "thi_xa", _("Thị xã")
    THANH_PHO = "thanh_pho", _("Thành phố thuộc tỉnh")
    XA = "xa", _("Xã")
    PHUONG = "phuong", _("Phường")
    THI_TRAN = "thi_tran", _("Thị trấn")
    DAC_KHU = "dac_khu", _("Đặc khu")


def valid_on_q(date: dt.date, prefix: str = "") -> Q:
    """Records whose [valid_from, valid_to] range contains ``date``."""
    return (
        Q(**{f"{prefix}valid_from__isnull": True}) | Q(**{f"{prefix}valid_from__lte": date})
    ) & (Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": date}))


class DatedQuerySet(models.QuerySet):
    def valid_on(self, date: dt.date):
        return self.filter(valid_on_q(date))


class Dated(models.Model):
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    legal_basis = models.CharField(_("căn cứ pháp lý"), max_length=300, blank=True)

    objects = DatedQuerySet.as_manager()

    class Meta:
        abstract = True

    def is_valid_on(self, date: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= date) and (
            self.valid_to is None or self.valid_to >= date
        )


class Region(DisplayNameMixin, Dated):
    """A socio-economic region (Resolution 81/2023/QH15; from 01/07/2025 Resolution 306/NQ-CP)."""

    code = models.CharField(_("mã vùng"), max_length=20, unique=True)
    name = models.CharField(_("tên vùng"), max_length=120)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=120)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("vùng kinh tế - xã hội")
        verbose_name_plural = _("vùng kinh tế - xã hội")

    def __str__(self) -> str:
        return self.name


class AdministrativeUnit(DisplayNameMixin, Dated):
    """A province, district or commune as it existed over [valid_from, valid_to].

    A code is unique on any one date, not over time: the new Tuyên Quang (08, from 2025)
    is a different unit from the old Tuyên Quang (08, to 2025-06-30).
    """

    code = models.CharField(_("mã"), max_length=10, db_index=True)
    level = models.CharField(_("cấp"), max_length=10, choices=Level.choices)
    unit_type = models.CharField(_("loại"), max_length=20, choices=UnitType.choices)
    name = models.CharField(_("tên đầy đủ"), max_length=150)
    short_name = models.CharField(_("tên ngắn"), max_length=120)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=150, blank=True)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    area_km2 = models.DecimalField(
        _("diện tích (km²)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    latitude = models.FloatField(_("vĩ độ tâm"), null=True, blank=True)
    longitude = models.FloatField(_("kinh độ tâm"), null=True, blank=True)
    search_key = models.CharField(max_length=150, db_index=True, editable=False)
    aliases = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["code", "valid_from"]
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = _("đơn vị hành chính")
        constraints = [
            models.UniqueConstraint(fields=["code", "valid_from"], name="unit_code_from_unique"),
            models.UniqueConstraint(
                fields=["code"], condition=Q(valid_from__isnull=True), name="unit_code_open_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["level", "valid_to"], name="unit_level_to_idx"),
            models.Index(fields=["parent", "level"], name="unit_parent_level_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_current(self) -> bool:
        return self.valid_to is None


class UnitBoundary(models.Model):
    """Outline of a unit as GeoJSON geometry (WGS84), kept apart so unit lists stay light."""

    unit = models.OneToOneField(
        AdministrativeUnit, on_delete=models.CASCADE, related_name="boundary"
    )
    geometry = models.JSONField()
    source = models.CharField(max_length=200)

    def __str__(self) -> str:
        return f"{self.unit} ({self.source})"


class RegionOutline(Dated):
    """A region's outline for one membership period, dissolved from its provinces."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="outlines")
    geometry = models.JSONField()
    source = models.CharField(max_length=200)

    def __str__(self) -> str:
        return f"{self.region} ({self.valid_from or '…'}–{self.valid_to or '…'})"


class RegionMembership(Dated):
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="memberships")
    unit = models.ForeignKey(
        AdministrativeUnit, on_delete=models.PROTECT, related_name="region_memberships"
    )

    class Meta:
        ordering = ["region__sort_order", "unit__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "unit", "valid_from"], name="membership_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} ∈ {self.region} ({self.valid_from or '…'}–{self.valid_to or '…'})"


class SuccessionKind(models.TextChoices):
    WHOLE = "whole", _("Toàn bộ")
    PARTIAL = "partial", _("Một phần")


class Succession(models.Model):
    """Territory of ``predecessor`` passed, wholly or partly, to ``successor`` on a date.

    ``share`` is the fraction of the predecessor that went to the successor, when known;
    ``share_basis`` says what it measures (population or area).
    """

    predecessor = models.ForeignKey(
        AdministrativeUnit, on_delete=models.PROTECT, related_name="successions_out"
    )
    successor = models.ForeignKey(
        AdministrativeUnit, on_delete=models.PROTECT, related_name="successions_in"
    )
    effective_date = models.DateField(_("ngày hiệu lực"))
    kind = models.CharField(_("hình thức"), max_length=10, choices=SuccessionKind.choices)
    share = models.DecimalField(_("tỷ lệ"), max_digits=7, decimal_places=6, null=True, blank=True)
    share_basis = models.CharField(max_length=20, blank=True)
    legal_basis = models.CharField(_("căn cứ pháp lý"), max_length=300, blank=True)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["effective_date", "predecessor__code", "successor__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["predecessor", "successor", "effective_date"], name="succession_unique"
            ),
            models.CheckConstraint(
                condition=Q(share__isnull=True) | (Q(share__gt=0) & Q(share__lte=1)),
                name="succession_share_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor} ({self.effective_date:%d/%m/%Y})"
