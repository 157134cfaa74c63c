"""Territory in the admin: read-mostly. Regions and units come from the loader (``regionlink
geography load``); the admin only corrects display names and aliases, and every such
correction is audited."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from regionlink.core.admin_site import AuditedAdminMixin
from regionlink.geography.models import AdministrativeUnit, Region
from regionlink.geography.queries import today, units_of_region


@admin.register(Region)
class RegionAdmin(AuditedAdminMixin, admin.ModelAdmin):
    audit_action_prefix = "region"
    list_display = ("code", "name", "name_en", "valid_from", "valid_to")
    search_fields = ("code", "name", "name_en")
    fields = (
        "code",
        "name",
        "name_en",
        "sort_order",
        "valid_from",
        "valid_to",
        "legal_basis",
        "provinces_today",
    )
    readonly_fields = ("code", "valid_from", "valid_to", "legal_basis", "provinces_today")

    @admin.display(description=_("tỉnh, thành phố hiện nay"))
    def provinces_today(self, region):
        # Memberships are dated and loaded from files; the admin only shows today's.
        return ", ".join(unit.name for unit in units_of_region(region, today())) or "—"

    def audit_snapshot(self, obj) -> dict:
        return {name: getattr(obj, name) for name in ("code", "name", "name_en", "sort_order")}

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


UNIT_FIELDS = (
    "code",
    "name",
    "short_name",
    "name_en",
    "aliases",
    "level",
    "unit_type",
    "parent",
    "valid_from",
    "valid_to",
    "legal_basis",
    "area_km2",
    "latitude",
    "longitude",
)
UNIT_EDITABLE = ("name_en", "aliases")


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(AuditedAdminMixin, admin.ModelAdmin):
    audit_action_prefix = "unit"
    list_display = ("code", "name", "level", "unit_type", "valid_from", "valid_to")
    list_filter = ("level", "valid_to")
    search_fields = ("code", "name", "short_name", "search_key")
    show_full_result_count = False
    list_per_page = 50
    fields = UNIT_FIELDS
    readonly_fields = tuple(f for f in UNIT_FIELDS if f not in UNIT_EDITABLE)

    def audit_snapshot(self, obj) -> dict:
        return {name: getattr(obj, name) for name in ("code", "name", *UNIT_EDITABLE)}

    def get_search_results(self, request, queryset, search_term):
        # Autocomplete (an organisation's provinces) offers only units that exist today.
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if request.path.endswith("/autocomplete/"):
            queryset = queryset.filter(valid_to__isnull=True)
        return queryset, may_have_duplicates

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
