"""Forms of the organisation pages. They parse input only; services.py checks and writes."""

from __future__ import annotations

from contextlib import contextmanager

from django import forms
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from regionlink.organisations.models import Organisation, OrganisationKind, Role, User
from regionlink.organisations.selectors import current_provinces, current_regions
from regionlink.organisations.services import PROFILE_FIELDS


class OrganisationFilterForm(forms.Form):
    """The directory's filters; every field is optional and unknown values are ignored."""

    q = forms.CharField(
        label=_("Tìm theo tên"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Ví dụ: so tai chinh")}),
    )
    kind = forms.ChoiceField(label=_("Loại cơ quan"), required=False)
    region = forms.ChoiceField(label=_("Vùng"), required=False)
    province = forms.ChoiceField(label=_("Tỉnh, thành phố"), required=False)
    cursor = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._regions = {r.code: r for r in current_regions().only("code", "name")}
        self._provinces = {p.code: p for p in current_provinces().only("code", "name")}
        everything = [("", _("Tất cả"))]
        self.fields["kind"].choices = everything + list(OrganisationKind.choices)
        self.fields["region"].choices = everything + [(c, r.name) for c, r in self._regions.items()]
        self.fields["province"].choices = everything + [
            (c, p.name) for c, p in self._provinces.items()
        ]

    def directory_filters(self) -> dict:
        """Keyword arguments for ``selectors.organisation_directory`` (invalid values dropped)."""
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "kind": data.get("kind", ""),
            "region": self._regions.get(data.get("region", "")),
            "province": self._provinces.get(data.get("province", "")),
            "query": data.get("q", ""),
            "cursor": data.get("cursor") or None,
        }


def form_field(model_field, **kwargs):
    """A model field's form field; web addresses without a scheme are taken as https."""
    if isinstance(model_field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return model_field.formfield(**kwargs)


def _profile_fields():
    fields = forms.fields_for_model(
        Organisation, fields=PROFILE_FIELDS, formfield_callback=form_field
    )
    fields["description"].widget = forms.Textarea(attrs={"rows": 5})
    return fields


class OrganisationProfileForm(forms.Form):
    """The public profile. A plain form, so the organisation is changed only by the service."""

    def __init__(self, *args, organisation: Organisation, **kwargs):
        kwargs.setdefault("initial", {f: getattr(organisation, f) for f in PROFILE_FIELDS})
        super().__init__(*args, **kwargs)
        self.fields.update(_profile_fields())


class MemberAddForm(forms.Form):
    identifier = forms.CharField(
        label=_("Tên đăng nhập hoặc thư điện tử"),
        max_length=254,
        help_text=_("Tài khoản phải đã có trên hệ thống; nếu chưa có, hãy tạo người dùng mới."),
    )
    role = forms.ChoiceField(label=_("Vai trò"), choices=Role.choices)

    def __init__(self, *args, roles=None, **kwargs):
        super().__init__(*args, **kwargs)
        if roles is not None:
            self.fields["role"].choices = roles


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Vai trò"), choices=Role.choices)

    def __init__(self, *args, roles=None, **kwargs):
        super().__init__(*args, **kwargs)
        if roles is not None:
            self.fields["role"].choices = roles


class PersonCreateForm(forms.Form):
    username = forms.CharField(
        label=_("Tên đăng nhập"),
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text=_("Chữ, số và các ký tự @ . + - _; ví dụ: nguyen.van.a"),
    )
    email = forms.EmailField(
        label=_("Thư điện tử"),
        help_text=_("Hệ thống gửi thư để người dùng tự đặt mật khẩu."),
    )
    full_name = forms.CharField(label=_("Họ và tên"), max_length=150)
    position = forms.CharField(label=_("Chức vụ"), max_length=150, required=False)
    role = forms.ChoiceField(label=_("Vai trò"), choices=Role.choices)

    def __init__(self, *args, roles=None, **kwargs):
        super().__init__(*args, **kwargs)
        if roles is not None:
            self.fields["role"].choices = roles

    def clean_email(self) -> str:
        email = self.cleaned_data["email"]
        if User.objects.filter(email__iexact=email).exists():
            raise ValidationError(
                _(
                    "Thư điện tử %(email)s đã gắn với một tài khoản; hãy thêm tài khoản đó "
                    "vào cơ quan thay vì tạo mới."
                ),
                code="duplicate_email",
                params={"email": email},
            )
        return email


def apply_service_error(form: forms.Form, error: ValidationError, renamed=None) -> None:
    """Put a service's ValidationError next to the form field it names (else on the form)."""
    renamed = renamed or {}
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for name, messages in error.message_dict.items():
        name = renamed.get(name, name)
        form.add_error(name if name in form.fields else None, messages)


@contextmanager
def service_errors_on(form: forms.Form, renamed=None):
    """Run a service call; a ValidationError it raises goes onto ``form`` (see
    ``apply_service_error``) and the rest of the block, its success path, is skipped."""
    try:
        yield
    except ValidationError as error:
        apply_service_error(form, error, renamed)
