"""Target forms: add, edit, delete one target; import a file of targets (checked first, then
confirmed) and download its template (targets.py, target_import.py)."""

from __future__ import annotations

import base64

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from regionlink.plans import target_import as importer
from regionlink.plans import targets
from regionlink.plans.errors import PlanError
from regionlink.plans.forms import TargetForm, TargetImportForm
from regionlink.plans.views.common import (
    add_service_error,
    editor_view,
    form_page,
    plan_url,
    success,
)

FAILURES = (PlanError, ValidationError)
# The checked file travels back with the confirmation (no server-side staging), capped here.
MAX_IMPORT_BYTES = 5 * 1024 * 1024


@editor_view(page=True)
def target_add(request, plan):
    """Add one target to the plan's current version."""
    form = TargetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            targets.add_target(actor=request.user, plan=plan, **form.cleaned_data)
        except FAILURES as error:
            add_service_error(form, error)
        else:
            return success(request, plan_url(plan, "chi-tieu"), _("Đã thêm chỉ tiêu."))
    return form_page(
        request, plan=plan, form=form, title=_("Thêm chỉ tiêu"), submit=_("Thêm chỉ tiêu")
    )


def _target(plan, pk: int):
    target = plan.targets.select_related("indicator", "region").filter(pk=pk).first()
    if target is None:
        raise Http404
    target.plan = plan
    return target


@editor_view(page=True)
def target_edit(request, plan, pk: int):
    """Edit one target; the delete button sits under the form."""
    target = _target(plan, pk)
    form = TargetForm(request.POST or None, initial=TargetForm.initial_for(target))
    if request.method == "POST" and form.is_valid():
        changed = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            targets.update_target(actor=request.user, target=target, **changed)
        except FAILURES as error:
            add_service_error(form, error)
        else:
            return success(request, plan_url(plan, "chi-tieu"), _("Đã lưu chỉ tiêu."))
    return form_page(
        request,
        plan=plan,
        form=form,
        title=_("Sửa chỉ tiêu %(code)s") % {"code": target.indicator.code},
        submit=_("Lưu"),
        target=target,
        after_form="plans/_target_delete.html",
    )


@editor_view
def target_delete(request, plan, pk: int):
    """Delete one target."""
    target = _target(plan, pk)
    targets.delete_target(actor=request.user, target=target)
    return success(request, plan_url(plan, "chi-tieu"), _("Đã xóa chỉ tiêu."))


@editor_view(page=True)
def target_import(request, plan):
    """Upload a file of targets: a dry run reports every row error; nothing is written until
    the person confirms a file without errors (the import is all or nothing)."""
    form = TargetImportForm(request.POST or None, request.FILES or None)
    report = None
    pending = None
    if request.method == "POST" and request.POST.get("confirm"):
        # Second step: the file checked before comes back with the confirmation.
        try:
            data = base64.b64decode(request.POST.get("payload", ""), validate=True)
        except ValueError:
            data = b""
        filename = request.POST.get("filename", "chi-tieu.csv")[:200]
        try:
            report = importer.import_targets(
                actor=request.user, plan=plan, data=data, filename=filename
            )
        except FAILURES as error:
            form = TargetImportForm()
            add_service_error(form, error)
        else:
            if not report.errors:
                message = _(
                    "Đã nhập chỉ tiêu: %(created)s mới, %(updated)s cập nhật, %(unchanged)s "
                    "không đổi."
                ) % {
                    "created": report.created,
                    "updated": report.updated,
                    "unchanged": report.unchanged,
                }
                return success(request, plan_url(plan, "chi-tieu"), message)
    elif request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["data"]
        data = upload.read(MAX_IMPORT_BYTES + 1)
        if len(data) > MAX_IMPORT_BYTES:
            form.add_error("data", _("Tệp lớn hơn 5 MB: tách thành nhiều tệp nhỏ hơn."))
        else:
            try:
                report = importer.import_targets(
                    actor=request.user, plan=plan, data=data, filename=upload.name, dry_run=True
                )
            except FAILURES as error:
                add_service_error(form, error)
            else:
                if not report.errors:
                    pending = {
                        "payload": base64.b64encode(data).decode(),
                        "filename": upload.name,
                    }
    return form_page(
        request,
        plan=plan,
        form=None if pending else form,
        title=_("Nhập chỉ tiêu từ tệp"),
        submit=_("Kiểm tra tệp"),
        multipart=True,
        report=report,
        pending=pending,
        intro=_(
            "Bước 1: tải tệp lên để kiểm tra (chưa ghi gì). Bước 2: nếu không có lỗi, xác nhận "
            "để nhập. Tệp có lỗi không được nhập dòng nào."
        ),
        after_form="plans/_target_import_report.html",
    )


@require_GET
def target_template(request, fmt: str):
    """The target import template, as CSV or Excel."""
    if fmt not in ("csv", "xlsx"):
        raise Http404
    content_type = {
        "csv": "text/csv; charset=utf-8",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }[fmt]
    response = HttpResponse(importer.template(fmt), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="mau-chi-tieu-quy-hoach.{fmt}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
