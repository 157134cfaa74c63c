"""Blank templates of the importer to download (long or wide, CSV or XLSX)."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

TEMPLATE_LAYOUTS = ("long", "wide")  # importing.templates.KINDS
TEMPLATE_FORMATS = ("csv", "xlsx")  # importing.templates.FORMATS


def template_links() -> list[dict]:
    labels = {
        ("long", "xlsx"): _("Mẫu dạng dài (XLSX, có trang hướng dẫn)"),
        ("long", "csv"): _("Mẫu dạng dài (CSV)"),
        ("wide", "xlsx"): _("Mẫu dạng rộng: đơn vị × năm (XLSX, có trang hướng dẫn)"),
        ("wide", "csv"): _("Mẫu dạng rộng: đơn vị × năm (CSV)"),
    }
    return [
        {
            "label": label,
            "url": reverse("template-download", args=[layout, fmt]),
        }
        for (layout, fmt), label in labels.items()
    ]


@require_GET
def template_download(request, layout: str, file_format: str):
    """A blank template of the importer (long or wide, CSV or XLSX), instructions in Vietnamese."""
    if layout not in TEMPLATE_LAYOUTS or file_format not in TEMPLATE_FORMATS:
        raise Http404(_("Không có mẫu tệp này."))
    from regionlink.indicators.importing import templates

    template = templates.build(layout, file_format)
    response = HttpResponse(template.content, content_type=template.content_type)
    response["Content-Disposition"] = f'attachment; filename="{template.file_name}"'
    return response
