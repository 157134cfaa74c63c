"""The data-entry page: one data set, one unit, one period; saved as a draft batch."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from regionlink.geography import queries
from regionlink.indicators import periods, sharing, values
from regionlink.indicators.importing import pipeline
from regionlink.indicators.models import (
    BatchStatus,
    DataSet,
    Indicator,
    IndicatorGroup,
    ValueStatus,
)
from regionlink.indicators.views.common import (
    batch_page_url,
    editable_datasets,
    no_editable_dataset,
    ordered_members,
)
from regionlink.indicators.views.entry_grid import (
    check_row,
    entry_columns,
    entry_csv,
    entry_grid,
    entry_indicators,
    entry_units,
)
from regionlink.organisations import permissions
from regionlink.organisations.permissions import Action
from regionlink.organisations.views import refusals_as_403

ENTRY_FILE_NAME = "nhap-truc-tiep-%(unit)s-%(period)s.csv"


def _refuse_entry(user, dataset: DataSet) -> None:
    """403 unless ``user`` edits ``dataset``; a data set they cannot read is not named."""
    decision = permissions.decide(user, Action.EDIT, dataset)
    if decision:
        return
    if sharing.can_read(user, dataset):
        raise PermissionDenied(decision.reason)
    raise PermissionDenied(
        _(
            "Bạn không có quyền nhập số liệu cho bộ dữ liệu này: cần vai trò “Biên tập” tại cơ "
            "quan chủ quản của bộ dữ liệu hoặc cơ quan cấp trên."
        )
    )


class EntryContext:
    """What the data-entry page needs, from the query string (GET) or the form (POST)."""

    def __init__(self, request):
        self.user = request.user
        data = request.POST if request.method == "POST" else request.GET
        self.data = data
        self.errors: list[str] = []
        code = (data.get("dataset") or "").strip()
        self.datasets = list(editable_datasets(self.user))
        if not code:
            if not self.datasets:
                raise no_editable_dataset()
            self.dataset = None
            return
        self.dataset = DataSet.objects.select_related("owner").filter(code=code).first()
        if self.dataset is None:
            raise Http404(_("Không có bộ dữ liệu mã “%(code)s”.") % {"code": code[:80]})
        _refuse_entry(self.user, self.dataset)
        raw_period = (data.get("period") or str(queries.today().year - 1)).strip()
        try:
            self.period = periods.parse(raw_period)
        except periods.PeriodError as error:
            self.errors.append(str(error))
            self.period = periods.year(queries.today().year - 1)
        self.units = entry_units(self.dataset, self.period)
        unit_code = (data.get("unit") or "").strip()
        self.unit = next((u for u in self.units if u.code == unit_code), None)
        if self.unit is None and len(self.units) == 1:
            self.unit = self.units[0]
        group_code = (data.get("group") or "").strip()
        self.group = IndicatorGroup.objects.filter(code=group_code).first() if group_code else None
        self.readable = values.readable_values(self.user, [self.dataset.pk])
        self.indicators = entry_indicators(
            readable=self.readable, dataset=self.dataset, group=self.group
        )
        self.status = (
            data.get("status") if data.get("status") in ValueStatus.values else ValueStatus.OFFICIAL
        )
        self.source = (data.get("source") or "").strip()[:250]

    def prefill(self) -> dict:
        """Published values of this data set for the unit and period: (indicator, key) → value."""
        if self.unit is None or not self.indicators:
            return {}
        rows = self.readable.filter(
            unit=self.unit,
            period=self.period.label,
            indicator_id__in=[i.pk for i in self.indicators],
        ).values_list("indicator_id", "disaggregation", "value")
        return {(ind, key): value for ind, key, value in rows}

    def context(self, checks: dict | None = None) -> dict:
        columns = entry_columns(self.indicators) if self.dataset else []
        grid = []
        if self.dataset and self.unit is not None:
            grid = entry_grid(self.indicators, columns, self.prefill(), checks or {})
        groups: list[dict] = []
        for column in columns[1:]:
            if groups and groups[-1]["name"] == column["dimension"]:
                groups[-1]["span"] += 1
            else:
                groups.append({"name": column["dimension"], "span": 1})
        return {
            "column_groups": groups,
            "datasets": self.datasets,
            "dataset": self.dataset,
            "period": getattr(self, "period", None),
            "units": getattr(self, "units", []),
            "unit": getattr(self, "unit", None),
            "groups": IndicatorGroup.objects.all(),
            "group": getattr(self, "group", None),
            "columns": columns,
            "grid": grid,
            "statuses": ValueStatus.choices,
            "status": getattr(self, "status", ValueStatus.OFFICIAL),
            "source": getattr(self, "source", ""),
            "errors": self.errors,
            "current_year": queries.today().year,
        }


@login_required
@refusals_as_403
@require_http_methods(["GET", "POST"])
def data_entry(request):
    """A grid of indicators × disaggregations for one data set, unit and period; submitting
    makes a draft batch through the importer, then the batch page shows it for approval."""
    page = EntryContext(request)
    if request.method == "GET" or page.dataset is None or page.unit is None or page.errors:
        return render(request, "indicators/entry.html", page.context())
    checks = {i.code: check_row(i, request.POST) for i in page.indicators}
    has_errors = any(c.error for check in checks.values() for c in check["cells"].values())
    typed = any(c.value is not None for check in checks.values() for c in check["cells"].values())
    if has_errors or not typed:
        if not typed:
            page.errors.append(_("Chưa nhập giá trị nào. Nhập ít nhất một ô rồi lưu."))
        else:
            page.errors.append(_("Một số ô chưa hợp lệ; sửa các ô được đánh dấu rồi lưu lại."))
        return render(request, "indicators/entry.html", page.context(checks), status=400)
    content = entry_csv(
        list(checks.values()),
        unit=page.unit,
        period=page.period.label,
        status=page.status,
        source=page.source,
    )
    batch = pipeline.run_import(
        actor=request.user,
        dataset=page.dataset,
        path_or_file=content,
        file_name=ENTRY_FILE_NAME % {"unit": page.unit.code, "period": page.period.label},
        source=page.source or _("Nhập trực tiếp trên biểu mẫu"),
    )
    if batch.status == BatchStatus.FAILED:
        for problem in (batch.report or {}).get("errors", [])[:20]:
            page.errors.append(problem.get("message") or problem.get("reason", ""))
        return render(request, "indicators/entry.html", page.context(checks), status=400)
    messages.success(
        request,
        _("Đã lưu lô #%(id)s dưới dạng bản nháp. Kiểm tra rồi gửi duyệt để công bố.")
        % {"id": batch.pk},
    )
    return redirect(batch_page_url(batch))


@login_required
@require_POST
def data_entry_validate(request):
    """As-you-type check of one row (htmx): each cell, and parts against the total."""
    code = (request.POST.get("indicator") or "").strip().upper()
    indicator = get_object_or_404(
        Indicator.objects.prefetch_related("dimensions", ordered_members()),
        code=code,
    )
    check = check_row(indicator, request.POST)
    return render(
        request,
        "indicators/entry_row_messages.html",
        {"check": check, "row_id": indicator.code.lower()},
    )
