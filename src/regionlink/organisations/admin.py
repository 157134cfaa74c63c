"""Admin for organisations, memberships, people and API tokens: system admins only, audited.

Day-to-day management happens on the organisation pages; the admin is the system admin's
tool for what those pages do not offer (hierarchy, jurisdiction, deactivation).
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from regionlink.core.admin_site import (
    AuditedAdminMixin,
    ViewOnlyAdminMixin,
    restrict_admin_to_system_admins,
)
from regionlink.core.text import fold
from regionlink.organisations.errors import OrganisationErrorCode as Code
from regionlink.organisations.models import ApiToken, Membership, Organisation, Role, User
from regionlink.organisations.org_forms import form_field
from regionlink.organisations.services import organisation_snapshot

restrict_admin_to_system_admins(admin.site)


class OrganisationAdminForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = (
            "code",
            "name",
            "name_en",
            "short_name",
            "kind",
            "parent",
            "scope",
            "regions",
            "provinces",
            "legal_basis",
            "description",
            "address",
            "email",
            "phone",
            "website",
            "is_active",
            "is_demo",
        )
        formfield_callback = form_field

    def clean_parent(self):
        parent = self.cleaned_data.get("parent")
        own = self.instance.pk
        if parent is not None and own is not None:
            chain = {parent.pk, *(o.pk for o in parent.ancestors())}
            if own in chain:
                raise ValidationError(
                    _(
                        "“%(parent)s” đang trực thuộc cơ quan này nên không thể là cơ quan cấp "
                        "trên của nó; hãy chọn một cơ quan khác."
                    ),
                    code=str(Code.PARENT_CYCLE),
                    params={"parent": parent},
                )
        return parent


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdminMixin, admin.ModelAdmin):
    form = OrganisationAdminForm
    audit_action_prefix = "organisation"
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ("name", "code", "kind", "parent", "scope", "is_active", "is_demo")
    list_filter = ("kind", "scope", "is_active", "is_demo")
    list_select_related = ("parent",)
    search_fields = ("code", "name", "short_name", "search_key")
    autocomplete_fields = ("parent", "provinces")
    filter_horizontal = ("regions",)
    show_full_result_count = False
    fieldsets = (
        (None, {"fields": ("code", "name", "name_en", "short_name", "kind", "parent")}),
        (_("Thẩm quyền"), {"fields": ("scope", "regions", "provinces", "legal_basis")}),
        (
            _("Liên hệ"),
            {"fields": ("description", "address", "email", "phone", "website")},
        ),
        (_("Trạng thái"), {"fields": ("is_active", "is_demo")}),
    )

    def audit_snapshot(self, obj) -> dict:
        return organisation_snapshot(obj)

    def save_model(self, request, obj, form, change):
        obj.search_key = fold(f"{obj.name} {obj.short_name}")
        super().save_model(request, obj, form, change)


def membership_snapshot(membership: Membership) -> dict:
    """The same shape the services record, so the audit pages can scope membership events."""
    return {
        "user": membership.user.username,
        "organisation": membership.organisation.code,
        "role": membership.role,
    }


class MembershipAdminForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ("user", "organisation", "role")

    def clean_role(self):
        role = self.cleaned_data["role"]
        stored = self.instance
        if stored.pk and stored.role == Role.ORG_ADMIN and role != Role.ORG_ADMIN:
            others = Membership.objects.filter(
                organisation_id=stored.organisation_id, role=Role.ORG_ADMIN
            ).exclude(pk=stored.pk)
            if not others.exists():
                raise ValidationError(
                    _("%(org)s cần ít nhất một quản trị cơ quan; hãy chỉ định người khác trước."),
                    code=str(Code.LAST_ADMIN),
                    params={"org": stored.organisation},
                )
        return role


def is_last_admin(membership: Membership) -> bool:
    if membership.role != Role.ORG_ADMIN:
        return False
    return not (
        Membership.objects.filter(organisation_id=membership.organisation_id, role=Role.ORG_ADMIN)
        .exclude(pk=membership.pk)
        .exists()
    )


@admin.register(Membership)
class MembershipAdmin(AuditedAdminMixin, admin.ModelAdmin):
    form = MembershipAdminForm
    audit_action_prefix = "membership"
    list_display = ("user", "organisation", "role", "created_at")
    list_filter = ("role",)
    list_select_related = ("user", "organisation")
    search_fields = (
        "user__username",
        "user__full_name",
        "organisation__code",
        "organisation__name",
    )
    autocomplete_fields = ("user", "organisation")
    show_full_result_count = False

    def audit_snapshot(self, obj) -> dict:
        return membership_snapshot(obj)

    def get_readonly_fields(self, request, obj=None):
        # A membership is a person in one organisation: to move someone, remove and add.
        return ("user", "organisation", "created_at") if obj else ("created_at",)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and is_last_admin(obj):
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request):
        # Bulk deletion would skip the last-admin rule; remove people one at a time.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


USER_AUDIT_FIELDS = (
    "username",
    "email",
    "full_name",
    "position",
    "phone",
    "is_active",
    "is_staff",
    "is_superuser",
)


@admin.register(User)
class UserAdmin(AuditedAdminMixin, DjangoUserAdmin):
    audit_action_prefix = "user"
    list_display = ("username", "full_name", "email", "position", "is_active", "is_superuser")
    search_fields = ("username", "full_name", "email")
    show_full_result_count = False
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Thông tin cá nhân"), {"fields": ("full_name", "position", "email", "phone")}),
        (
            _("Quyền hệ thống"),
            {
                "fields": ("is_active", "is_staff", "is_superuser"),
                "description": _(
                    "Quyền với dữ liệu đến từ vai trò trong cơ quan (mục Thành viên), "
                    "không đến từ nhóm hay quyền riêng lẻ."
                ),
            },
        ),
        (_("Thời điểm"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "username",
                    "full_name",
                    "email",
                    "usable_password",
                    "password1",
                    "password2",
                ),
            },
        ),
    )
    readonly_fields = ("last_login", "date_joined")

    def audit_snapshot(self, obj) -> dict:
        return {name: getattr(obj, name) for name in USER_AUDIT_FIELDS}

    def user_change_password(self, request, id, form_url=""):
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            person = User.objects.get(pk=id)
            # The password itself never enters the trail; only that it was set, and by whom.
            self._record(request, "password_set", person, after={"password": "***"})
        return response


@admin.register(ApiToken)
class ApiTokenAdmin(ViewOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: the hash is never shown; owners revoke their tokens on their own page."""

    list_display = (
        "name",
        "user",
        "prefix",
        "created_at",
        "last_used_at",
        "expires_at",
        "revoked_at",
    )
    list_filter = ("revoked_at",)
    list_select_related = ("user",)
    search_fields = ("name", "prefix", "user__username")
    fields = ("user", "name", "prefix", "created_at", "last_used_at", "expires_at", "revoked_at")
    readonly_fields = fields
    show_full_result_count = False
