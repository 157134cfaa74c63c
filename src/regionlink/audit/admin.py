"""The audit trail in the admin: view only. Nobody adds, changes or deletes an event."""

from __future__ import annotations

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from regionlink.audit.models import AuditEvent
from regionlink.audit.selectors import pretty_json
from regionlink.core.admin_site import ViewOnlyAdminMixin

COLUMNS = ("occurred_at", "actor_label", "action", "object_type", "object_id", "object_repr")


@admin.register(AuditEvent)
class AuditEventAdmin(ViewOnlyAdminMixin, admin.ModelAdmin):
    list_display = COLUMNS
    list_filter = ("action", "object_type")
    search_fields = (
        "actor_label",
        "action",
        "object_type",
        "object_id",
        "object_repr",
        "request_id",
    )
    date_hierarchy = "occurred_at"
    show_full_result_count = False
    actions = None
    fields = (
        *COLUMNS,
        "before_pretty",
        "after_pretty",
        "request_id",
        "ip_address",
    )
    readonly_fields = fields

    @admin.display(description=_("trước"))
    def before_pretty(self, event):
        return format_html("<pre>{}</pre>", pretty_json(event.before))

    @admin.display(description=_("sau"))
    def after_pretty(self, event):
        return format_html("<pre>{}</pre>", pretty_json(event.after))
