"""Forms for a person's own account: sign-in pages use Django's; API tokens use these."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MAX_TOKEN_DAYS = 3 * 366


class ApiTokenCreateForm(forms.Form):
    name = forms.CharField(
        label=_("Tên gợi nhớ"),
        max_length=100,
        help_text=_("Ví dụ: Đồng bộ số liệu Sở Kế hoạch. Giúp nhận ra mã khi cần thu hồi."),
    )
    expires_on = forms.DateField(
        label=_("Hết hạn sau ngày"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Để trống nếu mã không tự hết hạn. Mã hết hiệu lực từ 0 giờ ngày hôm sau."),
    )

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Hãy đặt tên cho mã truy cập."), code="required")
        return name

    def clean_expires_on(self) -> dt.date | None:
        expires_on = self.cleaned_data.get("expires_on")
        if expires_on is None:
            return None
        today = timezone.localdate()
        if expires_on < today:
            raise forms.ValidationError(
                _("Ngày hết hạn %(date)s đã qua; hãy chọn hôm nay hoặc một ngày sau đó."),
                code="past",
                params={"date": expires_on.strftime("%d/%m/%Y")},
            )
        if expires_on > today + dt.timedelta(days=MAX_TOKEN_DAYS):
            raise forms.ValidationError(
                _("Mã truy cập chỉ được có hiệu lực tối đa %(years)s năm."),
                code="too_far",
                params={"years": 3},
            )
        return expires_on

    @property
    def expires_at(self) -> dt.datetime | None:
        """The chosen day is the last valid one: the token expires at the next local midnight."""
        expires_on = self.cleaned_data.get("expires_on")
        if expires_on is None:
            return None
        midnight = dt.datetime.combine(expires_on + dt.timedelta(days=1), dt.time.min)
        return timezone.make_aware(midnight, timezone.get_current_timezone())
