"""Helpers shared by the data hub pages: the indicator queries they read, value labels,
addresses that depend on what is mounted, the data sets a user may add values to, and how
the data set and batch pages refuse."""

from __future__ import annotations

from contextlib import contextmanager

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from regionlink.indicators import sharing
from regionlink.indicators.models import (
    BatchStatus,
    DimensionMember,
    ImportBatch,
    Indicator,
    SpatialRule,
    ValueStatus,
)
from regionlink.organisations.permissions import Action

RUNNING = (BatchStatus.PENDING, BatchStatus.RUNNING)


def page_indicators():
    """Indicators with everything the catalogue and rule texts read, in a fixed few queries."""
    return Indicator.objects.select_related(
        "group", "weight", "numerator", "denominator"
    ).prefetch_related("dimensions")


def ordered_members() -> Prefetch:
    """The members of each indicator's dimensions, in their display order."""
    return Prefetch("dimensions__members", queryset=DimensionMember.objects.order_by("sort_order"))


def member_names() -> dict[tuple[str, str], str]:
    """(dimension, member) → member name, e.g. ("URBAN", "U") → "Thành thị"."""
    return {
        (m.dimension.code, m.code): m.name
        for m in DimensionMember.objects.select_related("dimension")
    }


def source_indicator_ids(indicator: Indicator) -> list[int]:
    """The indicator and those it is computed from (weight, numerator, denominator, formula)."""
    ids = {indicator.pk}
    ids |= {
        pk for pk in (indicator.weight_id, indicator.numerator_id, indicator.denominator_id) if pk
    }
    if indicator.spatial_rule == SpatialRule.DERIVED and indicator.formula:
        from regionlink.indicators.formula import FormulaError
        from regionlink.indicators.formula import parse as parse_formula

        try:
            codes = {ref.code for ref in parse_formula(indicator.formula).references}
        except FormulaError:
            codes = set()
        ids |= set(Indicator.objects.filter(code__in=codes).values_list("pk", flat=True))
    return sorted(ids)


# --- Values as shown -------------------------------------------------------------------------


def status_label(status: str | None) -> str:
    return str(ValueStatus(status).label) if status in ValueStatus.values else ""


def status_note(status: str | None) -> str:
    return _("(sơ bộ)") if status == ValueStatus.PRELIMINARY else ""


def number_label(value, decimals: int) -> str:
    from regionlink.web.templatetags.regionlink_tags import vn_number

    return vn_number(value, decimals) if value is not None else ""


# --- Addresses -------------------------------------------------------------------------------


def url_or_none(name: str, *args) -> str | None:
    """The address of ``name``, or None where that page is not mounted."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def back_url(request, default: str) -> str:
    """The ``next`` address of the form or query when it is on this site, else ``default``."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def batch_page_url(batch: ImportBatch) -> str:
    """The batch page (approval workflow) when mounted, else the import wizard's own page."""
    return url_or_none("review-batch-detail", batch.pk) or reverse("import-batch", args=[batch.pk])


# --- Who adds values -------------------------------------------------------------------------


def editable_datasets(user):
    """Data sets ``user`` may add values to (editors of the owner's hierarchy)."""
    return sharing.datasets_where(user, Action.EDIT).select_related("owner").order_by("name")


def no_editable_dataset() -> PermissionDenied:
    return PermissionDenied(
        _(
            "Bạn chưa có vai trò “Biên tập” ở cơ quan nào có bộ dữ liệu, nên chưa nhập được số "
            "liệu. Liên hệ quản trị cơ quan để được cấp quyền."
        )
    )


# --- Refusals and batches --------------------------------------------------------------------


def not_found() -> Http404:
    """The 404 of the data set and batch pages: a restricted one is never revealed."""
    return Http404(_("Không tìm thấy trang hoặc bạn không có quyền xem."))


@contextmanager
def service_errors_as_messages(request):
    """Run a service call; a ValidationError it raises becomes error messages on the next
    page and the rest of the block, its success path, is skipped."""
    try:
        yield
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)


def visible_batch(user, batch_id: int, *related: str) -> ImportBatch | None:
    """The batch if ``user`` may see it (the owner's side or its sender), else None."""
    return sharing.visible_batches(user).select_related(*related).filter(pk=batch_id).first()
