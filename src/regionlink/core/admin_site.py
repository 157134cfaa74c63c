"""The Django admin is for system administrators only, and admin writes are audited.

Staff status alone does not open /admin/: organisation admins manage their people through
the organisation pages, where permissions and the audit trail apply. Call
:func:`restrict_admin_to_system_admins` once on the site (organisations/admin.py does, at
admin autodiscovery; calling it again is harmless).
"""

from __future__ import annotations

from django.contrib import admin
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from regionlink.audit import services as audit


def is_system_admin(request) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_active and user.is_superuser)


def restrict_admin_to_system_admins(site: admin.AdminSite) -> admin.AdminSite:
    """Make ``site.has_permission`` require an active superuser; idempotent."""
    site.has_permission = is_system_admin
    site.site_header = _("RegionLink — Quản trị hệ thống")
    site.site_title = _("Quản trị RegionLink")
    site.index_title = _("Quản trị hệ thống")
    return site


def client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


class ViewOnlyAdminMixin:
    """Rows written only by the application (audit events, API tokens): the admin reads them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AuditedAdminMixin:
    """Record every add, change and delete made in the admin, with before/after JSON.

    ``audit_snapshot(obj)`` describes an object; ``audit_action_prefix`` names the events
    ("organisation" → organisation.create / .update / .delete), as the services do.
    """

    audit_action_prefix = ""

    def audit_snapshot(self, obj) -> dict:
        return audit.snapshot(obj)

    def _stored(self, obj):
        if obj.pk is None:
            return None
        return type(obj)._default_manager.filter(pk=obj.pk).first()

    def save_model(self, request, obj, form, change):
        stored = self._stored(obj) if change else None
        request._rl_audit_before = self.audit_snapshot(stored) if stored is not None else None
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        # Many-to-many fields are saved here, after save_model: snapshot once they are.
        super().save_related(request, form, formsets, change)
        obj = form.instance
        before = getattr(request, "_rl_audit_before", None)
        after = self.audit_snapshot(obj)
        if before is None:
            self._record(request, "create", obj, after=after)
            return
        old, new = audit.changes(before, after)
        if new or old:
            self._record(request, "update", obj, before=old, after=new)

    def delete_model(self, request, obj):
        self._record(request, "delete", obj, before=self.audit_snapshot(obj))
        super().delete_model(request, obj)

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self._record(request, "delete", obj, before=self.audit_snapshot(obj))
        super().delete_queryset(request, queryset)

    def _record(self, request, verb, obj, *, before=None, after=None):
        audit.record(
            actor=request.user,
            action=f"{self.audit_action_prefix}.{verb}",
            obj=obj,
            before=before,
            after=after,
            ip_address=client_ip(request),
        )
