"""The audit trail, read-only: a filtered, keyset-paged list and one event's detail.

Nothing here changes an event; the table itself refuses updates and deletes.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from regionlink.audit import selectors
from regionlink.core.paging import next_page_url
from regionlink.organisations.permissions import check_view_audit
from regionlink.organisations.views import is_htmx, refusals_as_403

DATE_FORMAT = "%d/%m/%Y"
DATE_ERROR = gettext_lazy("Nhập ngày theo dạng dd/mm/yyyy, ví dụ 01/07/2025.")


def _date_field(label):
    return forms.DateField(
        label=label,
        required=False,
        input_formats=[DATE_FORMAT],
        error_messages={"invalid": DATE_ERROR},
        widget=forms.TextInput(attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"}),
    )


class AuditFilterForm(forms.Form):
    action = forms.CharField(
        label=gettext_lazy("Hành động"),
        required=False,
        max_length=80,
        help_text=gettext_lazy("Phần đầu cũng được: “membership.” lọc mọi thay đổi thành viên."),
        widget=forms.TextInput(attrs={"placeholder": "organisation.update"}),
    )
    object_type = forms.CharField(
        label=gettext_lazy("Loại đối tượng"),
        required=False,
        max_length=80,
        widget=forms.TextInput(attrs={"placeholder": "organisations.organisation"}),
    )
    actor = forms.CharField(label=gettext_lazy("Người thực hiện (tên đăng nhập)"), required=False)
    date_from = _date_field(gettext_lazy("Từ ngày"))
    date_to = _date_field(gettext_lazy("Đến ngày"))
    object_id = forms.CharField(label=gettext_lazy("Mã đối tượng"), required=False, max_length=80)
    cursor = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error(
                "date_to",
                _("“Đến ngày” phải bằng hoặc sau “Từ ngày” (%(start)s).")
                % {"start": start.strftime(DATE_FORMAT)},
            )
        return data

    # Form field → ``selectors.matching_events`` argument.
    FILTERS = {
        "action": "action",
        "object_type": "object_type",
        "actor": "actor",
        "date_from": "since",
        "date_to": "until",
        "object_id": "object_id",
    }

    def filters(self) -> dict:
        """Arguments for ``selectors.audit_page``; an invalid field filters nothing."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        values = {arg: data.get(key) for key, arg in self.FILTERS.items() if data.get(key)}
        for key in values:
            if isinstance(values[key], str):
                values[key] = values[key].strip()
        values["cursor"] = data.get("cursor") or None
        return values


@login_required
@refusals_as_403
@require_GET
def audit_list(request):
    """Newest events first, filtered; each row opens to show the data before and after."""
    check_view_audit(request.user)
    form = AuditFilterForm(request.GET)
    page = selectors.audit_page(user=request.user, **form.filters())
    next_url = next_page_url(request, page.next_cursor)
    context = {"form": form, "events": page.rows, "next_url": next_url}
    template = "audit/audit_rows.html" if is_htmx(request) else "audit/audit_list.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
@refusals_as_403
@require_GET
def audit_detail(request, pk: int):
    check_view_audit(request.user)
    event = selectors.event_for(request.user, pk)
    return render(request, "audit/audit_detail.html", {"event": event})
