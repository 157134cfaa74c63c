"""Plans API: a plan's targets (with the latest actual from the data hub) and its conformity
links to higher plans."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Status, UploadedFile

from regionlink.core.api import ApiError, tabular_response
from regionlink.core.api import require_user as signed_in
from regionlink.indicators.models import Indicator
from regionlink.organisations.tokens import SIGNED_IN
from regionlink.plans.api_common import (
    READ_ERRORS,
    WRITE_ERRORS,
    fmt_param,
    links_of,
    plan_or_404,
    plan_row,
    province_param,
    region_code_param,
    service_errors,
    visible,
)
from regionlink.plans.models import ConformityLink, Plan, PlanTarget
from regionlink.plans.permissions import Action, check
from regionlink.plans.schemas import (
    ImportReportOut,
    LinkIn,
    LinkOut,
    LinksOut,
    PlanOut,
    TargetIn,
    TargetOut,
    TargetPatch,
)

router = Router()  # tagged by plans.api

TARGET_COLUMNS = (
    "plan",
    "indicator",
    "indicator_name",
    "unit_of_measure",
    "region",
    "province",
    "target_year",
    "base_year",
    "comparator",
    "value",
    "value_max",
    "wording",
    "actual_value",
    "actual_year",
    "actual_status",
    "illustrative",
)


# --- Targets ---------------------------------------------------------------------------------


def _number(value) -> float | None:
    return float(value) if value is not None else None


def _target(target: PlanTarget, actual, plan: Plan) -> dict:
    indicator = target.indicator
    actual_out = None
    if actual is not None:
        actual_out = {
            "value": _number(actual.value),
            "year": actual.year,
            "status": str(actual.status or ""),
            "illustrative": bool(actual.illustrative),
        }
    return {
        "id": target.pk,
        "indicator": indicator.code,
        "indicator_name": indicator.name,
        "unit_of_measure": indicator.unit_of_measure,
        "region": target.region.code if target.region_id else None,
        "province": target.province.code if target.province_id else None,
        "target_year": target.target_year,
        "base_year": target.base_year,
        "comparator": target.comparator,
        "value": float(target.value),
        "value_max": _number(target.value_max),
        "wording": target.wording,
        "actual": actual_out,
        "illustrative": plan.is_demo or bool(actual_out and actual_out["illustrative"]),
    }


def _actuals(user, targets: list[PlanTarget]) -> dict:
    try:
        from regionlink.plans.actuals import latest_actuals
    except ImportError:
        return {}
    return latest_actuals(user, targets) if targets else {}


def _targets_of(plan: Plan):
    return PlanTarget.objects.filter(plan=plan).select_related("indicator", "region", "province")


@router.get(
    "/plans/{code}/targets",
    response={200: list[TargetOut], **READ_ERRORS},
    summary="Chỉ tiêu của quy hoạch và số liệu thực hiện mới nhất",
    description=(
        "Each target with the latest actual the caller may read from the data hub (through "
        "its aggregation and sharing rules). `illustrative: true` marks demo data (“Dữ liệu "
        "minh họa”). `format=csv|xlsx` downloads the same rows."
    ),
)
def list_targets(
    request, code: str, format: str = Query("json", description="json, csv hoặc xlsx")
):
    fmt = fmt_param(format)
    plan = plan_or_404(request, code)
    targets = list(_targets_of(plan).order_by("indicator__code", "target_year", "id"))
    actuals = _actuals(request.user, targets)
    rows = [_target(t, actuals.get(t.pk), plan) for t in targets]
    if fmt == "json":
        return rows
    flat = [
        {
            **row,
            "plan": plan.code,
            "actual_value": row["actual"]["value"] if row["actual"] else None,
            "actual_year": row["actual"]["year"] if row["actual"] else None,
            "actual_status": row["actual"]["status"] if row["actual"] else "",
        }
        for row in rows
    ]
    return tabular_response(flat, TARGET_COLUMNS, fmt=fmt, filename=f"chi-tieu-{plan.code}")


def _indicator(code: str | None) -> Indicator | None:
    if code is None:
        return None
    indicator = Indicator.objects.filter(code__iexact=code.strip()).first()
    if indicator is None:
        raise ApiError(
            "unknown_indicator",
            _("Không có chỉ tiêu mã “%(code)s” (trường indicator); xem /api/v1/indicators.")
            % {"code": code},
            field="indicator",
        )
    return indicator


def _target_fields(sent: dict, plan: Plan) -> dict:
    """Codes in a request body turned into the records the services take."""
    fields = dict(sent)
    if "indicator" in fields:
        fields["indicator"] = _indicator(fields["indicator"])
    if "region" in fields:
        fields["region"] = region_code_param(fields["region"])
    if "province" in fields:
        year = fields.get("target_year") or plan.period_end
        fields["province"] = province_param(fields["province"], on=dt.date(year, 12, 31))
    for name in ("value", "value_max"):
        if fields.get(name) is not None:
            fields[name] = Decimal(str(fields[name]))
    if "wording" in fields and fields["wording"] is None:
        fields["wording"] = ""
    return fields


def _target_or_404(plan: Plan, target_id: int) -> PlanTarget:
    target = _targets_of(plan).filter(pk=target_id).first()
    if target is None:
        raise Http404(_("Không có chỉ tiêu số %(id)s trong quy hoạch này.") % {"id": target_id})
    return target


def _one(request, plan: Plan, target: PlanTarget) -> dict:
    target = _targets_of(plan).get(pk=target.pk)
    return _target(target, _actuals(request.user, [target]).get(target.pk), plan)


@router.post(
    "/plans/{code}/targets",
    auth=SIGNED_IN,
    response={201: TargetOut, **WRITE_ERRORS},
    summary="Thêm chỉ tiêu",
    description=(
        "Add a target: an `indicator` code of the data hub, `target_year`, `comparator` (ge, "
        "le, eq, range with `value_max`), `value`, optionally a `region` or `province` code "
        "(default: the plan's territory), `base_year` for growth rates, and the decision's "
        "`wording`. Editor of the plan. Audited."
    ),
)
def add_target(request, code: str, payload: TargetIn):
    from regionlink.plans import targets

    user = signed_in(request)
    plan = plan_or_404(request, code)
    check(user, Action.EDIT, plan)
    fields = _target_fields(payload.model_dump(), plan)
    with service_errors():
        target = targets.add_target(actor=user, plan=plan, **fields)
    return Status(201, _one(request, plan, target))


@router.patch(
    "/plans/{code}/targets/{int:target_id}",
    auth=SIGNED_IN,
    response={200: TargetOut, **WRITE_ERRORS},
    summary="Sửa chỉ tiêu",
    description="Change a target; send only the fields to change. Editor of the plan. Audited.",
)
def patch_target(request, code: str, target_id: int, payload: TargetPatch):
    from regionlink.plans import targets

    user = signed_in(request)
    plan = plan_or_404(request, code)
    check(user, Action.EDIT, plan)
    target = _target_or_404(plan, target_id)
    fields = _target_fields(payload.model_dump(exclude_unset=True), plan)
    with service_errors():
        targets.update_target(actor=user, target=target, **fields)
    return _one(request, plan, target)


@router.delete(
    "/plans/{code}/targets/{int:target_id}",
    auth=SIGNED_IN,
    response={204: None, **WRITE_ERRORS},
    summary="Xóa chỉ tiêu",
)
def delete_target(request, code: str, target_id: int):
    from regionlink.plans import targets

    user = signed_in(request)
    plan = plan_or_404(request, code)
    check(user, Action.EDIT, plan)
    target = _target_or_404(plan, target_id)
    with service_errors():
        targets.delete_target(actor=user, target=target)
    return Status(204, None)


@router.post(
    "/plans/{code}/targets/import",
    auth=SIGNED_IN,
    response={200: ImportReportOut, 422: ImportReportOut, **WRITE_ERRORS},
    summary="Nhập chỉ tiêu từ bảng tính",
    description=(
        "Multipart upload of a CSV or XLSX `file` of targets (template: "
        "`/api/v1/plans/{code}/targets/template?format=csv|xlsx`). All or nothing: any row "
        "error refuses the whole file with 422 and the report naming each row, column, value, "
        "reason and fix. `dry_run=true` checks without saving. Editor of the plan."
    ),
)
def import_targets(request, code: str, file: File[UploadedFile], dry_run: Form[bool] = False):
    from regionlink.plans import target_import

    user = signed_in(request)
    plan = plan_or_404(request, code)
    check(user, Action.EDIT, plan)
    with service_errors():
        report = target_import.import_targets(
            actor=user, plan=plan, data=file.read(), filename=file.name or "", dry_run=dry_run
        )
    body = {
        "dry_run": dry_run,
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "errors": [
            {
                "row": e.row,
                "column": e.column,
                "value": None if e.value is None else str(e.value),
                "reason": str(e.reason),
                "fix": str(e.fix),
            }
            for e in report.errors
        ],
    }
    return Status(422 if report.errors else 200, body)


@router.get(
    "/plans/{code}/targets/template",
    response={200: None, **READ_ERRORS},
    summary="Mẫu bảng tính nhập chỉ tiêu",
)
def targets_template(request, code: str, format: str = Query("csv")):
    from django.http import HttpResponse

    from regionlink.plans import target_import

    plan_or_404(request, code)
    fmt = fmt_param(format)
    if fmt == "json":
        fmt = "csv"
    content_type = (
        "text/csv; charset=utf-8"
        if fmt == "csv"
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response = HttpResponse(target_import.template(fmt), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="mau-chi-tieu.{fmt}"'
    return response


# --- Conformity links ------------------------------------------------------------------------


@router.get(
    "/plans/{code}/links",
    response={200: LinksOut, **READ_ERRORS},
    summary="Liên kết phù hợp với quy hoạch cấp trên và cấp dưới",
    description=(
        "`higher`: plans this plan must conform to; `lower`: plans that must conform to it "
        "(only those the caller may see); `required_levels`: the levels it must conform to "
        "under the law."
    ),
)
def list_links(request, code: str):
    return links_of(request, plan_or_404(request, code))


@router.get(
    "/plans/{code}/link-suggestions",
    response={200: list[PlanOut], **READ_ERRORS},
    summary="Gợi ý quy hoạch cấp trên cần liên kết",
    description="Higher plans of the required levels covering the plan's territory and period.",
)
def link_suggestions(request, code: str):
    from regionlink.plans.conformity import suggest_higher

    plan = plan_or_404(request, code)
    ids = [p.pk for p in suggest_higher(plan)]
    seen = {p.pk: p for p in visible(request.user, Plan.objects.filter(pk__in=ids))}
    return [plan_row(seen[pk]) for pk in ids if pk in seen]


@router.post(
    "/plans/{code}/links",
    auth=SIGNED_IN,
    response={201: LinkOut, **WRITE_ERRORS},
    summary="Liên kết với quy hoạch cấp trên",
    description="Declare that this plan conforms to the `higher` plan. Editor of this plan.",
)
def add_link(request, code: str, payload: LinkIn):
    from regionlink.plans import conformity

    user = signed_in(request)
    plan = plan_or_404(request, code)
    check(user, Action.EDIT, plan)
    try:
        higher = plan_or_404(request, payload.higher)
    except Http404:
        raise ApiError(
            "unknown_plan",
            _("Không có quy hoạch mã “%(code)s” (trường higher) hoặc bạn không có quyền xem.")
            % {"code": payload.higher},
            field="higher",
        ) from None
    with service_errors():
        link = conformity.add_link(
            actor=user, lower=plan, higher=higher, suggested=payload.suggested, note=payload.note
        )
    note = getattr(link, "note", payload.note)
    suggested = getattr(link, "suggested", payload.suggested)
    return Status(201, {"plan": plan_row(higher), "suggested": suggested, "note": note})


@router.delete(
    "/plans/{code}/links/{higher_code}",
    auth=SIGNED_IN,
    response={204: None, **WRITE_ERRORS},
    summary="Bỏ liên kết với quy hoạch cấp trên",
)
def remove_link(request, code: str, higher_code: str):
    from regionlink.plans import conformity

    user = signed_in(request)
    plan = plan_or_404(request, code)
    check(user, Action.EDIT, plan)
    link = ConformityLink.objects.filter(lower=plan, higher__code=higher_code).first()
    if link is None:
        raise Http404(_("Quy hoạch không có liên kết với “%(code)s”.") % {"code": higher_code})
    with service_errors():
        conformity.remove_link(actor=user, link=link)
    return Status(204, None)
