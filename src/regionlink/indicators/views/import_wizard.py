"""The import wizard: upload → detect → preview → confirm → progress → report."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from regionlink.indicators.forms import MAX_UPLOAD_BYTES, UploadForm
from regionlink.indicators.importing import pipeline
from regionlink.indicators.models import BatchStatus, ImportBatch, Indicator
from regionlink.indicators.views import uploads
from regionlink.indicators.views.common import (
    RUNNING,
    batch_page_url,
    editable_datasets,
    no_editable_dataset,
    url_or_none,
    visible_batch,
)
from regionlink.indicators.views.import_templates import template_links
from regionlink.organisations import permissions
from regionlink.organisations.permissions import Action
from regionlink.organisations.views import refusals_as_403

# Files up to this size are checked (dry run) during the upload request; bigger ones in the
# background, with the progress bar, so a large file never holds a web worker for long.
INLINE_DRY_RUN_BYTES = 5 * 1024 * 1024
WIZARD_ROWS = 500  # issues listed on the page; the batch report keeps its own limit


def _wizard_batch(request, batch_id: int) -> ImportBatch:
    """A batch the user may see (the owner's side or its sender); 404 otherwise."""
    batch = visible_batch(request.user, batch_id, "dataset", "dataset__owner", "submitted_by")
    if batch is None:
        raise Http404(
            _("Không có lô dữ liệu #%(id)s hoặc bạn không được xem lô này.") % {"id": batch_id}
        )
    return batch


def _too_large(request) -> bool:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return length > MAX_UPLOAD_BYTES + 1024 * 1024  # the form's other fields are small


@login_required
@refusals_as_403
@require_http_methods(["GET", "POST"])
def import_wizard(request):
    """Step 1: choose a data set and a file; it is checked (dry run) and nothing is written."""
    datasets = editable_datasets(request.user)
    if not datasets.exists():
        raise no_editable_dataset()
    status = 200
    if request.method == "POST" and _too_large(request):
        form = UploadForm(datasets=datasets)
        form.add_error(
            None,
            _("Tệp vượt giới hạn %(limit)s MB. Chia tệp thành nhiều phần rồi nhập từng phần.")
            % {"limit": MAX_UPLOAD_BYTES // 1024 // 1024},
        )
        status = 413
    elif request.method == "POST":
        form = UploadForm(request.POST, request.FILES, datasets=datasets)
        if form.is_valid():
            uploads.sweep_uploads()
            return _check_upload(request, form)
        status = 400
    else:
        initial = {}
        if code := request.GET.get("dataset"):
            initial["dataset"] = datasets.filter(code=code).first()
        form = UploadForm(datasets=datasets, initial=initial)
    context = {"form": form, "templates": template_links(), "step": "upload"}
    return render(request, "indicators/import_upload.html", context, status=status)


def _check_upload(request, form) -> HttpResponse:
    upload = form.cleaned_data["file"]
    dataset = form.cleaned_data["dataset"]
    source = form.cleaned_data["source"]
    name = uploads.store_upload(upload, form.file_format)
    arguments = {
        "actor": request.user,
        "dataset": dataset,
        "path_or_file": str(uploads.uploads_dir() / name),
        "file_name": upload.name,
        "source": source,
        "dry_run": True,
    }
    try:
        if upload.size <= INLINE_DRY_RUN_BYTES:
            batch = pipeline.run_import(**arguments)
        else:
            batch = pipeline.start_import(**arguments)
    except Exception:
        uploads.discard(name)
        raise
    if batch.status == BatchStatus.FAILED:
        uploads.discard(name)  # nothing to confirm: the corrected file comes as a new upload
    else:
        uploads.remember(request, batch, {"name": name, "file_name": upload.name, "source": source})
    return redirect("import-batch", batch.pk)


def _report_context(batch: ImportBatch) -> dict:
    report = batch.report or {}
    errors = report.get("errors") or []
    warnings = report.get("warnings") or []
    indicators = report.get("indicators") or {}
    names = dict(Indicator.objects.filter(code__in=list(indicators)).values_list("code", "name"))
    diff = report.get("published") or report.get("diff") or {}
    return {
        "report": report,
        "errors": errors[:WIZARD_ROWS],
        "error_count": int(report.get("error_count") or len(errors)),
        "warning_count": int(report.get("warning_count") or len(warnings)),
        "errors_cut": max(
            0, int(report.get("error_count") or len(errors)) - min(len(errors), WIZARD_ROWS)
        ),
        "warnings": warnings[:WIZARD_ROWS],
        "reconciliation": [
            w for w in warnings if str(w.get("code", "")).startswith("reconciliation")
        ],
        "detected_indicators": [
            {"code": code, "name": names.get(code, ""), "count": count}
            for code, count in indicators.items()
        ],
        "diff": diff,
        "examples": (report.get("diff") or {}).get("examples") or {},
        "format_label": format_label(report.get("format") or batch.file_format),
    }


def format_label(code: str) -> str:
    layout, _sep, kind = (code or "").partition("-")
    layouts = {
        "long": _("Mẫu dạng dài"),
        "wide": _("Mẫu dạng rộng (đơn vị × kỳ)"),
        "pxweb": _("Tệp PX-Web của Cục Thống kê"),
    }
    if layout not in layouts:
        return code or "—"
    return f"{layouts[layout]} ({kind.upper()})" if kind else layouts[layout]


def _progress_context(batch: ImportBatch) -> dict:
    percent = batch.progress_percent if batch.status in RUNNING else 100
    return {
        "batch": batch,
        "polling": batch.status in RUNNING,
        "percent": max(0, min(100, percent)),
    }


@login_required
@require_GET
def import_batch(request, batch_id: int):
    """Steps 2–6 of one batch: detection and preview of a dry run (with the confirm button),
    then the progress bar of the real import, then its report."""
    batch = _wizard_batch(request, batch_id)
    finished = batch.status not in RUNNING
    if finished and not batch.dry_run:
        uploads.forget(request, batch.pk, delete=True)
    upload = uploads.remembered(request).get(str(batch.pk))
    context = {
        **_progress_context(batch),
        **(_report_context(batch) if finished else {}),
        "can_confirm": bool(
            batch.dry_run
            and batch.status == BatchStatus.CHECKED
            and upload
            and batch.submitted_by_id == request.user.pk
        ),
        "batch_url": batch_page_url(batch),
        "can_submit": batch.status == BatchStatus.DRAFT
        and permissions.can(request.user, Action.EDIT, batch.dataset),
        "submit_url": url_or_none("review-batch-submit", batch.pk),
        "step": _step(batch),
    }
    return render(request, "indicators/import_batch.html", context)


def _step(batch: ImportBatch) -> str:
    if batch.status in RUNNING:
        return "detect" if batch.dry_run else "progress"
    if batch.dry_run:
        return "preview"
    return "report"


@login_required
@refusals_as_403
@require_POST
def import_confirm(request, batch_id: int):
    """Step 4: import for real the file a dry run checked, as a background job."""
    batch = _wizard_batch(request, batch_id)
    upload = uploads.remembered(request).get(str(batch.pk))
    path = uploads.stored_path(upload.get("name", "")) if upload else None
    if not (batch.dry_run and batch.status == BatchStatus.CHECKED) or path is None:
        messages.error(
            request,
            _(
                "Không còn tệp đã kiểm tra của lô #%(id)s để nhập (phiên đã hết hạn hoặc tệp đã "
                "được nhập). Tải tệp lên lại."
            )
            % {"id": batch.pk},
        )
        return redirect("import-wizard")
    real = pipeline.start_import(
        actor=request.user,
        dataset=batch.dataset,
        path_or_file=str(path),
        file_name=upload.get("file_name") or batch.file_name,
        source=upload.get("source") or batch.source,
    )
    uploads.forget(request, batch.pk, delete=False)
    uploads.remember(request, real, upload)
    if real.status not in RUNNING:
        uploads.forget(request, real.pk, delete=True)
    return redirect("import-batch", real.pk)


@login_required
@require_GET
def import_status(request, batch_id: int):
    """Step 5 (htmx, every 2 s): the progress bar; once finished, the page reloads."""
    batch = _wizard_batch(request, batch_id)
    context = _progress_context(batch)
    response = render(request, "indicators/import_progress.html", context)
    if not context["polling"] and request.headers.get("HX-Request") == "true":
        response["HX-Refresh"] = "true"  # finished: reload for the report
    response["Cache-Control"] = "no-store"
    return response
